"""Unit result workbooks: the unit's own data only, the arithmetic, goldens, a PDF.

The scored round is `tests/run_record_factories.small_record`. Goldens:
`tests/golden/unit_U01.xlsx` (late, review) and `unit_U04.xlsx` (missing and exempt KPIs);
regenerate with `KPI_BATCH_REGENERATE_GOLDEN=1 .venv/bin/pytest tests/test_report_unit.py
-k golden`.
"""

from __future__ import annotations

import html
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kpi_batch.reports.unit import (
    unit_workbook_name,
    write_unit_workbook,
    write_unit_workbooks,
)
from kpi_batch.reports.unit_data import UnitIndex
from kpi_batch.run_record import RunRecord
from tests.golden_compare import assert_matches_golden
from tests.pdf_render import pdf_page_count, render_pdf
from tests.run_record_factories import FORMULA_NAME, RUN_ID, UNIT_NAMES, small_record
from tests.test_report_hr import as_decimal, table_rows

SHEETS = [
    "สรุป (summary)",
    "ตัวชี้วัด (kpis)",
    "คะแนนย่อย (subtotals)",
    "หักคะแนน (deductions)",
    "ปรับปรุงผล (adjustments)",
    "ปัญหาที่พบ (issues)",
]


@pytest.fixture(scope="module")
def ctx() -> RunRecord:
    return small_record()


@pytest.fixture(scope="module")
def books(ctx: RunRecord, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every unit's workbook, the unscored ones too."""
    out = tmp_path_factory.mktemp("units")
    return {u.unit_id: write_unit_workbook(ctx, u.unit_id, out) for u in ctx.framework.units}


def load(path: Path) -> Any:
    return openpyxl.load_workbook(path)


def summary(wb: Any) -> dict[str, Any]:
    """Label key -> value cell of the summary sheet."""
    out = {}
    for label, value in wb[SHEETS[0]].iter_rows(min_col=1, max_col=2):
        match = re.search(r"\((\w+)\)$", str(label.value or ""))
        if match and label.value and value.coordinate[0] == "B":
            out[match[1]] = value
    return out


def test_file_name_holds_the_unit_id(ctx: RunRecord, books: dict[str, Path]) -> None:
    assert unit_workbook_name(ctx, "U01") == "result_2567_r12_U01.xlsx"
    assert books["U01"].name == "result_2567_r12_U01.xlsx"


def test_unsafe_ids_make_distinct_safe_names(ctx: RunRecord) -> None:
    a, b = unit_workbook_name(ctx, "U/01"), unit_workbook_name(ctx, "U:01")
    assert a != b
    for name in (a, b, unit_workbook_name(ctx, "../x")):
        assert "/" not in name and ":" not in name and not name.startswith(".")
        assert name.startswith("result_2567_r12_") and name.endswith(".xlsx")
    assert unit_workbook_name(ctx, "ศอ.1") == "result_2567_r12_ศอ.1.xlsx"


def _xml_texts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist()}


@pytest.mark.parametrize("unit_id", list(UNIT_NAMES))
def test_no_other_unit_anywhere_in_the_file(
    unit_id: str, ctx: RunRecord, books: dict[str, Path]
) -> None:
    parts = _xml_texts(books[unit_id])
    others = [u for u in ctx.framework.units if u.unit_id != unit_id]
    for part, text in parts.items():
        for other in others:
            for needle in {other.unit_id, other.name, html.escape(other.name, quote=False),
                           html.escape(other.name)}:  # fmt: skip
                assert needle not in text, f"{other.unit_id} ({needle}) in {part}"
    own = ctx.framework.unit(unit_id)
    names = {own.name, html.escape(own.name, quote=False)}
    assert any(n in parts["xl/sharedStrings.xml"] for n in names)


def test_no_other_units_score_either(ctx: RunRecord, books: dict[str, Path]) -> None:
    """U01's file holds no final score of another unit (scores are distinct here)."""
    wb = load(books["U01"])
    values = {
        Decimal(str(c.value)).quantize(Decimal("0.0001"))
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, float)
    }
    scores = ctx.scored.unit_scores.set_index("unit_id")["final_score"]
    for unit_id in ("U02", "U03", "U04"):
        assert scores[unit_id] not in values, unit_id


def test_sheets_and_confidential_marking(books: dict[str, Path]) -> None:
    wb = load(books["U01"])
    assert wb.sheetnames == SHEETS
    for ws in wb.worksheets:
        assert ws["A1"].value == "ลับ"
        assert "ลับ" in (ws.oddHeader.center.text or "") and "ลับ" in ws.oddFooter.center.text
        assert RUN_ID in (ws.oddFooter.left.text or "")
        assert ws.page_setup.orientation == "landscape"


