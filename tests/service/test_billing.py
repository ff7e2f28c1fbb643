"""Tenant bills of the demo park, checked by hand for one tenant and one month.

t_auto (江苏恒驰汽车零部件有限公司), March 2024, the demo's illustrative tariff
(``zeropark/data/demo/tariffs.py``: peak 1.05, flat 0.63, valley 0.27 CNY/kWh excl. VAT,
demand 40 CNY/kW·month, fixed 1,500 CNY, PV at 0.85 × the band price, gas 3.45 CNY/Nm³,
water 4.20 CNY/m³, VAT 13 % electricity / 9 % gas and water; common costs by floor area):

- grid energy: peak 497,172.5 kWh × 1.05 = 522,031.14; flat 421,928.0 × 0.63 = 265,814.66;
  valley 107,884.3 × 0.27 = 29,128.75 (the tenant main meter's hours by band, less its PV share).
- PV share (each hour's self-used PV pro rata to the hour's metered load): peak 55,177.5 kWh ×
  0.8925 = 49,245.91; flat 116,182.0 × 0.5355 = 62,215.44; valley 2,645.7 × 0.2295 = 607.20;
  112,068.55 + VAT 14,568.91.
- demand: the intake's maximum 15-minute demand 14,720 kW (3,680 kWh in 15 minutes, 2024-03-29
  11:00-11:15 park-local) × 40 = 588,800.00; t_auto's load in that hour, 2,850 kW, is 20.788 %
  of the metered load (13,709.8 kW) → 122,400.03.
- common pool (electricity) 32,228.69 CNY × 48,000 m² / 336,200 m² (313,000 tenants + 23,200
  park buildings) = 14.28 % → 4,601.36.
- electricity 522,031.14 + 265,814.66 + 29,128.75 + 122,400.03 + 4,601.36 = 943,975.94,
  VAT 122,716.87.
- gas 69,446.9 Nm³ × 3.45 = 239,591.87 + common 7,153.75 = 246,745.62, VAT 22,207.11; water
  6,999.9 m³ × 4.20 = 29,399.71 + common 2,513.75 = 31,913.46, VAT 2,872.21.
- total 943,975.94 + 122,716.87 + 126,637.46 + 246,745.62 + 22,207.11 + 31,913.46 + 2,872.21
  = 1,497,068.67 CNY.

The band and PV figures are recomputed here from the stored rollups with plain loops; the
rest follow from them by the arithmetic above.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from tests.conftest import demo_copy
from zeropark.domain.access import Principal
from zeropark.errors import NotFound, PermissionDenied
from zeropark.service.billing.compute import month_bills
from zeropark.service.billing.render import write_bill
from zeropark.service.billing.views import bill_to_dict, billing_to_dict, readable_bill
from zeropark.service.database import Database
from zeropark.service.energy_tou import energy_by_tou
from zeropark.service.parks import apply_park
from zeropark.store import inventories as store
from zeropark.store.parks import ParkRepository
from zeropark.store.readings import read_rollups

D = Decimal
ZONE = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[Database]:
    db = demo_copy(demo_template, tmp_path_factory.mktemp("billing"))
    yield db
    db.dispose()


def _by(lines: list[dict], section: str, kind: str) -> dict:
    return {x["band"]: x for x in lines if x["section"] == section and x["kind"] == kind}


def test_t_auto_march_2024_by_hand(demo: Database) -> None:
    view = month_bills(demo, Principal.system(), "demo", "2024-03")
    bill = bill_to_dict(view, view.billing.bills["t_auto"])
    energy = _by(bill["lines"], "electricity", "energy")
    assert {b: round(x["quantity"], 1) for b, x in energy.items()} == {
        "peak": 497172.5, "flat": 421928.0, "valley": 107884.3,
    }  # fmt: skip
    assert {b: x["amount_cny"] for b, x in energy.items()} == {
        "peak": 522031.14, "flat": 265814.66, "valley": 29128.75,
    }  # fmt: skip
    pv = _by(bill["lines"], "onsite_pv", "pv")
    assert {b: round(x["quantity"], 1) for b, x in pv.items()} == {
        "peak": 55177.5, "flat": 116182.0, "valley": 2645.7,
    }  # fmt: skip
    assert {b: x["amount_cny"] for b, x in pv.items()} == {
        "peak": 49245.91, "flat": 62215.44, "valley": 607.20,
    }  # fmt: skip
    assert round(bill["park_max_demand_kw"]) == 14720
    demand = _by(bill["lines"], "electricity", "demand")[None]
    assert (round(demand["quantity"]), round(demand["share"], 5)) == (2850, 0.20788)
    assert demand["amount_cny"] == 122400.03
    assert bill["common_pool_cny"]["electricity"] == 32228.69
    assert _by(bill["lines"], "electricity", "common")[None]["amount_cny"] == 4601.36
    assert view.floor_area_m2["t_auto"] == 48000 and sum(view.floor_area_m2.values()) == 336200
    sections = {s["section"]: s for s in bill["sections"]}
    assert (sections["electricity"]["subtotal_cny"], sections["electricity"]["vat_cny"]) == (
        943975.94, 122716.87,
    )  # fmt: skip
    assert sections["onsite_pv"]["total_cny"] == 126637.46
    assert (sections["natural_gas"]["subtotal_cny"], sections["natural_gas"]["vat_cny"]) == (
        246745.62, 22207.11,
    )  # fmt: skip
    assert (sections["water"]["subtotal_cny"], sections["water"]["vat_cny"]) == (
        31913.46, 2872.21,
    )  # fmt: skip
    assert bill["total_cny"] == 1497068.67


def test_band_and_pv_figures_recomputed_from_rollups(demo: Database) -> None:
    """The tenant's kWh by band and its PV share, from the stored rollups with plain loops."""
    system = Principal.system()
    lo = int(datetime(2024, 3, 1, tzinfo=ZONE).timestamp())
    hi = int(datetime(2024, 4, 1, tzinfo=ZONE).timestamp())
    with demo.transaction() as conn:
        meters = store.accounting_meters(conn, system, "demo")
        rows = read_rollups(conn, system, [m.key for m in meters.values()], lo, hi)
    ident = {m.key: m.id for m in meters.values()}
    hourly: dict[str, dict[int, float]] = {}
    for key, hour, qty in zip(rows.meter_key.tolist(), rows.hour_s.tolist(),
                              rows.quantity.tolist(), strict=True):  # fmt: skip
        hourly.setdefault(ident[key], {})[hour] = hourly.get(ident[key], {}).get(hour, 0) + qty
    consumers = [m.id for m in meters.values() if m.id.endswith("_main") and m.id.startswith("e_")]
    consumers += ["e_admin", "ev_charging"]  # the park's own consumers below the intake
    kwh = {"peak": 0.0, "flat": 0.0, "valley": 0.0}
    pv_kwh = dict.fromkeys(kwh, 0.0)
    for hour in range(lo, hi, 3600):
        local = datetime.fromtimestamp(hour, ZONE).hour
        band = "valley" if local < 8 else "peak" if 8 <= local < 11 or 17 <= local < 22 else "flat"
        pv = max(0.0, hourly["pv_gen"].get(hour, 0) - hourly["grid_export"].get(hour, 0))
        total = sum(hourly[c].get(hour, 0) for c in consumers)
        load = hourly["e_auto_main"].get(hour, 0)
        share = load * min(1.0, pv / total) if total > 0 else 0.0
        kwh[band] += load - share
        pv_kwh[band] += share
    view = month_bills(demo, system, "demo", "2024-03")
    bill = view.billing.bills["t_auto"]
    assert bill.kwh_by_band == pytest.approx(kwh, rel=1e-9)
    assert bill.pv_kwh_by_band == pytest.approx(pv_kwh, rel=1e-9)


