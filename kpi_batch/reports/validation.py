"""The validation report: every problem found in this run's inputs, where it is, what to do.

    write_validation_report(path, issues, register, units, run=None) -> Path

`run` (`RunLabel`: run id, round, as-of) is printed in every page's header and footer with
the page numbers, so a printout on a desk says which run it belongs to.

Planning staff open it first after a run: one sheet per question.

- `สรุปรายหน่วยงาน (units)`: one row per unit: files received, status, errors, warnings.
  Units of the framework come in the order given; unit ids seen only in files or issues
  follow, and issues that belong to no unit (the adjustments workbook, an unreadable file)
  get a row of their own.
- `ปัญหาที่พบ (issues)`: one row per issue: file, unit, `sheet!CELL`, KPI, severity, code,
  Thai and English messages and the value as found. Errors first within each file.
- `ไฟล์ที่รับ (files)`: the intake register, one row per file.

Each sheet is one Excel table (filters, frozen header) in TH Sarabun New, printable on A4
landscape with the header row repeated. Everything that came from an input is written with
`write_string`, so a cell holding `=HYPERLINK(...)` is shown, never evaluated. Document
times are pinned: the same inputs give the same bytes.

The register is the intake's frame; the columns used are `path`, `sha256`, `size`,
`unit_id`, `status`, `errors`, `warnings`, `reasons`. Missing ones are left blank and any
others are appended with their key as heading, so the report keeps up with intake.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from kpi_batch.issues import Issue, Severity
from kpi_batch.reports.palette import SEVERITY_COLOURS
from kpi_batch.reports.settings_text import DATE_SOURCE_TH
from kpi_batch.run_layout import RunLayout
from kpi_batch.thai import format_date_th
from kpi_batch.workbook_style import (
    FONT,
    HEADER_PT,
    PINNED_CREATED,
    fmt,
    print_setup,
    row_height,
    workbook_options,
)

REPORT_NAME = RunLayout.VALIDATION_REPORT  # when given a folder
TITLE = "รายงานผลการตรวจสอบไฟล์ (validation report)"
NO_UNIT = "(ไม่ระบุหน่วยงาน)"

SEVERITY_TH = {Severity.ERROR: "ผิดพลาด (error)", Severity.WARNING: "คำเตือน (warning)"}
# Known intake statuses read in Thai; anything else is shown as it is.
STATUS_TH = {
    "accepted": "รับแล้ว",
    "accepted_with_warnings": "รับแล้ว บางตัวชี้วัดมีปัญหา",
    "rejected": "ไม่รับ",
    "missing": "ไม่ได้ส่ง",
    "superseded": "มีฉบับใหม่กว่า",
    "duplicate": "ซ้ำ",
    "ignored": "ไม่เกี่ยวข้อง",
    "opened": "อีเมล เปิดไฟล์แนบแล้ว",
    "unreadable": "เปิดไม่ได้",
}


@dataclass(frozen=True)
class Column:
    key: str
    heading_th: str
    width: float
    wrap: bool = False
    number: bool = False

    @property
    def heading(self) -> str:
        return self.key if self.heading_th == self.key else f"{self.heading_th} ({self.key})"


# message_en comes last and is left out of the printed page (English is for support staff;
# with it the page would shrink below a readable size).
ISSUE_COLUMNS = (
    Column("file", "ไฟล์", 20, wrap=True),
    Column("unit_id", "หน่วยงาน", 8),
    Column("unit_name", "ชื่อหน่วยงาน", 16, wrap=True),
    Column("where", "ตำแหน่ง", 14, wrap=True),
    Column("kpi_id", "ตัวชี้วัด", 7),
    Column("severity", "ระดับ", 15),
    Column("code", "รหัสปัญหา", 22, wrap=True),
    Column("message_th", "รายละเอียดและวิธีแก้", 40, wrap=True),
    Column("value", "ค่าที่พบ", 14, wrap=True),
    Column("message_en", "ภาษาอังกฤษ", 34, wrap=True),
)
UNIT_COLUMNS = (
    Column("unit_id", "รหัสหน่วยงาน", 12),
    Column("unit_name", "หน่วยงาน", 40, wrap=True),
    Column("files", "จำนวนไฟล์", 10, number=True),
    Column("status", "สถานะ", 30, wrap=True),
    Column("errors", "ข้อผิดพลาด", 11, number=True),
    Column("warnings", "คำเตือน", 11, number=True),
)
# Register columns in the order shown; columns the register has beyond these come before
# sha256, which is last and left out of the printed page (it is for audits, not for reading).
_FILE_COLUMNS = {
    "path": Column("path", "ไฟล์", 30, wrap=True),
    "unit_id": Column("unit_id", "รหัสหน่วยงาน", 12),
    # wide enough for 'รับแล้ว บางตัวชี้วัดมีปัญหา' and '(accepted_with_warnings)' on two lines
    "status": Column("status", "สถานะ", 25, wrap=True),
    "errors": Column("errors", "ข้อผิดพลาด", 10, number=True),
    "warnings": Column("warnings", "คำเตือน", 9, number=True),
    "reasons": Column("reasons", "เหตุผล", 40, wrap=True),
    # dates: '29 ก.พ. 2567' and the heading's key '(submitted_on)' each on one line
    "submitted_on": Column("submitted_on", "วันที่ส่ง", 16),
    "submitted_on_source": Column("submitted_on_source", "ที่มาของวันที่ส่ง", 18, wrap=True),
    "received_on": Column("received_on", "วันที่รับ", 16),
    "date_source": Column("date_source", "ที่มาของวันที่รับ", 18, wrap=True),
    "superseded_by": Column("superseded_by", "ถูกแทนด้วยไฟล์", 20, wrap=True),
}
# After the printed columns: facts for audits and support, on screen only.
_SCREEN_COLUMNS = {
    "round_id": Column("round_id", "รอบ", 8),
    "size": Column("size", "ขนาด (ไบต์)", 11, number=True),
    "modified": Column("modified", "แก้ไขไฟล์ล่าสุด", 18, wrap=True),
    "issues": Column("issues", "ปัญหาในไฟล์", 40, wrap=True),
}
_SHA = Column("sha256", "ค่าตรวจสอบ", 66)
# Lines break at spaces and after `-`, `/`, so a wrapped file name or reason fills its line
# less than the estimate assumes: count on a narrower column, or the last line is cut.
WRAP_SLACK = 0.8
# Registers store dates as ISO text; people read Thai BE dates.
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2})?)?$")


@dataclass(frozen=True)
class RunLabel:
    """Which run a printed page belongs to."""

    run_id: str
    round_text: str  # 'รอบ 6 เดือน (R1)'
    as_of: dt.date


def write_validation_report(
    path: Path,
    issues: Sequence[Issue],
    register: pd.DataFrame,
    units: Mapping[str, str],
    run: RunLabel | None = None,
) -> Path:
    """Write the report to `path` (an .xlsx, or a folder to hold `validation_report.xlsx`)."""
    is_file = path.suffix.lower() == ".xlsx" and not path.is_dir()
    target = path if is_file else path / REPORT_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    unit_of_file = _unit_of_file(register)
    rows = sorted(issues, key=lambda i: _issue_order(i, unit_of_file))

    wb = xlsxwriter.Workbook(str(target), workbook_options())
    wb.set_properties({"title": TITLE, "author": "kpi_batch", "created": PINNED_CREATED})
    styles = _Styles(wb)
    _units_sheet(wb, styles, rows, register, units, unit_of_file, run)
    _issues_sheet(wb, styles, rows, units, unit_of_file, run)
    _files_sheet(wb, styles, register, run)
    wb.close()
    return target


class _Styles:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.header = wb.add_format(
            fmt(bold=True, text_wrap=True, bg_color="#1F4E78", font_color="#FFFFFF")
        )
        self.text = wb.add_format(fmt(num_format="@"))
        self.wrap = wb.add_format(fmt(num_format="@", text_wrap=True))
        self.number = wb.add_format(fmt(num_format="#,##0", align="center"))
        self.severity = {
            s: wb.add_format(fmt(bold=True, bg_color=bg, font_color=fg))
            for s, (bg, fg) in SEVERITY_COLOURS.items()
        }
        self.count = {
            s: wb.add_format({"bg_color": bg, "font_color": fg, "bold": True})
            for s, (bg, fg) in SEVERITY_COLOURS.items()
        }

    def cell(self, column: Column) -> Format:
        if column.number:
            return self.number
        return self.wrap if column.wrap else self.text


# --- sheets ----------------------------------------------------------------------------


def _units_sheet(
    wb: xlsxwriter.Workbook,
    styles: _Styles,
    issues: Sequence[Issue],
    register: pd.DataFrame,
    units: Mapping[str, str],
    unit_of_file: Mapping[str, str],
    run: RunLabel | None,
) -> None:
    files: dict[str, list[str]] = {}
    for unit_id, status in zip(
        _column(register, "unit_id"), _column(register, "status"), strict=True
    ):
        files.setdefault(_text(unit_id), []).append(_status(_text(status)))
    counts: dict[str, dict[Severity, int]] = {}
    for issue in issues:
        unit = _issue_unit(issue, unit_of_file)
        per = counts.setdefault(unit, {Severity.ERROR: 0, Severity.WARNING: 0})
        per[issue.severity] += 1

    order = list(units)
    order += sorted(u for u in {*files, *counts} if u and u not in units)
    if "" in files or "" in counts:
        order.append("")
    rows = []
    for unit in order:
        statuses = files.get(unit, [])
        per = counts.get(unit, {})
        rows.append(
            [
                unit,
                units.get(unit, "") if unit else NO_UNIT,
                len(statuses),
                ", ".join(dict.fromkeys(statuses)) or (_status("missing") if unit else ""),
                per.get(Severity.ERROR, 0),
                per.get(Severity.WARNING, 0),
            ]
        )
    ws = wb.add_worksheet("สรุปรายหน่วยงาน (units)")
    _table(ws, styles, "units", UNIT_COLUMNS, rows)
    last = max(len(rows), 1)
    for col, severity in ((4, Severity.ERROR), (5, Severity.WARNING)):
        ws.conditional_format(
            1, col, last, col, {"type": "cell", "criteria": ">", "value": 0,
                                "format": styles.count[severity]},
        )  # fmt: skip
    _print_setup(ws, "สรุปรายหน่วยงาน", run)
    ws.activate()


def _issues_sheet(
    wb: xlsxwriter.Workbook,
    styles: _Styles,
    issues: Sequence[Issue],
    units: Mapping[str, str],
    unit_of_file: Mapping[str, str],
    run: RunLabel | None,
) -> None:
    rows: list[list[Any]] = []
    for issue in issues:
        unit = _issue_unit(issue, unit_of_file)
        rows.append(
            [
                issue.file,
                unit,
                units.get(unit, ""),
                f"{issue.sheet}!{issue.cell}" if issue.sheet and issue.cell else issue.sheet,
                issue.kpi_id,
                issue.severity,
                issue.code,
                issue.message_th,
                issue.value,
                issue.message_en,
            ]
        )
    ws = wb.add_worksheet("ปัญหาที่พบ (issues)")
    if not rows:
        rows = [["", "", "", "", "", "", "", "ไม่พบปัญหา", "", "no issues"]]
    _table(ws, styles, "issues", ISSUE_COLUMNS, rows)
    ws.print_area(0, 0, len(rows), len(ISSUE_COLUMNS) - 2)
    _print_setup(ws, "ปัญหาที่พบ", run)


def _files_sheet(
    wb: xlsxwriter.Workbook, styles: _Styles, register: pd.DataFrame, run: RunLabel | None
) -> None:
    present = {str(c) for c in register.columns}
    known = {*_FILE_COLUMNS, *_SCREEN_COLUMNS, _SHA.key}
    printed = [c for k, c in _FILE_COLUMNS.items() if k in present or k in _CORE_FILE_COLUMNS]
    screen = [c for k, c in _SCREEN_COLUMNS.items() if k in present]
    extra = [Column(c, c, 16, wrap=True) for c in present - known]
    extra.sort(key=lambda c: c.key)
    columns = [*printed, *screen, *extra, _SHA]
    rows = []
    for record in register.to_dict("records"):
        row: list[Any] = []
        for column in columns:
            value = record.get(column.key)
            if column.key == "status":
                value = _status(_text(value))
            elif column.key in ("submitted_on_source", "date_source"):
                value = _source(_text(value))
            row.append(value)
        rows.append(row)
    ws = wb.add_worksheet("ไฟล์ที่รับ (files)")
    if not rows:
        rows = [["ไม่พบไฟล์ (no files)"] + [None] * (len(columns) - 1)]
    _table(ws, styles, "files", columns, rows)
    ws.print_area(0, 0, len(rows), len(printed) - 1)
    _print_setup(ws, "ไฟล์ที่รับ", run)


_CORE_FILE_COLUMNS = ("path", "unit_id", "status", "errors", "warnings", "reasons")
# the register's date_source values are DOMAIN §3.6's (one table, reports/settings_text.py);
# submitted_on_source adds the file's modification date, which is shown but never charges
SOURCE_TH = {**DATE_SOURCE_TH, "file_mtime": "วันที่แก้ไขไฟล์ (ไม่ใช้คิดการส่งล่าช้า)"}


def _source(value: str) -> str:
    th = SOURCE_TH.get(value)
    return f"{th} ({value})" if th else value


def _print_setup(ws: Worksheet, part: str, run: RunLabel | None) -> None:
    """A4 landscape one page wide (the house setup); with `run`, the report and the round in
    the header, the run id, the page numbers and the as-of date in the footer."""
    print_setup(ws, f"{TITLE} — {part}")
    if run is None:
        return
    ws.set_header(
        f"&L{hf_text(f'{TITLE} — {part}', 14, bold=True)}&R{hf_text(run.round_text, 12)}",
        {"margin": 0.3},
    )
    ws.set_footer(
        f"&L{hf_text(f'รหัสการประมวลผล {run.run_id}', 11)}"
        f"&C{hf_text('หน้า ', 12)}&P / &N"
        f"&R{hf_text(f'ข้อมูล ณ วันที่ {format_date_th(run.as_of)}', 11)}"
    )


def hf_text(text: str, size: int, bold: bool = False) -> str:
    """`text` as one run of a page header or footer, in the house font at `size` points.

    Excel reads `&` followed by digits as a font size (`&11`), so text must never follow a
    size code directly: `&112567_R1` would be size 112567 and the run id would lose its
    digits. The size comes first and the font code `&"name"` after it, whose closing quote
    ends the code, so the text may start with anything; a literal `&` is written `&&`."""
    style = f"{FONT},Bold" if bold else FONT
    return f'&{size}&"{style}"{text.replace("&", "&&")}'


def _table(
    ws: Worksheet,
    styles: _Styles,
    name: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Header row + rows as an Excel table; values written by type, text always as text."""
    if not rows:  # a table needs a data row
        rows = [["ไม่มีข้อมูล (no data)"] + [None] * (len(columns) - 1)]
    for col, column in enumerate(columns):
        ws.set_column(col, col, column.width)
    ws.add_table(
        0,
        0,
        len(rows),
        len(columns) - 1,
        {
            "name": name,
            "style": "Table Style Light 1",
            "columns": [
                {"header": c.heading, "header_format": styles.header, "format": styles.cell(c)}
                for c in columns
            ],
        },
    )
    ws.set_row(0, row_height((c.heading, c.width) for c in columns) + 2)
    ws.freeze_panes(1, 0)
    for r, values in enumerate(rows, start=1):
        for col, (column, value) in enumerate(zip(columns, values, strict=True)):
            _write(ws, r, col, value, column, styles)
        wrapped = [
            (_text(v), c.width * WRAP_SLACK) for c, v in zip(columns, values, strict=True) if c.wrap
        ]
        ws.set_row(r, max(row_height(wrapped), HEADER_PT))


