"""The one parser of the canonical readings format, shared by files, HTTP, MQTT and Modbus.

Canonical long format: one reading per row, columns ``meter, ts, value[, quality]``.

- ``meter``: the meter id of the park file.
- ``ts``: ISO 8601 time. With an offset (``2024-03-01T08:15:00+08:00``, ``...Z``) it is taken
  as written; without one it is the park's local time (its timezone, DST-aware; a local time
  that does not exist or is ambiguous is rejected).
- ``value``: a finite number in the meter's declared unit: the register value of a cumulative
  meter, the quantity of the interval *ending* at ``ts`` for an interval meter, the power for an
  instantaneous meter.
- ``quality`` (optional): ``measured`` (default), ``estimated``, ``corrected`` or ``manual``.
  ``corrected`` marks a reading that is meant to replace a stored one.

Parsing is vectorised with pandas over chunks of rows; every row that cannot be read becomes a
:class:`RowRejection` naming the source, the row, the field and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from zeropark.domain.timeseries import Quality
from zeropark.errors import InputError

__all__ = [
    "COLUMN_ALIASES",
    "QUALITY_NAMES",
    "ParsedReadings",
    "RowRejection",
    "normalise_columns",
    "parse_frame",
    "parse_records",
]

#: Column names users write, mapped to the canonical ones.
COLUMN_ALIASES: dict[str, str] = {
    "meter": "meter",
    "meter_id": "meter",
    "表计": "meter",
    "表计编号": "meter",
    "ts": "ts",
    "time": "ts",
    "timestamp": "ts",
    "时间": "ts",
    "value": "value",
    "读数": "value",
    "数值": "value",
    "quality": "quality",
    "质量": "quality",
}
REQUIRED = ("meter", "ts", "value")

QUALITY_NAMES: dict[str, int] = {
    "": int(Quality.MEASURED),
    "measured": int(Quality.MEASURED),
    "estimated": int(Quality.ESTIMATED),
    "corrected": int(Quality.CORRECTED),
    "manual": int(Quality.MANUAL),
}

_OFFSET = r"(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$"
_EPOCH = pd.Timestamp(0, tz="UTC")


@dataclass(frozen=True, slots=True)
class RowRejection:
    """A record that could not be accepted: where it came from, which field, why."""

    source: str
    row: int | None
    field: str | None
    value: str | None
    code: str
    reason: str
    record: dict[str, str] | None = None
    """The whole row as received (meter, ts, value, quality), so it can be fixed and resubmitted."""

    def __str__(self) -> str:
        where = self.source + (f", row {self.row}" if self.row is not None else "")
        what = f" field {self.field!r}" if self.field else ""
        return f"{where}:{what} {self.reason} [{self.code}]"


@dataclass(frozen=True, slots=True)
class ParsedReadings:
    """Readings that parsed, as arrays of equal length, and the rows that did not."""

    meter: npt.NDArray[np.object_]
    ts_s: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    quality: npt.NDArray[np.uint8]
    row: npt.NDArray[np.int64]
    rejections: list[RowRejection] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.ts_s.size)


def normalise_columns(columns: list[str], source: str) -> dict[str, str]:
    """Map the file's column names to canonical ones; raise naming the missing ones."""
    mapping: dict[str, str] = {}
    for name in columns:
        canonical = COLUMN_ALIASES.get(str(name).strip().lower()) or COLUMN_ALIASES.get(
            str(name).strip()
        )
        if canonical and canonical not in mapping.values():
            mapping[name] = canonical
    missing = [c for c in REQUIRED if c not in mapping.values()]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; the readings format is "
            "meter, ts, value[, quality] (see docs/readings-format.md)",
            source=source,
            location="header",
        )
    return mapping


