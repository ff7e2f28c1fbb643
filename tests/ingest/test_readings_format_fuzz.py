"""The readings parser never raises for what a row holds: every record is parsed or rejected."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zeropark.ingest.readings_format import parse_records

_TIME_ALPHABET = "0123456789-:+TZ. \x00"
_times = st.one_of(
    st.text(alphabet=_TIME_ALPHABET, max_size=30),
    st.from_regex(
        r"[+-]?\d{1,6}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?", fullmatch=True
    ),
    st.text(max_size=20),
)
_records = st.lists(
    st.fixed_dictionaries(
        {
            "meter": st.text(max_size=8),
            "ts": _times,
            "value": st.one_of(st.text(max_size=12), st.floats(), st.integers()),
            "quality": st.one_of(st.none(), st.text(max_size=10)),
        }
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_records)
def test_every_record_is_parsed_or_rejected(records: list[dict[str, object]]) -> None:
    for zone in ("Asia/Shanghai", "Europe/Berlin"):
        parsed = parse_records(records, source="fuzz", timezone=zone)
        assert len(parsed) + len(parsed.rejections) == len(records)
        assert all("\x00" not in str(m) for m in parsed.meter.tolist())
        assert ((parsed.ts_s > -(2**40)) & (parsed.ts_s < 2**40)).all()
