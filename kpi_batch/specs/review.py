"""KPI-owner review workbook, format v1 (DOMAIN.md §6b): the contract, spelled once.

The writer (`review.workbook`) and the reader (`review.read`) take every name from here:
the defined names that identify a workbook (never its file name), the `reviews` table and
its column keys, which columns the owner fills, the dropdown words and the file name.
"""

from __future__ import annotations

from types import MappingProxyType

REVIEW_VERSION = "1"
SHEET = "ทบทวนผล"
INSTRUCTIONS_SHEET = "คำชี้แจง"
TABLE = "reviews"
STAGES = ("review", "appeal")
STAGE_TH = MappingProxyType({"review": "ทบทวนผล", "appeal": "พิจารณาอุทธรณ์"})

# Workbook-scope defined names, each one cell on SHEET (all locked).
NAMES = ("owner_id", "round_id", "fiscal_year", "run_id", "stage", "review_version")

# key -> Thai label; the header cell is `label (key)`. Read-only first, then the owner's.
READ_ONLY = MappingProxyType(
    {
        "unit_id": "รหัสหน่วยงาน",
        "unit_name": "หน่วยงาน",
        "kpi_id": "ตัวชี้วัด",
        "kpi_name": "ชื่อตัวชี้วัด",
        "value": "ผลที่รายงาน",
        "numerator": "ตัวตั้ง",
        "denominator": "ตัวหาร",
        "level": "ขั้นที่รายงาน",
        "note": "คำชี้แจงของหน่วยงาน",
        "score": "คะแนนที่คำนวณ",
        "explanation": "ที่มาของคะแนน",
    }
)
INPUTS = MappingProxyType(
    {
        "new_value": "ผลที่ถูกต้อง",
        "new_numerator": "ตัวตั้งที่ถูกต้อง",
        "new_denominator": "ตัวหารที่ถูกต้อง",
        "new_level": "ขั้นที่ถูกต้อง",
        "new_score": "คะแนนที่กำหนด",
        "exempt": "ยกเว้นตัวชี้วัด",
        "reason": "เหตุผล",
        "reference": "อ้างอิง",
    }
)
COLUMNS = (*READ_ONLY, *INPUTS)
# Extra read-only columns shown to people but not part of the §6b contract: the reader
# ignores them (lateness of the unit's submission; the unit's argument in an appeal).
EXTRA = MappingProxyType({"days_late": "ส่งช้า (วัน)", "argument": "เหตุผลอุทธรณ์ของหน่วยงาน"})

# owner input column -> adjustment field (DOMAIN §6) it becomes
INPUT_FIELDS = MappingProxyType(
    {
        "new_value": "value",
        "new_numerator": "numerator",
        "new_denominator": "denominator",
        "new_level": "level",
        "new_score": "score",
        "exempt": "exempt",
    }
)
# The exempt dropdown: what the owner picks -> the adjustment's new_value. `1`/`0` typed
# by hand are read too.
EXEMPT_CHOICES = MappingProxyType({"ยกเว้น": "1", "ไม่ยกเว้น": "0"})


def header(key: str) -> str:
    label = {**READ_ONLY, **INPUTS, **EXTRA}[key]
    return f"{label} ({key})"


def review_filename(fiscal_year: int, round_id: str, owner_id: str) -> str:
    """`review_2567_R1_PR.xlsx` (the reader never relies on it)."""
    return f"review_{fiscal_year}_{round_id}_{owner_id}.xlsx"
