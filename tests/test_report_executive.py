"""The executive workbook: read back with openpyxl, charts present, a golden copy, a PDF.

The scored round is `tests/executive_factories.sample_context` (the real `score_round` on
nine units). Golden: `tests/golden/executive.xlsx`; regenerate with
`KPI_BATCH_REGENERATE_GOLDEN=1 .venv/bin/pytest tests/test_report_executive.py` and review.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from kpi_batch.reports.executive import CHART, CLUSTERS, LEAGUE, REPORT_NAME, SUMMARY
from kpi_batch.reports.executive import write_executive_workbook as write
from kpi_batch.reports.executive_detail import (
    APPEALS,
    COMPLETENESS,
    HEATMAP,
    KPI_NAMES,
    NO_APPEALS,
    NO_HISTORY,
    TREND,
)
from kpi_batch.run_record import RunRecord
from kpi_batch.workbook_style import FONT
from tests.executive_factories import FORMULA_NAME, RUN_ID, sample_context
from tests.golden_compare import assert_matches_golden
from tests.pdf_render import pdf_page_count, render_pdf

# openpyxl cannot keep the Excel 2010 data-bar extension; reading is all we do here.
pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")
SHEETS = [SUMMARY, LEAGUE, CLUSTERS, CHART, HEATMAP, KPI_NAMES, APPEALS, TREND, COMPLETENESS]


@pytest.fixture(scope="module")
def ctx() -> RunRecord:
    return sample_context()


@pytest.fixture(scope="module")
def book(ctx: RunRecord, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(ctx, tmp_path_factory.mktemp("exec") / "executive.xlsx")


@pytest.fixture(scope="module")
def wb(book: Path) -> Any:
    return openpyxl.load_workbook(book)


def table_rows(ws: Worksheet, name: str) -> list[dict[str, Any]]:
    """An Excel table's rows as {key: value}, the key being the `(key)` of each heading."""
    ref = ws.tables[name].ref
    rows = list(ws[ref])
    keys = [_key(c.value) for c in rows[0]]
    return [dict(zip(keys, (c.value for c in row), strict=True)) for row in rows[1:]]


def _key(heading: str) -> str:
    m = re.search(r"\(([^()]*)\)$", heading)
    return m[1] if m else heading


def _float(x: Any) -> float | None:
    """A score from the frame (Decimal, or None / NaN when unscored) as openpyxl reads it."""
    return None if x is None or pd.isna(x) else float(x)


def chart_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {
            n: z.read(n).decode() for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)
        }


# --- structure -------------------------------------------------------------------------


def test_sheets_in_order_summary_first(wb: Any) -> None:
    assert wb.sheetnames == SHEETS
    assert wb.active.title == SUMMARY


def test_a_folder_gets_the_report_name(ctx: RunRecord, tmp_path: Path) -> None:
    assert write(ctx, tmp_path) == tmp_path / REPORT_NAME


def test_same_context_same_bytes(ctx: RunRecord, book: Path, tmp_path: Path) -> None:
    assert write(ctx, tmp_path / "again.xlsx").read_bytes() == book.read_bytes()


def test_house_font_print_setup_and_frozen_headers(wb: Any, book: Path) -> None:
    with zipfile.ZipFile(book) as z:
        assert FONT in z.read("xl/styles.xml").decode()
    for name in SHEETS:
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape", name
        assert ws.page_setup.paperSize == 9, name  # A4
        assert RUN_ID in ws.oddHeader.left.text, name
    for name in (LEAGUE, HEATMAP):
        assert wb[name].print_title_rows == "$1:$1"
    assert wb[LEAGUE].freeze_panes == "A2"
    assert wb[HEATMAP].freeze_panes == "D2"
    assert wb[CLUSTERS].freeze_panes == "A2"


# --- summary ---------------------------------------------------------------------------


def test_summary_figures(wb: Any, ctx: RunRecord) -> None:
    figures = {r["key"]: r["value"] for r in table_rows(wb[SUMMARY], "figures")}
    # scored final scores: 5.0000 5.0000 3.8500 3.7667 3.0000 2.8500 0.8500
    assert figures["units"] == 9
    assert (figures["scored"], figures["on_time"], figures["late"]) == (7, 6, 1)
    assert (figures["missing"], figures["rejected"]) == (1, 1)
    assert figures["mean"] == pytest.approx(3.4738)  # 24.3167 / 7 = 3.47381
    assert figures["median"] == pytest.approx(3.7667)
    assert (figures["min"], figures["max"]) == (0.85, 5.0)
    assert figures["at_target"] == 5  # U03 at exactly 3.0000 counts
    assert figures["share_at_target"] == pytest.approx(0.7143)
    assert (figures["round_id"], figures["run_id"], figures["as_of"]) == (
        "r12", RUN_ID, "2024-10-10",
    )  # fmt: skip
    texts = [c.value for row in wb[SUMMARY].iter_rows(max_row=3) for c in row if c.value]
    assert any("10 ตุลาคม 2567" in t and RUN_ID in t for t in texts)
    assert any("รอบ 12 เดือน" in t for t in texts)


