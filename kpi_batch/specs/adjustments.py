"""The adjustments workbook, format v1 (DOMAIN.md §6, docs/adjustments.md): corrections by KPI
owners (review) and appeal decisions. The blank template, the reader, scoring, the reports
and the run-to-run diff take every name from here.
"""

from __future__ import annotations

from types import MappingProxyType

FORMAT_VERSION = "1"
SHEET = "adjustments"  # the one sheet the reader reads
INSTRUCTIONS_SHEET = "คำแนะนำ"
EXAMPLES_SHEET = "ตัวอย่าง"
TEMPLATE_FILE = "adjustments_template.xlsx"  # the blank workbook in input_templates/

STAGES = ("review", "appeal")
# Fields that correct one KPI's result, and fields that concern the unit's submission as a
# whole (kpi_id `*`).
KPI_FIELDS = ("value", "numerator", "denominator", "level", "score", "exempt")
UNIT_FIELDS = ("submitted_on", "late_days")
FIELDS = KPI_FIELDS + UNIT_FIELDS
WHOLE_UNIT = "*"

# Column key (the sheet's header, row 1) -> its Thai heading, in sheet order.
COLUMN_TH = MappingProxyType(
    {
        "unit_id": "รหัสหน่วยงาน",
        "kpi_id": "รหัสตัวชี้วัด",
        "stage": "ขั้นตอน",
        "field": "รายการที่แก้ไข",
        "new_value": "ค่าใหม่",
        "reason": "เหตุผล",
        "reference": "อ้างอิง",
    }
)
COLUMNS = tuple(COLUMN_TH)
# How reports and the run-to-run diff name each field in Thai (value as the template labels it).
FIELD_TH = MappingProxyType(
    {
        "value": "ผลการดำเนินงาน",
        "numerator": "ตัวตั้ง",
        "denominator": "ตัวหาร",
        "level": "ขั้นความสำเร็จ",
        "score": "คะแนน",
        "exempt": "ยกเว้นตัวชี้วัด",
        "submitted_on": "วันที่ส่ง",
        "late_days": "จำนวนวันล่าช้า",
    }
)
