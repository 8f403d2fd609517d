"""Returned workbooks: the unit's own file, marked up, ready to send back for correction.

    write_returned_workbook(original, issues_for_file, out_path) -> Path

The copy gets
- a new first sheet `แก้ไข` (to fix) listing every issue: where (a link to the cell),
  severity, KPI, what is wrong and what to do, the value as found. Issues without a cell
  (the whole file: an old template, a missing sheet) are listed there only;
- on each offending cell a fill (red: must fix, orange: please check) and a Thai comment
  with the message and what to do.

Everything else is the unit's workbook as it was: defined names, the `results` table, data
validations and sheet protection survive, so the unit can correct the cells and send the same
file again. The fills stay after a cell is corrected; the note says so.

Two writers make the same copy from one `returned_plan.Markup`: `returned_xml` edits the
package's XML and copies every other part byte for byte (~3 ms a file; used whenever it
recognises the package, which it does for our templates and Excel's re-saves of them);
openpyxl reads and rewrites the whole workbook (~33 ms) for everything else — a copy of a
copy, a file with comments of its own, an unusual package. openpyxl drops images and
charts, which the template does not have.

The original is read into memory and never written, moved or re-saved. The copy is named
`<original stem>_<extension>_แก้ไข.xlsx` (`run_layout.returned_name`), always an .xlsx without
macros; `out_path` is either the file to write
(ending in .xlsx) or a folder to put it in (created when missing). Intake identifies a
submission by its defined names, not its file name, so a unit may send the copy back under
any name. A copy of a copy replaces the old `แก้ไข` sheet and the old kpi_batch comments.

If the original cannot be opened (not an xlsx, damaged, password-protected), the copy is a
workbook with the `แก้ไข` sheet alone, so the unit still learns what went wrong.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import quote_sheetname
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink

from kpi_batch.intake.container import Limits, Rejection, inspect
from kpi_batch.intake.mail import attachment_bytes
from kpi_batch.issues import Issue
from kpi_batch.reports import returned_xml
from kpi_batch.reports.palette import SEVERITY_COLOURS
from kpi_batch.reports.returned_plan import (
    AUTHOR,
    COLUMNS,
    HEADER_ROW,
    NO_ISSUES,
    NOTE_SHEET,
    TITLE_SIZE,
    Markup,
    plan,
)
from kpi_batch.run_layout import returned_name
from kpi_batch.scoring.late_terms import ResubmitTerms
from kpi_batch.workbook_style import FONT, FONT_SIZE

UNIT_ROW = HEADER_ROW - 1  # free: the lines above end on row 4 at most


def write_returned_workbook(
    original: Path,
    issues_for_file: Sequence[Issue],
    out_path: Path,
    readable: bool = True,
    limits: Limits | None = None,
    unit_id: str = "",
    terms: ResubmitTerms | None = None,
) -> Path:
    """Write the marked-up copy of `original` (see the module docstring); returns its path.

    `readable=False` (intake refused the file itself: a zip bomb, damaged, unreadable) means
    the original is never opened again: the copy is the note sheet alone. Otherwise the
    original is read at most `limits.max_file_bytes` and goes through intake's safety checks
    again (it may have changed since) before any zip or XML reader sees it; whatever the
    file makes a reader raise gives the note-only copy, never the batch's end. A note-only
    copy names `unit_id` (the unit intake found, if any) in a defined name of that name, so
    the e-mail check can tell whose it is."""
    is_file = out_path.suffix.lower() in (".xlsx", ".xlsm") and not out_path.is_dir()
    target = out_path if is_file else out_path / returned_name(original.name)
    if target.resolve() == original.resolve():
        raise ValueError(f"refusing to overwrite the unit's own file {original}")
    target.parent.mkdir(parents=True, exist_ok=True)
    data = _checked_bytes(original, limits or Limits()) if readable else None
    if data is not None:
        try:
            fast = returned_xml.marked_copy(
                data,
                lambda sheets, tables: plan(
                    issues_for_file, sheets, tables, original.name, True, terms
                ),
            )
            if fast is not None:
                target.write_bytes(fast)
                return target
            _openpyxl_copy(data, original, issues_for_file, terms).save(target)
            return target
        except OSError:
            raise  # the output cannot be written: not the original's fault
        except Exception:  # the unit's file broke a reader: the note sheet alone
            pass
    wb = _openpyxl_copy(b"", original, issues_for_file, terms)
    if unit_id:
        _name_unit(wb, unit_id)
    wb.save(target)
    return target


def _name_unit(wb: Workbook, unit_id: str) -> None:
    """The unit id in the note sheet's free row, under the defined name `unit_id`."""
    ws = wb[NOTE_SHEET]
    ws.merge_cells(start_row=UNIT_ROW, start_column=1, end_row=UNIT_ROW, end_column=2)
    label, value = ws.cell(UNIT_ROW, 1), ws.cell(UNIT_ROW, 3)
    _text(label, "รหัสหน่วยงาน (unit_id)")
    _text(value, unit_id)
    label.font = value.font = Font(name=FONT, size=FONT_SIZE, bold=True)
    label.alignment = value.alignment = Alignment(vertical="center")
    ws.row_dimensions[UNIT_ROW].height = 24
    wb.defined_names["unit_id"] = DefinedName(
        "unit_id", attr_text=f"{quote_sheetname(NOTE_SHEET)}!$C${UNIT_ROW}"
    )