def test_summary_big_numbers(wb: Any) -> None:
    ws = wb[SUMMARY]
    assert [ws.cell(7, c).value for c in range(1, 7)] == [9, 7, 6, 1, 1, 1]
    assert ws.cell(7, 1).font.sz >= 24
    assert "(scored)" in ws.cell(6, 2).value


def test_summary_band_counts(wb: Any) -> None:
    bands = table_rows(wb[SUMMARY], "bands")
    assert [(b["band"], b["units"]) for b in bands] == [
        ("ดีเด่น", 2), ("ดีมาก", 0), ("ดี", 3), ("ต้องปรับปรุง", 2),
    ]  # fmt: skip


# --- league table ----------------------------------------------------------------------


def test_league_table_equals_the_scored_round(wb: Any, ctx: RunRecord) -> None:
    units = ctx.scored.unit_scores
    rows = table_rows(wb[LEAGUE], "league")
    assert [r["unit_id"] for r in rows] == list(units["unit_id"])
    for row, rec in zip(rows, units.to_dict("records"), strict=True):
        assert row["rank"] == (None if pd.isna(rec["rank"]) else rec["rank"])
        assert row["unit_name"] == rec["unit_name"]
        assert row["final_score"] == _float(rec["final_score"])
        assert row["band"] == (None if pd.isna(rec["band_name"]) else rec["band_name"])
    assert rows[-1]["status"].endswith("(rejected)")
    assert rows[-2]["status"].endswith("(missing)")


def test_formula_names_stay_text(wb: Any, book: Path) -> None:
    ws = wb[LEAGUE]
    cells = [c for row in ws.iter_rows() for c in row if c.value == FORMULA_NAME]
    assert cells and all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(book) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any("<f>" in z.read(n).decode() for n in sheets)
        assert "hyperlink" not in " ".join(z.namelist()).lower()


def test_band_colours_and_data_bars(wb: Any) -> None:
    ws = wb[LEAGUE]
    fills = {ws.cell(r, 7).value: ws.cell(r, 7).fill.fgColor.rgb for r in range(2, 9)}
    assert len(set(fills.values())) == 3  # three bands reached, three colours
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
    assert [r.type for r in rules] == ["dataBar"]
    ranges = [str(cf.sqref) for cf in ws.conditional_formatting]
    assert ranges == ["F2:F10"]


# --- clusters and charts ---------------------------------------------------------------


def test_cluster_table_and_blocks(wb: Any) -> None:
    ws = wb[CLUSTERS]
    summary = table_rows(ws, "clusters")
    assert [r["cluster"] for r in summary] == [
        "กลุ่มงานบริหาร", "กลุ่มศูนย์อนามัย", "กลุ่มสถาบันและกองวิชาการ",
    ]  # fmt: skip
    # c1: 5.0000, 3.8500, 3.0000 -> 11.85 / 3 = 3.9500
    assert summary[0]["mean"] == pytest.approx(3.95)
    block = table_rows(ws, "cluster_2")
    assert [r["unit_id"] for r in block] == ["U04", "U05", "U06"]
    assert [r["cluster_rank"] for r in block] == [1, 2, None]


def test_charts_exist(book: Path) -> None:
    charts = chart_parts(book)
    assert len(charts) == 3
    kinds = sorted(
        re.search(r"<c:(barChart|lineChart)>", x)[1]  # type: ignore[index]
        for x in charts.values()
    )
    assert kinds == ["barChart", "barChart", "lineChart"]  # cluster columns, unit bars, trend
    unit_bars = next(x for x in charts.values() if '<c:barDir val="bar"/>' in x)
    assert "$C$2:$C$8" in unit_bars and "$F$2:$F$8" in unit_bars  # the 7 ranked units


# --- heatmap ---------------------------------------------------------------------------


