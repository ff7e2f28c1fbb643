"""Reading readings files: row numbers, malformed rows, chunking, header problems."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from zeropark.errors import InputError
from zeropark.ingest.files import iter_readings_file
from zeropark.ingest.readings_format import parse_records

TZ = "Asia/Shanghai"


def _read(path: Path, chunk_rows: int = 1000) -> tuple[list, list]:
    chunks = list(iter_readings_file(path, timezone=TZ, chunk_rows=chunk_rows))
    rows = [int(r) for c in chunks for r in c.parsed.row]
    rejections = [r for c in chunks for r in c.parsed.rejections]
    return rows, rejections


def test_malformed_rows_are_rejected_with_their_row_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(
        "\ufeffMeter, ts ,value\r\n"  # row 1: header with a BOM, odd spacing and case
        "a,2024-03-01T00:00:00Z,1.5\r\n"  # row 2
        "b,2024-03-01T00:00,2,extra\r\n"  # row 3: one field too many
        '"c, the second",2024-03-01T00:15,"3"\r\n'  # row 4: quoted comma
        "d\r\n"  # row 5: too few fields
        "e,2024-03-01T00:30,abc\r\n"  # row 6: bad value
        "f,2024-03-01T00:45,1e3\r\n".encode()  # row 7
    )
    rows, rejections = _read(path)
    assert rows == [2, 4, 7]
    assert [(r.row, r.code, r.field) for r in rejections] == [
        (3, "bad_row", None),
        (5, "bad_row", None),
        (6, "bad_value", "value"),
    ]
    assert rejections[0].value == "b,2024-03-01T00:00,2,extra"
    assert rejections[0].reason == "expected 3 fields, found 4"
    assert rejections[2].record == {"meter": "e", "ts": "2024-03-01T00:30", "value": "abc",
                                    "quality": ""}  # fmt: skip


@pytest.mark.parametrize("chunk_rows", [1, 1000])
def test_malformed_rows_after_the_last_good_row_are_rejected_too(
    tmp_path: Path, chunk_rows: int
) -> None:
    path = tmp_path / "tail.csv"
    path.write_text("meter,ts,value\na,2024-03-01T00:00,1\nb,2024-03-01T00:15\nc,x,1,2\n")
    rows, rejections = _read(path, chunk_rows)
    assert rows == [2]
    assert [(r.row, r.code) for r in rejections] == [(3, "bad_row"), (4, "bad_row")]


def test_values_follow_the_documented_number_format() -> None:
    texts = ["51234.5", "-0.25", ".5", "1.2e3", "+7", "1,5", "1 000", "nan", "inf", "0x10", ""]
    parsed = parse_records(
        [{"meter": "m", "ts": f"2024-03-01T00:{i:02d}", "value": v} for i, v in enumerate(texts)],
        source="t",
        timezone=TZ,
    )
    assert parsed.value.tolist() == [51234.5, -0.25, 0.5, 1200.0, 7.0]
    assert [r.value for r in parsed.rejections] == texts[5:]
    assert {r.code for r in parsed.rejections} == {"bad_value"}


def test_times_with_and_without_offset_and_a_shared_time_parsed_once(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    lines = ["meter,ts,value"] + [
        f"m{i},{ts},{i}"
        for i in range(3)
        for ts in ("2024-03-01T08:00", "2024-03-01T00:00:00Z", "2024-03-01T08:00:00+08:00")
    ]
    path.write_text("\n".join(lines) + "\n")
    (chunk,) = iter_readings_file(path, timezone=TZ)
    assert set(chunk.parsed.ts_s.tolist()) == {1709251200}
    assert chunk.parsed.meter.tolist() == [f"m{i}" for i in range(3) for _ in range(3)]


def test_chunks_are_whole_and_numbered_small_ones_first(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    n = 10_000
    ts = np.datetime_as_string(
        (np.datetime64("2024-03-01T00:00") + np.arange(n) * np.timedelta64(15, "m")), unit="m"
    )
    path.write_text("meter,ts,value\n" + "".join(f"m,{t},{i}\n" for i, t in enumerate(ts)))
    chunks = list(iter_readings_file(path, timezone=TZ, chunk_rows=4000))
    sizes = [len(c.parsed) for c in chunks]
    assert sizes == [500, 1000, 2000, 4000, 2500]  # 1/8 of chunk_rows, doubling, then the rest
    assert sum(sizes) == n
    rows = np.concatenate([c.parsed.row for c in chunks])
    assert np.array_equal(rows, np.arange(2, n + 2))
    assert np.array_equal(np.concatenate([c.parsed.value for c in chunks]), np.arange(n))
    positions = [c.position for c in chunks]
    assert positions == sorted(positions) and positions[-1] == path.stat().st_size


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"time,reading\n", "missing column"),
        (b"meter,ts,value\n\xff\xfe,2024-03-01T00:00,1\n", "neither UTF-8 nor GB18030"),
        (b"\xff\xfemeter,ts,value\n", "byte 0"),
    ],
)
def test_unreadable_files_name_the_problem(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as raised:
        list(iter_readings_file(path, timezone=TZ))
    assert raised.value.source == str(path)


def test_gbk_csv_from_chinese_excel_is_read_as_such(tmp_path: Path) -> None:
    """Excel on Chinese Windows saves "CSV (逗号分隔)" in GBK: Chinese headers and meter ids."""
    path = tmp_path / "gbk.csv"
    path.write_bytes(
        "表计编号,时间,读数\n一号楼总表,2024-03-01 08:00,100.5\n一号楼总表,2024-03-01 08:15,101\n"
        "二号楼,2024-03-01 08:15,abc\n".encode("gbk")
    )
    (chunk,) = iter_readings_file(path, timezone=TZ)
    assert chunk.parsed.meter.tolist() == ["一号楼总表", "一号楼总表"]
    assert chunk.parsed.value.tolist() == [100.5, 101.0]
    (rejection,) = chunk.parsed.rejections
    assert (rejection.row, rejection.code, rejection.record["meter"]) == (4, "bad_value", "二号楼")


def test_utf8_past_the_sample_that_turns_into_gbk_is_refused_not_misread(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    good = "".join(f"m,2024-03-01T00:{i % 60:02d},{i}\n" for i in range(60_000))
    path.write_bytes(
        ("meter,ts,value\n" + good).encode() + "二号楼,2024-03-02T00:00,1\n".encode("gbk")
    )
    with pytest.raises(InputError, match="not UTF-8 after all"):
        list(iter_readings_file(path, timezone=TZ))
