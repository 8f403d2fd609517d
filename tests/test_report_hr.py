"""The HR workbook: read back with openpyxl, marked ลับ, a golden copy, a PDF.

The scored round is `tests/run_record_factories.small_record` (six units, two clusters; one
missing, one rejected, one late, one appeal). Golden: `tests/golden/hr.xlsx`; regenerate
with `KPI_BATCH_REGENERATE_GOLDEN=1 .venv/bin/pytest tests/test_report_hr.py -k golden`.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from kpi_batch.reports.hr import HR_SHEET, NOTES_SHEET, write_hr_workbook
from kpi_batch.run_record import RunRecord
from kpi_batch.schemas.scoring import HR_COLUMNS
from tests.golden_compare import assert_matches_golden
from tests.pdf_render import pdf_page_count, render_pdf
from tests.run_record_factories import FINGERPRINT, FORMULA_NAME, RUN_ID, small_record

Q = Decimal("0.0001")
SCORES = ("pre_appeal_score", "deduction", "final_score")


@pytest.fixture(scope="module")
def ctx() -> RunRecord:
    return small_record()


@pytest.fixture(scope="module")
def book(ctx: RunRecord, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_hr_workbook(ctx, tmp_path_factory.mktemp("hr") / "hr.xlsx")


@pytest.fixture(scope="module")
def wb(book: Path) -> Any:
    return openpyxl.load_workbook(book)


def key_of(heading: str) -> str:
    match = re.search(r"\((\w+)\)$", heading)
    assert match, heading
    return match[1]


def table_cells(ws: Worksheet, name: str) -> tuple[list[str], list[list[Any]]]:
    """An Excel table's headings and its rows of cells."""
    rows = list(ws[ws.tables[name].ref])
    return [str(c.value) for c in rows[0]], [list(r) for r in rows[1:]]


def table_rows(ws: Worksheet, name: str) -> list[dict[str, Any]]:
    headings, rows = table_cells(ws, name)
    keys = [key_of(h) for h in headings]
    return [dict(zip(keys, (c.value for c in r), strict=True)) for r in rows]


def as_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Q)


def test_folder_gets_default_name(ctx: RunRecord, tmp_path: Path) -> None:
    assert write_hr_workbook(ctx, tmp_path) == tmp_path / "hr.xlsx"


def test_hr_table_headers_end_with_domain_keys_in_order(wb: Any) -> None:
    headings, _ = table_cells(wb[HR_SHEET], "hr")
    keys = [key_of(h) for h in headings]
    # DOMAIN §7 keys in their order, the Thai names next to their ids, extras at the end
    assert [k for k in keys if k in HR_COLUMNS] == list(HR_COLUMNS)
    assert keys.index("cluster_name") == keys.index("cluster_id") + 1
    assert keys.index("band_name") == keys.index("band") + 1
    assert keys[-2:] == ["appeal_change", "deduction_reasons"]
    assert keys[-5:-2] == ["total_before_deduction", "received_on", "date_source"]
    for heading, key in zip(headings, keys, strict=True):
        assert heading.endswith(f" ({key})") and len(heading) > len(key) + 3  # Thai label first
    assert "คะแนนสุดท้าย (final_score)" in headings


def test_one_row_per_unit_in_rank_order_with_the_scored_values(wb: Any, ctx: RunRecord) -> None:
    rows = table_rows(wb[HR_SHEET], "hr")
    expected = ctx.scored.unit_scores.to_dict("records")
    assert [r["unit_id"] for r in rows] == [e["unit_id"] for e in expected]
    assert len(rows) == len(ctx.framework.units)
    for row, exp in zip(rows, expected, strict=True):
        assert row["unit_name"] == exp["unit_name"]
        assert row["cluster_id"] == exp["cluster_id"]
        assert row["status"] == exp["status"]
        if exp["status"] != "scored":
            continue
        for key in SCORES:
            assert as_decimal(row[key]) == exp[key], (exp["unit_id"], key)
        for key in ("rank", "cluster_rank", "days_late"):
            assert row[key] == int(exp[key])
        assert row["band"] == exp["band"] and row["band_name"] == exp["band_name"]
        assert as_decimal(row["appeal_change"]) == exp["final_score"] - exp["pre_appeal_score"]


def test_unscored_units_come_last_with_status_and_empty_cells(wb: Any) -> None:
    rows = table_rows(wb[HR_SHEET], "hr")
    assert [(r["unit_id"], r["status"]) for r in rows[-2:]] == [
        ("U05", "missing"),
        ("U06", "rejected"),
    ]
    for row in rows[-2:]:
        for key in (*SCORES, "band", "rank", "cluster_rank", "days_late", "appeal_change"):
            assert row[key] is None, (row["unit_id"], key)
        assert row["unit_name"] and row["cluster_id"]


def test_appeal_change_is_shown(wb: Any) -> None:
    rows = {r["unit_id"]: r for r in table_rows(wb[HR_SHEET], "hr")}
    assert as_decimal(rows["U02"]["appeal_change"]) == Decimal("0.6000")
    assert as_decimal(rows["U01"]["appeal_change"]) == Decimal("0.0000")


