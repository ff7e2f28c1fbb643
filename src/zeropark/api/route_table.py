"""The app's routes as one flat table: path regex, methods, endpoint.

FastAPI ≥ 0.160 keeps an included router whole inside the app's routes, and Starlette answers a
405 from the first route whose path matches, so two routes on one path (``GET`` and ``POST``
``/users``) gave an ``Allow`` naming only one. The request guard (which route takes this write?)
and the 405 handler (which methods does this path take?) both read this table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import compile_path

__all__ = ["RouteEntry", "allowed_methods", "route_table"]


@dataclass(frozen=True, slots=True)
class RouteEntry:
    """One route: its compiled path, its methods and its endpoint function."""

    regex: re.Pattern[str]
    methods: frozenset[str]
    endpoint: Callable[..., Any]


def route_table(app: FastAPI) -> list[RouteEntry]:
    """Every HTTP route of ``app``, included routers' routes listed one by one."""
    try:  # FastAPI ≥ 0.160 lists the routes of included routers here
        from fastapi.routing import iter_route_contexts

        found = [(c.path_format, c.methods, c.endpoint) for c in iter_route_contexts(app.routes)]
    except ImportError:  # older FastAPI flattens them into the app's own routes
        found = [
            (r.path_format, r.methods, r.endpoint) for r in app.routes if isinstance(r, APIRoute)
        ]
    table = []
    for path_format, methods, endpoint in found:
        if path_format is not None and methods and endpoint is not None:
            regex, _, _ = compile_path(path_format)
            table.append(RouteEntry(regex, frozenset(methods), endpoint))
    return table


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """The methods some route takes on ``path``, sorted (``HEAD`` with ``GET``, as Starlette)."""
    cache: list[RouteEntry] | None = getattr(app.state, "route_table", None)
    if cache is None:
        cache = route_table(app)
        app.state.route_table = cache
    methods = {m for entry in cache if entry.regex.match(path) for m in entry.methods}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)
