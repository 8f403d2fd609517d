"""The validation report workbook, from hand-made issues and registers."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kpi_batch.reports.validation import REPORT_NAME, RunLabel, write_validation_report
from tests.golden_compare import assert_matches_golden
from tests.pdf_render import pdf_page_count, render_pdf
from tests.report_factories import (
    FORMULA_TEXT,
    UNITS,
    sample_issues,
    sample_register,
)


def _rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[list[object]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


@pytest.fixture
def report(tmp_path: Path) -> Path:
    return write_validation_report(tmp_path, sample_issues(), sample_register(), UNITS)


def test_name_sheets_and_tables(report: Path) -> None:
    assert report.name == REPORT_NAME and "validation" in report.name
    wb = openpyxl.load_workbook(report)
    assert wb.sheetnames == ["สรุปรายหน่วยงาน (units)", "ปัญหาที่พบ (issues)", "ไฟล์ที่รับ (files)"]
    tables = {name: set(wb[name].tables) for name in wb.sheetnames}
    assert list(tables.values()) == [{"units"}, {"issues"}, {"files"}]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9
        assert ws.print_title_rows == "$1:$1"
        assert ws["A2"].font.name == "TH Sarabun New"
        # Thai first, the key in parentheses
        assert all(str(c.value).endswith(")") for c in ws[1] if c.value != "round_id")


def test_one_row_per_issue_with_place_and_severity(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["ปัญหาที่พบ (issues)"]
    header, *rows = _rows(ws)
    assert header[:4] == [
        "ไฟล์ (file)",
        "หน่วยงาน (unit_id)",
        "ชื่อหน่วยงาน (unit_name)",
        "ตำแหน่ง (where)",
    ]
    by_code = {r[6]: r for r in rows}
    assert len(rows) == 5
    # unit, file; errors before warnings; issues with no unit last
    assert [r[6] for r in rows] == [
        "value_not_number", "value_above_100", "note_formula", "template_outdated",
        "adjustment_unknown_kpi",
    ]  # fmt: skip
    assert by_code["value_not_number"][3] == "results!H7"
    assert by_code["value_not_number"][5] == "ผิดพลาด (error)"
    assert by_code["value_above_100"][5] == "คำเตือน (warning)"
    assert by_code["note_formula"][1:3] == ["U02", "สำนักงานเลขานุการกรม"]  # via the register
    assert by_code["template_outdated"][3] is None  # whole file: no cell
    assert by_code["adjustment_unknown_kpi"][1] is None
    fills = {r[6]: ws.cell(i + 2, 6).fill.fgColor.rgb for i, r in enumerate(rows)}
    assert fills["value_not_number"] != fills["value_above_100"]


def test_input_text_is_never_a_formula(report: Path) -> None:
    wb = openpyxl.load_workbook(report)
    found = [
        (ws.title, c.coordinate, c.data_type)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value == FORMULA_TEXT
    ]
    assert len(found) == 2 and all(kind == "s" for _, _, kind in found)
    with zipfile.ZipFile(report) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in z.read(n) for n in sheets)


def test_fonts_are_not_theme_fonts(report: Path) -> None:
    """A theme-scheme font would show as Calibri in Excel (the theme's minor font)."""
    with zipfile.ZipFile(report) as z:
        styles = z.read("xl/styles.xml")
    assert b"TH Sarabun New" in styles and b"<scheme" not in styles


def test_unit_summary(report: Path) -> None:
    header, *rows = _rows(openpyxl.load_workbook(report)["สรุปรายหน่วยงาน (units)"])
    assert header == [
        "รหัสหน่วยงาน (unit_id)", "หน่วยงาน (unit_name)", "จำนวนไฟล์ (files)", "สถานะ (status)",
        "ข้อผิดพลาด (errors)", "คำเตือน (warnings)",
    ]  # fmt: skip
    assert rows == [
        ["U01", "กองแผนงาน", 1, "รับแล้ว (accepted)", 1, 1],
        ["U02", "สำนักงานเลขานุการกรม", 1, "รับแล้ว (accepted)", 1, 0],
        ["U03", "ศูนย์อนามัยที่ 1", 1, "ไม่รับ (rejected)", 1, 0],
        [None, "(ไม่ระบุหน่วยงาน)", 0, None, 1, 0],
    ]


def test_units_without_files_and_unknown_units(tmp_path: Path) -> None:
    register = sample_register()
    register.loc[3] = ["inbox/x.xlsx", "d" * 64, 1, "U99", "rejected", 1, 0, "", "R1"]
    path = write_validation_report(tmp_path / "v.xlsx", [], register, {**UNITS, "U04": "กองคลัง"})
    _, *rows = _rows(openpyxl.load_workbook(path)["สรุปรายหน่วยงาน (units)"])
    assert [r[0] for r in rows] == ["U01", "U02", "U03", "U04", "U99"]
    assert rows[3][2:4] == [0, "ไม่ได้ส่ง (missing)"]


def test_files_sheet_follows_the_register(report: Path) -> None:
    header, *rows = _rows(openpyxl.load_workbook(report)["ไฟล์ที่รับ (files)"])
    assert header == [
        "ไฟล์ (path)", "รหัสหน่วยงาน (unit_id)", "สถานะ (status)", "ข้อผิดพลาด (errors)",
        "คำเตือน (warnings)", "เหตุผล (reasons)", "รอบ (round_id)", "ขนาด (ไบต์) (size)",
        "ค่าตรวจสอบ (sha256)",
    ]  # fmt: skip
    assert rows[0] == [
        "inbox/U01_กองแผนงาน.xlsx", "U01", "รับแล้ว (accepted)", 1, 1, None, "R1", 12345, "a" * 64,
    ]  # fmt: skip


def test_register_extras_read_as_people_read_them(tmp_path: Path) -> None:
    """Thai headings, BE dates and issues as text: never an ISO stamp or a Python dict."""
    register = sample_register()
    register["modified"] = "2024-03-04T22:30:00"
    register["submitted_on"] = "2024-03-04"
    register["submitted_on_source"] = "workbook"
    register["superseded_by"] = ""
    issue = {
        "code": "cell_not_number",
        "severity": "error",
        "where": "รายงานผล!N14",
        "kpi_id": "1.1.1",
    }
    register["issues"] = [[issue], [], []]
    path = write_validation_report(tmp_path / "v.xlsx", [], register, UNITS)
    header, first, *_ = _rows(openpyxl.load_workbook(path)["ไฟล์ที่รับ (files)"])
    row = dict(zip(header, first, strict=True))
    assert row["วันที่ส่ง (submitted_on)"] == "4 มี.ค. 2567"
    assert row["แก้ไขไฟล์ล่าสุด (modified)"] == "4 มี.ค. 2567 22:30"
    assert row["ที่มาของวันที่ส่ง (submitted_on_source)"] == "วันที่ในแบบฟอร์ม (workbook)"
    assert row["ปัญหาในไฟล์ (issues)"] == "cell_not_number รายงานผล!N14 1.1.1"
    assert all(re.search(r"[\u0e00-\u0e7f]", h) for h in header)  # a Thai heading on each


def test_run_id_round_and_as_of_on_every_printed_page(tmp_path: Path) -> None:
    run = RunLabel("2567/R1/2024-03-15_1", "รอบ 6 เดือน (R1)", dt.date(2024, 3, 15))
    path = write_validation_report(
        tmp_path / "v.xlsx", sample_issues(), sample_register(), UNITS, run
    )
    for ws in openpyxl.load_workbook(path).worksheets:
        header, footer = ws.oddHeader, ws.oddFooter
        text = " ".join(str(p.text) for p in (header.left, header.right, footer.left, footer.right))
        assert "2567/R1/2024-03-15_1" in text and "รอบ 6 เดือน (R1)" in text, ws.title
        assert "15 มี.ค. 2567" in text, ws.title
        assert "&P" in str(footer.center.text), ws.title


def test_no_issues_and_empty_register(tmp_path: Path) -> None:
    path = write_validation_report(tmp_path / "validation.xlsx", [], pd.DataFrame(), {})
    wb = openpyxl.load_workbook(path)
    assert _rows(wb["ปัญหาที่พบ (issues)"])[1][7] == "ไม่พบปัญหา"
    assert _rows(wb["สรุปรายหน่วยงาน (units)"])[1:] == [["ไม่มีข้อมูล (no data)"] + [None] * 5]


def test_same_inputs_same_bytes(tmp_path: Path) -> None:
    a = write_validation_report(tmp_path / "a.xlsx", sample_issues(), sample_register(), UNITS)
    b = write_validation_report(
        tmp_path / "b.xlsx", list(reversed(sample_issues())), sample_register(), UNITS
    )
    assert a.read_bytes() == b.read_bytes()


def test_matches_golden(report: Path) -> None:
    assert_matches_golden(report, "validation_report.xlsx")


def test_libreoffice_renders_it(report: Path, tmp_path: Path) -> None:
    # one page per sheet: English messages and checksums are left out of the print area
    assert pdf_page_count(render_pdf(report, tmp_path / "pdf")) == 3


# --- header and footer as Excel reads them ------------------------------------------------

_HF_CODE = re.compile(r'&(&|"[^"]*"|\d+|[LCR]|[PNDTFAZGBIUESXYKOH])')


def printed_sections(code: str) -> dict[str, str]:
    """What Excel prints of a header/footer string: section letter -> visible text, with
    `&P`/`&N` as `<P>`/`<N>`. Font (`&"..."`) and size (`&14`, every digit that follows
    the `&`) codes print nothing, which is how a run id `2567_…` right after `&11` is lost."""
    sections = {"L": "", "C": "", "R": ""}
    current, pos = "C", 0
    for m in _HF_CODE.finditer(code):
        sections[current] += code[pos : m.start()]
        token = m[1]
        if token == "&":
            sections[current] += "&"
        elif token in "LCR":
            current = token
        elif token in ("P", "N"):
            sections[current] += f"<{token}>"
        pos = m.end()
    sections[current] += code[pos:]
    return sections


@pytest.mark.parametrize("run_id", ["2567_R1_2024-03-15_1", "2567/R1/2024-03-15_1", "R&D_1"])
def test_footer_prints_the_whole_run_id(tmp_path: Path, run_id: str) -> None:
    run = RunLabel(run_id, "6 เดือน (R1)", dt.date(2024, 3, 15))
    path = write_validation_report(
        tmp_path / "v.xlsx", sample_issues(), sample_register(), UNITS, run
    )
    for ws in openpyxl.load_workbook(path).worksheets:
        header = printed_sections(_raw(path, ws.title, "oddHeader"))
        footer = printed_sections(_raw(path, ws.title, "oddFooter"))
        assert footer["L"] == f"รหัสการประมวลผล {run_id}", ws.title
        assert footer["C"] == "หน้า <P> / <N>", ws.title
        assert footer["R"] == "ข้อมูล ณ วันที่ 15 มี.ค. 2567", ws.title
        assert header["R"] == "6 เดือน (R1)", ws.title  # a round name that starts with a digit
        assert header["L"].startswith("รายงานผลการตรวจสอบไฟล์"), ws.title


def _raw(path: Path, sheet_title: str, element: str) -> str:
    """The header/footer string exactly as stored in the sheet's XML."""
    wb = openpyxl.load_workbook(path)
    index = wb.sheetnames.index(sheet_title) + 1
    with zipfile.ZipFile(path) as zf:
        xml = zf.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")
    m = re.search(rf"<{element}>(.*?)</{element}>", xml, re.S)
    assert m, element
    return html.unescape(m[1])


def test_rendered_footer_shows_the_run_id(tmp_path: Path) -> None:
    # header and footer parts that start with digits, as a run id or a round name may
    run = RunLabel("2567_R1_2024-03-15_1", "6 เดือน (R1)", dt.date(2024, 3, 15))
    path = write_validation_report(
        tmp_path / "v.xlsx", sample_issues(), sample_register(), UNITS, run
    )
    pdf = render_pdf(path, tmp_path / "pdf")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert text.count("รหัสการประมวลผล 2567_R1_2024-03-15_1") == 3  # one page per sheet
    assert len(re.findall(r"(?<!\S)6 เดือน \(R1\)", text)) == 3
