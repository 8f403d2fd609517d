"""Every problem the adjustments reader reports (DOMAIN §6), declared in the issue catalogue
(kpi_batch/catalogue.py) as `ADJUSTMENTS`; docs/adjustments.md's code table is written from
it. An error leaves its row out of the adjustments (the rest are applied); a warning applies
the row and flags it. The pandera checks of `schemas.adjustments.AdjustmentRows` are named
by these codes."""

from __future__ import annotations

from kpi_batch.catalogue import ERROR, WARNING, Catalogue
from kpi_batch.specs.adjustments import COLUMNS, FIELDS, SHEET

ADJUSTMENTS = Catalogue("adjustment", "docs/adjustments.md")
_E = ERROR
_FIELDS_TH = ", ".join(FIELDS)

FILE_UNREADABLE = ADJUSTMENTS.declare(
    "adjustment_file_unreadable",
    _E,
    "เปิดไฟล์ปรับคะแนนไม่ได้ โปรดบันทึกเป็น .xlsx แล้วลองใหม่",
    "cannot read the adjustments workbook: {detail}",
    at="file",
)
SHEET_MISSING = ADJUSTMENTS.declare(
    "adjustment_sheet_missing",
    _E,
    f"ไม่พบชีต '{SHEET}' ในไฟล์ปรับคะแนน (ชีตที่พบ: {{found}})",
    f"no sheet named '{SHEET}' (found: {{found}})",
    at="file",
)
COLUMN_MISSING = ADJUSTMENTS.declare(
    "adjustment_column_missing",
    _E,
    f"ชีต '{SHEET}' ไม่มีคอลัมน์ {{missing}} (แถวหัวตารางต้องมี {', '.join(COLUMNS)})",
    f"sheet '{SHEET}' lacks column(s) {{missing}}",
    at="sheet",
)
COLUMN_DUPLICATE = ADJUSTMENTS.declare(
    "adjustment_column_duplicate",
    _E,
    "คอลัมน์ '{value}' ซ้ำกับ {first} ให้เหลือคอลัมน์เดียว",
    "column '{value}' appears twice",
    at="the second header cell",
)
# -- a row's own cells (the pandera checks of AdjustmentRows) -------------------------------
ADJUSTMENTS.declare(
    "adjustment_unit_missing",
    _E,
    "ต้องระบุรหัสหน่วยงาน (unit_id)",
    "unit_id is empty",
    at="unit_id",
)
ADJUSTMENTS.declare(
    "adjustment_kpi_missing",
    _E,
    "ต้องระบุรหัสตัวชี้วัด (kpi_id) หรือ * สำหรับ submitted_on และ late_days",
    "kpi_id is empty (use * for submitted_on and late_days)",
    at="kpi_id",
)
ADJUSTMENTS.declare(
    "adjustment_bad_stage",
    _E,
    "ขั้นตอน (stage) ต้องเป็น review (ทบทวนโดยเจ้าภาพตัวชี้วัด) หรือ appeal (อุทธรณ์)",
    "stage must be review or appeal",
    at="stage",
)
ADJUSTMENTS.declare(
    "adjustment_bad_field",
    _E,
    f"รายการที่แก้ไข (field) ต้องเป็นหนึ่งใน {_FIELDS_TH}",
    f"field must be one of {_FIELDS_TH}",
    at="field",
)
ADJUSTMENTS.declare(
    "adjustment_value_missing",
    _E,
    "ต้องระบุค่าใหม่ (new_value)",
    "new_value is empty",
    at="new_value",
)
ADJUSTMENTS.declare(
    "adjustment_reason_missing",
    _E,
    "ต้องระบุเหตุผล (reason) ของการแก้ไขทุกครั้ง",
    "every adjustment needs a reason",
    at="reason",
)
# -- the row against the framework ----------------------------------------------------------
UNKNOWN_UNIT = ADJUSTMENTS.declare(
    "adjustment_unknown_unit",
    _E,
    "ไม่พบหน่วยงานรหัส '{unit_id}' ในกรอบการประเมิน โปรดตรวจสอบรหัสหน่วยงาน",
    "unit '{unit_id}' is not in the framework",
    at="unit_id",
)
UNKNOWN_KPI = ADJUSTMENTS.declare(
    "adjustment_unknown_kpi",
    _E,
    "ตัวชี้วัด '{kpi_id}' ไม่อยู่ในคำรับรองฯ ของหน่วยงาน {unit_id}"
    " (ต้องเป็นตัวชี้วัดย่อยที่มีน้ำหนัก) โปรดตรวจสอบรหัสตัวชี้วัด",
    "KPI '{kpi_id}' is not a weighted KPI in unit {unit_id}'s agreement",
    at="kpi_id (not a leaf KPI the unit signed)",
)
WHOLE_UNIT_NOT_ALLOWED = ADJUSTMENTS.declare(
    "adjustment_whole_unit_not_allowed",
    _E,
    "การแก้ไข {field} ต้องระบุรหัสตัวชี้วัด (ใช้ * ได้เฉพาะ submitted_on และ late_days)",
    "{field} needs a KPI id; * is only for submitted_on and late_days",
    at="kpi_id (`*` with a KPI field)",
)
NEEDS_WHOLE_UNIT = ADJUSTMENTS.declare(
    "adjustment_needs_whole_unit",
    _E,
    "{field} ใช้กับการส่งผลของทั้งหน่วยงาน ให้ใส่ kpi_id เป็น *",
    "{field} concerns the whole submission: kpi_id must be *",
    at="kpi_id (a KPI id with submitted_on/late_days)",
)
FIELD_NOT_FOR_KPI = ADJUSTMENTS.declare(
    "adjustment_field_not_for_kpi",
    _E,
    "ตัวชี้วัด {kpi_id} {why_th} จึงแก้ไข {field} ไม่ได้",
    "KPI {kpi_id} {why_en}, so {field} does not apply",
    at="field (e.g. level on a quantitative KPI)",
)
# -- new_value for its field ------------------------------------------------------------------
BAD_NUMBER = ADJUSTMENTS.declare_variants(
    "adjustment_bad_number",
    _E,
    {
        "not_a_number": ("ค่าใหม่ '{value}' ไม่ใช่ตัวเลข", "new_value '{value}' is not a number"),
        "zero_denominator": ("ตัวหาร (denominator) ต้องไม่เป็น 0", "denominator must not be 0"),
        "negative": ("{field} ต้องไม่ติดลบ", "{field} must not be negative"),
    },
    at="new_value",
)
SCORE_OUT_OF_RANGE = ADJUSTMENTS.declare(
    "adjustment_score_out_of_range",
    _E,
    "คะแนน {score} ต้องอยู่ระหว่าง 0 ถึง {top}",
    "score {score} must be between 0 and {top}",
    at="new_value",
)
BAD_EXEMPT = ADJUSTMENTS.declare(
    "adjustment_bad_exempt",
    _E,
    "exempt ต้องเป็น 1 (ยกเว้นตัวชี้วัดนี้) หรือ 0 (ยกเลิกการยกเว้น)",
    "exempt must be 1 (exempt the KPI) or 0 (not exempt)",
    at="new_value",
)
BAD_DATE = ADJUSTMENTS.declare(
    "adjustment_bad_date",
    _E,
    "อ่านวันที่ '{value}' ไม่ได้ ให้พิมพ์เช่น 6 มี.ค. 2567 หรือ 6/3/2567",
    "'{value}' is not a date (write e.g. 6 มี.ค. 2567 or 6/3/2567)",
    at="new_value",
)
BAD_LATE_DAYS = ADJUSTMENTS.declare(
    "adjustment_bad_late_days",
    _E,
    "จำนวนวันล่าช้า (late_days) ต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป",
    "late_days must be a whole number, 0 or more",
    at="new_value",
)
DATE_UNUSUAL = ADJUSTMENTS.declare(
    "adjustment_date_unusual",
    WARNING,
    "วันที่ส่ง {date_th} อยู่นอกปีงบประมาณ {fiscal_year} โปรดตรวจสอบปี พ.ศ.",
    "submitted_on {date} is outside the fiscal year",
    at="new_value",
)
# -- rows against each other --------------------------------------------------------------------
DUPLICATE = ADJUSTMENTS.declare(
    "adjustment_duplicate",
    _E,
    "แถว {first_row} และแถว {this_row} แก้ไขรายการเดียวกัน ({key}) จึงไม่ใช้ทั้งสองแถว ให้เหลือแถวเดียว",
    "rows {first_row} and {this_row} adjust the same thing ({key}); neither is applied",
    at="unit_id of each row involved",
)
