"""Energy cost and tenant bills (能源费用与租户月度账单), pure.

``tariff_spec`` is the park file's ``park.tariffs`` section (imported by
:mod:`zeropark.domain.park`, so this package's ``__init__`` imports nothing); ``rules`` checks
it against the park; ``bills`` computes a month's supplier cost and tenant bills from arrays.
The formulas and their sources are in ``docs/billing.md``.
"""
