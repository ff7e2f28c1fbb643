"""Browser tests of the web UI: the real app (uvicorn, in a thread) over a demo database, driven
by Debian's headless Chromium through Playwright (no browser download).

The demo database is built once per session (about 17 s). Tests skip with a reason when
``/usr/bin/chromium`` (or ``ZEROPARK_CHROMIUM``) is missing, and fail instead under
``ZEROPARK_REQUIRE_SERVICES=1``.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import demo_copy
from zeropark.service.database import Database

CHROMIUM = Path(os.environ.get("ZEROPARK_CHROMIUM", "/usr/bin/chromium"))
REQUIRE_SERVICES = os.environ.get("ZEROPARK_REQUIRE_SERVICES", "") not in ("", "0", "false")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "screenshots"
DOC_SCREENSHOTS = ROOT / "docs" / "screenshots"

ADMIN = ("admin@demo.zeropark.dev", "demo-admin-pass")
TENANT = ("tenant@demo.zeropark.dev", "demo-tenant-pass")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives headless Chromium against the live app")


def _unavailable(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} and ZEROPARK_REQUIRE_SERVICES=1")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveApp:
    """The running app: its base URL, the demo park id and an authenticated API helper."""

    url: str
    park_id: str
    db: Database

    def token(self, email: str, password: str) -> str:
        answer = httpx.post(
            f"{self.url}/api/v1/auth/login", json={"email": email, "password": password}
        )
        answer.raise_for_status()
        return str(answer.json()["token"])

    def get(self, path: str, credentials: tuple[str, str], **params: Any) -> Any:
        """GET ``/api/v1{path}`` as the user with ``credentials``; the decoded JSON."""
        headers = {"Authorization": f"Bearer {self.token(*credentials)}"}
        answer = httpx.get(f"{self.url}/api/v1{path}", headers=headers, params=params, timeout=30)
        answer.raise_for_status()
        return answer.json()


@pytest.fixture(scope="session")
def demo_db(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path
) -> Iterator[tuple[Database, str]]:
    """A SQLite database holding the demo park and its demo accounts (built once)."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from zeropark.service.auth import ensure_demo_accounts
    except ImportError as error:  # the API engineer's module
        _unavailable(f"zeropark.service.auth.ensure_demo_accounts is missing: {error}")
    db = demo_copy(demo_template, tmp_path_factory.mktemp("web"))
    ensure_demo_accounts(db, "demo")
    yield db, "demo"
    db.dispose()


@pytest.fixture(scope="session")
def live_app(demo_db: tuple[Database, str]) -> Iterator[LiveApp]:
    """The real app served by uvicorn on a free loopback port, in a background thread."""
    try:
        from zeropark.api import create_app
    except ImportError as error:
        _unavailable(f"zeropark.api.create_app is missing: {error}")
    import uvicorn

    from zeropark.config import load_settings

    db, park_id = demo_db
    app = create_app(load_settings(db_url=db.url, secret_key="web-tests-" + "x" * 32), db=db)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the app did not start")
        time.sleep(0.05)
    yield LiveApp(f"http://127.0.0.1:{port}", park_id, db)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, launched by Playwright from its executable path."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_app: LiveApp) -> Iterator[Any]:
    """A fresh browser context (its own localStorage) at 1440×900, English UI by default."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB")
    context.add_init_script(
        "if (!localStorage.getItem('zeropark.lang')) localStorage.setItem('zeropark.lang', 'en');"
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.js_errors = errors
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def login(page: Any, app: LiveApp, credentials: tuple[str, str]) -> None:
    """Sign in through the form and wait for the overview."""
    page.goto(f"{app.url}/#/login")
    page.get_by_test_id("login-email").fill(credentials[0])
    page.get_by_test_id("login-password").fill(credentials[1])
    page.get_by_test_id("login-submit").click()
    page.wait_for_selector("main[data-page='overview']")


def screenshot(page: Any, name: str, *, doc: bool = False, doc_testid: str | None = None) -> Path:
    """Save a full-page screenshot to tests/screenshots; with ``doc``, the first screen (or the
    element ``doc_testid``) also to docs/screenshots for the README."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.wait_for_function("!document.querySelector('main .state.loading')", timeout=30_000)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=True)
    if doc:
        DOC_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = DOC_SCREENSHOTS / f"{name}.png"
        if doc_testid:
            page.get_by_test_id(doc_testid).screenshot(path=str(target))
        else:
            page.screenshot(path=str(target), full_page=False)
    return path


def wait_charts(page: Any, testids: list[str]) -> None:
    """Wait until each named chart has drawn a canvas with a non-zero size and finished its
    animation (ECharts' ``finished`` event marks the box ``data-drawn``): a screenshot taken
    earlier caught a Sankey diagram without its last column."""
    for testid in testids:
        page.wait_for_function(
            """(id) => {
                const box = document.querySelector(`[data-testid="${id}"]`);
                const canvas = box && box.querySelector('canvas');
                return Boolean(canvas && canvas.width > 0 && canvas.height > 0)
                    && box.dataset.drawn === "true";
            }""",
            arg=testid,
        )
