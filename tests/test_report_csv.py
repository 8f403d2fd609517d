"""scores.csv and kpi_scores.csv: BOM, exact DOMAIN columns, Decimals as written, safe text."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from kpi_batch.reports.csv import cell, write_kpi_scores_csv, write_scores_csv
from kpi_batch.run_record import RunRecord
from kpi_batch.schemas.scoring import HR_COLUMNS, KPI_SCORE_COLUMNS
from kpi_batch.scoring.score_round import score_round
from tests.run_record_factories import FORMULA_NAME, small_record
from tests.scoring_factories import ROUND, STD, framework, kpi, results, submissions

BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def ctx() -> RunRecord:
    return small_record()


def read(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(BOM) and not raw.startswith(BOM * 2)
    return list(csv.reader(io.StringIO(raw[len(BOM) :].decode("utf-8"), newline="")))


def test_scores_csv_columns_rows_and_values(ctx: RunRecord, tmp_path: Path) -> None:
    path = write_scores_csv(ctx, tmp_path)
    assert path == tmp_path / "scores.csv"
    header, *rows = read(path)
    assert header == list(HR_COLUMNS)
    expected = ctx.scored.unit_scores.to_dict("records")
    assert [r[0] for r in rows] == [e["unit_id"] for e in expected]
    assert len(rows) == len(ctx.framework.units)
    u02 = dict(zip(header, rows[0], strict=True))
    assert u02 == {
        "unit_id": "U02", "unit_name": "สำนักงานเลขานุการกรม", "cluster_id": "c1",
        "pre_appeal_score": "3.8000", "deduction": "0.0000", "final_score": "4.4000",
        "band": "good", "rank": "1", "cluster_rank": "1", "days_late": "0", "status": "scored",
        "total_before_deduction": "4.4000",
        "received_on": "2024-10-07", "date_source": "",
    }  # fmt: skip
    u01 = dict(zip(header, rows[1], strict=True))
    assert (u01["deduction"], u01["days_late"]) == ("0.2500", "2")
    # v1.1: the total the deduction is taken from, after the §7 columns
    assert header[: header.index("status") + 1] == list(HR_COLUMNS[:11])
    total, deduction = Decimal(u01["total_before_deduction"]), Decimal(u01["deduction"])
    assert total - deduction == Decimal(u01["final_score"])


def test_unscored_units_have_empty_score_band_rank(ctx: RunRecord, tmp_path: Path) -> None:
    header, *rows = read(write_scores_csv(ctx, tmp_path))
    last = [dict(zip(header, r, strict=True)) for r in rows[-2:]]
    assert [(r["unit_id"], r["status"]) for r in last] == [("U05", "missing"), ("U06", "rejected")]
    for r in last:
        for key in ("pre_appeal_score", "deduction", "final_score", "band", "rank",
                    "cluster_rank", "days_late", "total_before_deduction"):  # fmt: skip
            assert r[key] == "", key
        assert r["unit_name"] and r["cluster_id"]


def test_kpi_scores_csv(ctx: RunRecord, tmp_path: Path) -> None:
    path = write_kpi_scores_csv(ctx, tmp_path)
    assert path == tmp_path / "kpi_scores.csv"
    header, *rows = read(path)
    assert header == list(KPI_SCORE_COLUMNS)
    frame = ctx.scored.kpi_scores
    assert len(rows) == len(frame)
    assert [(r[0], r[1]) for r in rows] == list(zip(frame["unit_id"], frame["kpi_id"], strict=True))
    first = dict(zip(header, rows[0], strict=True))
    assert first == {"unit_id": "U01", "kpi_id": "1.1.1", "value": "73.0000", "score": "3.6000",
                     "weight": "20.0000", "weighted_score": "0.7200"}  # fmt: skip
    by_kpi = {(r[0], r[1]): dict(zip(header, r, strict=True)) for r in rows}
    assert by_kpi[("U04", "1.1.2")]["value"] == ""  # left empty: score 0
    assert by_kpi[("U04", "1.1.2")]["score"] == "0.0000"
    assert by_kpi[("U04", "1.2")]["score"] == "" == by_kpi[("U04", "1.2")]["weighted_score"]


def test_every_number_has_exactly_the_decimals(ctx: RunRecord, tmp_path: Path) -> None:
    _, *rows = read(write_kpi_scores_csv(ctx, tmp_path))
    for row in rows:
        for value in row[2:]:
            assert value == "" or (value.count(".") == 1 and len(value.split(".")[1]) == 4), row


def test_other_decimals_setting(tmp_path: Path) -> None:
    fw = framework([kpi("k", STD)], {"a": {"k": 1}, "b": {"k": 1}}, decimals=2)
    scored = score_round(fw, ROUND, results({("a", "k"): 73, ("b", "k"): 61.25}),
                         submissions(["a", "b"]))  # fmt: skip
    ctx = RunRecord(fw, fw.round(ROUND), dt.date(2024, 10, 15), "r", scored, pd.DataFrame())
    _, *rows = read(write_kpi_scores_csv(ctx, tmp_path))
    assert rows == [["a", "k", "73.00", "3.60", "1.00", "3.60"],
                    ["b", "k", "61.25", "1.25", "1.00", "1.25"]]  # fmt: skip
    _, *units = read(write_scores_csv(ctx, tmp_path))
    assert [u[5] for u in units] == ["3.60", "1.25"]


def test_values_never_pass_through_float() -> None:
    assert cell(Decimal("2.00005"), 4) == "2.00005"  # more places than decimals: as typed
    assert cell(Decimal("0.1"), 4) == "0.1000"
    assert cell(Decimal("1E+1"), 4) == "10.0000"
    with pytest.raises(TypeError):
        cell(3.6, 4)


def test_formula_looking_text_is_neutralised(ctx: RunRecord, tmp_path: Path) -> None:
    header, *rows = read(write_scores_csv(ctx, tmp_path))
    u03 = next(dict(zip(header, r, strict=True)) for r in rows if r[0] == "U03")
    assert u03["unit_name"] == "'" + FORMULA_NAME
    assert cell("-5 ตัว", 4) == "'-5 ตัว" and cell("กอง-ก", 4) == "กอง-ก"


def test_crlf_and_deterministic(ctx: RunRecord, tmp_path: Path) -> None:
    a = write_scores_csv(ctx, tmp_path / "a.csv").read_bytes()
    b = write_scores_csv(small_record(), tmp_path / "b.csv").read_bytes()
    assert a == b
    assert a.count(b"\r\n") == len(ctx.framework.units) + 1
    assert b"\n" not in a.replace(b"\r\n", b"")


def test_pandas_reads_it_back(ctx: RunRecord, tmp_path: Path) -> None:
    frame = pd.read_csv(write_scores_csv(ctx, tmp_path), encoding="utf-8-sig", dtype=str)
    assert list(frame.columns) == list(HR_COLUMNS)
    assert frame["final_score"].isna().sum() == 2
