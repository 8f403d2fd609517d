"""Returned workbooks: the unit's own file, marked up, ready to send back for correction.

    write_returned_workbook(original, issues_for_file, out_path) -> Path

The copy gets
- a new first sheet `แก้ไข` (to fix) listing every issue: where (a link to the cell),
  severity, KPI, what is wrong and what to do, the value as found. Issues without a cell
  (the whole file: an old template, a missing sheet) are listed there only;
- on each offending cell a fill (red: must fix, orange: please check) and a Thai comment
  with the message and what to do.

Everything else is the unit's workbook as it was: defined names, the `results` table, data
validations and sheet protection survive (openpyxl reads and writes them), so the unit can
correct the cells and send the same file again. openpyxl drops images and charts, which the
template does not have. The fills stay after a cell is corrected; the note says so.

The original is read into memory and never written, moved or re-saved. The copy is named
`<original stem>_แก้ไข.xlsx` (`returned_name`); `out_path` is either the file to write
(ending in .xlsx) or a folder to put it in (created when missing). Intake identifies a
submission by its defined names, not its file name, so a unit may send the copy back under
any name. A copy of a copy replaces the old `แก้ไข` sheet and the old kpi_batch comments.

If the original cannot be opened (not an xlsx, damaged, password-protected), the copy is a
workbook with the `แก้ไข` sheet alone, so the unit still learns what went wrong.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import column_index_from_string, quote_sheetname
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink

from kpi_batch.issues import Issue, Severity
from kpi_batch.reports.layout import FONT, FONT_SIZE, HEADER_PT, SEVERITY_COLOURS, row_height

NOTE_SHEET = "แก้ไข"
SUFFIX = "_แก้ไข"
AUTHOR = "kpi_batch"
SEVERITY_TH = {Severity.ERROR: "ต้องแก้ไข (error)", Severity.WARNING: "โปรดตรวจสอบ (warning)"}
TODO_TH = {
    Severity.ERROR: "แก้ไขเซลล์นี้ให้ถูกต้อง แล้วส่งไฟล์กลับ",
    Severity.WARNING: "ตรวจสอบอีกครั้ง ถ้าถูกต้องแล้วไม่ต้องแก้ไข",
}
_COLUMNS = (  # heading, width
    ("ลำดับ (no)", 7),
    ("ตำแหน่ง (where)", 16),
    ("ระดับ (severity)", 23),
    ("ตัวชี้วัด (kpi_id)", 10),
    ("ปัญหาและวิธีแก้ (message)", 60),
    ("ค่าที่พบ (value)", 18),
    ("รหัสปัญหา (code)", 22),
)
_CELL = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
_HEADER_ROW = 6  # 1-based: rows above hold the title and how to use the list


def returned_name(original: Path) -> str:
    """`2567_R1_U01.xlsx` -> `2567_R1_U01_แก้ไข.xlsx` (an .xlsm keeps its suffix)."""
    suffix = ".xlsm" if original.suffix.lower() == ".xlsm" else ".xlsx"
    return f"{original.stem}{SUFFIX}{suffix}"


def write_returned_workbook(
    original: Path, issues_for_file: Sequence[Issue], out_path: Path
) -> Path:
    """Write the marked-up copy of `original` (see the module docstring); returns its path."""
    is_file = out_path.suffix.lower() in (".xlsx", ".xlsm") and not out_path.is_dir()
    target = out_path if is_file else out_path / returned_name(original)
    if target.resolve() == original.resolve():
        raise ValueError(f"refusing to overwrite the unit's own file {original}")
    data = original.read_bytes()
    keep_vba = original.suffix.lower() == ".xlsm"
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), keep_vba=keep_vba, keep_links=True)
        opened = True
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        wb, opened = openpyxl.Workbook(), False
        wb.remove(wb.active)

    if NOTE_SHEET in wb.sheetnames:  # a copy sent back and returned again
        wb.remove(wb[NOTE_SHEET])
    _remove_our_comments(wb)
    sheets = {title: i for i, title in enumerate(wb.sheetnames)}
    placed = sorted(
        ((issue, *_locate(wb, issue)) for issue in issues_for_file),
        key=lambda p: _order(p, sheets),
    )
    for sheet, cells in _by_cell(placed).items():
        for coordinate, cell_issues in cells.items():
            _mark(wb[sheet][coordinate], cell_issues)
    _note_sheet(wb, placed, original.name, opened)

    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


def _order(placed: tuple[Issue, str, str], sheets: dict[str, int]) -> tuple[object, ...]:
    """Errors first; whole-file issues first; then sheet order and reading order."""
    issue, sheet, cell = placed
    row, col = _position(cell)
    severity = 0 if issue.severity is Severity.ERROR else 1
    return (severity, sheets.get(sheet, -1), row, col, issue.code, issue.message_th)


def _position(cell: str) -> tuple[int, int]:
    """'H14' -> (14, 8); (0, 0) when `cell` is not a cell reference."""
    m = _CELL.fullmatch(cell.replace("$", "").upper())
    if not m:
        return (0, 0)
    return (int(m[2]), column_index_from_string(m[1]))


def _locate(wb: Workbook, issue: Issue) -> tuple[str, str]:
    """(sheet title, cell) in this workbook, or ("", "") when the issue has no cell here.

    An issue may name the sheet or the table (`results`) the cell is in.
    """
    if not issue.cell or _position(issue.cell) == (0, 0):
        return ("", "")
    if issue.sheet in wb.sheetnames:
        return (issue.sheet, issue.cell.replace("$", "").upper())
    for ws in wb.worksheets:
        if issue.sheet and issue.sheet in ws.tables:
            return (ws.title, issue.cell.replace("$", "").upper())
    return ("", "")


def _by_cell(
    placed: Sequence[tuple[Issue, str, str]],
) -> dict[str, dict[str, list[Issue]]]:
    cells: dict[str, dict[str, list[Issue]]] = {}
    for issue, sheet, cell in placed:
        if sheet:
            cells.setdefault(sheet, {}).setdefault(cell, []).append(issue)
    return cells


def _mark(cell: Cell, issues: Sequence[Issue]) -> None:
    """Fill by the worst severity; one comment listing every issue of the cell."""
    worst = (
        Severity.ERROR if any(i.severity is Severity.ERROR for i in issues) else Severity.WARNING
    )
    bg, _ = SEVERITY_COLOURS[worst]
    colour = bg.lstrip("#")
    cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
    parts = []
    for issue in issues:
        text = (
            f"[{SEVERITY_TH[issue.severity]}] {issue.message_th}\nวิธีแก้: {TODO_TH[issue.severity]}"
        )
        if issue.value:
            text += f"\nค่าที่พบ: {issue.value}"
        parts.append(f"{text}\n({issue.code})")
    existing = cell.comment
    body = "\n\n".join(parts)
    if existing is not None:
        body = f"{existing.text}\n\n{body}"
    comment = Comment(body, AUTHOR)
    comment.width = 320
    comment.height = 40 + 20 * sum(p.count("\n") + 2 for p in parts)
    cell.comment = comment


def _remove_our_comments(wb: Workbook) -> None:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None and cell.comment.author == AUTHOR:
                    cell.comment = None


def _note_sheet(
    wb: Workbook, placed: Sequence[tuple[Issue, str, str]], file_name: str, opened: bool
) -> None:
    ws = wb.create_sheet(NOTE_SHEET, 0)
    for other in wb.worksheets:
        other.sheet_view.tabSelected = False  # two selected tabs would group the sheets
    ws.sheet_view.tabSelected = True
    wb.active = 0
    font = Font(name=FONT, size=FONT_SIZE)
    bold = Font(name=FONT, size=FONT_SIZE, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, (_, width) in enumerate(_COLUMNS, start=1):
        ws.column_dimensions[_letter(col)].width = width

    errors = sum(1 for issue, _, _ in placed if issue.severity is Severity.ERROR)
    warnings = len(placed) - errors
    lines = [
        (f"รายการที่ต้องแก้ไข — {file_name}", Font(name=FONT, size=18, bold=True)),
        (
            f"พบ {errors} รายการที่ต้องแก้ไข และ {warnings} รายการที่โปรดตรวจสอบ"
            f" ({errors} error(s), {warnings} warning(s))",
            bold,
        ),
        (
            "แก้ไขตามรายการด้านล่าง (คลิกที่ตำแหน่งเพื่อไปยังเซลล์) แล้วส่งไฟล์นี้กลับ"
            " ตั้งชื่อไฟล์ใหม่ได้ ไม่ต้องลบชีตนี้ เซลล์สีแดง = ต้องแก้ไข เซลล์สีส้ม ="
            " โปรดตรวจสอบ สีจะยังอยู่หลังแก้ไขแล้ว ไม่ต้องลบสี",
            font,
        ),
    ]
    if not opened:
        lines.append(
            (
                "เปิดไฟล์ที่ส่งมาไม่ได้ จึงแนบเฉพาะรายการนี้ โปรดกรอกแบบฟอร์มฉบับล่าสุดแล้วส่งใหม่"
                " (the file could not be opened)",
                bold,
            )
        )
    total_width = sum(width for _, width in _COLUMNS)
    for row, (text, line_font) in enumerate(lines, start=1):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(_COLUMNS))
        cell = ws.cell(row, 1)
        _text(cell, text)
        cell.font, cell.alignment = line_font, wrap
        ws.row_dimensions[row].height = max(
            row_height([(text, total_width)], line_font.size or FONT_SIZE), HEADER_PT
        )

    header_fill = PatternFill(fill_type="solid", start_color="1F4E78", end_color="1F4E78")
    for col, (heading, _) in enumerate(_COLUMNS, start=1):
        cell = ws.cell(_HEADER_ROW, col)
        _text(cell, heading)
        cell.font = Font(name=FONT, size=FONT_SIZE, bold=True, color="FFFFFF")
        cell.fill, cell.alignment = header_fill, wrap
    ws.row_dimensions[_HEADER_ROW].height = row_height((h, w) for h, w in _COLUMNS)

    for number, (issue, sheet, coordinate) in enumerate(placed, start=1):
        row = _HEADER_ROW + number
        if sheet:
            where = f"{sheet}!{coordinate}"
        elif issue.sheet and issue.cell:  # a place this workbook does not have: no link
            where = f"{issue.sheet}!{issue.cell}"
        else:
            where = issue.sheet or "ทั้งไฟล์ (whole file)"
        message = f"{issue.message_th}\nวิธีแก้: {TODO_TH[issue.severity]}"
        values = (str(number), where, SEVERITY_TH[issue.severity], issue.kpi_id, message,
                  issue.value, issue.code)  # fmt: skip
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col)
            _text(cell, value)
            cell.font, cell.alignment = font, wrap
        if sheet:
            link = ws.cell(row, 2)
            link.hyperlink = Hyperlink(
                ref=link.coordinate, location=f"{quote_sheetname(sheet)}!{coordinate}"
            )
            link.font = Font(name=FONT, size=FONT_SIZE, color="0563C1", underline="single")
        bg, fg = SEVERITY_COLOURS[issue.severity]
        severity = ws.cell(row, 3)
        severity.fill = PatternFill(fill_type="solid", start_color=bg[1:], end_color=bg[1:])
        severity.font = Font(name=FONT, size=FONT_SIZE, bold=True, color=fg[1:])
        ws.row_dimensions[row].height = row_height(
            zip(values, (w for _, w in _COLUMNS), strict=True)
        )
    if not placed:
        _text(ws.cell(_HEADER_ROW + 1, 5), "ไม่พบปัญหา (no issues)")

    ws.freeze_panes = ws.cell(_HEADER_ROW + 1, 1)
    ws.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "หน้า &P / &N"
    ws.oddFooter.center.font = FONT


def _text(cell: Cell, value: str) -> None:
    """Write text as text: openpyxl would make `=HYPERLINK(...)` a formula."""
    cell.value = value
    cell.data_type = "s"


def _letter(col: int) -> str:
    return openpyxl.utils.get_column_letter(col)


__all__ = ["NOTE_SHEET", "returned_name", "write_returned_workbook"]
