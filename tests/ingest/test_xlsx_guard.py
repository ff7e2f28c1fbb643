"""Excel files are checked before openpyxl opens them: a small file must not expand into
gigabytes of memory or minutes of work (issue #9, finding 2)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.ingest import xlsx_bombs
from zeropark.errors import InputError
from zeropark.ingest import xlsx_guard
from zeropark.ingest.files import iter_readings_file, progress_total
from zeropark.ingest.xlsx_guard import SpreadsheetTooLarge, check_xlsx

TZ = "Asia/Shanghai"


def _read(path: Path) -> list:
    return list(iter_readings_file(path, timezone=TZ, source="probe.xlsx"))


def test_shared_strings_bomb_is_refused_naming_the_file_and_the_limit(tmp_path: Path) -> None:
    path = xlsx_bombs.shared_strings_bomb(tmp_path / "bomb.xlsx", expanded_mib=100)
    assert path.stat().st_size < 300_000  # the probe's file: ~0.1 % of its expanded size
    with pytest.raises(SpreadsheetTooLarge) as caught:
        _read(path)
    error = caught.value
    assert error.http_status == 413 and error.source == "probe.xlsx"
    assert "the shared-strings table" in error.reason and "limit of 64 MiB" in error.reason
    with pytest.raises(SpreadsheetTooLarge):
        progress_total(path)


def test_a_bomb_within_each_part_limit_is_refused_by_its_expansion_ratio(tmp_path: Path) -> None:
    path = xlsx_bombs.shared_strings_bomb(tmp_path / "bomb.xlsx", expanded_mib=40, split=True)
    size = path.stat().st_size
    with pytest.raises(SpreadsheetTooLarge) as caught:
        check_xlsx(path, "probe.xlsx")
    assert f"at most {xlsx_guard.MAX_EXPANSION_RATIO} times the file's size" in caught.value.reason
    assert size * xlsx_guard.MAX_EXPANSION_RATIO < 40 << 20


def test_a_bomb_under_the_ratio_but_over_the_shared_strings_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Checked alone: the table's own limit, whatever the file's size.
    monkeypatch.setattr(xlsx_guard, "MAX_EXPANSION_RATIO", 10_000)
    monkeypatch.setattr(xlsx_guard, "_STRINGS", xlsx_guard._Kind(
        "shared strings", 4 << 20, b"si", xlsx_guard.MAX_SHARED_STRINGS, strict=True))  # fmt: skip
    path = xlsx_bombs.shared_strings_bomb(tmp_path / "b.xlsx", expanded_mib=6)
    with pytest.raises(SpreadsheetTooLarge, match="shared-strings table"):
        check_xlsx(path)


_MEASURE = textwrap.dedent(
    """
    import json, resource, sys
    from pathlib import Path
    from zeropark.errors import InputError
    from zeropark.ingest.files import iter_readings_file
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        list(iter_readings_file(Path(sys.argv[1]), timezone="Asia/Shanghai"))
        outcome = "accepted"
    except InputError as exc:
        outcome = type(exc).__name__
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"outcome": outcome, "growth_kib": after - before}))
    """
)


def test_parsing_the_bomb_stays_within_a_memory_bound(tmp_path: Path) -> None:
    """Peak RSS growth (ru_maxrss, KiB on Linux) of reading the 100 MiB bomb in a fresh process.

    Bound: 64 MiB. Before the check, openpyxl loaded the whole string: +500 MB.
    """
    path = xlsx_bombs.shared_strings_bomb(tmp_path / "bomb.xlsx", expanded_mib=100)
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    assert result["outcome"] == "SpreadsheetTooLarge"
    assert result["growth_kib"] < 64 * 1024, result


def test_one_row_with_too_many_elements_is_refused(tmp_path: Path) -> None:
    path = xlsx_bombs.wide_row_bomb(tmp_path / "wide.xlsx", cells=200_000)
    with pytest.raises(SpreadsheetTooLarge, match="one row holds more than 100,000 XML elements"):
        check_xlsx(path)


def test_a_dtd_is_refused_before_any_entity_expands(tmp_path: Path) -> None:
    path = xlsx_bombs.entity_bomb(tmp_path / "laughs.xlsx")
    with pytest.raises(InputError, match=r"declares a DTD") as caught:
        check_xlsx(path, "laughs.xlsx")
    assert caught.value.location == "xl/sharedStrings.xml"


def test_too_many_zip_members_are_refused(tmp_path: Path) -> None:
    path = xlsx_bombs.many_members(tmp_path / "many.xlsx", extra=xlsx_guard.MAX_ZIP_ENTRIES)
    with pytest.raises(SpreadsheetTooLarge, match="members"):
        check_xlsx(path)


def test_sizes_in_the_zip_headers_are_not_trusted(tmp_path: Path) -> None:
    path = xlsx_bombs.lying_sizes(tmp_path / "liar.xlsx")
    with pytest.raises(InputError, match="not a readable Excel file"):
        check_xlsx(path)


def test_a_row_numbered_in_the_billions_reads_no_more_than_its_cells(tmp_path: Path) -> None:
    path = xlsx_bombs.far_row(tmp_path / "far.xlsx")
    chunks = _read(path)
    assert [int(r) for c in chunks for r in c.parsed.row] == [2]
    assert [r.row for c in chunks for r in c.parsed.rejections] == []


def test_an_honest_workbook_passes_and_reads(tmp_path: Path) -> None:
    rows = [["main", f"2024-03-01T00:{m:02d}:00+08:00", 1000.0 + m] for m in range(0, 60, 15)]
    path = xlsx_bombs.plain_workbook(tmp_path / "ok.xlsx", [*rows[:2], [None, None], *rows[2:]])
    check_xlsx(path)
    chunks = _read(path)
    # The empty row 4 is skipped, as an empty CSV line is; the others keep their numbers.
    assert [int(r) for c in chunks for r in c.parsed.row] == [2, 3, 5, 6]
    assert progress_total(path) == 6


def test_not_a_zip_is_a_readable_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("meter,ts,value\n")
    with pytest.raises(InputError, match="not a readable Excel file"):
        _read(path)
