"""Token buckets per key (a principal, a client address): bounded in memory, time passed in.

A bucket holds up to ``burst`` tokens and refills at ``rate_per_s``; a request takes one token or
is refused with the seconds until one is back (the ``Retry-After`` of a 429). The table keeps at
most ``max_keys`` buckets and forgets the least recently used, so a flood of new keys costs
bounded memory (a forgotten key starts full again, which only ever favours the caller).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict

__all__ = ["RateLimiter"]


class RateLimiter:
    """Token buckets by key; :meth:`take` is thread-safe and never blocks."""

    def __init__(self, rate_per_s: float, burst: int, *, max_keys: int = 100_000) -> None:
        if rate_per_s <= 0 or burst < 1:
            raise ValueError("rate_per_s must be > 0 and burst ≥ 1")
        self.rate_per_s = rate_per_s
        self.burst = burst
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key → (tokens, t)
        self._lock = threading.Lock()

    def take(self, key: str, now_s: float) -> float:
        """Take one token of ``key`` at monotonic time ``now_s`` [s].

        Returns 0.0 when the request may go ahead, else the wait [s] until a token is back.
        """
        with self._lock:
            tokens, last = self._buckets.pop(key, (float(self.burst), now_s))
            tokens = min(float(self.burst), tokens + max(0.0, now_s - last) * self.rate_per_s)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate_per_s
            self._buckets[key] = (tokens, now_s)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return wait

    @staticmethod
    def retry_after(wait_s: float) -> str:
        """A ``Retry-After`` header value: whole seconds, at least 1."""
        return str(max(1, math.ceil(wait_s)))
