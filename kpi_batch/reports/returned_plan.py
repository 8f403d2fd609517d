"""What a returned copy says, before it is written: the note sheet's lines and rows, and the
fill and comment of every cell at fault. Pure; `returned.py` (openpyxl) and `returned_xml.py`
(the package's XML) both write from the same `Markup`, so the two give the same copy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from openpyxl.utils.cell import column_index_from_string, quote_sheetname

from kpi_batch.intake.codes import Scope, check
from kpi_batch.issues import Issue, Severity
from kpi_batch.reports.palette import SEVERITY_COLOURS
from kpi_batch.scoring.late_terms import ResubmitTerms
from kpi_batch.workbook_style import FONT_SIZE, HEADER_PT, row_height

NOTE_SHEET = "แก้ไข"
AUTHOR = "kpi_batch"
SEVERITY_TH = {Severity.ERROR: "ต้องแก้ไข (error)", Severity.WARNING: "โปรดตรวจสอบ (warning)"}
TODO_TH = {
    Severity.ERROR: "แก้ไขเซลล์นี้ให้ถูกต้อง แล้วส่งไฟล์กลับ",
    Severity.WARNING: "ตรวจสอบอีกครั้ง ถ้าถูกต้องแล้วไม่ต้องแก้ไข",
}
# A file-level error (wrong round, wrong unit, old template...) points at a locked cell the
# unit cannot edit: the only fix it can make is to start again from the blank template.
FILE_TODO_TH = (
    "เซลล์นี้ล็อกไว้ แก้ไขไม่ได้: ใช้แบบฟอร์มเปล่าของหน่วยงานสำหรับรอบนี้ที่แนบมากับอีเมล "
    "(หรือขอจากกลุ่มพัฒนาระบบบริหาร) กรอกผลลงในแบบฟอร์มนั้น แล้วส่งกลับ"
)


def fix_text(issue: Issue, terms: ResubmitTerms | None = None) -> str:
    """What the unit should do: edit the cell, check it, or (file-level) use the blank template.

    `terms` (`scoring.late_terms`: whether a corrected file is still accepted, and from
    which day it is charged as late) ends every error's fix, briefly (`short_th`); the
    note's instruction line has them in full."""
    try:
        scope = check(issue.code).scope
    except KeyError:
        scope = None
    if issue.severity is Severity.ERROR and scope is Scope.FILE:
        todo = FILE_TODO_TH
    else:
        todo = TODO_TH[issue.severity]
    if issue.severity is Severity.ERROR and terms is not None:
        return f"{todo} ({terms.short_th})"
    return todo


COLUMNS = (  # heading, width
    ("ลำดับ (no)", 7),
    ("ตำแหน่ง (where)", 16),
    ("ระดับ (severity)", 23),
    ("ตัวชี้วัด (kpi_id)", 10),
    ("ปัญหาและวิธีแก้ (message)", 60),
    ("ค่าที่พบ (value)", 18),
    ("รหัสปัญหา (code)", 22),
)
WRAP_SLACK = 0.8
HEADER_ROW = 6  # 1-based: rows above hold the title and how to use the list
TITLE_SIZE = 18
COMMENT_WIDTH = 320
NO_ISSUES = "ไม่พบปัญหา (no issues)"
_CELL = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
# Characters a workbook cannot hold (XML 1.0); a value typed with one is shown with U+FFFD.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Line:
    """A merged line above the list: `kind` is title, bold or plain."""

    text: str
    kind: str
    height: float


@dataclass(frozen=True)
class NoteRow:
    values: tuple[str, ...]  # one per COLUMNS entry
    severity: Severity
    link: str | None  # `'sheet'!K14` when the issue's cell is in this workbook
    height: float


@dataclass(frozen=True)
class Mark:
    """A cell at fault: filled by its worst severity, one comment for all its issues."""

    sheet: str
    cell: str
    fill: str  # RRGGBB
    comment: str
    comment_height: int


@dataclass(frozen=True)
class Markup:
    """A returned copy's mark-up: the note sheet (lines above the table, its rows) and the
    marks on the unit's own cells."""

    lines: tuple[Line, ...]
    header_height: float
    rows: tuple[NoteRow, ...]
    marks: tuple[Mark, ...]


def position(cell: str) -> tuple[int, int]:
    """'H14' -> (14, 8); (0, 0) when `cell` is not a cell reference."""
    m = _CELL.fullmatch(cell.replace("$", "").upper())
    if not m:
        return (0, 0)
    return (int(m[2]), column_index_from_string(m[1]))


def plan(
    issues: Sequence[Issue],
    sheet_names: Sequence[str],
    tables: Mapping[str, str],
    file_name: str,
    opened: bool,
    terms: ResubmitTerms | None = None,
) -> Markup:
    """`sheet_names` of the unit's workbook (without our note sheet), `tables` maps a
    table's name to the sheet holding it: an issue may name either. `terms`: see
    `fix_text`; also a line above the list."""
    sheets = {title: i for i, title in enumerate(sheet_names)}
    placed = sorted(
        ((issue, *_locate(issue, sheets, tables)) for issue in issues),
        key=lambda p: _order(p, sheets),
    )
    return Markup(
        lines=_lines(placed, file_name, opened, terms),
        header_height=row_height((h, w) for h, w in COLUMNS),
        rows=tuple(_row(n, *p, terms) for n, p in enumerate(placed, start=1)),
        marks=_marks(placed, terms),
    )