def test_heatmap_scores_blanks_and_colour_scale(wb: Any, ctx: RunRecord) -> None:
    ws = wb[HEATMAP]
    rows = {r["unit_id"]: r for r in table_rows(ws, "heatmap")}
    scored = ctx.scored.unit_scores
    assert list(rows) == list(scored.loc[scored["status"] == "scored", "unit_id"])
    kpis = ctx.scored.kpi_scores
    for rec in kpis.to_dict("records"):
        cell = rows[rec["unit_id"]][rec["kpi_id"]]
        assert cell == ("ยกเว้น" if rec["status"] == "exempt" else float(rec["score"]))
    assert rows["U02"]["1.2"] is None and rows["U02"]["2.2"] is None  # U02 did not sign them
    assert rows["U08"]["2.2"] == 0.0  # signed, left empty: missing scores 0
    rules = [(str(cf.sqref), rule) for cf in ws.conditional_formatting for rule in cf.rules]
    assert [(ref, rule.type) for ref, rule in rules] == [("D2:G8", "colorScale")]
    scale = rules[0][1].colorScale
    assert [float(v.val) for v in scale.cfvo] == [0, 3, 5]


# --- appeals ---------------------------------------------------------------------------


def test_appeals_show_the_change_and_the_row(wb: Any) -> None:
    ws = wb[APPEALS]
    (change,) = table_rows(ws, "score_changes")
    assert (change["unit_id"], change["pre_appeal_score"], change["final_score"]) == (
        "U01", 3.67, 3.85,
    )  # fmt: skip
    assert change["change"] == pytest.approx(0.18)
    (row,) = table_rows(ws, "appeals")
    assert (row["kpi_id"], row["old_value"], row["new_value"]) == ("1.1", "72", "75")
    assert row["reason"] == "ส่งหลักฐานผลสำรวจเพิ่มเติม"
    assert row["reference"] == "หนังสือ สธ 0901/456"


def test_no_appeals_note(tmp_path: Path) -> None:
    path = write(sample_context(appeals=False), tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(path)[APPEALS]
    assert ws["A1"].value.startswith(NO_APPEALS)
    assert not ws.tables


# --- trend -----------------------------------------------------------------------------


def test_trend_with_history(wb: Any, book: Path) -> None:
    ws = wb[TREND]
    means = {r["group_id"]: r for r in table_rows(ws, "run_means")}
    assert list(means) == ["all", "c1", "c2", "c3"]
    # 2024-08-10: 3.2 4.1 2.8 3.9 2.5 1.8 1.9 4.4 (U06 none) = 24.6 / 8 = 3.0750
    assert means["all"]["2567/r12/2024-08-10_1"] == pytest.approx(3.075)
    assert means["all"][RUN_ID] == pytest.approx(3.4738)
    units = {r["unit_id"]: r for r in table_rows(ws, "unit_trend")}
    assert units["U09"]["change"] == pytest.approx(0.4)  # 4.6000 -> 5.0000
    assert units["U06"]["change"] is None
    assert any("lineChart" in x for x in chart_parts(book).values())


def test_trend_without_history_says_so(tmp_path: Path) -> None:
    path = write(sample_context(history=False), tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(path)[TREND]
    assert ws["A1"].value == NO_HISTORY
    charts = chart_parts(path)
    assert len(charts) == 2 and not any("lineChart" in x for x in charts.values())


# --- completeness ----------------------------------------------------------------------


def test_completeness_lists_late_missing_rejected(wb: Any) -> None:
    ws = wb[COMPLETENESS]
    rows = table_rows(ws, "completeness")
    assert [r["unit_id"] for r in rows] == ["U07", "U06", "U05"]
    u07, u06, u05 = rows
    assert "template_outdated" in u07["reasons"]
    assert u06["files"] == "ไม่มีไฟล์"
    assert (u05["days_late"], u05["deduction"]) == (3, 0.15)
    (rejected,) = table_rows(ws, "rejected_files")
    assert (rejected["unit_id"], rejected["path"], rejected["errors"]) == (
        "U07", "inbox/U07.xlsx", 2,
    )  # fmt: skip


# --- golden and PDF --------------------------------------------------------------------


def test_golden(book: Path) -> None:
    assert_matches_golden(book, "executive.xlsx")


def test_renders_to_pdf(book: Path, tmp_path: Path) -> None:
    pdf = render_pdf(book, tmp_path)
    assert pdf.stat().st_size > 10_000
    assert pdf_page_count(pdf) >= len(SHEETS)
