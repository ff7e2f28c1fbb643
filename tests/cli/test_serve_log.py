"""``zeropark serve`` writes a structured access log and error log (issue #11: it wrote none).

A real server in a subprocess on an empty SQLite database, with both logs sent to files
(``ZEROPARK_ACCESS_LOG``, ``ZEROPARK_ERROR_LOG``): every request is one JSON line with its
method, path, status and client; the server's start is in the error log at level info.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.api.live_server import live_server


def _lines(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_access_and_error_logs_are_json_lines(tmp_path: Path) -> None:
    access, error = tmp_path / "access.log", tmp_path / "error.log"
    env = {"ZEROPARK_ACCESS_LOG": str(access), "ZEROPARK_ERROR_LOG": str(error)}
    with live_server(f"sqlite:///{tmp_path / 'z.db'}", env=env) as (base, _port, _pid):
        assert httpx.get(f"{base}/health").status_code == 200
        assert httpx.get(f"{base}/parks", params={"x": "1"}).status_code == 401
        assert httpx.get(f"{base}/no-such-route").status_code == 404
    entries = _lines(access)
    requests = {(e["method"], e["path"], e["status"]) for e in entries}
    assert ("GET", "/api/v1/parks?x=1", 401) in requests
    assert ("GET", "/api/v1/no-such-route", 404) in requests
    assert all(e["client"].startswith("127.0.0.1") and e["ts"].endswith("+00:00") for e in entries)
    errors = _lines(error)
    assert any(e["logger"].startswith("uvicorn") and e["level"] == "info" for e in errors)


@pytest.mark.slow  # a second server start (about 15 s on a fresh database)
def test_logs_can_be_switched_off(tmp_path: Path) -> None:
    env = {"ZEROPARK_ACCESS_LOG": "off", "ZEROPARK_ERROR_LOG": "off"}
    with live_server(f"sqlite:///{tmp_path / 'z.db'}", env=env) as (base, _port, _pid):
        assert httpx.get(f"{base}/health").status_code == 200
    assert not list(tmp_path.glob("*.log"))
