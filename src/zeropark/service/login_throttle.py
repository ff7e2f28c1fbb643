"""Failed logins per client address, in memory: the throttle in front of the account lock-out.

A source (an IPv4 address, an IPv6 /64 network, or whatever the server names the client) may
have at most ``max_failures`` failed logins within any ``window_s`` seconds; one more attempt is
refused with :class:`~zeropark.errors.RateLimited` (HTTP 429, ``Retry-After``) before the account
is looked up or a password hashed, whatever the email. Each attempt reserves its failure *before*
the password is checked (under a lock, so a burst of parallel attempts cannot all pass), and a
successful login gives its reservation back.

Limits: the table lives in one process (``zeropark serve --workers N`` gives a source N times the
allowance); it keeps at most ``max_sources`` sources and forgets the least recently seen (which
only ever favours a caller); a source is the address the server sees, so clients behind one NAT
or proxy share an allowance (uvicorn must trust the proxy's ``X-Forwarded-For``: it trusts
127.0.0.1 by default, others through ``FORWARDED_ALLOW_IPS``).
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from zeropark.errors import RateLimited
from zeropark.i18n import t

__all__ = ["LoginThrottle", "Reservation", "source_key"]


def source_key(client: str | None) -> str:
    """The key a client address is counted under: IPv4 as is, IPv6 by its /64 network."""
    if not client:
        return "unknown"
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return client[:100]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


@dataclass(frozen=True, slots=True)
class Reservation:
    """A failure reserved for one attempt: kept when the attempt fails, given back otherwise."""

    key: str
    at_s: float


class LoginThrottle:
    """Sliding windows of failed logins by source; thread-safe, never blocks on I/O."""

    def __init__(
        self,
        max_failures: int,
        window_s: float,
        *,
        max_sources: int = 50_000,
        clock_s: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_failures < 1 or window_s <= 0:
            raise ValueError("max_failures must be ≥ 1 and window_s > 0")
        self.max_failures = max_failures
        self.window_s = window_s
        self.max_sources = max_sources
        self.clock_s = clock_s
        self._failures: OrderedDict[str, list[float]] = OrderedDict()  # key → failure times
        self._lock = threading.Lock()

    def reserve(self, client: str | None) -> Reservation:
        """Reserve one failure for an attempt from ``client``; :class:`RateLimited` if none left."""
        key = source_key(client)
        with self._lock:
            now = self.clock_s()
            times = [s for s in self._failures.pop(key, []) if s > now - self.window_s]
            if len(times) >= self.max_failures:
                self._failures[key] = times
                wait = times[0] + self.window_s - now
                raise RateLimited(
                    t(
                        "此地址登录失败次数过多, 请稍后再试",
                        "too many failed logins from this address: retry later",
                    ),
                    retry_after_s=math.ceil(wait),
                )
            times.append(now)
            self._failures[key] = times
            while len(self._failures) > self.max_sources:
                self._failures.popitem(last=False)
        return Reservation(key, now)

    def release(self, reservation: Reservation) -> None:
        """Give a reservation back (the login succeeded, or failed for no fault of the caller)."""
        with self._lock:
            times = self._failures.get(reservation.key)
            if times is not None and reservation.at_s in times:
                times.remove(reservation.at_s)

    def failures(self, client: str | None) -> int:
        """Failures (and open reservations) of ``client`` within the window now."""
        with self._lock:
            now = self.clock_s()
            return sum(s > now - self.window_s for s in self._failures.get(source_key(client), []))
