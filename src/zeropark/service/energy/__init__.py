"""Use cases of energy across all carriers: headline figures, carriers, flows, reconciliation.

``docs/energy.md`` documents the figures; the one definition of each headline figure is
:mod:`zeropark.domain.energy.headline`.
"""
