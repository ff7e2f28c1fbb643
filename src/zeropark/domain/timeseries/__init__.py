"""Time-series normalisation: readings → quality-flagged intervals → park-local hourly rollups.

Pure functions over numpy arrays (timestamps int64 epoch seconds UTC, values float64), used by the
ingest pipeline (DESIGN.md section 5):

- :func:`registers_to_intervals` — cumulative registers (rollover, reset, spike, outage);
- :func:`power_to_energy` — instantaneous power integrated to energy;
- :func:`check_interval_series` — interval meters checked against their declared interval;
- :func:`hourly_rollup` — intervals into park-local hours, pro rata over boundaries;
- :func:`plausible_window` — the times a meter's readings may have (commissioning, clock);
- :func:`parse_expression` / :func:`virtual_meter_hours` — virtual meters.
"""

from zeropark.domain.timeseries.expression import MAX_EXPRESSION_CHARS, Expression, parse_expression
from zeropark.domain.timeseries.interval_check import check_interval_series
from zeropark.domain.timeseries.localtime import local_hour_bounds, utc_offsets_s
from zeropark.domain.timeseries.plausible import TimeWindow, TimeWindowRules, plausible_window
from zeropark.domain.timeseries.power import IntegrationRule, power_to_energy
from zeropark.domain.timeseries.quality import Event, EventCode, Quality, RejectCode, Rejection
from zeropark.domain.timeseries.registers import (
    DEFAULT_LOOKAHEAD,
    ResetPolicy,
    registers_to_intervals,
)
from zeropark.domain.timeseries.result import Conservation, IntervalResult
from zeropark.domain.timeseries.rollup import HourlyRollup, hourly_rollup
from zeropark.domain.timeseries.spreading import (
    OUTAGE_FACTOR,
    Profile,
    hour_of_day_profile,
    split_into_slots,
)
from zeropark.domain.timeseries.virtual import align_hours, virtual_meter_hours

__all__ = [
    "DEFAULT_LOOKAHEAD",
    "MAX_EXPRESSION_CHARS",
    "OUTAGE_FACTOR",
    "Conservation",
    "Event",
    "EventCode",
    "Expression",
    "HourlyRollup",
    "IntegrationRule",
    "IntervalResult",
    "Profile",
    "Quality",
    "RejectCode",
    "Rejection",
    "ResetPolicy",
    "TimeWindow",
    "TimeWindowRules",
    "align_hours",
    "check_interval_series",
    "hour_of_day_profile",
    "hourly_rollup",
    "local_hour_bounds",
    "parse_expression",
    "plausible_window",
    "power_to_energy",
    "registers_to_intervals",
    "split_into_slots",
    "utc_offsets_s",
    "virtual_meter_hours",
]
