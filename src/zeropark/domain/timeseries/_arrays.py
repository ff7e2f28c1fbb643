"""Array aliases and the input checks every normalisation function shares.

Timestamps are ``int64`` epoch seconds UTC; values ``float64``. Readings are sorted by time
(stably, so the first of equal timestamps wins); non-finite values and repeated timestamps are
rejected with a reason rather than raising, because they are data faults, not caller faults.
Shape and dtype faults raise :class:`~zeropark.errors.InputError`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from zeropark.domain.timeseries.quality import RejectCode, Rejection, iso_utc
from zeropark.errors import InputError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
QualityArray = npt.NDArray[np.uint8]
BoolArray = npt.NDArray[np.bool_]
_A = TypeVar("_A", bound=np.ndarray[Any, Any])

__all__ = [
    "BoolArray",
    "CleanReadings",
    "FloatArray",
    "IntArray",
    "QualityArray",
    "as_float_array",
    "as_ts_array",
    "clean_readings",
    "frozen",
    "reject_where",
]


def as_ts_array(ts_s: npt.ArrayLike, name: str = "ts_s") -> IntArray:
    """Return ``ts_s`` as a 1-D int64 array of epoch seconds; raise on fractions or wrong shape."""
    arr = np.asarray(ts_s)
    if arr.ndim != 1:
        raise InputError(f"{name} must be one-dimensional, got shape {arr.shape}", field=name)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64, copy=False)
    if arr.dtype.kind == "f" and arr.size and np.all(np.isfinite(arr)) and np.all(arr % 1 == 0):
        return arr.astype(np.int64)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    raise InputError(f"{name} must hold whole epoch seconds, got dtype {arr.dtype}", field=name)


def as_float_array(values: npt.ArrayLike, n: int, name: str) -> FloatArray:
    """Return ``values`` as a 1-D float64 array of length ``n``."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.shape != (n,):
        raise InputError(f"{name} must have shape ({n},), got {arr.shape}", field=name)
    return arr


def frozen(arr: _A) -> _A:
    """Mark ``arr`` read-only so a frozen result cannot be changed in place."""
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True, slots=True)
class CleanReadings:
    """Readings that passed the shared checks, sorted by time, with their input positions."""

    index: IntArray
    ts_s: IntArray
    value: FloatArray
    rejections: tuple[Rejection, ...]


def reject_where(
    mask: BoolArray,
    index: IntArray,
    ts_s: IntArray,
    value: FloatArray,
    code: RejectCode,
    reason: Callable[[int, float], tuple[str, str, dict[str, str]]],
) -> list[Rejection]:
    """Build one :class:`Rejection` per true entry of ``mask``; ``reason(ts_s, value)`` words it:
    the English text, and as data its reason code and parameters."""
    out = []
    for i in np.flatnonzero(mask):
        text, reason_code, params = reason(int(ts_s[i]), float(value[i]))
        out.append(
            Rejection(
                int(index[i]),
                int(ts_s[i]),
                float(value[i]),
                code,
                text,
                reason_code=reason_code,
                params=params,
            )
        )
    return out


#: The names of the values :func:`clean_readings` checks, in Chinese.
_VALUE_NAMES_ZH = {"register": "寄存器读数", "quantity": "数量", "power": "功率"}


def _not_finite(value_name: str) -> Callable[[int, float], tuple[str, str, dict[str, str]]]:
    def words(_t: int, v: float) -> tuple[str, str, dict[str, str]]:
        params = {
            "what_en": value_name,
            "what_zh": _VALUE_NAMES_ZH.get(value_name, value_name),
            "value": str(v),
        }
        return f"{value_name} is {v}", "reading_not_finite", params

    return words


def clean_readings(ts_s: npt.ArrayLike, values: npt.ArrayLike, value_name: str) -> CleanReadings:
    """Sort readings by time and reject non-finite values and repeated timestamps.

    Of several readings with one timestamp the first in input order is kept; the reason says
    whether the others agree with it.
    """
    ts = as_ts_array(ts_s)
    val = as_float_array(values, ts.size, value_name)
    order = np.argsort(ts, kind="stable").astype(np.int64)
    ts, val = ts[order], val[order]
    rejections: list[Rejection] = []
    finite = np.isfinite(val)
    rejections += reject_where(
        ~finite, order, ts, val, RejectCode.NOT_FINITE, _not_finite(value_name)
    )
    order, ts, val = order[finite], ts[finite], val[finite]
    dup = np.zeros(ts.size, dtype=np.bool_)
    dup[1:] = ts[1:] == ts[:-1]
    if dup.any():
        first = np.maximum.accumulate(np.where(dup, 0, np.arange(ts.size)))
        kept = val[first]
        rejections += [
            _duplicate(int(order[i]), int(ts[i]), val[i], kept[i]) for i in np.flatnonzero(dup)
        ]
        order, ts, val = order[~dup], ts[~dup], val[~dup]
    return CleanReadings(order, ts, val, tuple(rejections))


def _duplicate(index: int, ts_s: int, value: float, kept: float) -> Rejection:
    """The rejection of a second reading at ``ts_s`` (the first one, ``kept``, stays)."""
    at = iso_utc(ts_s)
    if value == kept:
        text, code = f"a reading at {at} was already accepted with the same value", "same"
    else:
        text, code = f"a reading at {at} was already accepted with value {float(kept)}", "other"
    params = {"at": at, "kept": str(float(kept))}
    return Rejection(
        index,
        ts_s,
        float(value),
        RejectCode.DUPLICATE_TS,
        text,
        reason_code=f"reading_duplicate_{code}",
        params=params,
    )
