"""A linear program as sparse arrays, built block by block, with names for every block.

Columns (variables) and rows (constraints) are added in blocks of consecutive indices; each
block keeps its family, asset and the interval of its first index, so a row or column number
maps back to "which constraint, which asset, which interval" (the infeasibility explanation
needs it). The matrix is collected as COO triplets and handed to HiGHS column-wise
(:meth:`LinearProgram.csc`), the format ``Highs.passModel`` takes without conversion.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

__all__ = ["Block", "CscMatrix", "LinearProgram"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class CscMatrix:
    """A sparse matrix column-wise (compressed sparse column), as HiGHS takes it."""

    n_rows: int
    n_cols: int
    indptr: npt.NDArray[np.int32]
    indices: npt.NDArray[np.int32]
    data: FloatArray

    @property
    def nnz(self) -> int:
        """Number of stored entries."""
        return int(self.data.size)


def to_csc(
    rows: IntArray, cols: IntArray, values: FloatArray, n_rows: int, n_cols: int
) -> CscMatrix:
    """Column-wise compression of COO triplets; repeated (row, col) entries are summed."""
    key = cols * max(n_rows, 1) + rows
    order = np.argsort(key, kind="stable")
    key, vals = key[order], values[order]
    if key.size > 1 and (np.diff(key) == 0).any():
        uniq, start = np.unique(key, return_index=True)
        vals = np.add.reduceat(vals, start)
        key = uniq
    r = (key % max(n_rows, 1)).astype(np.int32)
    c = key // max(n_rows, 1)
    indptr = np.zeros(n_cols + 1, dtype=np.int32)
    np.cumsum(np.bincount(c, minlength=n_cols), out=indptr[1:])
    return CscMatrix(n_rows, n_cols, indptr, r, np.asarray(vals, dtype=np.float64))


@dataclass(frozen=True, slots=True)
class Block:
    """A run of ``size`` consecutive columns or rows from ``start``.

    ``family`` names the variable or constraint (``battery_soc``, ``balance``...), ``asset`` the
    asset or ``""``; index ``start + k`` belongs to interval ``intervals[k]`` (-1: none, e.g. a
    month's peak or a whole-horizon energy requirement).
    """

    family: str
    asset: str
    start: int
    size: int
    intervals: IntArray

    def interval_of(self, index: int) -> int:
        """The interval of the block's ``index`` (a global column or row number)."""
        return int(self.intervals[index - self.start])


def _full(value: npt.ArrayLike, size: int) -> FloatArray:
    arr = np.asarray(value, dtype=np.float64)
    return np.broadcast_to(arr, (size,)).astype(np.float64, copy=False)


@dataclass
class LinearProgram:
    """``min c·x`` subject to ``row_lo ≤ A x ≤ row_hi`` and ``col_lo ≤ x ≤ col_hi``."""

    n_cols: int = 0
    n_rows: int = 0
    columns: list[Block] = field(default_factory=list)
    rows: list[Block] = field(default_factory=list)
    _col_lo: list[FloatArray] = field(default_factory=list)
    _col_hi: list[FloatArray] = field(default_factory=list)
    _cost: list[FloatArray] = field(default_factory=list)
    _row_lo: list[FloatArray] = field(default_factory=list)
    _row_hi: list[FloatArray] = field(default_factory=list)
    _ri: list[IntArray] = field(default_factory=list)
    _ci: list[IntArray] = field(default_factory=list)
    _v: list[FloatArray] = field(default_factory=list)

    def add_cols(
        self,
        family: str,
        asset: str,
        size: int,
        lo: npt.ArrayLike,
        hi: npt.ArrayLike,
        cost: npt.ArrayLike = 0.0,
        intervals: IntArray | None = None,
    ) -> IntArray:
        """Add ``size`` variables; their column numbers."""
        start = self.n_cols
        iv = np.arange(size, dtype=np.int64) if intervals is None else intervals
        self.columns.append(Block(family, asset, start, size, iv))
        self._col_lo.append(_full(lo, size))
        self._col_hi.append(_full(hi, size))
        self._cost.append(_full(cost, size))
        self.n_cols += size
        return np.arange(start, start + size, dtype=np.int64)

    def add_rows(
        self,
        family: str,
        asset: str,
        size: int,
        lo: npt.ArrayLike,
        hi: npt.ArrayLike,
        intervals: IntArray | None = None,
    ) -> IntArray:
        """Add ``size`` constraints (coefficients come with :meth:`add_coefs`); their numbers."""
        start = self.n_rows
        iv = np.arange(size, dtype=np.int64) if intervals is None else intervals
        self.rows.append(Block(family, asset, start, size, iv))
        self._row_lo.append(_full(lo, size))
        self._row_hi.append(_full(hi, size))
        self.n_rows += size
        return np.arange(start, start + size, dtype=np.int64)

    def add_coefs(self, rows: npt.ArrayLike, cols: npt.ArrayLike, values: npt.ArrayLike) -> None:
        """Add matrix entries (broadcast together); repeated (row, col) entries are summed."""
        r, c, v = np.broadcast_arrays(
            np.asarray(rows, dtype=np.int64),
            np.asarray(cols, dtype=np.int64),
            np.asarray(values, dtype=np.float64),
        )
        self._ri.append(r.ravel())
        self._ci.append(c.ravel())
        self._v.append(v.ravel())

    def set_cost(self, cost: FloatArray) -> None:
        """Replace the objective coefficients of all columns."""
        if cost.shape != (self.n_cols,):
            raise ValueError(f"{cost.shape[0]} costs for {self.n_cols} columns")
        self._cost = [np.asarray(cost, dtype=np.float64)]

    def arrays(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
        """``cost, col_lo, col_hi, row_lo, row_hi`` as contiguous arrays."""
        cat = np.concatenate
        empty = np.empty(0)
        return (
            cat(self._cost) if self._cost else empty,
            cat(self._col_lo) if self._col_lo else empty,
            cat(self._col_hi) if self._col_hi else empty,
            cat(self._row_lo) if self._row_lo else empty,
            cat(self._row_hi) if self._row_hi else empty,
        )

    def triplets(self) -> tuple[IntArray, IntArray, FloatArray]:
        """The matrix entries as (rows, cols, values)."""
        if not self._ri:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0)
        return np.concatenate(self._ri), np.concatenate(self._ci), np.concatenate(self._v)

    def csc(self) -> CscMatrix:
        """The constraint matrix, column-wise, duplicates summed."""
        r, c, v = self.triplets()
        return to_csc(r, c, v, self.n_rows, self.n_cols)

    def column_block(self, index: int) -> Block:
        """The column block holding column ``index``."""
        return _find(self.columns, index)

    def row_block(self, index: int) -> Block:
        """The row block holding row ``index``."""
        return _find(self.rows, index)

    def cols_of(self, family: str, asset: str = "") -> Block:
        """The first column block of ``family`` and ``asset``."""
        for block in self.columns:
            if block.family == family and block.asset == asset:
                return block
        raise KeyError((family, asset))


def _find(blocks: list[Block], index: int) -> Block:
    starts = [b.start for b in blocks]
    pos = int(np.searchsorted(starts, index, side="right")) - 1
    return blocks[pos]
