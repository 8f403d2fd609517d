"""Write a framework workbook (format v1) from plain rows, and the blank template.

Used to generate `input_templates/`, the demo, test fixtures and benchmarks, so that every
framework file the project ships is produced by code and can be checked against it. The
layout is what a planning officer needs to fill the file by hand: Thai font, bold frozen
headers, readable widths, id columns stored as text (so 1.10 stays "1.10"), dropdowns for
every enumeration, and optionally a คำอธิบาย sheet.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import fields
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from kpi_batch.framework import help_text as help_text
from kpi_batch.model import (
    BandMethod,
    BelowLowest,
    DayCount,
    Direction,
    DueDateRoll,
    KpiType,
    Method,
    Rounding,
    Settings,
)
from kpi_batch.specs.framework import (
    INSTRUCTIONS_SHEET,
    OPTIONAL_SETTINGS,
    OPTIONAL_SHEETS,
    RECIPIENT_ROLES,
    REQUIRED_SETTINGS,
    SHEETS,
    SheetName,
)
from kpi_batch.workbook_style import workbook_options

Rows = Mapping[str, Sequence[Mapping[str, Any]]]

DEFAULT_SCALE = ("1", "2", "3", "4", "5")

# Pinned so the same rows give the same bytes (golden files, checksums).
_EPOCH = dt.datetime(2024, 1, 1)
_AUTHOR = "kpi_batch"

# Rows below the header that get dropdowns and text formats, beyond the rows written.
_SPARE_ROWS = 500
_MIN_INPUT_ROWS = 1000

_WIDTHS: Mapping[str, float] = {
    "key": 24,
    "value": 44,
    "round_id": 10,
    "period_start": 14,
    "period_end": 14,
    "data_cutoff": 14,
    "due_date": 14,
    "cluster_id": 11,
    "unit_id": 9,
    "email": 52,
    "kpi_id": 9,
    "parent_id": 10,
    "component": 40,
    "kpi_type": 14,
    "direction": 11,
    "measure_unit": 30,
    "formula": 10,
    "method": 10,
    "weight": 9,
    "band_id": 12,
    "min_score": 11,
    "role": 11,
    "date": 16,
    "owner_id": 10,
}
_NAME_WIDTHS: Mapping[str, float] = {
    SheetName.KPIS: 90,
    SheetName.UNITS: 44,
    SheetName.CLUSTERS: 40,
    SheetName.ROUNDS: 44,
    SheetName.OWNERS: 44,
}
_SCALE_WIDTH = 9
_DEFAULT_WIDTH = 30

_DATE_COLUMNS = frozenset({"period_start", "period_end", "data_cutoff", "due_date", "date"})
# Identifiers are typed as text: "1.1" must not become the number 1.1, nor "1.10" become 1.1.
_TEXT_COLUMNS = frozenset(
    {
        "key",
        "unit_id",
        "kpi_id",
        "parent_id",
        "round_id",
        "cluster_id",
        "band_id",
        "role",
        "owner_id",
    }
)

# Dropdowns. DOMAIN §4 spells `formula` and `method` as "blank or ratio / step", so blank is
# the default and the list offers only the one word to type.
_COLUMN_CHOICES: Mapping[str, tuple[str, ...]] = {
    "kpi_type": tuple(t.value for t in KpiType),
    "direction": tuple(d.value for d in Direction),
    "formula": ("ratio",),
    "method": (Method.STEP.value,),
    "role": RECIPIENT_ROLES,
}
_SETTING_CHOICES: Mapping[str, tuple[str, ...]] = {
    "rounding": tuple(r.value for r in Rounding),
    "below_lowest": tuple(b.value for b in BelowLowest),
    "late_day_count": tuple(d.value for d in DayCount),
    "due_date_roll": tuple(d.value for d in DueDateRoll),
    "band_method": tuple(b.value for b in BandMethod),
}
# (sheet, column) -> sheet whose first column lists the allowed ids. A warning, not a stop:
# the referenced sheet may be filled later.
_REFERENCES: Mapping[tuple[str, str], str] = {
    (SheetName.UNITS, "cluster_id"): SheetName.CLUSTERS,
    (SheetName.CRITERIA, "round_id"): SheetName.ROUNDS,
    (SheetName.KPIS, "owner_id"): SheetName.OWNERS,
}


def criteria_columns(scale: Sequence[str]) -> tuple[str, ...]:
    return (*SHEETS[SheetName.CRITERIA], *scale)


def setting_defaults() -> dict[str, Any]:
    """Settings keys in format order with their defaults (None for the required ones)."""
    defaults: dict[str, Any] = dict.fromkeys(REQUIRED_SETTINGS)
    model_defaults: dict[str, Any] = {f.name: f.default for f in fields(Settings)}
    for key in OPTIONAL_SETTINGS:
        value = model_defaults[key]
        if key == "scale":
            value = ",".join(str(p) for p in value)
        elif hasattr(value, "value"):  # StrEnum
            value = value.value
        defaults[key] = value
    return defaults


def template_rows() -> dict[str, list[dict[str, Any]]]:
    """Rows of the blank template: the settings keys with their defaults, other sheets empty."""
    rows: dict[str, list[dict[str, Any]]] = {sheet: [] for sheet in SHEETS}
    rows[SheetName.SETTINGS] = [{"key": k, "value": v} for k, v in setting_defaults().items()]
    return rows


def write_framework_template(path: Path, scale: Sequence[str] = DEFAULT_SCALE) -> Path:
    """The blank framework_template.xlsx planning staff start from."""
    return write_framework(
        template_rows(),
        path,
        scale,
        instructions=True,
        title="แม่แบบกรอบการประเมินผลการปฏิบัติราชการ (framework format v1)",
    )


def write_framework(
    rows: Rows,
    path: Path,
    scale: Sequence[str] = DEFAULT_SCALE,
    *,
    instructions: bool = False,
    title: str = "กรอบการประเมินผลการปฏิบัติราชการ (framework format v1)",
) -> Path:
    """Write `rows` (sheet -> list of {column: value}) as a framework workbook.

    Sheets are written in format order; a sheet missing from `rows` is written with its
    headers only, except the optional ones which are left out. Values are written as given
    (dates as dates, numbers as numbers, text as text: never as formulas). With
    `instructions`, a คำอธิบาย sheet comes first.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # TH Sarabun New 14 not marked as the theme's (Calibri) font; text never a formula.
    workbook = xlsxwriter.Workbook(str(path), workbook_options())
    workbook.set_properties({"title": title, "author": _AUTHOR, "created": _EPOCH})
    formats = _Formats(workbook)
    if instructions:
        _write_instructions(workbook.add_worksheet(INSTRUCTIONS_SHEET), formats)
    for sheet, default_columns in SHEETS.items():
        if sheet not in rows and sheet in OPTIONAL_SHEETS:
            continue
        columns = criteria_columns(scale) if sheet == SheetName.CRITERIA else default_columns
        _write_sheet(workbook.add_worksheet(sheet), sheet, columns, rows.get(sheet, ()), formats)
    workbook.close()
    return path