def test_summary_scores_band_and_ranks_as_numbers(ctx: RunRecord, books: dict[str, Path]) -> None:
    facts = summary(load(books["U01"]))
    row = ctx.scored.unit_scores.set_index("unit_id").loc["U01"]
    for key in ("pre_appeal_total", "pre_appeal_deduction", "pre_appeal_score",
                "total_before_deduction", "deduction", "final_score"):  # fmt: skip
        assert as_decimal(facts[key].value) == row[key], key
        assert facts[key].number_format == "0.0000"
    assert facts["band"].value == "ดี (good)"
    assert facts["rank"].value == 2 and facts["rank"].data_type == "n"
    assert facts["rank"].number_format == '"อันดับ "0" จาก 4 หน่วยงาน"'
    assert facts["cluster_rank"].value == 2
    assert facts["cluster_rank"].number_format == '"อันดับ "0" จาก 2 หน่วยงานในกลุ่ม"'
    assert facts["days_late"].value == 2
    assert facts["status"].value == "scored"
    assert facts["unit_id"].value == "U01" and facts["unit_name"].value == "กองแผนงาน"


def test_kpi_rows_with_value_criteria_score_explanation_weight(
    ctx: RunRecord, books: dict[str, Path]
) -> None:
    rows = table_rows(load(books["U01"])[SHEETS[1]], "kpis")
    expected = ctx.scored.kpi_scores[ctx.scored.kpi_scores["unit_id"] == "U01"]
    assert [r["kpi_id"] for r in rows] == list(expected["kpi_id"])
    for row, exp in zip(rows, expected.to_dict("records"), strict=True):
        assert as_decimal(row["score"]) == exp["score"]
        assert as_decimal(row["weighted_score"]) == exp["weighted_score"]
        assert Decimal(str(row["weight"])) == exp["weight"]
        assert Decimal(str(row["value"])) == exp["value"]
        assert row["explanation"] == exp["explanation"]
        assert row["status"] == exp["status"]
    assert rows[0]["criteria"] == "60 / 65 / 70 / 75 / 80"
    assert "3 + (73 − 70) ÷ (75 − 70) = 3.6000" in rows[0]["explanation"]


def test_missing_and_exempt_kpis(books: dict[str, Path]) -> None:
    rows = {r["kpi_id"]: r for r in table_rows(load(books["U04"])[SHEETS[1]], "kpis")}
    assert rows["1.1.2"]["status"] == "missing" and rows["1.1.2"]["value"] is None
    assert as_decimal(rows["1.1.2"]["score"]) == Decimal("0.0000")
    assert rows["1.2"]["status"] == "exempt" and rows["1.2"]["score"] is None


def test_subtotals_deductions_adjustments(books: dict[str, Path]) -> None:
    wb = load(books["U01"])
    subtotals = table_rows(wb[SHEETS[2]], "subtotals")
    first = subtotals[0]
    assert (first["group_id"], as_decimal(first["score"])) == ("1.1", Decimal("4.0500"))
    assert {r["level"] for r in subtotals} == {"ตัวชี้วัดหลัก (parent)", "องค์ประกอบ (component)"}
    deductions = table_rows(wb[SHEETS[3]], "deductions")
    assert [(r["days"], as_decimal(r["penalty"])) for r in deductions] == [
        (2, Decimal("0.1000")),
        (3, Decimal("0.1500")),
    ]
    assert deductions[1]["reason"] == "ส่งคู่มือตัวชี้วัดล่าช้า"
    adjustments = table_rows(wb[SHEETS[4]], "adjustments")
    assert [(a["stage"], a["kpi_id"], a["field"], a["new_value"]) for a in adjustments] == [
        ("ทบทวน (review)", "1.2", "ตัวตั้ง (numerator)", "12"),
        ("ทบทวน (review)", "*", "จำนวนวันล่าช้า (late_days)", "3"),
    ]
    assert adjustments[0]["old_value"] == "11"
    assert adjustments[0]["reference"] == "บันทึก สธ 0902/41"


def test_appeal_shows_in_the_appealing_unit(books: dict[str, Path]) -> None:
    wb = load(books["U02"])
    facts = summary(wb)
    assert as_decimal(facts["pre_appeal_score"].value) == Decimal("3.8000")
    assert as_decimal(facts["final_score"].value) == Decimal("4.4000")
    adjustments = table_rows(wb[SHEETS[4]], "adjustments")
    assert [(a["stage"], a["old_value"], a["new_value"]) for a in adjustments] == [
        ("อุทธรณ์ (appeal)", "3", "4")
    ]