def test_number_formats(wb: Any) -> None:
    ws = wb[HR_SHEET]
    headings, rows = table_cells(ws, "hr")
    keys = [key_of(h) for h in headings]
    first = dict(zip(keys, rows[0], strict=True))
    for key in SCORES:
        assert first[key].number_format == "0.0000"
        assert first[key].data_type == "n"
    assert first["appeal_change"].number_format == "+0.0000;-0.0000;0.0000"
    assert first["rank"].number_format == "0"
    status = first["status"]
    assert status.value == "scored" and "ได้คะแนน" in status.number_format


def test_band_cells_are_coloured_by_band(wb: Any) -> None:
    ws = wb[HR_SHEET]
    headings, rows = table_cells(ws, "hr")
    col = [key_of(h) for h in headings].index("band")
    fills: dict[str, set[str]] = {}
    for row in rows:
        if row[col].value is not None:
            fills.setdefault(row[col].value, set()).add(row[col].fill.fgColor.rgb)
    assert set(fills) == {"good", "fair"}
    assert all(len(f) == 1 for f in fills.values())
    assert fills["good"] != fills["fair"]
    unscored = rows[-1][col]
    assert unscored.fill.fgColor.rgb in (None, "00000000")


def test_one_sheet_per_cluster_in_cluster_rank_order(wb: Any, ctx: RunRecord) -> None:
    assert wb.sheetnames == [HR_SHEET, "กลุ่ม c1", "กลุ่ม c2", NOTES_SHEET]
    c1 = table_rows(wb["กลุ่ม c1"], "cluster_1")
    c2 = table_rows(wb["กลุ่ม c2"], "cluster_2")
    assert [(r["unit_id"], r["cluster_rank"]) for r in c1] == [
        ("U02", 1),
        ("U01", 2),
        ("U06", None),
    ]
    assert [(r["unit_id"], r["cluster_rank"]) for r in c2] == [
        ("U04", 1),
        ("U03", 2),
        ("U05", None),
    ]
    assert {r["cluster_id"] for r in c1} == {"c1"}


def test_marked_confidential_on_screen_and_in_print(wb: Any) -> None:
    for ws in wb.worksheets:
        assert ws["A1"].value == "ลับ", ws.title
        assert "ลับ" in (ws.oddHeader.center.text or ""), ws.title
        assert "ลับ" in (ws.oddFooter.center.text or ""), ws.title
        assert RUN_ID in (ws.oddFooter.left.text or ""), ws.title


def test_frozen_filtered_printable(wb: Any) -> None:
    ws = wb[HR_SHEET]
    header_row = openpyxl.utils.cell.range_boundaries(ws.tables["hr"].ref)[1]
    assert ws.freeze_panes == f"C{header_row + 1}"
    assert ws.tables["hr"].autoFilter is not None
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == f"${header_row}:${header_row}"
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_notes_say_how_scores_were_computed(wb: Any, ctx: RunRecord) -> None:
    text = "\n".join(
        str(c.value) for row in wb[NOTES_SHEET].iter_rows() for c in row if c.value is not None
    )
    for needle in (
        RUN_ID,
        "รอบ 12 เดือน (r12)",
        "1 ต.ค. 2566 – 30 ก.ย. 2567",
        "15 ตุลาคม 2567",  # as-of date, Buddhist era
        FINGERPRINT,
        "จำนวนทศนิยม (decimals)",
        "(half_up)",
        "0.05",
        "0.25",
        "(fixed)",
        *ctx.inputs["sha256"],
        *ctx.inputs["path"],
    ):
        assert needle in text, needle
    bands = table_rows(wb[NOTES_SHEET], "bands")
    assert [b["band_id"] for b in bands] == ["excellent", "good", "fair", "improve"]
    assert as_decimal(bands[1]["lower"]) == Decimal("3.5") and as_decimal(
        bands[1]["upper"]
    ) == Decimal("4.5")
    inputs = table_rows(wb[NOTES_SHEET], "inputs")
    assert [i["sha256"] for i in inputs] == list(ctx.inputs["sha256"])


def test_formula_looking_name_stays_text(wb: Any, book: Path) -> None:
    rows = {r["unit_id"]: r for r in table_rows(wb[HR_SHEET], "hr")}
    assert rows["U03"]["unit_name"] == FORMULA_NAME
    with zipfile.ZipFile(book) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name), name
                assert b"<hyperlink" not in z.read(name), name


def test_same_context_same_bytes(ctx: RunRecord, tmp_path: Path) -> None:
    a = write_hr_workbook(ctx, tmp_path / "a.xlsx")
    b = write_hr_workbook(small_record(), tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()


def test_golden(book: Path) -> None:
    assert_matches_golden(book, "hr.xlsx")


def test_renders_to_pdf(book: Path, tmp_path: Path) -> None:
    pdf = render_pdf(book, tmp_path)
    assert pdf_page_count(pdf) >= 4  # the table, two clusters, the notes