class _Formats:
    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.header = workbook.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "bottom": 1, "valign": "vcenter"}
        )
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.text = workbook.add_format({"num_format": "@"})
        self.title = workbook.add_format({"bold": True, "font_size": 18})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.wrap_bold = workbook.add_format({"text_wrap": True, "valign": "top", "bold": True})
        self.wrap_cell = workbook.add_format({"text_wrap": True})


def _write_sheet(
    ws: Worksheet,
    sheet: str,
    columns: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    formats: _Formats,
) -> None:
    last_row = max(_MIN_INPUT_ROWS, len(rows) + _SPARE_ROWS)
    for col, name in enumerate(columns):
        width = _column_width(sheet, name, columns)
        column_format = formats.date if name in _DATE_COLUMNS else None
        if name in _TEXT_COLUMNS:
            column_format = formats.text
        ws.set_column(col, col, width, column_format)
        ws.write_string(0, col, name, formats.header)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    _print_setup(ws, header_rows=1)
    widths = [_column_width(sheet, name, columns) for name in columns]
    for r, row in enumerate(rows, start=1):
        lines = 1
        for col, name in enumerate(columns):
            value = row.get(name)
            cell_lines = _lines(value, widths[col]) if isinstance(value, str) else 1
            wrap = formats.wrap_cell if cell_lines > 1 else None
            _write_value(ws, r, col, value, formats, wrap)
            lines = max(lines, cell_lines)
        if lines > 1:  # long KPI names wrap; the row is made tall enough to show them
            ws.set_row(r, lines * _LINE_HEIGHT + 4)
    _add_dropdowns(ws, sheet, columns, rows, last_row)