def test_issues_of_the_unit_with_sheet_and_cell(books: dict[str, Path]) -> None:
    u01 = table_rows(load(books["U01"])[SHEETS[5]], "issues")
    assert [(i["where"], i["code"]) for i in u01] == [("รายงานผล!K15", "value_above_target")]
    # an issue without unit_id reaches its unit through the intake register
    u02 = table_rows(load(books["U02"])[SHEETS[5]], "issues")
    assert [i["code"] for i in u02] == ["value_decimals"]
    assert SHEETS[5] not in load(books["U04"]).sheetnames  # no problems: no sheet to print


def test_unscored_unit_gets_status_and_problems(books: dict[str, Path]) -> None:
    wb = load(books["U06"])
    facts = summary(wb)
    assert facts["status"].value == "rejected"
    for key in ("final_score", "rank", "cluster_rank", "band"):
        assert facts[key].value is None, key
    issues = table_rows(wb[SHEETS[5]], "issues")
    assert [i["code"] for i in issues] == ["template_outdated"]
    kpis = table_rows(wb[SHEETS[1]], "kpis")
    assert [k["kpi_id"] for k in kpis] == ["1.1.1", "1.1.2", "1.2", "2.1"]
    assert all(k["score"] is None for k in kpis)


def test_formula_looking_text_stays_text(books: dict[str, Path]) -> None:
    wb = load(books["U03"])
    assert summary(wb)["unit_name"].value == FORMULA_NAME
    issues = table_rows(wb[SHEETS[5]], "issues")
    assert issues[0]["value"] == FORMULA_NAME
    for name, text in _xml_texts(books["U03"]).items():
        if name.startswith("xl/worksheets/"):
            assert "<f>" not in text and "<hyperlink" not in text, name


def test_write_all_scored_units_serial_and_pool_give_the_same_bytes(
    ctx: RunRecord, tmp_path: Path
) -> None:
    serial = write_unit_workbooks(ctx, tmp_path / "serial", workers=1)
    pooled = write_unit_workbooks(ctx, tmp_path / "pool", workers=2)
    assert [p.name for p in serial] == [unit_workbook_name(ctx, u) for u in
                                        ("U01", "U02", "U03", "U04")]  # fmt: skip
    for a, b in zip(serial, pooled, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    everyone = write_unit_workbooks(ctx, tmp_path / "all", include_unscored=True)
    assert len(everyone) == len(ctx.framework.units)


def test_same_context_same_bytes(ctx: RunRecord, tmp_path: Path) -> None:
    a = write_unit_workbook(ctx, "U01", tmp_path / "a.xlsx")
    b = write_unit_workbook(small_record(), "U01", tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("unit_id", ["U01", "U04"])
def test_golden(unit_id: str, books: dict[str, Path]) -> None:
    assert_matches_golden(books[unit_id], f"unit_{unit_id}.xlsx")


def test_renders_to_pdf(books: dict[str, Path], tmp_path: Path) -> None:
    pdf = render_pdf(books["U01"], tmp_path)
    assert pdf_page_count(pdf) >= len(SHEETS)


def test_sheets_with_nothing_to_say_are_left_out_so_they_do_not_print(
    ctx: RunRecord, books: dict[str, Path]
) -> None:
    adjusted = set(ctx.scored.adjustments["unit_id"])
    index = UnitIndex(ctx)
    with_issues = {u.unit_id for u in ctx.framework.units if index.data(u.unit_id).issues}
    charged = set(ctx.scored.late_items.loc[ctx.scored.late_items["penalty"] > 0, "unit_id"])
    seen_left_out = seen_shown = 0
    for unit_id, path in books.items():
        if not path.exists():
            continue
        wb = load(path)
        for sheet, has in (("ปรับปรุงผล (adjustments)", unit_id in adjusted),
                           ("ปัญหาที่พบ (issues)", unit_id in with_issues),
                           ("หักคะแนน (deductions)", unit_id in charged)):  # fmt: skip
            # LibreOffice prints hidden sheets, so hiding is not enough: no sheet at all.
            present = sheet in wb.sheetnames
            assert present is has, (unit_id, sheet)
            assert not present or wb[sheet].sheet_state == "visible"
            seen_left_out += not present
            seen_shown += present
    assert seen_left_out and seen_shown
