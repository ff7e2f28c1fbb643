"""The web dashboard: static pages and bundled assets served by the API process (no CDN).

:func:`mount_web` is called by the API app factory; the pages call ``/api/v1`` like any client.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["STATIC_DIR", "mount_web"]

STATIC_DIR = Path(str(resources.files("zeropark.web").joinpath("static")))


def mount_web(app: FastAPI) -> None:
    """Serve the dashboard: ``/`` gives the single page, ``/static`` its bundled assets."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html")
