"""The app factory: ``create_app(settings)`` builds the API under ``/api/v1`` and the web UI.

Nothing is created at import time: the factory opens the database of the settings it is given
(or uses ``db``), so tests build their own app on their own database.
"""

from __future__ import annotations

import gc

from fastapi import FastAPI
from fastapi.routing import APIRoute

from zeropark import __version__
from zeropark.api.guard import RequestGuard
from zeropark.api.language import RequestLanguage
from zeropark.api.problems import PROBLEM_RESPONSES, install_problem_handlers
from zeropark.api.routes import activities, alerts, audit, auth, inventories, parks, quarantine
from zeropark.api.routes import assets as asset_routes
from zeropark.api.routes import billing as billing_routes
from zeropark.api.routes import budgets as budget_routes
from zeropark.api.routes import carbon_assets as carbon_asset_routes
from zeropark.api.routes import diagnosis as diagnosis_routes
from zeropark.api.routes import dispatch as dispatch_routes
from zeropark.api.routes import factors as factor_routes
from zeropark.api.routes import readings as readings_routes
from zeropark.api.routes import scorecard as scorecard_routes
from zeropark.api.routes import trends as trend_routes
from zeropark.api.routes import waste as waste_routes
from zeropark.config import Settings
from zeropark.service.database import Database, open_database

__all__ = ["API_PREFIX", "create_app", "create_app_from_env", "settle_startup_heap"]

API_PREFIX = "/api/v1"


def _operation_id(route: APIRoute) -> str:
    """Stable operation ids: the route function's name (``list_meters``, ``get_overview``)."""
    return route.name


def create_app(
    settings: Settings,
    db: Database | None = None,
    *,
    max_upload_bytes: int | None = None,
    web: bool = True,
) -> FastAPI:
    """The zeropark app: REST API at ``/api/v1`` (OpenAPI at ``/api/v1/openapi.json``), web UI.

    ``max_upload_bytes`` overrides the setting of the same name (tests use a small one).
    """
    app = FastAPI(
        title="zeropark",
        summary="Zero-carbon smart park operating system (零碳智慧园区操作系统) — REST API",
        version=__version__,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        generate_unique_id_function=_operation_id,
    )
    app.state.settings = settings
    app.state.db = db or open_database(settings)
    upload_limit = settings.max_upload_bytes if max_upload_bytes is None else max_upload_bytes
    app.state.max_upload_bytes = upload_limit
    install_problem_handlers(app)

    app.add_middleware(
        RequestGuard,
        prefix=API_PREFIX,
        max_json_bytes=settings.max_json_bytes,
        max_upload_bytes=upload_limit,
        write_rate_per_minute=settings.write_rate_per_minute,
        write_burst=settings.write_burst,
    )
    app.add_middleware(RequestLanguage)  # outermost: the guard's refusals are in it too

    for module in (
        auth,
        parks,
        readings_routes,
        activities,
        quarantine,
        inventories,
        alerts,
        audit,
        trend_routes,
        factor_routes,
        asset_routes,
        billing_routes,
        dispatch_routes,
        scorecard_routes,
        budget_routes,
        waste_routes,
        diagnosis_routes,
        carbon_asset_routes,
    ):
        app.include_router(module.router, prefix=API_PREFIX, responses=PROBLEM_RESPONSES)

    @app.get(f"{API_PREFIX}/health", tags=["meta"], response_model=dict[str, str])
    def health() -> dict[str, str]:
        """Liveness: the process answers (no authentication)."""
        return {"status": "ok", "version": __version__}

    _add_problem_schema(app)
    if web:
        from zeropark.web import mount_web

        mount_web(app)
    return app


def create_app_from_env() -> FastAPI:
    """The app for the settings of the environment (``uvicorn --factory``, worker processes)."""
    from zeropark.config import load_settings

    app = create_app(load_settings())
    settle_startup_heap()
    return app


def settle_startup_heap() -> None:
    """Keep what a server process built at start out of the garbage collector's full passes.

    A full collection walks every container object of the process. A ``zeropark serve`` worker
    holds about 270,000 of them once the app is built (modules, schemas, routes), all alive
    until it stops; a full pass over them took 120-190 ms on the 2-core machine, early in each
    worker's life, and every request in flight waited for it (it set the p99 of a short run of
    ``benchmarks/api.py``). After one collection, :func:`gc.freeze` moves them to the permanent
    generation, which later passes skip. For server processes only: cyclic garbage among frozen
    objects is never collected, so a process that builds many apps (the tests) must not.
    """
    gc.collect()
    gc.freeze()


def _add_problem_schema(app: FastAPI) -> None:
    """Put the ``Problem`` schema into the OpenAPI components (routes refer to it)."""
    from fastapi.openapi.utils import get_openapi

    from zeropark.api.schemas import Problem

    def openapi() -> dict[str, object]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                routes=app.routes,
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components["Problem"] = Problem.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
