"""Use cases of energy cost and tenant bills (能源费用与月度账单).

``compute`` reads a month of rollups and computes the park's supplier cost and the tenant
bills (:mod:`zeropark.domain.billing.bills`); ``views`` turns them into plain data for the
caller's role; ``render`` writes a bill as PDF or xlsx.
"""
