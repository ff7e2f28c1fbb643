"""The web UI's static side, without a browser: bundled assets, no CDN, complete translations."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from zeropark.web import STATIC_DIR, mount_web

KEY_CALL = re.compile(
    r"""\bt\(\s*"([a-z0-9_.]+)"|(?:pageHeader|panel|empty)\(\s*"([a-z0-9_.]+)\""""
)
STATIC_KEY = re.compile(r'data-i18n(?:-aria|-placeholder)?="([a-z0-9_.]+)"')


def _keys(tree: dict[str, object], prefix: str = "") -> set[str]:
    out: set[str] = set()
    for key, value in tree.items():
        if isinstance(value, dict):
            out |= _keys(value, f"{prefix}{key}.")
        else:
            out.add(f"{prefix}{key}")
    return out


def _catalogue(lang: str) -> set[str]:
    return _keys(json.loads((STATIC_DIR / "i18n" / f"{lang}.json").read_text(encoding="utf-8")))


def _sources() -> list[Path]:
    return [*STATIC_DIR.glob("*.js"), *STATIC_DIR.glob("pages/*.js"), STATIC_DIR / "index.html"]


def test_both_languages_have_the_same_keys() -> None:
    zh, en = _catalogue("zh"), _catalogue("en")
    assert zh - en == set(), "keys only in zh.json"
    assert en - zh == set(), "keys only in en.json"


def test_every_literal_key_used_by_the_pages_is_translated() -> None:
    used: set[str] = set()
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        used |= {a or b for a, b in KEY_CALL.findall(text)}
        used |= set(STATIC_KEY.findall(text))
    missing = used - _catalogue("en")
    assert not missing, f"keys used but not in i18n/en.json: {sorted(missing)}"


def test_no_asset_is_fetched_from_the_internet() -> None:
    for path in [*_sources(), STATIC_DIR / "style.css"]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"https?://", text), path.name
        assert "cdn" not in text.lower(), path.name
        assert "@import url(http" not in text, path.name


def test_echarts_is_bundled_with_its_licence() -> None:
    assert (STATIC_DIR / "vendor" / "echarts.min.js").stat().st_size > 500_000
    assert "Apache License" in (STATIC_DIR / "vendor" / "echarts.LICENSE").read_text()


def test_mount_web_serves_the_page_and_the_assets() -> None:
    app = FastAPI()
    mount_web(app)
    client = TestClient(app)
    index = client.get("/")
    assert index.status_code == 200
    assert '<script type="module" src="/static/app.js">' in index.text
    for asset in (
        "app.js",
        "style.css",
        "vendor/echarts.min.js",
        "i18n/zh.json",
        "pages/overview.js",
    ):
        response = client.get(f"/static/{asset}")
        assert response.status_code == 200, asset
