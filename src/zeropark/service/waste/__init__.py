"""Use case: waste detection (跑冒滴漏) over a park's stored readings (:mod:`.detect`)."""

from zeropark.service.waste.detect import (
    WasteFinding,
    WasteReport,
    detect_park_waste,
    waste_to_dict,
)

__all__ = ["WasteFinding", "WasteReport", "detect_park_waste", "waste_to_dict"]
