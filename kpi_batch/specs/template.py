"""The unit submission template, format v1 (docs/template.md): what a unit fills in and what
intake reads back. The writer (`templates/workbook.py`), intake and the returned copies take
every name from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from types import MappingProxyType

FORMAT_VERSION = "1"  # the `template_version` defined name; intake refuses any other

REPORT_SHEET = "รายงานผล"
INSTRUCTIONS_SHEET = "คำชี้แจง"
TABLE = "results"  # the Excel table on the report sheet, one row per leaf KPI

# Defined name -> cell on the report sheet (workbook scope).
NAMED_CELLS = MappingProxyType(
    {
        "unit_id": "B5",
        "fiscal_year": "B7",
        "round_id": "B8",
        "reporter": "F5",
        "reporter_phone": "F6",
        "submitted_on": "F7",
        "template_version": "F10",
        "framework_fingerprint": "B11",
        "template_token": "F11",  # only when made with the planning office's key (token.py)
    }
)
NAMES = tuple(NAMED_CELLS)
HEADER_ROW = 12  # 0-based: the table header is Excel row 13
FIRST_COL = 1  # the table starts in column B; column A holds the KPI's context

# Table column key -> Thai label; the criteria columns (one per scale point) go between
# `measure_unit` and `value`. A header reads `label (key)`: intake finds a column by its key.
LEADING_COLUMNS = MappingProxyType(
    {"kpi_id": "ตัวชี้วัดที่", "name": "ชื่อตัวชี้วัด", "weight": "น้ำหนัก", "measure_unit": "หน่วยวัด"}
)
TRAILING_COLUMNS = MappingProxyType(
    {
        "value": "ผลการดำเนินงาน",
        "numerator": "ตัวตั้ง",
        "denominator": "ตัวหาร",
        "level": "ระดับขั้นตอนที่ทำได้",
        "note": "หมายเหตุ / คำชี้แจง",
    }
)


def point_text(point: Decimal) -> str:
    """Decimal('100') -> '100', Decimal('2.50') -> '2.5' (never '1E+2')."""
    text = format(point, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def criteria_key(point: Decimal) -> str:
    return f"criteria_{point_text(point)}"


def result_columns(scale: Sequence[Decimal]) -> tuple[tuple[str, str], ...]:
    """(key, header label) of the `results` table, in column order."""
    criteria = tuple(
        (criteria_key(p), f"เกณฑ์ระดับ {point_text(p)} ({criteria_key(p)})") for p in scale
    )
    return (
        *((key, f"{label} ({key})") for key, label in LEADING_COLUMNS.items()),
        *criteria,
        *((key, f"{label} ({key})") for key, label in TRAILING_COLUMNS.items()),
    )


def file_name(fiscal_year: int, round_id: str, unit_id: str) -> str:
    """A unit's blank template: `2567_R1_U01.xlsx`."""
    return f"{fiscal_year}_{round_id}_{unit_id}.xlsx"
