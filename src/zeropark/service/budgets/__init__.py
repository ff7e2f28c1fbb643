"""Use cases of budgets (用能预算 / 碳预算): :mod:`.compute`; the alert engine's ``budget``
projection provider: :mod:`.providers`."""

from zeropark.service.budgets.compute import (
    KINDS,
    BudgetView,
    budget_to_dict,
    budget_views,
    remove_budget,
    set_budget,
)

__all__ = ["KINDS", "BudgetView", "budget_to_dict", "budget_views", "remove_budget", "set_budget"]
