"""Projection providers: how budgets and indicators plug into the alert-rule engine.

A ``projected_exceedance`` rule (预计超限) names a provider (``params.provider``) and a key
(``params.key``). At each evaluation the monitor asks the provider for the projections of all
keys its rules name, in one call per provider and pass, and compares each
:class:`~zeropark.domain.monitoring.rules.Projection` with its limit. The provider owns the
projection (run-rate, seasonal profile, a forecast model) and its explanation; the engine owns
the lifecycle, de-duplication and notifications.

To add one (e.g. in ``service/budgets``)::

    from zeropark.service.monitor.providers import register_provider

    def project_budgets(db, principal, park_id, keys, now_s):
        ...  # -> {key: Projection(key, projected_value, limit, "tCO2", zh, en)}

    register_provider("budget", project_budgets)

Registration happens at import time of the provider's module; the monitor imports the modules
listed in :data:`PROVIDER_MODULES` (add a line there), so a provider is known wherever the
monitor runs (CLI, API, ingest hook). A key the provider does not know is simply left out of
the answer (the rule is then undetermined: no alert). A provider must not write.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping, Sequence
from typing import Protocol

from zeropark.domain.access import Principal
from zeropark.domain.monitoring.rules import Projection
from zeropark.service.database import Database

__all__ = [
    "PROVIDER_MODULES",
    "ProjectionProvider",
    "get_provider",
    "load_providers",
    "provider_names",
    "register_provider",
]

log = logging.getLogger(__name__)


class ProjectionProvider(Protocol):
    """Projections of ``keys`` for park ``park_id`` as of ``now_s`` [UTC epoch s], by key.

    ``principal`` is the monitor's (a park admin of the park); the provider reads through the
    store with it. Keys it does not know are left out.
    """

    def __call__(
        self,
        db: Database,
        principal: Principal,
        park_id: str,
        keys: Sequence[str],
        now_s: int,
    ) -> Mapping[str, Projection]:
        """The projections of the ``keys`` this provider knows, by key."""
        ...


_REGISTRY: dict[str, ProjectionProvider] = {}

#: Modules imported before providers are looked up; each registers its providers on import.
#: Budgets (``budget``) and indicators (``indicator``) add their module here.
PROVIDER_MODULES: list[str] = [
    "zeropark.service.budgets.providers",
    "zeropark.service.scorecard.providers",
    "zeropark.service.carbon_assets.providers",
]


def register_provider(name: str, provider: ProjectionProvider) -> None:
    """Make ``provider`` answer ``projected_exceedance`` rules whose ``params.provider`` is
    ``name`` (registering a name again replaces it: tests register their own)."""
    _REGISTRY[name] = provider


def load_providers() -> None:
    """Import the provider modules of :data:`PROVIDER_MODULES` (idempotent)."""
    for module in PROVIDER_MODULES:
        try:
            importlib.import_module(module)
        except ImportError:  # pragma: no cover - a provider module that is not there yet
            log.warning("projection provider module %s could not be imported", module)


def get_provider(name: str) -> ProjectionProvider | None:
    """The provider registered as ``name``, or None."""
    load_providers()
    return _REGISTRY.get(name)


def provider_names() -> list[str]:
    """Names of the registered providers."""
    load_providers()
    return sorted(_REGISTRY)