def _locate(issue: Issue, sheets: Mapping[str, int], tables: Mapping[str, str]) -> tuple[str, str]:
    """(sheet title, cell) in this workbook, or ("", "") when the issue has no cell here."""
    if not issue.cell or position(issue.cell) == (0, 0):
        return ("", "")
    cell = issue.cell.replace("$", "").upper()
    if issue.sheet in sheets:
        return (issue.sheet, cell)
    if issue.sheet and issue.sheet in tables:
        return (tables[issue.sheet], cell)
    return ("", "")


def _order(placed: tuple[Issue, str, str], sheets: Mapping[str, int]) -> tuple[object, ...]:
    """Errors first; whole-file issues first; then sheet order and reading order."""
    issue, sheet, cell = placed
    row, col = position(cell)
    severity = 0 if issue.severity is Severity.ERROR else 1
    return (severity, sheets.get(sheet, -1), row, col, issue.code, issue.message_th)


def _lines(
    placed: Sequence[tuple[Issue, str, str]],
    file_name: str,
    opened: bool,
    terms: ResubmitTerms | None = None,
) -> tuple[Line, ...]:
    errors = sum(1 for issue, _, _ in placed if issue.severity is Severity.ERROR)
    warnings = len(placed) - errors
    texts = [
        (f"รายการที่ต้องแก้ไข — {file_name}", "title"),
        (
            f"พบ {errors} รายการที่ต้องแก้ไข และ {warnings} รายการที่โปรดตรวจสอบ"
            f" ({errors} error(s), {warnings} warning(s))",
            "bold",
        ),
        (
            "แก้ไขตามรายการด้านล่าง (คลิกที่ตำแหน่งเพื่อไปยังเซลล์) แล้วส่งไฟล์นี้กลับ"
            " ตั้งชื่อไฟล์ใหม่ได้ ไม่ต้องลบชีตนี้ เซลล์สีแดง = ต้องแก้ไข เซลล์สีส้ม ="
            " โปรดตรวจสอบ สีจะยังอยู่หลังแก้ไขแล้ว ไม่ต้องลบสี",
            "plain",
        ),
    ]
    if any(fix_text(issue) == FILE_TODO_TH for issue, _, _ in placed):
        # refused as a whole: this copy only explains why; the fix is the blank template
        texts[2] = (
            "ไฟล์นี้ไม่ผ่านการตรวจทั้งไฟล์ และแก้ในไฟล์นี้ไม่ได้: กรอกผลในแบบรายงานผลเปล่าของหน่วยงาน"
            "สำหรับรอบนี้ (แนบมากับอีเมล หรือขอจากกลุ่มพัฒนาระบบบริหาร) แล้วส่งไฟล์นั้นกลับ"
            " รายการด้านล่างคือเหตุที่ไม่ผ่าน",
            "plain",
        )
    if terms is not None and errors:  # one line, not two: row 5 stays free (UNIT_ROW)
        texts[2] = (f"{texts[2][0]} — {terms.text_th}", "plain")
    if not opened:
        texts.append(
            (
                "เปิดไฟล์ที่ส่งมาไม่ได้ จึงแนบเฉพาะรายการนี้ โปรดกรอกแบบฟอร์มฉบับล่าสุดแล้วส่งใหม่"
                " (the file could not be opened)",
                "bold",
            )
        )
    total_width = sum(width for _, width in COLUMNS)
    out = []
    for text, kind in texts:
        size = TITLE_SIZE if kind == "title" else FONT_SIZE
        height = max(row_height([(text, total_width)], size), HEADER_PT)
        out.append(Line(_printable(text), kind, height))
    return tuple(out)


def _printable(text: str) -> str:
    return _ILLEGAL.sub("\ufffd", text)


def _row(
    number: int, issue: Issue, sheet: str, coordinate: str, terms: ResubmitTerms | None = None
) -> NoteRow:
    if sheet:
        where = f"{sheet}!{coordinate}"
    elif issue.sheet and issue.cell:  # a place this workbook does not have: no link
        where = f"{issue.sheet}!{issue.cell}"
    else:
        where = issue.sheet or "ทั้งไฟล์ (whole file)"
    message = f"{issue.message_th}\nวิธีแก้: {fix_text(issue, terms)}"
    values = tuple(
        _printable(v)
        for v in (str(number), where, SEVERITY_TH[issue.severity], issue.kpi_id, message,
                  issue.value, issue.code)
    )  # fmt: skip
    link = f"{quote_sheetname(sheet)}!{coordinate}" if sheet else None
    # lines break at spaces, so a long message fills its lines less than the estimate says
    height = row_height(zip(values, (w * WRAP_SLACK for _, w in COLUMNS), strict=True))
    return NoteRow(values, issue.severity, link, height)


def _marks(
    placed: Sequence[tuple[Issue, str, str]], terms: ResubmitTerms | None = None
) -> tuple[Mark, ...]:
    cells: dict[tuple[str, str], list[Issue]] = {}
    for issue, sheet, cell in placed:
        if sheet:
            cells.setdefault((sheet, cell), []).append(issue)
    marks = []
    for (sheet, cell), issues in cells.items():
        worst = (
            Severity.ERROR
            if any(i.severity is Severity.ERROR for i in issues)
            else Severity.WARNING
        )
        parts = []
        for issue in issues:
            fix = fix_text(issue, terms)
            text = f"[{SEVERITY_TH[issue.severity]}] {issue.message_th}\nวิธีแก้: {fix}"
            if issue.value:
                text += f"\nค่าที่พบ: {issue.value}"
            parts.append(f"{text}\n({issue.code})")
        height = 40 + 20 * sum(p.count("\n") + 2 for p in parts)
        fill = SEVERITY_COLOURS[worst][0].lstrip("#")
        marks.append(Mark(sheet, cell, fill, _printable("\n\n".join(parts)), height))
    return tuple(marks)