@pytest.mark.parametrize("month", ["2024-03", "2024-07"])
def test_supplier_cost_reconciles(demo: Database, month: str) -> None:
    """Σ tenants' supplier lines + park-retained cost = the suppliers' cost, to the fen."""
    view = month_bills(demo, Principal.system(), "demo", month)
    doc = billing_to_dict(view, Principal.system())
    rec = doc["reconciliation"]
    assert rec["difference_cny"] == 0
    billing = view.billing
    for carrier, supplier in billing.suppliers.items():
        paid = sum(
            (s.total_cny for b in billing.bills.values() for s in b.sections
             if s.section == carrier),
            D(0),
        )  # fmt: skip
        assert paid + billing.retained[carrier].total_cny == supplier.total.total_cny
        kept = billing.retained[carrier].subtotal_cny
        assert kept == sum(billing.retained_parts[carrier].values(), D(0))
    assert rec["supplier_total_cny"] > 1e6


def test_who_sees_which_bill(demo: Database) -> None:
    tenant = Principal("t", "tenant", frozenset({"demo"}), tenant_id="t_auto")
    regulator = Principal("r", "regulator", frozenset({"demo"}))
    auditor = Principal("a", "auditor", frozenset({"demo"}))
    view = month_bills(demo, tenant, "demo", "2024-03")
    own = billing_to_dict(view, tenant)
    assert own["scope"] == "tenant" and own["bill"]["tenant_id"] == "t_auto"
    assert own["tenants"] == [] and own["suppliers"] == [] and own["reconciliation"] is None
    with pytest.raises(NotFound):
        readable_bill(view, tenant, "t_elec")
    agg = billing_to_dict(month_bills(demo, regulator, "demo", "2024-03"), regulator)
    assert agg["scope"] == "aggregate" and agg["tenants"] == [] and agg["bill"] is None
    assert agg["reconciliation"]["difference_cny"] == 0 and agg["by_band"]
    with pytest.raises(PermissionDenied):
        readable_bill(view, regulator, "t_auto")
    assert readable_bill(view, auditor, "t_elec").tenant_id == "t_elec"
    with pytest.raises(NotFound):
        month_bills(demo, Principal("x", "tenant", frozenset({"other"}), tenant_id="t"),
                    "demo", "2024-03")  # fmt: skip


