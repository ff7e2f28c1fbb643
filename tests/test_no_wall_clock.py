"""No code of zeropark reads the wall clock except zeropark.clock (docs/architecture.md).

"What time is it" goes through the injectable clock (``db.clock``, ``store.engine.clock_of``),
so a replay or a backtest runs the whole system at a past time. Durations are another matter:
``time.monotonic``/``perf_counter`` measure how long something takes or waits, never what time it
is, and are allowed only in the modules listed here, each with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import zeropark

PACKAGE = Path(zeropark.__file__).parent

#: Calls that read the wall clock: (object, attribute) as written in the code.
WALL_CLOCK = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("time", "ctime"),
    ("Timestamp", "now"),
    ("Timestamp", "utcnow"),
    ("Timestamp", "today"),
}
#: Names that read the wall clock when imported bare (``from time import time``).
WALL_CLOCK_IMPORTS = {("time", "time"), ("time", "time_ns"), ("time", "localtime")}

#: The one module that reads the wall clock.
CLOCK_MODULE = "clock.py"

#: Modules that measure durations on the monotonic clock, and why (none asks what time it is).
MONOTONIC = {
    "clock.py": "ReplayClock: park time elapses with monotonic time from the replay's start",
    "api/guard.py": "token buckets of the request rate limiter refill by elapsed time",
    "service/auth.py": "lifetime of the token → principal cache entries",
    "service/cache.py": "lifetime of a cached data version",
    "service/live_ingest.py": "MQTT batching deadline and Modbus polling schedule",
    "service/login_throttle.py": "sliding window of failed logins per client address",
}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _reads(path: Path) -> list[str]:
    """``file:line call`` of every wall-clock read and monotonic use in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            pair = (_name(node.value), node.attr)
            if pair in WALL_CLOCK or pair in {("time", "monotonic"), ("time", "perf_counter")}:
                found.append(f"{node.lineno} {pair[0]}.{pair[1]}")
        if isinstance(node, ast.ImportFrom) and node.module == "time":
            for alias in node.names:
                if ("time", alias.name) in WALL_CLOCK_IMPORTS or alias.name in (
                    "monotonic",
                    "perf_counter",
                ):
                    found.append(f"{node.lineno} from time import {alias.name}")
    return found


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    offenders = []
    for path in _modules():
        relative = path.relative_to(PACKAGE).as_posix()
        for read in _reads(path):
            if ("monotonic" in read or "perf_counter" in read) and relative in MONOTONIC:
                continue
            if relative == CLOCK_MODULE:
                continue
            offenders.append(f"{relative}:{read}")
    assert offenders == [], (
        "read the time from the injectable clock (db.clock, store.engine.clock_of(conn)); "
        "durations may use time.monotonic in a module listed in MONOTONIC with its reason"
    )


def test_the_listed_monotonic_modules_exist_and_use_it() -> None:
    for relative in MONOTONIC:
        reads = _reads(PACKAGE / relative)
        assert any("monotonic" in r or "perf_counter" in r for r in reads), relative


def test_the_domain_never_asks_the_clock() -> None:
    for path in (PACKAGE / "domain").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "zeropark.clock" not in text, path
        assert not _reads(path), path
