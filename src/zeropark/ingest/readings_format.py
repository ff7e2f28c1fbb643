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

Parsing is vectorised with Arrow compute kernels over chunks of rows (they release the GIL, so a
file is parsed on one core while the previous chunk is stored on the other). Columns that repeat
(meter ids, times shared by every meter of a file, quality words) are parsed once per distinct
value. Every row that cannot be read becomes a :class:`RowRejection` naming the source, the row,
the field and the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from dataclasses import field as dataclass_field

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from zeropark.domain.issues import Issue, ParamValue
from zeropark.domain.timeseries import Quality
from zeropark.errors import InputError

__all__ = [
    "COLUMN_ALIASES",
    "QUALITY_NAMES",
    "ParsedReadings",
    "RowRejection",
    "normalise_columns",
    "parse_records",
    "parse_table",
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
#: A number as the format accepts it: optional sign, decimal digits with an optional point, an
#: optional exponent (``1234.5``, ``-0.25``, ``.5``, ``1e3``). No thousands separators, no
#: decimal comma, no ``nan``/``inf``.
NUMBER_PATTERN = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"
_EPOCH = pd.Timestamp(0, tz="UTC")


@dataclass(frozen=True, slots=True)
class RowRejection:
    """A record that could not be accepted: its :meth:`issue` (where, which field, why), the
    row number and the row as received."""

    source: str
    row: int | None
    field: str | None
    value: str | None
    code: str
    reason: str
    record: dict[str, str] | None = None
    """The whole row as received (meter, ts, value, quality), so it can be fixed and resubmitted."""
    reason_code: str = ""
    params: Mapping[str, ParamValue] = dataclass_field(default_factory=dict)
    """The reason as data (message catalogue); without a reason code, ``reason`` is the text."""

    def issue(self) -> Issue:
        """The issue of this row (``row <n>`` its location)."""
        where = f"row {self.row}" if self.row is not None else None
        if self.reason_code:
            code, params = self.reason_code, self.params
        else:
            code, params = "text", {"text": self.reason, "detail": self.reason}
        return Issue(
            self.code, code, params, source=self.source, location=where,
            field=self.field, value=self.value,
        )  # fmt: skip

    def __str__(self) -> str:
        return self.issue().describe("en")


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


#: The years pandas' nanosecond timestamps can hold (1677-09-21 to 2262-04-11), whole years only.
#: A time outside them is refused by the parser; the plausibility window of the pipeline
#: (:mod:`zeropark.domain.timeseries.plausible`) is far narrower.
MIN_YEAR, MAX_YEAR = 1678, 2261
_LEADING_YEAR = r"^\s*([+-]?\d+)-"


def _parse_times(text: pd.Series, timezone: str) -> tuple[pd.Series, pd.Series]:
    """UTC epoch seconds (float, NaN when unreadable) of ISO 8601 strings, and which are out of
    the years :data:`MIN_YEAR` to :data:`MAX_YEAR` (those are NaN too). Never raises for text."""
    try:  # the usual case, at full speed: pandas coerces what it cannot read to NaT
        fast = _parse_times_vectorised(text, timezone)
    except (ValueError, OverflowError, TypeError):  # OutOfBoundsDatetime: a year pandas lacks
        pass
    else:
        unread = fast.isna()
        if not unread.any():
            return fast, pd.Series(False, index=text.index)
        # Newer pandas coerce a year they lack to NaT instead of raising: name those rows.
        return fast, _out_of_range(text.where(unread, "")) & unread
    out_of_range = _out_of_range(text)
    text = text.where(~out_of_range, "")
    try:
        return _parse_times_vectorised(text, timezone), out_of_range
    except (ValueError, OverflowError, TypeError):  # odd spellings: one by one
        return pd.Series([_parse_one(t, timezone) for t in text], index=text.index), out_of_range


def _out_of_range(text: pd.Series) -> pd.Series:
    """Which texts lead with a year outside :data:`MIN_YEAR` to :data:`MAX_YEAR`."""
    year = pd.to_numeric(text.str.extract(_LEADING_YEAR, expand=False), errors="coerce")
    return ((year < MIN_YEAR) | (year > MAX_YEAR)).fillna(False).astype(bool)


def _parse_times_vectorised(text: pd.Series, timezone: str) -> pd.Series:
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


def _parse_one(text: str, timezone: str) -> float:
    """One time, for the rare chunk the vectorised parse cannot take whole: NaN when unreadable."""
    try:
        return float(_parse_times_vectorised(pd.Series([text], dtype=object), timezone).iloc[0])
    except (ValueError, OverflowError, TypeError):
        return float("nan")


def _text(table: pa.Table, name: str) -> pa.Array:
    """Column ``name`` as trimmed strings ('' where absent or null)."""
    if name not in table.column_names:
        return pc.fill_null(pa.nulls(table.num_rows, pa.string()), "")
    column = table.column(name)
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if array.type != pa.string():
        array = pc.cast(array, pa.string())
    trimmed: pa.Array = pc.fill_null(pc.utf8_trim_whitespace(array), "")
    return trimmed


def _has_nul(text: pa.Array) -> npt.NDArray[np.bool_]:
    """Per row, whether the text holds a NUL character (PostgreSQL cannot store one)."""
    found: npt.NDArray[np.bool_] = (
        pc.match_substring(text, "\x00").to_numpy(zero_copy_only=False).astype(bool)
    )
    return found


def _distinct(text: pa.Array) -> tuple[pa.Array, npt.NDArray[np.int64]]:
    """The distinct values of ``text`` and, per row, the index of its value among them."""
    encoded = pc.dictionary_encode(text)
    return encoded.dictionary, encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)


