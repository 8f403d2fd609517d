"""The XML writer of returned copies gives what the openpyxl writer gives, and steps aside
(None) for packages it does not edit."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
from openpyxl.comments import Comment

from kpi_batch.issues import Issue, error, warning
from kpi_batch.reports import returned_xml
from kpi_batch.reports.returned import _openpyxl_copy, write_returned_workbook
from kpi_batch.reports.returned_plan import NOTE_SHEET, plan
from kpi_batch.specs.template import REPORT_SHEET
from kpi_batch.templates.workbook import write_unit_template
from tests.template_factories import small_framework


@pytest.fixture
def original(tmp_path: Path) -> Path:
    return write_unit_template(small_framework(), "U01", "R1", tmp_path / "2567_R1_U01.xlsx")


ISSUES = [
    error("value_not_number", "ไม่ใช่ตัวเลข", "not a number", sheet=REPORT_SHEET, cell="K14",
          value="แปด<สิบ> & \x01", kpi_id="1.1"),
    warning("value_above_100", "เกินร้อยละ 100", "above 100", sheet=REPORT_SHEET, cell="K15",
            value="120", kpi_id="1.2"),
    error("denominator_zero", "ตัวหารเป็น 0", "zero", sheet="results", cell="M15", value="0"),
    error("template_outdated", "แบบฟอร์มเก่า", "outdated"),
]  # fmt: skip


def _fast(path: Path, issues: list[Issue]) -> bytes | None:
    return returned_xml.marked_copy(
        path.read_bytes(), lambda sheets, tables: plan(issues, sheets, tables, path.name, True)
    )


def _slow(path: Path, issues: list[Issue]) -> bytes:
    out = io.BytesIO()
    _openpyxl_copy(path.read_bytes(), path, issues).save(out)
    return out.getvalue()


def _colour(c: Any) -> str | None:
    return None if c is None or c.rgb is None else str(c.rgb)[-6:]


def _summary(data: bytes) -> dict[str, Any]:
    """What a reader sees: sheets, names, every cell's value, fill, font and comment, links."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    out: dict[str, Any] = {
        "sheets": wb.sheetnames,
        "active": wb.active.title,
        "names": {n: d.attr_text for n, d in wb.defined_names.items()},
        "selected": [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected],
    }
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                fill = _colour(c.fill.fgColor) if c.fill.fill_type == "solid" else None
                comment = c.comment.text if c.comment else None
                link = c.hyperlink.location if c.hyperlink else None
                if c.value in (None, "") and fill is None and comment is None:
                    continue  # openpyxl drops cells of empty text; the XML path keeps them
                font = (c.font.b, c.font.u, _colour(c.font.color), c.font.sz)
                locked = c.protection.locked
                cells[c.coordinate] = (c.value, fill, comment, link, font, locked)
        out[ws.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "freeze": ws.freeze_panes,
            "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height},
            "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth},
            "titles": ws.print_title_rows,
            "tables": dict(ws.tables.items()),  # name -> ref
            "validations": len(ws.data_validations.dataValidation),
            "protected": ws.protection.sheet,
            "local names": {n: d.attr_text for n, d in ws.defined_names.items()},
            "landscape": ws.page_setup.orientation,
        }
    return out


def test_our_template_takes_the_xml_path_and_reads_as_the_openpyxl_copy(original: Path) -> None:
    fast = _fast(original, ISSUES)
    assert fast is not None
    assert _summary(fast) == _summary(_slow(original, ISSUES))
    summary = _summary(fast)
    assert summary["sheets"][0] == NOTE_SHEET and summary["selected"] == [NOTE_SHEET]
    assert summary[REPORT_SHEET]["cells"]["K14"][5] is False  # still unlocked for the fix
    with zipfile.ZipFile(io.BytesIO(fast)) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels", ".vml")):
                ElementTree.fromstring(z.read(name))  # well-formed, control characters escaped


def test_the_same_input_gives_the_same_bytes(original: Path) -> None:
    assert _fast(original, ISSUES) == _fast(original, ISSUES)


def test_no_issue_with_a_cell_still_gets_the_note(original: Path) -> None:
    only_file = [error("template_outdated", "แบบฟอร์มเก่า", "outdated")]
    fast = _fast(original, only_file)
    assert fast is not None
    assert _summary(fast) == _summary(_slow(original, only_file))


def test_the_units_own_comment_sends_it_to_openpyxl(original: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(original)
    wb[REPORT_SHEET]["K14"].comment = Comment("ค่านี้ประมาณการ", "unit")
    commented = tmp_path / "commented.xlsx"
    wb.save(commented)
    assert _fast(commented, ISSUES) is None
    out = write_returned_workbook(commented, ISSUES, tmp_path / "out.xlsx")
    text = openpyxl.load_workbook(out)[REPORT_SHEET]["K14"].comment.text
    assert text.startswith("ค่านี้ประมาณการ") and "ไม่ใช่ตัวเลข" in text


def test_a_cell_without_an_element_sends_it_to_openpyxl(original: Path, tmp_path: Path) -> None:
    far = [error("x", "ผิด", "bad", sheet=REPORT_SHEET, cell="ZZ900")]
    assert _fast(original, far) is None
    out = write_returned_workbook(original, far, tmp_path / "out.xlsx")
    assert openpyxl.load_workbook(out)[REPORT_SHEET]["ZZ900"].comment is not None


def test_a_copy_of_a_copy_goes_to_openpyxl(original: Path, tmp_path: Path) -> None:
    first = write_returned_workbook(original, ISSUES, tmp_path / "first.xlsx")
    assert _fast(first, ISSUES[:1]) is None  # it has our comments and note sheet
