"""The request guard against a real server: huge chunked bodies cost neither memory nor disk.

Finding 1 of the trust probe: a 300 MiB chunked JSON body with no token grew the server from
660 MB to 2.66 GB before the 401, and a 1 GiB chunked multipart upload wrote ~1 GB to /tmp. Here
a single-process ``zeropark serve`` (uvicorn on loopback, its own TMPDIR) gets those bodies over a
raw socket, streamed in 1 MiB chunks until the server answers or closes; its resident memory
(``/proc/PID/status`` VmRSS) and its temporary folder are measured before and after.

Bounds stated: the server's RSS grows by less than 64 MiB however much is sent, and its temporary
folder stays under 1 MiB for a refused (anonymous) upload. The sender stops at 300 MiB (JSON) and
1 GiB (multipart) if the server were to keep reading; a guard that works answers after the first
chunk, so the test sends a few MiB at most.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.live_server import live_server
from tests.api.parkdata import PARK, PASSWORD, USERS, build_world
from zeropark.service.database import Database

MIB = 1 << 20
RSS_GROWTH_BOUND = 64 * MIB


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def _tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


class Server:
    def __init__(self, base: str, pid: int, tmp: Path, port: int) -> None:
        self.base, self.pid, self.tmp, self.port = base, pid, tmp, port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("guard")
    db = Database(f"sqlite:///{folder / 'guard.db'}")
    build_world(db)
    db.dispose()
    tmp = folder / "tmp"
    tmp.mkdir()
    with live_server(db.url, env={"TMPDIR": str(tmp)}) as (base, port, pid):
        yield Server(base, pid, tmp, port)


def _send_chunked(
    port: int, path: str, headers: dict[str, str], chunk: bytes, limit_bytes: int
) -> tuple[int, int]:
    """Stream a chunked body until the server answers; (status, bytes sent)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Transfer-Encoding: chunked"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
    sent = 0
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    sock.setblocking(False)
    answer = b""
    try:
        while sent < limit_bytes:
            try:
                answer += sock.recv(65536)
                if answer:
                    break
            except BlockingIOError:
                pass
            try:
                sock.setblocking(True)
                sock.settimeout(10)
                sock.sendall(framed)
                sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            finally:
                sock.setblocking(False)
        sock.setblocking(True)
        sock.settimeout(30)
        while b"\r\n" not in answer:
            more = sock.recv(65536)
            if not more:
                break
            answer += more
    finally:
        sock.close()
    status_line = answer.split(b"\r\n", 1)[0].decode()
    assert status_line.startswith("HTTP/1.1 "), f"no HTTP answer after {sent} bytes: {answer!r}"
    return int(status_line.split()[1]), sent


def _login(server: Server, role: str) -> str:
    email = USERS[role][0]
    response = httpx.post(f"{server.base}/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


def test_anonymous_chunked_json_is_refused_before_it_is_read(server: Server) -> None:
    before = _rss(server.pid)
    chunk = b'{"readings": [' + b" " * (MIB - 14)
    status, sent = _send_chunked(
        server.port,
        f"/api/v1/parks/{PARK}/readings",
        {"Content-Type": "application/json"},
        chunk,
        300 * MIB,
    )
    assert status == 401
    assert sent < 300 * MIB
    assert _rss(server.pid) - before < RSS_GROWTH_BOUND


def test_anonymous_chunked_upload_writes_nothing_to_disk(server: Server) -> None:
    before = _rss(server.pid)
    boundary = "zpboundary"
    chunk = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.csv"\r\n'
        "Content-Type: text/csv\r\n\r\nmeter,ts,value\r\n"
    ).encode()
    chunk += b"m,2024-01-01T00:00:00+08:00,1\n" * ((MIB - len(chunk)) // 31)
    status, sent = _send_chunked(
        server.port,
        f"/api/v1/parks/{PARK}/readings/upload",
        {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        chunk,
        1024 * MIB,
    )
    assert status == 401
    assert sent < 1024 * MIB
    assert _tree_size(server.tmp) < MIB
    assert _rss(server.pid) - before < RSS_GROWTH_BOUND


def test_authenticated_chunked_json_past_the_limit_is_413(server: Server) -> None:
    token = _login(server, "park_admin")
    before = _rss(server.pid)
    chunk = b'{"readings": [' + b" " * (MIB - 14)
    status, sent = _send_chunked(
        server.port,
        f"/api/v1/parks/{PARK}/readings",
        {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        chunk,
        300 * MIB,
    )
    assert status == 413
    assert sent <= 16 * MIB  # the JSON limit is 8 MiB; the socket buffers a few chunks more
    assert _rss(server.pid) - before < RSS_GROWTH_BOUND
