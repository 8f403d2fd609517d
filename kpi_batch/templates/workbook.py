"""Framework -> one submission workbook per unit and round (template v1, docs/template.md).

The workbook is what a unit officer fills in and what intake reads back, so the contract
parts (defined names, the `results` table and its header keys) are spelled once, in
`specs/template.py`; this module adds what is for the person filling it in (colours,
widths, wording). Text that comes from
the framework is always written with `write_string`: a unit called `=HYPERLINK(...)` must
stay text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from kpi_batch import fsutil
from kpi_batch.cells import NOT_APPLICABLE_TEXT
from kpi_batch.errors import UsageError
from kpi_batch.model import AgreementItem, Formula, Framework, KpiType, Round, Unit
from kpi_batch.safe_names import safe_name
from kpi_batch.specs.template import (
    FIRST_COL,
    FORMAT_VERSION,
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    NAMED_CELLS,
    REPORT_SHEET,
    TABLE,
    criteria_key,
    file_name,
    point_text,
    result_columns,
)
from kpi_batch.templates.selfcheck import check_formats, write_self_check
from kpi_batch.templates.text import instructions
from kpi_batch.templates.token import template_token
from kpi_batch.thai import BE_OFFSET, format_date_th
from kpi_batch.workbook_style import FONT, FONT_SIZE, workbook_options
from kpi_batch.workdays import effective_due_date

# Pinned so the same framework, unit and round give the same bytes.
CREATED = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

# Column key -> width; the labels are the spec's. Criteria columns are _CRITERIA_WIDTH.
_WIDTHS = {
    "kpi_id": 8,
    "name": 40,
    "weight": 8,
    "measure_unit": 12,
    "value": 13,
    "numerator": 11,
    "denominator": 11,
    "level": 11,
    "note": 22,
}
_CONTEXT_WIDTH = 26
_CRITERIA_WIDTH = 11
_BODY_SIZE = 14
_HEADER_SIZE = 12
_CONTEXT_SIZE = 12
_GUIDE_SIZE = 16
_GUIDE_WIDTH = 100
# Thai vowel and tone marks above/below the line take no width of their own.
_COMBINING = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


def ratio_formula(numerator: str, denominator: str) -> str:
    """The template's own `value` formula of a ratio KPI (intake knows it is ours)."""
    num, den = numerator, denominator
    return f'IF(AND(ISNUMBER({num}),ISNUMBER({den}),{den}<>0),{num}/{den}*100,"")'


def template_filename(framework: Framework, round_id: str, unit_id: str) -> str:
    return file_name(framework.settings.fiscal_year, safe_name(round_id), safe_name(unit_id))


