"""The carbon-asset ledger's pure rules (碳资产): instruments, serial ranges, double-entry
movements, ETS compliance positions and cost basis. No I/O (DESIGN.md §2, §4: Decimal
quantities and money)."""

from zeropark.domain.ledger.compliance import (
    CCER_CAP_SHARE,
    COVERAGE_THRESHOLD_T,
    COVERED_SECTORS,
    CompliancePosition,
    ccer_cap_t,
    compliance_position,
    is_covered,
)
from zeropark.domain.ledger.costs import CostMethod, CostPosition, Lot, TradeLeg, cost_position
from zeropark.domain.ledger.instruments import (
    Instrument,
    gec_project,
    parse_instrument,
    validate_gec_id,
)
from zeropark.domain.ledger.movements import (
    KIND_RULES,
    MOVEMENT_KINDS,
    SINK_KINDS,
    Account,
    LedgerRefusal,
    LedgerState,
    Movement,
    check_movement,
)
from zeropark.domain.ledger.serials import SerialRange, add_range, take_range

__all__ = [
    "CCER_CAP_SHARE",
    "COVERAGE_THRESHOLD_T",
    "COVERED_SECTORS",
    "KIND_RULES",
    "MOVEMENT_KINDS",
    "SINK_KINDS",
    "Account",
    "CompliancePosition",
    "CostMethod",
    "CostPosition",
    "Instrument",
    "LedgerRefusal",
    "LedgerState",
    "Lot",
    "Movement",
    "SerialRange",
    "TradeLeg",
    "add_range",
    "ccer_cap_t",
    "check_movement",
    "compliance_position",
    "cost_position",
    "gec_project",
    "is_covered",
    "parse_instrument",
    "take_range",
    "validate_gec_id",
]