def _write(ws: Worksheet, row: int, col: int, value: Any, column: Column, styles: _Styles) -> None:
    if isinstance(value, Severity):
        ws.write_string(row, col, SEVERITY_TH[value], styles.severity[value])
    elif _is_number(value):
        ws.write_number(row, col, float(value), styles.number)
    elif not _text(value):
        ws.write_blank(row, col, None, styles.cell(column))
    else:
        ws.write_string(row, col, _text(value), styles.cell(column))


# --- helpers ---------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return math.isfinite(value)


def _text(value: Any) -> str:
    """A register or issue value as text: lists joined, blanks (None, NaN, NA) empty."""
    if value is None:
        return ""
    if isinstance(value, Mapping):  # an issue of the register: where, code, KPI
        return " ".join(_text(v) for k, v in value.items() if k != "severity" and _text(v))
    if isinstance(value, (list, tuple, set)):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, float) and math.isnan(value):
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, dt.datetime):
        return _thai_when(value.date(), value.hour, value.minute)
    if isinstance(value, dt.date):
        return format_date_th(value)
    text = str(value)
    m = _ISO_DATE.match(text)
    if m:
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        return _thai_when(day, int(m[4]), int(m[5])) if m[4] else format_date_th(day)
    return text


def _thai_when(day: dt.date, hour: int, minute: int) -> str:
    """'4 มี.ค. 2567 22:30': a BE date and the clock time."""
    return f"{format_date_th(day)} {hour:02d}:{minute:02d}"