def write_templates(
    framework: Framework, round_id: str, out_dir: Path, key: bytes | None = None
) -> list[Path]:
    """One workbook per unit that signed an agreement; units without KPIs are skipped.
    With `key`, each carries its `template_token` (templates/token.py)."""
    _round(framework, round_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for unit in framework.units:
        if framework.agreements.get(unit.unit_id):
            path = out_dir / template_filename(framework, round_id, unit.unit_id)
            paths.append(write_unit_template(framework, unit.unit_id, round_id, path, key))
    return paths


def write_unit_template(
    framework: Framework, unit_id: str, round_id: str, path: Path, key: bytes | None = None
) -> Path:
    rnd = _round(framework, round_id)
    try:
        unit = framework.unit(unit_id)
    except KeyError:
        raise UsageError(
            f"ไม่พบหน่วยงาน '{unit_id}' ในกรอบตัวชี้วัด (unknown unit '{unit_id}')"
        ) from None
    items = framework.agreements.get(unit_id, ())
    if not items:
        raise UsageError(
            f"หน่วยงาน '{unit_id}' ไม่มีตัวชี้วัดตามคำรับรอง (unit '{unit_id}' has no agreement)"
        )
    # The house options (TH Sarabun New not marked as the theme's Calibri, text never a
    # formula, number or link), written in memory and saved at close, beside the target:
    # the file a planning officer still has open in Excel is replaced only when complete,
    # with retries, or named in a message.
    tmp = fsutil.temporary_for(path)
    workbook = xlsxwriter.Workbook(str(tmp), {**workbook_options(), "in_memory": True})
    workbook.set_properties(
        {
            "title": f"แบบรายงานผล {unit.name} {rnd.name}",
            "subject": f"{unit_id} {round_id} {framework.settings.fiscal_year}",
            "author": framework.settings.organisation,
            "company": framework.settings.organisation,
            "comments": f"kpi_batch template v{FORMAT_VERSION}",
            "created": CREATED,
        }
    )
    formats = _Formats(workbook)
    report = workbook.add_worksheet(REPORT_SHEET)
    guide = workbook.add_worksheet(INSTRUCTIONS_SHEET)
    _write_report(report, formats, framework, unit, rnd, items)
    _write_instructions(guide, formats, framework, unit, rnd, items)
    names = dict(NAMED_CELLS)
    if key is None:
        del names["template_token"]
    else:
        fy = str(framework.settings.fiscal_year)
        token = template_token(key, fy, round_id, unit_id, framework.fingerprint)
        _write_token(report, formats, token)
    for name, cell in names.items():
        workbook.define_name(name, f"='{REPORT_SHEET}'!{_absolute(cell)}")
    report.activate()
    try:
        workbook.close()
        fsutil.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _write_token(ws: Worksheet, f: _Formats, token: str) -> None:
    """The token in a locked cell beside the framework's code (row 11)."""
    row, col = xl_cell_to_rowcol(NAMED_CELLS["template_token"])
    ws.write_string(row, col - 2, "รหัสยืนยันแบบฟอร์ม", f.fingerprint)
    ws.merge_range(row, col, row, col + 2, "", f.fingerprint)
    ws.write_string(row, col, token, f.fingerprint)


def _round(framework: Framework, round_id: str) -> Round:
    try:
        return framework.round(round_id)
    except KeyError:
        known = ", ".join(r.round_id for r in framework.rounds)
        raise UsageError(
            f"ไม่พบรอบการประเมิน '{round_id}' ในกรอบตัวชี้วัด (มี: {known}) / "
            f"unknown round '{round_id}' (known: {known})"
        ) from None


def _absolute(cell: str) -> str:
    letters = cell.rstrip("0123456789")
    return f"${letters}${cell[len(letters) :]}"


class _Formats:
    """Every cell format of a template, created once per workbook."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        def fmt(**props: Any) -> Format:
            return wb.add_format(
                {"font_name": FONT, "font_size": FONT_SIZE, "valign": "top", **props}
            )

        grid = {"border": 1, "border_color": "#808080", "valign": "vcenter"}
        grey = {**grid, "bg_color": "#D9D9D9"}
        yellow = {**grid, "bg_color": "#FFF2CC", "locked": False}
        self.title = fmt(bold=True, font_size=18, valign="vcenter")
        self.subtitle = fmt(font_size=16, valign="vcenter")
        self.label = fmt(bold=True, valign="vcenter")
        self.info = fmt(**grid)
        self.info_num = fmt(align="left", num_format="0", **grid)
        self.info_due = fmt(bold=True, font_color="#C00000", **grid)
        self.section = fmt(bold=True, valign="vcenter", font_color="#1F4E79")
        self.fingerprint = fmt(font_size=11, font_color="#595959", valign="vcenter")
        self.input_text = fmt(num_format="@", **yellow)
        self.input_date = fmt(align="left", num_format="[$-107041E]d mmm yyyy", **yellow)
        self.header = fmt(
            bold=True,
            text_wrap=True,
            align="center",
            font_size=_HEADER_SIZE,
            bg_color="#DDEBF7",
            **grid,
        )
        self.context = fmt(
            text_wrap=True,
            font_size=_CONTEXT_SIZE,
            font_color="#404040",
            **{**grid, "valign": "top"},
        )
        self.text = fmt(text_wrap=True, **grid)
        self.center = fmt(align="center", **grid)
        self.number = fmt(align="center", **grid)
        self.criteria = fmt(align="center", **grid)
        self.derived = fmt(align="center", num_format='General"*"', bg_color="#FCE4D6", **grid)
        self.unreachable = fmt(**grey)
        self.na = fmt(**grey)
        self.input_number = fmt(align="center", **yellow)
        self.input_note = fmt(text_wrap=True, num_format="@", **yellow)
        self.ratio = fmt(align="center", num_format="0.00", bg_color="#F2F2F2", **grid)
        self.footnote = fmt(font_size=12)
        self.guide_head = fmt(bold=True, font_size=18)
        self.guide_no = fmt(font_size=_GUIDE_SIZE, align="right")
        self.guide_text = fmt(font_size=_GUIDE_SIZE, text_wrap=True)
        self.guide_bold = fmt(font_size=_GUIDE_SIZE, text_wrap=True, bold=True)
        self.check = check_formats(fmt)


def _write_report(
    ws: Worksheet,
    f: _Formats,
    fw: Framework,
    unit: Unit,
    rnd: Round,
    items: Sequence[AgreementItem],
) -> None:
    scale = fw.settings.scale
    columns = result_columns(scale)
    last_col = FIRST_COL + len(columns) - 1
    col = {key: FIRST_COL + i for i, (key, _) in enumerate(columns)}

    ws.set_column(0, 0, _CONTEXT_WIDTH)
    widths = [_WIDTHS.get(key, _CRITERIA_WIDTH) for key, _ in columns]
    for i, width in enumerate(widths):
        ws.set_column(FIRST_COL + i, FIRST_COL + i, width)

    # Title and unit information (rows 1-11).
    fy = fw.settings.fiscal_year
    ws.merge_range(0, 0, 0, last_col, "", f.title)
    ws.write_string(
        0, 0, f"แบบรายงานผลการดำเนินงานตามคำรับรองการปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. {fy}", f.title
    )
    ws.merge_range(1, 0, 1, last_col, "", f.subtitle)
    ws.write_string(1, 0, f"{fw.settings.organisation} — {rnd.name}", f.subtitle)
    ws.set_row(0, 30)
    ws.set_row(1, 26)

    cluster = _cluster_text(fw, unit)
    period = f"{format_date_th(rnd.period_start)} – {format_date_th(rnd.period_end)}"
    left: list[tuple[str, object]] = [
        ("หน่วยงาน", unit.name),
        ("รหัสหน่วยงาน", unit.unit_id),
        ("กลุ่มหน่วยงาน", cluster),
        ("ปีงบประมาณ", fy),
        ("รอบการประเมิน", rnd.round_id),
        ("ชื่อรอบ", rnd.name),
        ("ช่วงเวลา", period),
    ]
    for i, (label, value) in enumerate(left):
        row = 3 + i
        ws.write_string(row, 0, label, f.label)
        if isinstance(value, int):
            ws.merge_range(row, 1, row, 2, "", f.info_num)
            ws.write_number(row, 1, value, f.info_num)
        else:
            ws.merge_range(row, 1, row, 2, "", f.info)
            ws.write_string(row, 1, str(value), f.info)

    ws.merge_range(3, 3, 3, 7, "", f.section)
    ws.write_string(3, 3, "ส่วนที่หน่วยงานกรอก (ช่องสีเหลือง)", f.section)
    right: list[tuple[str, str, Format]] = [
        ("ผู้รายงาน", "", f.input_text),
        ("โทรศัพท์", "", f.input_text),
        ("วันที่ส่งรายงาน", "", f.input_date),
        ("ข้อมูล ณ วันที่", format_date_th(rnd.data_cutoff), f.info),
        ("กำหนดส่ง", format_date_th(effective_due_date(fw, rnd.round_id)), f.info_due),
        ("ฉบับแบบฟอร์ม", FORMAT_VERSION, f.info),
    ]
    for i, (label, value, cell_format) in enumerate(right):
        row = 4 + i
        ws.merge_range(row, 3, row, 4, "", f.label)
        ws.write_string(row, 3, label, f.label)
        ws.merge_range(row, 5, row, 7, "", cell_format)
        if value:
            ws.write_string(row, 5, value, cell_format)
        else:
            ws.write_blank(row, 5, None, cell_format)
    _input_validations(ws, rnd)

    ws.write_string(10, 0, "รหัสกรอบตัวชี้วัด", f.fingerprint)
    ws.write_string(10, 1, fw.fingerprint, f.fingerprint)

    # The results table: one row per leaf KPI.
    first = HEADER_ROW + 1
    last = HEADER_ROW + len(items)
    ws.write_string(HEADER_ROW, 0, "องค์ประกอบ / ตัวชี้วัดหลัก", f.header)
    ws.add_table(
        HEADER_ROW,
        FIRST_COL,
        last,
        last_col,
        {
            "name": TABLE,
            "style": None,
            "autofilter": False,
            "columns": [{"header": label, "header_format": f.header} for _, label in columns],
        },
    )
    header_lines = max(
        _lines(label, w, _HEADER_SIZE) for (_, label), w in zip(columns, widths, strict=True)
    )
    ws.set_row(HEADER_ROW, _height(header_lines, _HEADER_SIZE))
    previous_context = ""
    derived: list[tuple[str, str]] = []
    for i, item in enumerate(items):
        row = first + i
        kpi = item.kpi
        context = _context_text(fw, unit.unit_id, item)
        shown = context if context != previous_context else ""
        ws.write_string(row, 0, shown, f.context)
        previous_context = context
        lines = max(
            _lines(kpi.name, widths[col["name"] - FIRST_COL]),
            _lines(shown, _CONTEXT_WIDTH, _CONTEXT_SIZE) * _CONTEXT_SIZE / _BODY_SIZE,
        )
        ws.set_row(row, _height(lines))
        ws.write_string(row, col["kpi_id"], kpi.kpi_id, f.center)
        ws.write_string(row, col["name"], kpi.name, f.text)
        ws.write_number(row, col["weight"], float(item.weight), f.number)
        ws.write_string(row, col["measure_unit"], kpi.measure_unit, f.center)

        criteria = fw.criteria_for(unit.unit_id, kpi.kpi_id, rnd.round_id)
        if criteria.derived_from:
            derived.append((kpi.kpi_id, criteria.derived_from))
        for point, threshold in zip(scale, criteria.thresholds, strict=True):
            c = col[criteria_key(point)]
            if threshold is None:
                ws.write_blank(row, c, None, f.unreachable)
            else:
                cell_format = f.derived if criteria.derived_from else f.criteria
                ws.write_number(row, c, float(threshold), cell_format)

        _write_inputs(ws, f, fw, unit, rnd, item, row, col)

    write_self_check(ws, fw, unit.unit_id, rnd, items, col, first, f.check)

    # Legend and footnotes.
    row = last + 2
    notes = [
        "ช่องสีเหลือง = ช่องที่หน่วยงานกรอก   ช่องสีเทา = ไม่ต้องกรอก / ระดับที่ไม่มีเกณฑ์ในรอบนี้",
        "รายงานร้อยละเป็นตัวเลข เช่น 85.5 (ไม่ต้องพิมพ์ %)",
    ]
    for kpi_id, source in derived:
        notes.append(
            f"* ตัวชี้วัด {kpi_id}: เกณฑ์รอบนี้คำนวณจากเกณฑ์ของ{_round_label(fw, source)} "
            "ตามหลักเกณฑ์ 6 เดือน (ระดับกลาง = ค่าเป้าหมายระดับสูงสุด ÷ 2 ช่วงห่างเท่าเดิม)"
        )
    for note in notes:
        ws.write_string(row, 0, note, f.footnote)
        row += 1

    ws.hide_gridlines(2)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.repeat_rows(HEADER_ROW)
    ws.print_area(0, 0, row - 1, last_col)
    ws.set_footer(
        f'&L&"{FONT},Regular"&12{_footer_text(unit.unit_id)} {_footer_text(rnd.round_id)}'
        f'&R&"{FONT},Regular"&12หน้า &P / &N'
    )
    ws.protect("", {"format_columns": True, "format_rows": True})


def _write_inputs(
    ws: Worksheet,
    f: _Formats,
    fw: Framework,
    unit: Unit,
    rnd: Round,
    item: AgreementItem,
    row: int,
    col: dict[str, int],
) -> None:
    """Unlock the cells this KPI is reported in; grey out and lock the others."""
    kpi = item.kpi
    milestone = kpi.kpi_type == KpiType.MILESTONE
    ratio = not milestone and kpi.formula == Formula.RATIO
    inputs = {"level"} if milestone else {"numerator", "denominator"} if ratio else {"value"}
    for key in ("value", "numerator", "denominator", "level"):
        if key in inputs:
            ws.write_blank(row, col[key], None, f.input_number)
            rule = _number_rule(key, fw, unit, rnd, item)
            cell = xl_rowcol_to_cell(row, col[key])
            ws.data_validation(row, col[key], row, col[key], allowing_not_applicable(rule, cell))
        elif key == "value" and ratio:
            num = xl_rowcol_to_cell(row, col["numerator"])
            den = xl_rowcol_to_cell(row, col["denominator"])
            ws.write_formula(
                row,
                col["value"],
                "=" + ratio_formula(num, den),
                f.ratio,
                "",
            )
        else:
            ws.write_blank(row, col[key], None, f.na)
    ws.write_blank(row, col["note"], None, f.input_note)
    ws.data_validation(
        row,
        col["note"],
        row,
        col["note"],
        {
            "validate": "length",
            "criteria": "<=",
            "value": 2000,
            "input_title": "หมายเหตุ",
            "input_message": "คำชี้แจงเพิ่มเติม เช่น เหตุผลที่ไม่มีผลงาน หรือแหล่งข้อมูล",
            "error_title": "ข้อความยาวเกินไป",
            "error_message": "หมายเหตุยาวได้ไม่เกิน 2,000 ตัวอักษร",
        },
    )


def _number_rule(key: str, fw: Framework, unit: Unit, rnd: Round, item: AgreementItem) -> dict:
    what = item.kpi.measure_unit
    if key == "level":
        criteria = fw.criteria_for(unit.unit_id, item.kpi.kpi_id, rnd.round_id)
        top = max([Decimal(5), *(t for t in criteria.thresholds if t is not None)])
        return {
            "validate": "decimal",
            "criteria": "between",
            "minimum": 0,
            "maximum": int(top) if top == top.to_integral_value() else float(top),
            "input_title": "ระดับขั้นตอนที่ทำได้",
            "input_message": f"กรอกระดับขั้นตอนที่ดำเนินการแล้วเสร็จ 0–{point_text(top)}",
            "error_title": "ระดับไม่ถูกต้อง",
            "error_message": f"กรอกตัวเลข 0 ถึง {point_text(top)} เท่านั้น",
        }
    if key == "denominator":
        return {
            "validate": "decimal",
            "criteria": ">",
            "value": 0,
            "input_title": "ตัวหาร",
            "input_message": "กรอกตัวหารเป็นตัวเลขมากกว่า 0 ระบบคำนวณร้อยละให้ในช่องผลการดำเนินงาน",
            "error_title": "ตัวหารไม่ถูกต้อง",
            "error_message": "ตัวหารต้องเป็นตัวเลขมากกว่า 0 หากไม่มีข้อมูลให้เว้นว่างและชี้แจงในหมายเหตุ",
        }
    title = "ตัวตั้ง" if key == "numerator" else "ผลการดำเนินงาน"
    message = "กรอกตัวตั้งเป็นตัวเลข" if key == "numerator" else f"กรอกผลเป็นตัวเลข ({what})"
    return {
        "validate": "decimal",
        "criteria": ">=",
        "value": 0,
        "input_title": title,
        "input_message": f"{message} ไม่ต้องพิมพ์ % หรือหน่วย เช่น ร้อยละ 85.5 ให้กรอก 85.5",
        "error_title": "ข้อมูลไม่ถูกต้อง",
        "error_message": "กรอกตัวเลขตั้งแต่ 0 ขึ้นไปเท่านั้น ไม่ต้องพิมพ์ % หรือหน่วย",
    }


def allowing_not_applicable(rule: dict, cell: str) -> dict:
    """`rule` (a decimal rule of `_number_rule`) as a custom rule that also takes the text
    `ไม่มีผล (N/A)`: a unit may say a KPI had nothing to measure (DOMAIN §5), and Excel
    would otherwise refuse the words in a number cell. Other rules are returned unchanged."""
    if rule.get("validate") != "decimal":
        return rule
    criteria = rule["criteria"]
    if criteria == "between":
        number = f"AND({cell}>={rule['minimum']},{cell}<={rule['maximum']})"
    elif criteria in (">", ">=", "<", "<="):
        number = f"{cell}{criteria}{rule['value']}"
    else:
        return rule
    how = f"ถ้าไม่มีผลในรอบนี้ พิมพ์ {NOT_APPLICABLE_TEXT} และเขียนเหตุผลในหมายเหตุ"
    kept = {k: v for k, v in rule.items() if k not in ("criteria", "minimum", "maximum")}
    return {
        **kept,
        "validate": "custom",
        "value": f'=OR(AND(ISNUMBER({cell}),{number}),TRIM({cell})="{NOT_APPLICABLE_TEXT}")',
        "input_message": _clip(f"{rule.get('input_message', '')} {how}", 255),
        "error_message": _clip(f"{rule.get('error_message', '')} หรือ{how}", 255),
    }


def _clip(text: str, limit: int) -> str:
    """Excel refuses a validation message over 255 characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _input_validations(ws: Worksheet, rnd: Round) -> None:
    """Validation on the unit's own cells in the information block (F5:F7)."""
    ws.data_validation(
        "F5",
        {
            "validate": "length",
            "criteria": "<=",
            "value": 200,
            "input_title": "ผู้รายงาน",
            "input_message": "ชื่อ-สกุล ของผู้รายงานผล",
            "error_title": "ข้อความยาวเกินไป",
            "error_message": "ชื่อผู้รายงานยาวได้ไม่เกิน 200 ตัวอักษร",
        },
    )
    ws.data_validation(
        "F6",
        {
            "validate": "length",
            "criteria": "<=",
            "value": 50,
            "input_title": "โทรศัพท์",
            "input_message": "หมายเลขโทรศัพท์ที่ติดต่อได้ เช่น 0 2590 1234 ต่อ 56",
            "error_title": "ข้อความยาวเกินไป",
            "error_message": "หมายเลขโทรศัพท์ยาวได้ไม่เกิน 50 ตัวอักษร",
        },
    )
    # A date in the round's window, typed with a CE year or (in an Excel without Thai
    # calendar settings) with a BE year; intake normalises the latter.
    start = rnd.period_start
    end = _add_years(rnd.period_end, 2)
    windows = [(start, end), (_add_years(start, BE_OFFSET), _add_years(end, BE_OFFSET))]
    checks = ",".join(f"AND(F7>={_date_formula(a)},F7<={_date_formula(b)})" for a, b in windows)
    ws.data_validation(
        "F7",
        {
            "validate": "custom",
            "value": f"=AND(ISNUMBER(F7),OR({checks}))",
            "input_title": "วันที่ส่งรายงาน",
            "input_message": f"กรอกวันที่ส่งรายงาน เช่น {format_date_th(rnd.due_date)} "
            f"(พิมพ์ {rnd.due_date.day}/{rnd.due_date.month}/{rnd.due_date.year + BE_OFFSET})",
            "error_title": "วันที่ไม่ถูกต้อง",
            "error_message": "กรอกเป็นวันที่ในช่วงของรอบการประเมินนี้ "
            f"เช่น {rnd.due_date.day}/{rnd.due_date.month}/{rnd.due_date.year + BE_OFFSET}",
        },
    )


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 Feb
        return day.replace(year=day.year + years, day=28)


def _date_formula(day: dt.date) -> str:
    return f"DATE({day.year},{day.month},{day.day})"


def _write_instructions(
    ws: Worksheet,
    f: _Formats,
    fw: Framework,
    unit: Unit,
    rnd: Round,
    items: Sequence[AgreementItem],
) -> None:
    derived = any(
        fw.criteria_for(unit.unit_id, i.kpi.kpi_id, rnd.round_id).derived_from for i in items
    )
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, _GUIDE_WIDTH)
    ws.write_string(0, 0, "คำชี้แจงการกรอกแบบรายงานผลการดำเนินงาน", f.guide_head)
    ws.set_row(0, 30)
    row = 2
    for number, text, bold in instructions(fw, unit, rnd, derived):
        if bold and row > 2:
            row += 1  # a blank line before each heading
        if number:
            ws.write_string(row, 0, number, f.guide_no)
        ws.write_string(row, 1, text, f.guide_bold if bold else f.guide_text)
        ws.set_row(row, _height(_lines(text, _GUIDE_WIDTH, _GUIDE_SIZE), _GUIDE_SIZE))
        row += 1
    ws.hide_gridlines(2)
    ws.set_paper(9)
    ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.6, right=0.6, top=0.6, bottom=0.6)
    ws.print_area(0, 0, row - 1, 1)
    ws.protect("", {"format_columns": True, "format_rows": True})


