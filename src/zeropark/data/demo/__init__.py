"""A realistic demo park, generated deterministically (no download): ``build_demo()``.

A Jiangsu manufacturing park of eight tenants with 66 meters, a year of 15-minute readings
(rooftop PV from pvlib on a real TMY weather file, China's workday calendar, modelled loads),
a battery, EV chargers and monthly activity records. ``docs/demo-park.md`` says which parts are
real data and which are modelled.
"""

from __future__ import annotations

from zeropark.data.demo.activities import activities_csv_text
from zeropark.data.demo.build import OUTAGE_METER, ROLLOVER_METER, build_demo
from zeropark.data.demo.model import ACTIVITY_COLUMNS, DemoPark, MeterSeries

__all__ = [
    "ACTIVITY_COLUMNS",
    "OUTAGE_METER",
    "ROLLOVER_METER",
    "DemoPark",
    "MeterSeries",
    "activities_csv_text",
    "build_demo",
]
