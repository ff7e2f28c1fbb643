"""Hot read endpoints answered from :class:`~zeropark.service.cache.ScopedCache`.

A cached answer is shared by every caller of the same *scope* in the park (park-wide readers,
the regulator, one tenant); it is served without a thread or a query when the caller may read
the park and the data version is known to be current. Otherwise the answer is computed (or
re-validated) in the thread pool — the compute function does the full access check — unless
the route knows the work is small (``inline``): then it is computed on the event loop.

Why small work skips the thread pool: under load the event loop keeps answering cached requests
while compute threads wait for the GIL, so a 1-2 ms computation handed to a thread finished
after 100-400 ms (the p99 of a day of readings in ``benchmarks/api.py``, 100 clients, 2
workers), behind every cheap answer. Done in place it takes its turn in arrival order (p99
87-113 ms in the same run). Large work still goes to the pool, so it cannot stall the loop.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from zeropark.domain.access import Principal
from zeropark.service.cache import ScopedCache, scope_key
from zeropark.service.database import Database

__all__ = ["LIST_CACHE", "READINGS_CACHE", "cached_json"]

LIST_CACHE = ScopedCache()
#: Readings answers, kept apart: callers ask for any meter and day, each answer is cheap to
#: compute again and seldom asked twice, and in the shared cache they pushed out the costly
#: aggregates (the inventory, a year of energy), which then had to be computed again.
READINGS_CACHE = ScopedCache(size=256)


async def cached_json(
    db: Database,
    principal: Principal,
    park_id: str,
    key: Hashable,
    compute: Callable[[], Any],
    *,
    cache: ScopedCache = LIST_CACHE,
    inline: bool = False,
) -> Response:
    """The JSON answer of ``key`` for the caller's scope, from the cache when current.

    ``inline``: compute a missing answer on the event loop (only for work bounded to about a
    millisecond or two by the request's own size; see the module doc).
    """
    full = (park_id, key, scope_key(principal))
    body = cache.peek(db, full) if principal.can_read_park(park_id) else None
    if body is None and inline and principal.can_read_park(park_id):
        # None when another thread holds the key's lock: wait for it in the pool, not here.
        body = cache.get_unless_busy(db, full, compute)
    if body is None:

        def fill() -> bytes:
            if not principal.can_read_park(park_id):
                compute()  # raises NotFound/PermissionDenied: never read the cache
                raise AssertionError("unreachable: the caller may not read the park")
            return cache.get(db, full, compute)

        body = await run_in_threadpool(fill)
    return Response(body, media_type="application/json")
