"""The dispatch LP against PyPSA: the same site (load, PV, battery, time-of-use tariff, export,
monthly demand charge) built with PyPSA inside the test gives the same optimal objective.

PyPSA models the battery as a Store between two Links and the demand charge as one extendable
import generator per month (``tests/optimize/sites.py``), a formulation written independently of
zeropark's matrix builder, so agreement to 1e-6 checks the equations, not only the solver.
"""

from __future__ import annotations

import logging

import numpy as np
import pytest

from tests.optimize.sites import pypsa_network, site_model
from zeropark.optimize.dispatch import solve

pytest.importorskip("pypsa")


def _pypsa_objective(
    hours: int | None, **kwargs: float | bool
) -> tuple[float, float, np.ndarray, np.ndarray]:
    model = site_model(hours, **kwargs)  # type: ignore[arg-type]
    ours = solve(model, baseline=False)
    logging.getLogger("pypsa").setLevel(logging.WARNING)
    logging.getLogger("linopy").setLevel(logging.WARNING)
    net = pypsa_network(model)
    status, condition = net.optimize(solver_name="highs", solver_options={"output_flag": False})
    assert (status, condition) == ("ok", "optimal")
    imports = net.generators_t.p.filter(like="import").sum(axis=1).to_numpy()
    return ours.objective, float(net.objective), ours.grid_import_kw, imports


def test_two_weeks_same_objective_as_pypsa() -> None:
    ours, theirs, imp_ours, imp_theirs = _pypsa_objective(24 * 14)
    assert ours == pytest.approx(theirs, rel=1e-6)
    # the optimal peak import is unique (the demand charge prices it)
    assert imp_ours.max() == pytest.approx(imp_theirs.max(), rel=1e-6)


def test_two_weeks_without_demand_charge_and_more_pv() -> None:
    """Exports and curtailment at work: twice the PV, a tight export limit, no demand charge."""
    ours, theirs, _, _ = _pypsa_objective(
        24 * 14, demand_charge=False, pv_scale=4.0, export_limit_kw=500.0
    )
    assert ours == pytest.approx(theirs, rel=1e-6)


@pytest.mark.slow
def test_full_year_same_objective_as_pypsa() -> None:
    ours, theirs, _imp_ours, _imp_theirs = _pypsa_objective(None)
    assert ours == pytest.approx(theirs, rel=1e-6)