def _checked_bytes(original: Path, limits: Limits) -> bytes | None:
    """The original's bytes when they pass intake's container checks, else None."""
    try:
        with original.open("rb") as f:
            data = f.read(limits.max_file_bytes + 1)
    except OSError:  # an e-mail's attachment (`mail.eml#a.xlsx`) is read from the e-mail
        data = attachment_bytes(original, limits.max_file_bytes) or b""
        if not data:
            return None
    if len(data) > limits.max_file_bytes:
        return None
    extension = original.suffix.lower()
    if extension not in (".xlsx", ".xlsm"):
        return None  # .xls and .ods: neither writer can edit them; the note sheet alone
    if isinstance(inspect(data, extension, limits), Rejection):
        return None
    return data


def _openpyxl_copy(
    data: bytes, original: Path, issues: Sequence[Issue], terms: ResubmitTerms | None = None
) -> Workbook:
    try:
        # keep_vba=False: a sender's macros never go back out
        wb = openpyxl.load_workbook(io.BytesIO(data), keep_vba=False, keep_links=True)
        opened = True
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        wb, opened = openpyxl.Workbook(), False
        wb.remove(wb.active)

    if NOTE_SHEET in wb.sheetnames:  # a copy sent back and returned again
        wb.remove(wb[NOTE_SHEET])
    _remove_our_comments(wb)
    tables: dict[str, str] = {}
    for ws in wb.worksheets:
        for name in ws.tables:
            tables.setdefault(name, ws.title)
    the_plan = plan(issues, wb.sheetnames, tables, original.name, opened, terms)
    for mark in the_plan.marks:
        cell = wb[mark.sheet][mark.cell]
        cell.fill = PatternFill(fill_type="solid", start_color=mark.fill, end_color=mark.fill)
        body = mark.comment
        if cell.comment is not None:  # the unit's own comment stays, ours follows
            body = f"{cell.comment.text}\n\n{body}"
        comment = Comment(body, AUTHOR)
        comment.width, comment.height = 320, mark.comment_height
        cell.comment = comment
    _note_sheet(wb, the_plan)
    return wb


def _remove_our_comments(wb: Workbook) -> None:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None and cell.comment.author == AUTHOR:
                    cell.comment = None


def _note_sheet(wb: Workbook, the_plan: Markup) -> None:
    ws = wb.create_sheet(NOTE_SHEET, 0)
    for other in wb.worksheets:
        other.sheet_view.tabSelected = False  # two selected tabs would group the sheets
    ws.sheet_view.tabSelected = True
    wb.active = 0
    font = Font(name=FONT, size=FONT_SIZE)
    fonts = {
        "title": Font(name=FONT, size=TITLE_SIZE, bold=True),
        "bold": Font(name=FONT, size=FONT_SIZE, bold=True),
        "plain": font,
    }
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[_letter(col)].width = width

    for row, line in enumerate(the_plan.lines, start=1):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))
        cell = ws.cell(row, 1)
        _text(cell, line.text)
        cell.font, cell.alignment = fonts[line.kind], wrap
        ws.row_dimensions[row].height = line.height

    header_fill = PatternFill(fill_type="solid", start_color="1F4E78", end_color="1F4E78")
    for col, (heading, _) in enumerate(COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, col)
        _text(cell, heading)
        cell.font = Font(name=FONT, size=FONT_SIZE, bold=True, color="FFFFFF")
        cell.fill, cell.alignment = header_fill, wrap
    ws.row_dimensions[HEADER_ROW].height = the_plan.header_height

    for number, note in enumerate(the_plan.rows, start=1):
        row = HEADER_ROW + number
        for col, value in enumerate(note.values, start=1):
            cell = ws.cell(row, col)
            _text(cell, value)
            cell.font, cell.alignment = font, wrap
        if note.link:
            link = ws.cell(row, 2)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=note.link)
            link.font = Font(name=FONT, size=FONT_SIZE, color="0563C1", underline="single")
        bg, fg = SEVERITY_COLOURS[note.severity]
        severity = ws.cell(row, 3)
        severity.fill = PatternFill(fill_type="solid", start_color=bg[1:], end_color=bg[1:])
        severity.font = Font(name=FONT, size=FONT_SIZE, bold=True, color=fg[1:])
        ws.row_dimensions[row].height = note.height
    if not the_plan.rows:
        _text(ws.cell(HEADER_ROW + 1, 5), NO_ISSUES)

    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "หน้า &P / &N"
    ws.oddFooter.center.font = FONT


def _text(cell: openpyxl.cell.cell.Cell, value: str) -> None:
    """Write text as text: openpyxl would make `=HYPERLINK(...)` a formula."""
    cell.value = value
    cell.data_type = "s"


def _letter(col: int) -> str:
    return openpyxl.utils.get_column_letter(col)


__all__ = ["NOTE_SHEET", "write_returned_workbook"]
