"""The REST API (FastAPI) under ``/api/v1``: :func:`create_app` builds it (DESIGN.md §7)."""

from zeropark.api.app import API_PREFIX, create_app

__all__ = ["API_PREFIX", "create_app"]
