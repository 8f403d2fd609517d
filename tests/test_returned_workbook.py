"""Returned workbooks: a marked-up copy of the unit's own file; the original is untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from kpi_batch.issues import Issue, error, warning
from kpi_batch.reports.returned import NOTE_SHEET, write_returned_workbook
from kpi_batch.run_layout import returned_copy_path, returned_name
from kpi_batch.specs.template import REPORT_SHEET
from kpi_batch.templates.workbook import write_unit_template
from tests.pdf_render import pdf_page_count, render_pdf
from tests.report_factories import FORMULA_TEXT
from tests.template_factories import small_framework


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def original(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    return write_unit_template(small_framework(), "U01", "R1", inbox / "2567_R1_U01.xlsx")


def _issues() -> list[Issue]:
    return [
        warning(
            "value_above_100", "ผลการดำเนินงานเกินร้อยละ 100", "above 100",
            sheet=REPORT_SHEET, cell="K15", value="120", kpi_id="1.2",
        ),
        error(
            "value_not_number", "ผลการดำเนินงานไม่ใช่ตัวเลข", "not a number",
            sheet=REPORT_SHEET, cell="K14", value="แปดสิบ", kpi_id="1.1",
        ),
        error(
            "value_range", "ค่าติดลบ", "negative",
            sheet=REPORT_SHEET, cell="K14", value="-1", kpi_id="1.1",
        ),  # a second issue on the same cell
        error(
            "denominator_zero", "ตัวหารเป็น 0", "zero denominator",
            sheet="results", cell="M15", value="0", kpi_id="1.2",
        ),  # named by its table
        warning("note_formula", "หมายเหตุดูเหมือนสูตร", "formula-like", sheet=REPORT_SHEET,
                cell="O14", value=FORMULA_TEXT),
        error("template_outdated", "แบบฟอร์มเก่า โปรดใช้ฉบับใหม่", "outdated template"),
        error("no_such_sheet", "ชีตหาย", "missing sheet", sheet="ไม่มี", cell="A1"),
    ]  # fmt: skip


def test_original_untouched_and_copy_named(original: Path, tmp_path: Path) -> None:
    before = (_sha(original), original.stat().st_mtime_ns)
    out_dir = tmp_path / "out"  # a folder, created
    out = write_returned_workbook(original, _issues(), out_dir)
    assert out == out_dir / "2567_R1_U01_xlsx_แก้ไข.xlsx" == out_dir / returned_name(original.name)
    assert (_sha(original), original.stat().st_mtime_ns) == before
    assert sorted(p.name for p in original.parent.iterdir()) == ["2567_R1_U01.xlsx"]


def test_refuses_to_write_over_the_original(original: Path) -> None:
    with pytest.raises(ValueError):
        write_returned_workbook(original, _issues(), original)


def test_contract_parts_survive(original: Path, tmp_path: Path) -> None:
    out = write_returned_workbook(original, _issues(), tmp_path / "r.xlsx")
    before, after = openpyxl.load_workbook(original), openpyxl.load_workbook(out)
    assert after.sheetnames == [NOTE_SHEET, *before.sheetnames]
    assert after.active.title == NOTE_SHEET
    assert sum(ws.sheet_view.tabSelected for ws in after.worksheets) == 1
    ws_before, ws_after = before[REPORT_SHEET], after[REPORT_SHEET]
    assert set(ws_after.tables) == {"results"}
    assert ws_after.tables["results"].ref == ws_before.tables["results"].ref
    assert {n: d.attr_text for n, d in after.defined_names.items()} == {
        n: d.attr_text for n, d in before.defined_names.items()
    }
    assert ws_after.protection.sheet and ws_before.protection.sheet
    assert len(ws_after.data_validations.dataValidation) == len(
        ws_before.data_validations.dataValidation
    )
    assert ws_after["K14"].protection.locked is False  # the unit can still type the fix


def test_cells_marked_with_fill_and_thai_comment(original: Path, tmp_path: Path) -> None:
    out = write_returned_workbook(original, _issues(), tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(out)[REPORT_SHEET]
    red, orange = ws["K14"].fill.fgColor.rgb, ws["K15"].fill.fgColor.rgb
    assert (
        red != orange and ws["M15"].fill.fgColor.rgb == red and ws["O14"].fill.fgColor.rgb == orange
    )
    comment = ws["K14"].comment.text
    assert "ผลการดำเนินงานไม่ใช่ตัวเลข" in comment and "ค่าติดลบ" in comment
    assert "วิธีแก้" in comment and "value_not_number" in comment
    assert ws["M15"].comment is not None  # located through the table name
    assert ws["A1"].comment is None


def test_note_sheet_lists_every_issue(original: Path, tmp_path: Path) -> None:
    out = write_returned_workbook(original, _issues(), tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(out)[NOTE_SHEET]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=7)]
    assert [r[6] for r in rows] == [
        "no_such_sheet", "template_outdated", "value_not_number", "value_range",
        "denominator_zero", "note_formula", "value_above_100",
    ]  # fmt: skip
    where = {r[6]: r[1] for r in rows}
    assert where["template_outdated"] == "ทั้งไฟล์ (whole file)"
    assert where["no_such_sheet"] == "ไม่มี!A1"  # shown, not linked
    assert where["denominator_zero"] == f"{REPORT_SHEET}!M15"
    link = ws.cell(7 + 2, 2).hyperlink
    assert link is not None and link.location == f"'{REPORT_SHEET}'!K14"
    formula_like = next(c for row in ws.iter_rows() for c in row if c.value == FORMULA_TEXT)
    assert formula_like.data_type == "s"
    assert ws.freeze_panes == "A7"


def test_returned_again_replaces_our_marks(original: Path, tmp_path: Path) -> None:
    first = write_returned_workbook(original, _issues(), tmp_path / "first.xlsx")
    second = write_returned_workbook(first, _issues()[:1], tmp_path / "second.xlsx")
    wb = openpyxl.load_workbook(second)
    assert wb.sheetnames.count(NOTE_SHEET) == 1
    ws = wb[REPORT_SHEET]
    assert ws["K14"].comment is None and ws["K15"].comment is not None
    assert len(list(wb[NOTE_SHEET].iter_rows(min_row=7))) == 1


def test_unreadable_original_gets_a_note_only_workbook(tmp_path: Path) -> None:
    original = tmp_path / "U02.xlsx"
    original.write_bytes(b"not a zip")
    out = write_returned_workbook(
        original, [error("unreadable", "เปิดไม่ได้", "bad")], tmp_path / "r.xlsx"
    )
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [NOTE_SHEET]
    assert "เปิดไฟล์ที่ส่งมาไม่ได้" in str(wb[NOTE_SHEET]["A4"].value)
    assert original.read_bytes() == b"not a zip"


def test_hand_made_workbook_with_table_and_names(tmp_path: Path) -> None:
    """Any workbook works, not only our template: openpyxl-made, with a sheet-scoped name."""
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.table import Table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "data"
    ws.append(["kpi_id", "value"])
    ws.append(["1.1", "x"])
    ws.add_table(Table(displayName="results", ref="A1:B2"))
    wb.defined_names["unit_id"] = DefinedName("unit_id", attr_text="data!$A$2")
    ws.defined_names["local"] = DefinedName("local", attr_text="data!$B$2")
    wb.create_sheet("other").sheet_view.tabSelected = True
    src = tmp_path / "hand.xlsx"
    wb.save(src)
    out = write_returned_workbook(src, [error("x", "ผิด", "bad", sheet="data", cell="B2")], tmp_path)
    back = openpyxl.load_workbook(out)
    assert back.sheetnames == [NOTE_SHEET, "data", "other"]
    assert "results" in back["data"].tables and "unit_id" in back.defined_names
    assert back["data"].defined_names["local"].attr_text == "data!$B$2"
    assert sum(ws.sheet_view.tabSelected for ws in back.worksheets) == 1


def test_libreoffice_renders_it(original: Path, tmp_path: Path) -> None:
    out = write_returned_workbook(original, _issues(), tmp_path / "returned.xlsx")
    # the note, then the unit's report and instructions sheets as they were
    assert pdf_page_count(render_pdf(out, tmp_path / "pdf")) >= 3


def test_same_name_in_two_folders_gets_two_copies(tmp_path: Path) -> None:
    """Two districts each send `report.xlsx`; each gets its own marked-up copy back."""
    import dataclasses
    import datetime as dt

    from kpi_batch.intake import run_intake
    from kpi_batch.reports.pool import run_jobs
    from kpi_batch.reports.writeall import returned_jobs
    from kpi_batch.templates.fill import fill_template
    from tests.run_record_factories import small_record

    fw = small_framework()
    inbox = tmp_path / "inbox"
    for folder, unit_id in (("เขต1", "U01"), ("เขต2", "U02")):
        (inbox / folder).mkdir(parents=True)
        template = write_unit_template(fw, unit_id, "R1", tmp_path / f"{unit_id}.xlsx")
        # no submitted_on: each file is flagged (a warning), so each is returned
        fill_template(template, {"1.1": "แปดสิบ"}, out=inbox / folder / "report.xlsx")
    intake = run_intake(inbox, fw, "R1", dt.date(2024, 4, 10))
    assert sorted(intake.register["status"]) == ["accepted_with_warnings"] * 2
    record = dataclasses.replace(  # only the register, inbox and issues are read
        small_record(),
        inputs=intake.register,
        inbox=intake.inbox,
        intake_issues=tuple(intake.issues),
    )
    paths, jobs = returned_jobs(record, tmp_path / "run")
    run_jobs(jobs, 1, lambda fn, n: None)
    assert sorted(p.relative_to(tmp_path / "run") for p in paths) == [
        Path("returned/เขต1/report_xlsx_แก้ไข.xlsx"),
        Path("returned/เขต2/report_xlsx_แก้ไข.xlsx"),
    ]
    for path, unit_id in zip(sorted(paths), ("U01", "U02"), strict=True):
        wb = openpyxl.load_workbook(path)
        assert wb.defined_names["unit_id"].attr_text  # a real copy, not a stub
        assert (
            wb[REPORT_SHEET][
                wb.defined_names["unit_id"].attr_text.split("!")[1].replace("$", "")
            ].value
            == unit_id
        )
    assert returned_copy_path("report.xlsx") == "report_xlsx_แก้ไข.xlsx"
    assert returned_copy_path("a/b/x.xlsm") == "a/b/x_xlsm_แก้ไข.xlsx"
