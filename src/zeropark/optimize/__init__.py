"""Optimisation engines (see DESIGN.md section 8): arrays in, arrays out; no store, no I/O.

- :mod:`zeropark.optimize.dispatch` — the site dispatch LP solved with HiGHS
  (``dispatch.solve(SiteModel) -> DispatchResult``);
- :mod:`zeropark.optimize.rolling` — rolling re-optimisation with forecasts executed on
  actuals (model-predictive replay), a rule-based battery policy and the bill of a schedule.
"""
