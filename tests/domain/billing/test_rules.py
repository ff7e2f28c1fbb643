"""Rules of the park file's tariffs: each problem an issue with its path, in Chinese and English."""

from __future__ import annotations

from dataclasses import replace

from zeropark.data.asset_types import load_asset_types
from zeropark.data.demo.spec import demo_spec
from zeropark.domain.billing.rules import check_tariffs
from zeropark.domain.billing.tariff_spec import (
    CommonCosts,
    DemandCharge,
    ElectricityTariff,
    FlatTariff,
    OnsitePv,
    Tariffs,
    TariffSeason,
)
from zeropark.domain.park import TimeOfUse, TouSeason
from zeropark.domain.park_rules import validate_spec


def _spec(tariffs: Tariffs, schedule: TimeOfUse | None = None):  # type: ignore[no-untyped-def]
    spec = demo_spec(1.0)
    park = replace(spec.park, tariffs=tariffs, time_of_use=schedule or spec.park.time_of_use)
    return replace(spec, park=park)


def test_the_demo_tariff_is_valid() -> None:
    spec = demo_spec(1.0)
    assert spec.park.tariffs is not None
    assert validate_spec(spec, asset_types=load_asset_types()) == []


def test_bad_tariffs_give_issues_with_paths_in_both_languages() -> None:
    summer = TouSeason(months=[7, 8], critical_peak=[[20, 21]], peak=[[8, 11]], valley=[[0, 8]])
    rest = TouSeason(months=[1, 2, 3, 4, 5, 6, 9, 10, 11], peak=[[8, 11]], valley=[[0, 8]])
    tariffs = Tariffs(
        electricity=ElectricityTariff(
            seasons=[
                TariffSeason(months=[7, 8], prices_cny_per_kwh={"peak": 1.0, "flat": 0.6,
                                                                "valley": 0.3}),
                TariffSeason(months=[1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 8],
                             prices_cny_per_kwh={"peak": 1.0, "flat": 0.6, "valley": 0.3,
                                                 "superpeak": 2.0}),
            ],
            demand=DemandCharge(basis="capacity", price_cny_per_kva_month=20.0),
            onsite_pv=OnsitePv(),
        ),
        others=[
            FlatTariff(carrier="natural_gas", unit="kWh", price_cny_per_unit=3.0),
            FlatTariff(carrier="water", unit="m3", price_cny_per_unit=4.0),
            FlatTariff(carrier="water", unit="m3", price_cny_per_unit=5.0),
            FlatTariff(carrier="beer", unit="L", price_cny_per_unit=5.0),
        ],
        common_costs=CommonCosts(key="fixed", shares={"t_auto": 0.5, "t_nobody": 0.2}),
    )  # fmt: skip
    issues = check_tariffs(_spec(tariffs, TimeOfUse(periods=[summer, rest])))
    found = {(i.code, i.location) for i in issues}
    base = "park.tariffs"
    assert found == {
        ("tariff_missing_price", f"{base}.electricity.seasons[0].prices_cny_per_kwh"),
        ("tariff_unknown_band", f"{base}.electricity.seasons[1].prices_cny_per_kwh.superpeak"),
        ("tariff_month_unscheduled", f"{base}.electricity.seasons[1].months[9]"),
        ("tou_month_overlap", f"{base}.electricity.seasons[1].months[10]"),
        ("tariff_demand_incomplete", f"{base}.electricity.demand"),
        ("tariff_pv_price", f"{base}.electricity.onsite_pv"),
        ("unit_carrier_mismatch", f"{base}.others[0].unit"),
        ("tariff_duplicate_carrier", f"{base}.others[2].carrier"),
        ("unknown_carrier", f"{base}.others[3].carrier"),
        ("unknown_tenant", f"{base}.common_costs.shares.t_nobody"),
        ("tariff_shares_sum", f"{base}.common_costs.shares"),
    }
    missing = next(i for i in issues if i.code == "tariff_missing_price")
    assert missing.reason("zh") == "7 月有 critical_peak (尖峰) 时段，但未给出其电价"
    assert missing.reason("en") == "month 7 has critical_peak (尖峰) hours but no price for them"
    for issue in issues:
        assert issue.reason("zh") != issue.reason("en")


def test_prices_need_the_schedule() -> None:
    spec = demo_spec(1.0)
    park = replace(spec.park, time_of_use=None)
    issues = check_tariffs(replace(spec, park=park))
    assert [i.code for i in issues] == ["tariff_no_schedule"]
    assert issues[0].reason("zh").startswith("电价按时段计价")


def test_the_english_reason_is_the_rules_own_text() -> None:
    tariffs = Tariffs(
        electricity=ElectricityTariff(
            seasons=[TariffSeason(months=list(range(1, 13)), prices_cny_per_kwh={"peak": 1.0})],
            demand=DemandCharge(basis="max_demand"),
        ),
        common_costs=CommonCosts(key="fixed", shares={"park": 0.5}),
    )
    issues = check_tariffs(_spec(tariffs))
    assert {i.code for i in issues} >= {"tariff_missing_price", "tariff_demand_incomplete"}
    for issue in issues:
        assert issue.reason("en") == issue.params["detail"], issue.code
