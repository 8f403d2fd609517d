"""The diff as a workbook: `changes_<fy>_<round>.xlsx`, written by the second run of a round
into its folder and by `kpi-batch diff --xlsx`; one row per unit with old and new score,
rank, band (Thai names) and the Thai reasons."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from kpi_batch.history.changes import UNCHANGED_TH
from kpi_batch.reports.changes import SHEET, TABLE
from kpi_batch.run_layout import RunLayout
from tests.pdf_render import pdf_page_count, render_pdf
from tests.test_cli_history import FEB, FEB_RUN, MAR, MAR_RUN, cli, months, run  # noqa: F401

NAME = "changes_2567_R1.xlsx"


@pytest.fixture(scope="module")
def two_runs(
    months: tuple[Path, Path, Path],  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    framework, feb, mar = months
    out = tmp_path_factory.mktemp("changes") / "out"
    assert run(framework, feb, out, FEB).exit_code == 0
    assert run(framework, mar, out, MAR).exit_code == 0
    return out


def rows_of(path: Path) -> dict[str, dict[str, object]]:
    ws = openpyxl.load_workbook(path)[SHEET]
    header, *body = [[c.value for c in row] for row in ws[ws.tables[TABLE].ref]]
    keys = [str(h).rsplit("(", 1)[1].rstrip(")") for h in header]
    return {str(r[0]): dict(zip(keys, r, strict=True)) for r in body}


def test_the_name_is_spelled_once() -> None:
    assert RunLayout(2567, "R1").changes == NAME


def test_the_first_run_of_a_round_has_no_changes_workbook(two_runs: Path) -> None:
    assert not (two_runs / FEB_RUN / NAME).exists()


def test_the_second_run_writes_one_row_per_unit_with_reasons(two_runs: Path) -> None:
    path = two_runs / MAR_RUN / NAME
    rows = rows_of(path)
    assert set(list(rows)[:2]) == {"U01", "U02"}  # the changed units first
    assert set(rows) == {"U01", "U02", "U03", "U04"}  # every unit, changed or not
    u01, u02 = rows["U01"], rows["U02"]
    assert "ตัวชี้วัด 1.1.1 ผล 48 → 44" in str(u01["reasons"])
    assert "หักคะแนนส่งช้า −0.25 (ส่งรายงานช้า 5 วัน)" in str(u02["reasons"])
    old, new = Decimal(str(u02["score_a"])), Decimal(str(u02["score_b"]))
    assert new - old == Decimal(str(u02["change"])) == Decimal("-0.25")
    for unit in ("U03", "U04"):
        assert rows[unit]["reasons"] == UNCHANGED_TH
        assert rows[unit]["score_a"] == rows[unit]["score_b"] is not None
    # bands by their Thai names (the framework's), ranks as numbers
    names = {"ดีเด่น", "ดีมาก", "ดี", "ต้องปรับปรุง"}
    assert {r["band_b"] for r in rows.values()} <= names
    assert all(isinstance(r["rank_a"], int) and isinstance(r["rank_b"], int) for r in rows.values())
    # listed in the run's manifest like every output
    manifest = json.loads((two_runs / MAR_RUN / "manifest.json").read_text(encoding="utf-8"))
    assert NAME in {o["path"] for o in manifest["outputs"]}


def test_headings_are_thai_first_and_the_print_fits_the_page(
    two_runs: Path, tmp_path: Path
) -> None:
    path = two_runs / MAR_RUN / NAME
    ws = openpyxl.load_workbook(path)[SHEET]
    header = [c.value for c in ws[ws.tables[TABLE].ref][0]]
    assert header[0] == "รหัสหน่วยงาน (unit_id)" and header[-1] == "เหตุผลที่เปลี่ยน (reasons)"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.page_setup.fitToWidth in (None, 1)  # one page wide (1 is the default, omitted)
    assert "ลับ" in (ws.oddHeader.center.text or "")
    assert pdf_page_count(render_pdf(path, tmp_path)) == 1


def test_diff_xlsx_writes_into_the_later_runs_folder_or_a_given_path(
    two_runs: Path, tmp_path: Path
) -> None:
    written = two_runs / MAR_RUN / NAME
    written.unlink()
    result = cli("diff", FEB_RUN, MAR_RUN, "--out", two_runs, "--xlsx")
    assert result.exit_code == 0, result.output
    assert written.is_file() and str(written) in result.output.replace("\n", "")
    assert "ตัวชี้วัด 1.1.1 ผล 48 → 44" in str(rows_of(written)["U01"]["reasons"])

    elsewhere = tmp_path / "memo" / "changes.xlsx"
    result = cli("diff", "--out", two_runs, "--xlsx-path", elsewhere)
    assert result.exit_code == 0, result.output
    assert set(rows_of(elsewhere)) == {"U01", "U02", "U03", "U04"}
    # without the option nothing is written
    elsewhere.unlink()
    assert cli("diff", "--out", two_runs).exit_code == 0
    assert not elsewhere.exists()
