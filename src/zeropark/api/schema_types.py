"""Field types shared by the response schemas of ``/api/v1``."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, WithJsonSchema

__all__ = ["LocalTime", "Number"]

#: A JSON number kept as the service computed it: an integer stays an integer (a sum of no
#: lines is ``0``), a float stays a float, so a validated answer is byte for byte what the
#: service produced. The schema says ``number`` (which includes integers).
Number = Annotated[int | float, WithJsonSchema({"type": "number"})]

#: A park-local time, ISO 8601 with its offset (``2024-03-01T08:00:00+08:00``), as text.
LocalTime = Annotated[
    str,
    Field(
        description="ISO 8601 park-local time with its offset",
        json_schema_extra={"format": "date-time"},
    ),
]