def _lines(text: str, width: float, size: int = _BODY_SIZE) -> float:
    """Lines `text` wraps to in a column `width` characters wide (an estimate).

    Excel and LibreOffice do not grow rows to fit wrapped text in a file they did not
    lay out themselves, so the heights are set here. One Thai base character is about
    one column-width unit at the body size.
    """
    per_line = max(1.0, (width - 1) * _BODY_SIZE / size * 0.8)
    return sum(
        max(1, math.ceil(len(_COMBINING.sub("", part)) / per_line)) for part in text.split("\n")
    )


def _height(lines: float, size: int = _BODY_SIZE) -> float:
    """Row height in points for `lines` lines of text at `size` points."""
    return max(21.0, round(lines * size * 1.45 + 6, 1))


def _cluster_text(fw: Framework, unit: Unit) -> str:
    try:
        return f"{fw.cluster(unit.cluster_id).name} ({unit.cluster_id})"
    except KeyError:
        return unit.cluster_id


def _context_text(fw: Framework, unit_id: str, item: AgreementItem) -> str:
    """Component and parent KPIs of a leaf, outermost first, one per line."""
    kpis = fw.kpis.get(unit_id, {})
    chain: list[str] = []
    parent_id = item.kpi.parent_id
    seen: set[str] = set()
    while parent_id and parent_id not in seen and parent_id in kpis:
        seen.add(parent_id)
        parent = kpis[parent_id]
        chain.append(f"{parent.kpi_id} {parent.name}")
        parent_id = parent.parent_id
    lines: Iterable[str] = [item.kpi.component, *reversed(chain)]
    return "\n".join(line for line in lines if line)


def _round_label(fw: Framework, round_id: str) -> str:
    try:
        return f"{fw.round(round_id).name} [{round_id}]"
    except KeyError:
        return round_id


def _footer_text(text: str) -> str:
    return text.replace("&", "&&")