def test_regulator_time_of_use_split_is_the_park_aggregate(demo: Database) -> None:
    """The regulator's time-of-use panel was empty: it now shows the park's split, no meters."""
    regulator = Principal("r", "regulator", frozenset({"demo"}))
    park = energy_by_tou(demo, Principal.system(), "demo", date(2024, 3, 1), date(2024, 4, 1))
    agg = energy_by_tou(demo, regulator, "demo", date(2024, 3, 1), date(2024, 4, 1))
    assert agg.periods == park.periods and agg.total_kwh > 0
    assert agg.meters == ()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bill_pdf_and_xlsx(demo: Database, tmp_path: Path, lang: str) -> None:
    """The PDF embeds every font it uses; the workbook's sheets are localised, headers frozen."""
    view = month_bills(demo, Principal.system(), "demo", "2024-03")
    doc = bill_to_dict(view, view.billing.bills["t_auto"])
    pdf = write_bill(doc, tmp_path / "bill.pdf", "pdf", lang)  # type: ignore[arg-type]
    raw = pdf.read_bytes()
    assert raw.startswith(b"%PDF") and b"/FontFile2" in raw
    assert b"/Helvetica" not in raw and b"STSong" not in raw
    book = load_workbook(write_bill(doc, tmp_path / "bill.xlsx", "xlsx", lang))  # type: ignore[arg-type]
    names = {"zh": ["账单", "费用明细", "分时电量"], "en": ["Bill", "Details", "By band"]}
    assert book.sheetnames == names[lang]
    assert all(ws.freeze_panes for ws in book.worksheets)
    details = book.worksheets[1]
    amounts = [row[-1] for row in details.iter_rows(min_row=2, values_only=True)]
    assert round(sum(amounts), 2) == 1334703.57  # the subtotal: 1,497,068.67 − VAT 162,365.10


def test_cli_bill_in_both_languages(demo: Database, tmp_path: Path) -> None:
    """``zeropark bill`` (the README's command) writes the PDF and prints the table in --lang."""
    from typer.testing import CliRunner

    from zeropark.cli import app

    runner = CliRunner()
    base = ["--db", demo.url, "bill", "--tenant", "t_auto", "--month", "2024-03", "--park", "demo"]
    out = tmp_path / "bill.pdf"
    result = runner.invoke(app, ["--lang", "zh", *base[:2], *base[2:], "--format", "pdf",
                                 "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:4] == b"%PDF" and "已写入" in result.output
    table = runner.invoke(app, ["--lang", "en", *base, "--format", "table"])
    assert table.exit_code == 0, table.output
    assert "Total incl. VAT" in table.output and "1,497,068.67" in table.output
    zh = runner.invoke(app, ["--lang", "zh", *base, "--format", "table"])
    assert "价税合计" in zh.output and "电度电费" in zh.output
    missing = runner.invoke(app, ["--lang", "zh", *base[:4], "t_nobody", *base[5:]])
    assert missing.exit_code != 0 and "没有企业" in missing.output


def test_a_changed_tariff_changes_the_bill(demo: Database) -> None:
    """Bills are kept per data version: applying a new gas price recomputes them (runs last: it
    changes the demo park)."""
    system = Principal.system()
    before = month_bills(demo, system, "demo", "2024-03").billing.bills["t_auto"]
    with demo.transaction() as conn:
        spec = ParkRepository(conn, system).export("demo")
    tariffs = spec.park.tariffs
    assert tariffs is not None
    gas = replace(tariffs.others[0], price_cny_per_unit=4.00)
    park = replace(spec.park, tariffs=replace(tariffs, others=[gas, *tariffs.others[1:]]))
    apply_park(demo, system, replace(spec, park=park))
    after = month_bills(demo, system, "demo", "2024-03").billing.bills["t_auto"]
    gas_line = next(x for x in after.lines if x.section == "natural_gas" and x.kind == "energy")
    assert gas_line.price_cny == 4.00
    assert gas_line.amount_cny == D("277787.68")  # 69,446.92 Nm³ × 4.00
    assert after.total_cny != before.total_cny
