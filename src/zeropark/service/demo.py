"""``zeropark demo``: build the demo park into the database and summarise what it holds.

The demo goes through the same paths real data does: the park spec is applied like a park file,
each meter's year of readings runs through the readings pipeline (normalisation, rollups,
quarantine, audit), and the activity rows are validated and stored like an imported sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from zeropark.data.demo import DemoPark, activities_csv_text, build_demo
from zeropark.data.factors import load_items
from zeropark.domain.access import Principal
from zeropark.errors import ValidationFailed
from zeropark.ingest.activities_format import parse_activity_row
from zeropark.ingest.readings_format import ParsedReadings
from zeropark.service.carbon_assets.demo import load_demo_ledger
from zeropark.service.database import Database
from zeropark.service.ingest import IngestReport, ingest_parsed
from zeropark.service.park_file import dump_park
from zeropark.service.parks import apply_park
from zeropark.service.summary import ParkSummary, summarise_park
from zeropark.store.activities import write_activities
from zeropark.store.parks import ApplyReport

__all__ = ["DemoResult", "load_demo", "write_demo_files"]


@dataclass
class DemoResult:
    """What building the demo did, and the park's summary afterwards."""

    apply: ApplyReport
    ingest: IngestReport
    activities: int
    summary: ParkSummary
    files: dict[str, Path] = field(default_factory=dict)


def _as_parsed(meter_id: str, ts_s: np.ndarray, value: np.ndarray) -> ParsedReadings:
    return ParsedReadings(
        meter=np.full(ts_s.size, meter_id, dtype=object),
        ts_s=ts_s.astype(np.int64),
        value=value.astype(np.float64),
        quality=np.zeros(ts_s.size, np.uint8),
        row=np.full(ts_s.size, -1, np.int64),
    )


def write_demo_files(demo: DemoPark, directory: Path) -> dict[str, Path]:
    """Write the demo's park file and activities CSV for users to try the other commands."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "park": directory / "park.yaml",
        "activities": directory / "activities.csv",
    }
    files["park"].write_text(dump_park(demo.spec), encoding="utf-8")
    files["activities"].write_text(activities_csv_text(demo), encoding="utf-8")
    return files


def load_demo(
    db: Database,
    *,
    year: int = 2024,
    files_dir: Path | None = None,
    on_meter: Callable[[str, int, int], None] | None = None,
) -> DemoResult:
    """Build the demo park for ``year`` into ``db``; idempotent (a second run adds nothing)."""
    principal = Principal.system("zeropark-demo")
    demo = build_demo(year)
    applied = apply_park(db, principal, demo.spec)
    park = demo.spec.park
    report = IngestReport("demo:generated")
    for number, series in enumerate(demo.series, start=1):
        with db.transaction() as conn:
            parsed = _as_parsed(series.meter_id, series.ts_s, series.value)
            ingest_parsed(conn, principal, park.id, park.timezone, parsed, report)
        if on_meter:
            on_meter(series.meter_id, number, len(demo.series))
    entities = {park.id} | {t.id for t in demo.spec.tenants}
    catalogue = load_items()
    records = []
    for number, row in enumerate(demo.activities, start=2):
        record, issues = parse_activity_row(row, catalogue=catalogue, known_entities=entities)
        if record is None:
            placed = [i.at(source="demo activities", location=f"row {number}") for i in issues]
            raise ValidationFailed(placed, source="demo activities")
        # The demo's records keep their items as generated (柴油, 石灰石): the inventories
        # published from them stay byte-identical (line refs name the stored item).
        records.append(replace(record, item=row["item"].strip()))
    with db.transaction() as conn:
        stored = write_activities(conn, principal, park.id, records, source="demo:generated")
    load_demo_ledger(db, principal, park.id, year, demo.activities)  # carbon assets (#14)
    files = write_demo_files(demo, files_dir) if files_dir is not None else {}
    summary = summarise_park(db, principal, park.id, year)
    return DemoResult(applied, report, stored, summary, files)
