"""Time-of-use periods: the schedule model, its rules (issues with paths) and the hour mapping."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from zeropark.data.asset_types import load_asset_types
from zeropark.data.demo.storage import DEMO_TIME_OF_USE
from zeropark.domain.energy.tariffs import day_periods, local_periods, month_table, tou_periods
from zeropark.domain.park import TimeOfUse, TouSeason
from zeropark.domain.park_rules import validate_park_document
from zeropark.errors import InputError

PARK = {"id": "p", "name": "园区", "type": "office", "province": "江苏"}


def _issues(time_of_use: object) -> list[tuple[str, str]]:
    _, issues = validate_park_document(
        {"park": {**PARK, "time_of_use": time_of_use}}, asset_types=load_asset_types()
    )
    return [(i.code, i.path) for i in issues]


def _ts(text: str, tz: str = "Asia/Shanghai") -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz)).timestamp())


def test_flat_is_the_rest_of_the_day() -> None:
    season = TouSeason(peak=[[8, 11], [17, 22]], valley=[[0, 8]])
    day = day_periods(season)
    assert day[:8] == ("valley",) * 8
    assert day[8:11] == ("peak",) * 3
    assert day[11:17] == ("flat",) * 6
    assert day[17:22] == ("peak",) * 5
    assert day[22:] == ("flat",) * 2


def test_demo_schedule_is_the_jiangsu_style_split_all_year() -> None:
    """The demo's battery dispatch bands its 15-minute steps by this schedule (storage.py)."""
    day = list(day_periods(DEMO_TIME_OF_USE.periods[0]))
    assert day == ["valley"] * 8 + ["peak"] * 3 + ["flat"] * 6 + ["peak"] * 5 + ["flat"] * 2
    assert sorted(month_table(DEMO_TIME_OF_USE)) == list(range(1, 13))


def test_local_periods_is_the_array_form_of_the_month_table() -> None:
    schedule = TimeOfUse(
        periods=[
            TouSeason(months=[7, 8], critical_peak=[[20, 21]], peak=[[8, 11], [17, 20]]),
            TouSeason(months=[1], valley=[[0, 8]]),
        ]
    )
    months = np.repeat(np.arange(1, 13), 24)
    hours = np.tile(np.arange(24), 12)
    codes = local_periods(months, hours, schedule)
    table = month_table(schedule)
    expected = [table[m][h] if m in table else None for m, h in zip(months, hours, strict=True)]
    assert [c or None for c in codes.tolist()] == expected
    assert local_periods(np.array([[7, 1]]), np.array([[20, 3]]), schedule).tolist() == [
        ["critical_peak", "valley"]
    ]
    with pytest.raises(InputError):
        local_periods([13], [0], schedule)
    with pytest.raises(InputError):
        local_periods([1], [24], schedule)


def test_hours_map_through_the_park_timezone() -> None:
    schedule = TimeOfUse(
        periods=[
            TouSeason(months=[7, 8], critical_peak=[[20, 21]], peak=[[8, 11], [17, 20]]),
            TouSeason(months=[1], valley=[[0, 8]]),
        ]
    )
    hours = [
        _ts("2024-07-01T20:00"),  # critical peak
        _ts("2024-07-01T09:00"),  # peak
        _ts("2024-07-01T03:00"),  # flat (no valley in summer here)
        _ts("2024-01-31T23:00"),  # flat
        _ts("2024-02-01T00:00"),  # February: not covered
        _ts("2024-01-01T00:00"),  # valley: local midnight is 16:00 UTC the day before
    ]
    assert tou_periods(hours, "Asia/Shanghai", schedule) == [
        "critical_peak",
        "peak",
        "flat",
        "flat",
        None,
        "valley",
    ]
    # The same UTC hour in another timezone falls in another local hour (and month).
    assert tou_periods([_ts("2024-01-02T00:00")], "UTC", schedule) == ["flat"]
    assert tou_periods([_ts("2024-01-01T00:00")], "UTC", schedule) == [None]


def test_repeated_hours_map_alike() -> None:
    hours = np.array([_ts("2024-03-01T09:00")] * 3 + [_ts("2024-03-01T01:00")])
    assert tou_periods(hours, "Asia/Shanghai", DEMO_TIME_OF_USE) == ["peak"] * 3 + ["valley"]


def test_valid_schedule_has_no_issues() -> None:
    assert _issues({"periods": [{"peak": [[8, 11], [17, 22]], "valley": [[0, 8]]}]}) == []
    explicit = {"peak": [[8, 12]], "valley": [[0, 8]], "flat": [[12, 24]], "months": [1, 2]}
    assert _issues({"periods": [explicit, {"months": [3], "valley": [[0, 6]]}]}) == []


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (
            {"periods": [{"peak": [[8, 11], [10, 12]]}]},
            [("tou_overlap", "park.time_of_use.periods[0].peak[1]")],
        ),
        (
            {"periods": [{"peak": [[8, 11]], "valley": [[0, 9]]}]},
            [("tou_overlap", "park.time_of_use.periods[0].valley[0]")],
        ),
        (
            {"periods": [{"peak": [[8, 25]], "valley": [[6, 6]]}]},
            [
                ("tou_bad_range", "park.time_of_use.periods[0].peak[0]"),
                ("tou_bad_range", "park.time_of_use.periods[0].valley[0]"),
            ],
        ),
        (
            {"periods": [{"peak": [[8]]}]},
            [("tou_bad_range", "park.time_of_use.periods[0].peak[0]")],
        ),
        (
            {"periods": [{"months": [1, 2]}, {"months": [2, 13]}]},
            [
                ("tou_month_overlap", "park.time_of_use.periods[1].months[0]"),
                ("tou_bad_month", "park.time_of_use.periods[1].months[1]"),
            ],
        ),
        (
            {"periods": [{"peak": [[8, 12]], "flat": [[12, 20]]}]},
            [("tou_gap", "park.time_of_use.periods[0].flat")],
        ),
        ({"periods": []}, [("tou_empty", "park.time_of_use.periods")]),
    ],
)
def test_absurd_schedules_name_the_entry(schedule: object, expected: list[tuple[str, str]]) -> None:
    assert _issues(schedule) == expected


def test_gap_message_names_the_hours() -> None:
    doc = {"park": {**PARK, "time_of_use": {"periods": [{"peak": [[8, 12]], "flat": [[12, 20]]}]}}}
    _, issues = validate_park_document(doc, asset_types=load_asset_types())
    assert "hours 0-8, 20-24 are in no period" in issues[0].message


def test_unknown_period_name_is_a_schema_issue() -> None:
    codes = _issues({"periods": [{"shoulder": [[8, 12]]}]})
    assert codes and codes[0][0].startswith("schema_")
    assert codes[0][1] == "park.time_of_use.periods[0].shoulder"
