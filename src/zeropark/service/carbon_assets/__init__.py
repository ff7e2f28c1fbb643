"""Carbon assets (碳资产管理, #14): the allowance, CCER and green-certificate ledger's use cases —
recording movements, compliance positions, trades and valuation, the exchange-statement import,
statements and the verifier's export. Rules: :mod:`zeropark.domain.ledger`; SQL:
:mod:`zeropark.store.ledger`."""