def parse_table(
    table: pa.Table,
    *,
    source: str,
    timezone: str,
    first_row: int = 1,
    rows: npt.NDArray[np.int64] | None = None,
) -> ParsedReadings:
    """Parse string columns with canonical names (``meter, ts, value[, quality]``).

    ``rows`` are the row numbers of the records in their source, as a user sees them (2 for the
    first data row of a file with a header line); by default ``first_row, first_row + 1, ...``.
    """
    n = table.num_rows
    if rows is None:
        rows = np.arange(first_row, first_row + n, dtype=np.int64)
    meter_text, ts_text = _text(table, "meter"), _text(table, "ts")
    value_text = _text(table, "value")
    quality_text = pc.utf8_lower(_text(table, "quality"))

    meter_names, meter_codes = _distinct(meter_text)
    meter_names_py = np.array(meter_names.to_pylist(), dtype=object)
    times, time_codes = _distinct(ts_text)
    ts_distinct, out_of_range = _parse_times(times.to_pandas(), timezone)
    ts = ts_distinct.to_numpy()[time_codes]
    is_number = pc.match_substring_regex(value_text, NUMBER_PATTERN)
    numbers = pc.if_else(is_number, value_text, pa.scalar(None, pa.string()))
    value = pc.cast(numbers, pa.float64()).to_numpy(zero_copy_only=False)
    qualities, quality_codes = _distinct(quality_text)
    quality_of = np.array([QUALITY_NAMES.get(q, -1) for q in qualities.to_pylist()], np.int64)
    quality = quality_of[quality_codes]
    named = (
        ("meter", meter_text),
        ("ts", ts_text),
        ("value", value_text),
        ("quality", quality_text),
    )

    nul = "contains a NUL character (U+0000), which no text field may hold"
    choices = ", ".join(q for q in QUALITY_NAMES if q)
    no_params: dict[str, ParamValue] = {}
    checks: tuple[tuple[npt.NDArray[np.bool_], str, str, str, str, dict[str, ParamValue]], ...] = (
        *(
            (_has_nul(texts), name, "bad_text", nul, "nul_character", no_params)
            for name, texts in named
        ),
        (
            (meter_names_py == "")[meter_codes],
            "meter",
            "missing_meter",
            "the meter id is empty",
            "missing_meter",
            no_params,
        ),
        (
            out_of_range.to_numpy()[time_codes],
            "ts",
            "implausible_time",
            f"outside the years {MIN_YEAR}-{MAX_YEAR} that times can have "
            "(see the plausibility window in docs/readings-format.md)",
            "time_out_of_range",
            {"min_year": MIN_YEAR, "max_year": MAX_YEAR},
        ),
        (
            np.isnan(ts),
            "ts",
            "bad_timestamp",
            f"not an ISO 8601 time, or not a valid local time in {timezone}",
            "bad_timestamp",
            {"timezone": timezone},
        ),
        (~np.isfinite(value), "value", "bad_value", "not a finite number", "bad_value", no_params),
        (
            quality < 0,
            "quality",
            "bad_quality",
            f"quality must be one of {choices}",
            "bad_quality",
            {"choices": choices},
        ),
    )
    bad = np.zeros(n, dtype=bool)
    for mask, *_ in checks:
        bad |= mask
    rejections: list[RowRejection] = []
    if bad.any():
        where = pa.array(np.flatnonzero(bad))
        texts = {
            "meter": pc.take(meter_text, where).to_pylist(),
            "ts": pc.take(ts_text, where).to_pylist(),
            "value": pc.take(value_text, where).to_pylist(),
            "quality": pc.take(quality_text, where).to_pylist(),
        }
        seen = np.zeros(n, dtype=bool)
        position = {int(i): k for k, i in enumerate(np.flatnonzero(bad))}
        for mask, name, code, reason, reason_code, params in checks:
            for i in np.flatnonzero(mask & ~seen).tolist():
                k = position[i]
                record = {key: str(texts[key][k]) for key in texts}
                rejection = RowRejection(
                    source, int(rows[i]), name, record[name], code, reason, record,
                    reason_code, params,
                )  # fmt: skip
                rejections.append(rejection)
            seen |= mask
        rejections.sort(key=lambda r: r.row or 0)
    good = ~bad
    return ParsedReadings(
        meter=meter_names_py[meter_codes[good]],
        ts_s=np.floor(ts[good]).astype(np.int64),
        value=value[good],
        quality=quality[good].astype(np.uint8),
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
    table = pa.table(
        {
            name: pa.array(
                ["" if r.get(name) is None else str(r.get(name)) for r in records], pa.string()
            )
            for name in ("meter", "ts", "value", "quality")
        }
    )
    return parse_table(table, source=source, first_row=first_row, timezone=timezone)