def _status(status: str) -> str:
    th = STATUS_TH.get(status)
    return f"{th} ({status})" if th else status


def _column(frame: pd.DataFrame, key: str) -> list[Any]:
    return list(frame[key]) if key in frame.columns else [None] * len(frame)


def _unit_of_file(register: pd.DataFrame) -> dict[str, str]:
    return {
        _text(p): _text(u)
        for p, u in zip(_column(register, "path"), _column(register, "unit_id"), strict=True)
        if _text(p)
    }


def _issue_unit(issue: Issue, unit_of_file: Mapping[str, str]) -> str:
    return issue.unit_id or unit_of_file.get(issue.file, "")


def _issue_order(issue: Issue, unit_of_file: Mapping[str, str]) -> tuple[Any, ...]:
    """Unit, file, errors before warnings, then reading order of sheet and cell."""
    unit = _issue_unit(issue, unit_of_file)
    row, col = _cell_position(issue.cell)
    severity = 0 if issue.severity is Severity.ERROR else 1
    return (unit == "", unit, issue.file, severity, issue.sheet, row, col, issue.code)


def _cell_position(cell: str) -> tuple[int, int]:
    """Cell "B7" -> (7, 2); a whole row "7:7" -> (7, 0)."""
    m = re.match(r"([A-Za-z]*)(\d*)", cell)
    letters, digits = (m[1], m[2]) if m else ("", "")
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return (int(digits) if digits else 0, col)
