"""Answers cached per caller scope until the stored data change (the overview, hot lists).

A cached answer is valid for one *data version* of its database:

- writes made in this process bump a generation counter at commit (an engine event notes any
  INSERT/UPDATE/DELETE of the transaction), so a reader here sees its own writes at once;
- writes made by other processes (``zeropark serve --workers N``, the CLI, ingest workers) are
  seen through the database's own version — the audit head, the newest quarantine record and the
  newest alert, which every write of data moves — re-read at most every
  :data:`VERSION_TTL_S` seconds. So another process's write shows after at most that long.

Answers are kept pre-serialised (JSON bytes), so a hit costs a dictionary lookup.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import Connection, event

from zeropark.domain.access import Principal
from zeropark.service.database import Database
from zeropark.store.versions import data_version as stored_version

__all__ = [
    "VERSION_TTL_S",
    "ScopedCache",
    "VersionedMemo",
    "data_version",
    "peek_version",
    "scope_key",
    "to_json_bytes",
]

T = TypeVar("T")

#: How long the database's version is trusted before it is read again [s].
VERSION_TTL_S = 1.0
_WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE")

_lock = threading.Lock()
_generation: dict[str, int] = defaultdict(int)
_tracked: set[int] = set()
#: db url → (generation, database version, monotonic time it was read)
_versions: dict[str, tuple[int, tuple[int, int, int], float]] = {}


def _track(db: Database) -> None:
    """Count this process's committed writes on ``db`` (installed once per engine)."""
    if id(db.engine) in _tracked:
        return
    with _lock:
        if id(db.engine) in _tracked:
            return
        url = db.url

        def before(conn: Connection, _c: Any, statement: str, *_args: Any) -> None:
            if statement.lstrip()[:6].upper() in _WRITES:
                conn.info["zeropark_wrote"] = True

        def commit(conn: Connection) -> None:
            if conn.info.pop("zeropark_wrote", False):
                with _lock:
                    _generation[url] += 1

        def rollback(conn: Connection) -> None:
            conn.info.pop("zeropark_wrote", None)

        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "commit", commit)
        event.listen(db.engine, "rollback", rollback)
        _tracked.add(id(db.engine))


def _read_version(db: Database, conn: Connection | None) -> tuple[int, int, int]:
    if conn is not None:
        return stored_version(conn)
    with db.transaction() as own:
        return stored_version(own)


def peek_version(db: Database) -> tuple[int, tuple[int, int, int]] | None:
    """The data version when it is known without a query (fresh enough), else None."""
    _track(db)
    known = _versions.get(db.url)
    if known is None:
        return None
    generation, version, read_at = known
    if generation != _generation[db.url] or time.monotonic() - read_at > VERSION_TTL_S:
        return None
    return generation, version


def data_version(db: Database, conn: Connection | None = None) -> tuple[int, tuple[int, int, int]]:
    """The data version of ``db``: this process's write generation and the database's version.

    ``conn``: read the database's version in the caller's transaction (one unit of work: the
    answer is computed from the same snapshot), else in a transaction of its own.
    """
    known = peek_version(db)
    if known is not None:
        return known
    generation = _generation[db.url]
    version = _read_version(db, conn)
    _versions[db.url] = (generation, version, time.monotonic())
    return generation, version


def scope_key(principal: Principal) -> tuple[str, str | None]:
    """What a caller may see of a park it belongs to, as a cache key.

    Park admins, auditors and the operator read the same rows of a park; a regulator reads the
    park-level aggregates; a tenant its own rows. Membership of the park is checked apart.
    """
    if principal.role == "tenant":
        return ("tenant", principal.tenant_id)
    return ("regulator" if principal.role == "regulator" else "park", None)


def to_json_bytes(document: Any) -> bytes:
    """UTF-8 JSON of a document (as FastAPI would render it)."""
    return json.dumps(
        document, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=str
    ).encode("utf-8")


class VersionedMemo(Generic[T]):
    """Values by key (database, park, caller scope, …), each valid for one data version.

    At most ``size`` values are kept (least recently stored first out). Computing is serialised
    per key under one of a fixed set of locks, so a burst of identical requests computes once
    and the locks do not grow with the number of distinct keys callers make up.
    """

    _STRIPES = 64

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, tuple[Any, T]] = OrderedDict()
        self._locks = [threading.Lock() for _ in range(self._STRIPES)]

    def _encode(self, result: Any) -> T:
        """What is kept of a computed result (itself here)."""
        return cast(T, result)

    def peek(self, db: Database, key: Hashable) -> T | None:
        """The cached value when it is current and that is known without a query."""
        version = peek_version(db)
        found = self._items.get((db.url, key))
        if version is None or found is None or found[0] != version:
            return None
        return found[1]

    def get(
        self,
        db: Database,
        key: Hashable,
        compute: Callable[[], Any],
        *,
        conn: Connection | None = None,
    ) -> T:
        """The cached value, computing it (once, under the key's lock) when stale.

        ``conn``: the transaction ``compute`` reads in; the data version is read in it too.
        """
        full = (db.url, key)
        with self._locks[hash(full) % self._STRIPES]:
            return self._fill(db, full, compute, conn)

    def get_unless_busy(self, db: Database, key: Hashable, compute: Callable[[], Any]) -> T | None:
        """As :meth:`get`, but None at once when another thread holds the key's lock (it may be
        computing something long): an event loop must not wait for it."""
        full = (db.url, key)
        lock = self._locks[hash(full) % self._STRIPES]
        if not lock.acquire(blocking=False):
            return None
        try:
            return self._fill(db, full, compute, None)
        finally:
            lock.release()

    def _fill(
        self, db: Database, full: Hashable, compute: Callable[[], Any], conn: Connection | None
    ) -> T:
        """The current value of ``full``, computed when stale (the caller holds its lock)."""
        version = data_version(db, conn)
        found = self._items.get(full)
        if found is not None and found[0] == version:
            return found[1]
        value = self._encode(compute())
        # Kept under the version read before computing: a write meanwhile makes it stale.
        self._items[full] = (version, value)
        self._items.move_to_end(full)
        while len(self._items) > self._size:
            self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every value."""
        self._items.clear()


class ScopedCache(VersionedMemo[bytes]):
    """Pre-serialised answers (JSON bytes) by key and data version."""

    def _encode(self, result: Any) -> bytes:
        return result if isinstance(result, bytes) else to_json_bytes(result)