def _print_setup(ws: Worksheet, header_rows: int) -> None:
    """A4 landscape, one page wide, header repeated: planning staff print these sheets."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    if header_rows:
        ws.repeat_rows(0, header_rows - 1)


def _write_value(
    ws: Worksheet, r: int, col: int, value: Any, formats: _Formats, text_format: Format | None
) -> None:
    if value is None or value == "":
        return
    if isinstance(value, dt.date):
        ws.write_datetime(r, col, value, formats.date)
    elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        ws.write_number(r, col, float(value))
    else:
        ws.write_string(r, col, str(value), text_format)


def _column_width(sheet: str, name: str, columns: Sequence[str]) -> float:
    if name == "name":
        return _NAME_WIDTHS.get(sheet, _DEFAULT_WIDTH)
    if sheet == SheetName.CRITERIA and name not in SHEETS[SheetName.CRITERIA]:
        return _SCALE_WIDTH
    return _WIDTHS.get(name, _DEFAULT_WIDTH)


def _add_dropdowns(
    ws: Worksheet,
    sheet: str,
    columns: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    last_row: int,
) -> None:
    for col, name in enumerate(columns):
        choices = _COLUMN_CHOICES.get(name)
        reference = _REFERENCES.get((sheet, name))
        if choices is None and reference is None:
            continue
        options: dict[str, Any] = {"validate": "list"}
        if choices is not None:
            options["source"] = list(choices)
            options["error_title"] = "ค่าไม่อยู่ในรายการ"
            options["error_message"] = "เลือกจากรายการ: " + ", ".join(choices)
        else:
            options["source"] = f"={reference}!$A$2:$A${_MIN_INPUT_ROWS + 1}"
            options["error_type"] = "warning"
            options["error_message"] = f"ไม่พบรหัสนี้ในชีต {reference}"
        if name in help_text.PROMPTS:
            options["input_title"], options["input_message"] = help_text.PROMPTS[name]
        ws.data_validation(1, col, last_row, col, options)
    if sheet == SheetName.SETTINGS:
        _add_setting_dropdowns(ws, rows)


def _add_setting_dropdowns(ws: Worksheet, rows: Sequence[Mapping[str, Any]]) -> None:
    """Settings are key/value rows, so the dropdown goes on the value cell of each key."""
    for r, row in enumerate(rows, start=1):
        key = str(row.get("key", ""))
        if key in _SETTING_CHOICES:
            choices = _SETTING_CHOICES[key]
            ws.data_validation(
                r,
                1,
                r,
                1,
                {
                    "validate": "list",
                    "source": list(choices),
                    "input_title": key,
                    "input_message": "เลือกจากรายการ: " + ", ".join(choices),
                },
            )
        elif key in ("decimals", "fiscal_year"):
            low, high = (0, 10) if key == "decimals" else (2500, 2700)
            ws.data_validation(
                r,
                1,
                r,
                1,
                {
                    "validate": "integer",
                    "criteria": "between",
                    "minimum": low,
                    "maximum": high,
                    "error_message": f"กรอกจำนวนเต็ม {low}–{high}",
                },
            )
        elif key in ("late_penalty_per_day", "late_penalty_cap"):
            ws.data_validation(
                r,
                1,
                r,
                1,
                {
                    "validate": "decimal",
                    "criteria": ">=",
                    "value": 0,
                    "error_message": "กรอกตัวเลขตั้งแต่ 0 ขึ้นไป",
                },
            )


# Instructions sheet: four columns; notes span them, so their row heights are set by hand
# (spreadsheet programs do not grow merged rows to fit wrapped text).
_HELP_WIDTHS = (13, 22, 80, 46)
_LINE_HEIGHT = 21  # points per wrapped line at the house font size (workbook_style)


def _write_instructions(ws: Worksheet, formats: _Formats) -> None:
    for col, width in enumerate(_HELP_WIDTHS):
        ws.set_column(col, col, width)
    last_col = len(_HELP_WIDTHS) - 1
    ws.write_string(0, 0, help_text.TITLE, formats.title)
    ws.set_row(0, 30)
    r = 2
    for note in help_text.NOTES:
        ws.merge_range(r, 0, r, last_col, note, formats.wrap)
        ws.set_row(r, _height(note, sum(_HELP_WIDTHS)))
        r += 1
    r += 1
    for col, label in enumerate(help_text.COLUMNS_HEADER):
        ws.write_string(r, col, label, formats.header)
    ws.freeze_panes(r + 1, 0)
    _print_setup(ws, header_rows=0)
    for sheet, column, meaning, example in help_text.COLUMNS:
        r += 1
        ws.write_string(r, 0, sheet, formats.wrap)
        ws.write_string(r, 1, column, formats.wrap_bold)
        ws.write_string(r, 2, meaning, formats.wrap)
        ws.write_string(r, 3, example, formats.wrap)
        lines = max(
            _lines(meaning, _HELP_WIDTHS[2]),
            _lines(example, _HELP_WIDTHS[3]),
            _lines(column, _HELP_WIDTHS[1]),
        )
        ws.set_row(r, lines * _LINE_HEIGHT + 4)


def _lines(text: str, width: float) -> int:
    """Wrapped lines of `text` in a column `width` characters wide (Thai marks take no width)."""
    visible = sum(1 for ch in text if unicodedata.category(ch) != "Mn")
    return max(1, math.ceil(visible / (width * 0.95)))


def _height(text: str, width: float) -> float:
    return _lines(text, width) * _LINE_HEIGHT + 4