def _parse_times(text: pd.Series, timezone: str) -> pd.Series:
    """UTC epoch seconds (float, NaN when unreadable) of ISO 8601 strings."""
    has_offset = text.str.contains(_OFFSET, regex=True, na=False)
    out = pd.Series(np.nan, index=text.index, dtype="float64")
    if has_offset.any():
        aware = pd.to_datetime(text[has_offset], utc=True, errors="coerce", format="ISO8601")
        out[has_offset] = (aware - _EPOCH) / pd.Timedelta(seconds=1)
    naive_mask = ~has_offset
    if naive_mask.any():
        naive = pd.to_datetime(text[naive_mask], errors="coerce", format="ISO8601")
        local = naive.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
        out[naive_mask] = (local - _EPOCH) / pd.Timedelta(seconds=1)
    return out


def parse_frame(
    frame: pd.DataFrame, *, source: str, first_row: int, timezone: str
) -> ParsedReadings:
    """Parse a chunk of string columns (canonical names) into arrays and row rejections.

    ``first_row`` is the row number of the frame's first record in its source (2 for the first
    data row of a file with a header line), so rejections name the row a user sees.
    """
    n = len(frame)
    rows = np.arange(first_row, first_row + n, dtype=np.int64)
    meter = frame["meter"].astype("string").str.strip().fillna("")
    ts_text = frame["ts"].astype("string").str.strip().fillna("")
    value_text = frame["value"].astype("string").str.strip().fillna("")
    if "quality" in frame:
        quality_text = frame["quality"].astype("string").str.strip().str.lower().fillna("")
    else:
        quality_text = pd.Series("", index=frame.index, dtype="string")

    ts = _parse_times(ts_text, timezone).to_numpy()
    value = pd.to_numeric(value_text, errors="coerce").to_numpy(dtype=np.float64)
    quality = quality_text.map(QUALITY_NAMES)

    rejections: list[RowRejection] = []
    bad = np.zeros(n, dtype=bool)
    checks = (
        (meter.to_numpy() == "", "meter", meter, "missing_meter", "the meter id is empty"),
        (
            np.isnan(ts),
            "ts",
            ts_text,
            "bad_timestamp",
            f"not an ISO 8601 time, or not a valid local time in {timezone}",
        ),
        (~np.isfinite(value), "value", value_text, "bad_value", "not a finite number"),
        (
            quality.isna().to_numpy(),
            "quality",
            quality_text,
            "bad_quality",
            f"quality must be one of {', '.join(q for q in QUALITY_NAMES if q)}",
        ),
    )
    for mask, name, raw, code, reason in checks:
        for i in np.flatnonzero(mask & ~bad):
            record = {
                "meter": str(meter.iloc[i]),
                "ts": str(ts_text.iloc[i]),
                "value": str(value_text.iloc[i]),
                "quality": str(quality_text.iloc[i]),
            }
            rejections.append(
                RowRejection(source, int(rows[i]), name, str(raw.iloc[i]), code, reason, record)
            )
        bad |= mask
    good = ~bad
    rejections.sort(key=lambda r: r.row or 0)
    return ParsedReadings(
        meter=meter.to_numpy(dtype=object)[good],
        ts_s=np.floor(ts[good]).astype(np.int64),
        value=value[good],
        quality=quality.to_numpy()[good].astype(np.uint8),
        row=rows[good],
        rejections=rejections,
    )


def parse_records(
    records: list[dict[str, object]], *, source: str, timezone: str, first_row: int = 1
) -> ParsedReadings:
    """Parse readings given as mappings (HTTP batch, MQTT JSON) through the same parser.

    Each record has ``meter``, ``ts``, ``value`` and optionally ``quality``; ``first_row`` numbers
    the records (1 = the first) so rejections name the record.
    """
    frame = pd.DataFrame(
        {
            name: ["" if r.get(name) is None else str(r.get(name)) for r in records]
            for name in ("meter", "ts", "value", "quality")
        },
        dtype="string",
    )
    return parse_frame(frame, source=source, first_row=first_row, timezone=timezone)
