"""Every problem the review-workbook reader reports: a stable code, severity, Thai and
English message (`str.format` templates; `value` is also a field). docs/reviews.md lists
them; a test checks that every code is there. Problems of the adjustment rows a workbook
turns into keep the adjustments reader's codes (`adjustment_*`, docs/adjustments.md)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Protocol

from kpi_batch.issues import Issue, Severity, error, warning


class _Located(Protocol):
    @property
    def file(self) -> str: ...
    @property
    def sheet(self) -> str: ...


E, W = Severity.ERROR, Severity.WARNING
# code -> (severity, Thai template, English template)
MESSAGES = MappingProxyType(
    {
        "review_file_unreadable": (
            E,
            "เปิดแบบทบทวนผลไม่ได้ ({value}) — บันทึกเป็น .xlsx จาก Excel แล้วส่งใหม่",
            "cannot read the review workbook ({value}); save it as .xlsx and send it again",
        ),
        "review_not_review_workbook": (
            E,
            "ไม่ใช่แบบทบทวนผลที่โปรแกรมสร้าง ({value}) — ใช้ไฟล์ที่ได้รับจาก review-sheets",
            "not a review workbook made by review-sheets ({value})",
        ),
        "review_unknown_owner": (
            E,
            "ไม่พบเจ้าภาพตัวชี้วัด '{value}' ในกรอบการประเมิน — ใช้แบบทบทวนผลของรอบนี้",
            "KPI owner '{value}' is not in the framework",
        ),
        "review_wrong_year": (
            E,
            "แบบทบทวนผลเป็นของปีงบประมาณ {value} ไม่ใช่ {expected} — ใช้แบบของปีนี้",
            "the review workbook is for fiscal year {value}, not {expected}",
        ),
        "review_wrong_round": (
            E,
            "แบบทบทวนผลเป็นของรอบ {value} ไม่ใช่รอบ {expected} ที่ประมวลผล — ใช้แบบของรอบนี้",
            "the review workbook is for round {value}, not {expected}",
        ),
        "review_bad_stage": (
            E,
            "ขั้นตอน '{value}' ไม่ถูกต้อง (ต้องเป็น review หรือ appeal) — ใช้ไฟล์ที่ได้รับโดยไม่แก้ช่องนี้",
            "stage '{value}' must be review or appeal",
        ),
        "review_bad_version": (
            E,
            "ฉบับแบบฟอร์ม '{value}' ไม่ใช่ฉบับ {expected} — สร้างแบบทบทวนผลใหม่ด้วย review-sheets",
            "review workbook version '{value}' is not {expected}",
        ),
        "review_column_missing": (
            E,
            "ตาราง reviews ไม่มีคอลัมน์ {value} — ใช้ไฟล์ที่ได้รับ ห้ามลบคอลัมน์",
            "the reviews table lacks column(s) {value}",
        ),
        "review_row_without_ids": (
            E,
            "แถวนี้กรอกการแก้ไขแต่ไม่มีรหัสหน่วยงานและตัวชี้วัด — กรอกในแถวของหน่วยงานนั้น",
            "a filled row without unit_id and kpi_id; fill the unit's own row",
        ),
        "review_unknown_unit": (
            E,
            "ไม่พบหน่วยงาน '{value}' ในกรอบการประเมิน — ห้ามแก้รหัสหน่วยงาน (ช่องล็อก)",
            "unit '{value}' is not in the framework (the unit_id cell is locked)",
        ),
        "review_not_owner": (
            E,
            "ตัวชี้วัด {value} ของหน่วยงาน {unit} ไม่ใช่ตัวชี้วัดที่ {owner} เป็นเจ้าภาพ"
            " (เจ้าภาพคือ {other}) จึงไม่นำไปใช้ — ให้เจ้าภาพตัวชี้วัดนั้นแก้ในแบบของตน",
            "KPI {value} of unit {unit} is not owned by {owner} (owner: {other}); not applied",
        ),
        "review_unit_not_in_run": (
            E,
            "หน่วยงาน {value} ไม่มีไฟล์รายงานผลที่ผ่านการตรวจในการประมวลผลนี้ จึงแก้ผลไม่ได้",
            "unit {value} has no accepted submission in this run; nothing to correct",
        ),
        "review_reason_missing": (
            E,
            "แถวนี้แก้ไขผลแต่ไม่มีเหตุผล — กรอกเหตุผลทุกครั้งที่แก้ (แถวนี้ยังไม่ถูกนำไปใช้)",
            "the row changes {unit} {kpi} but gives no reason; not applied",
        ),
        "review_reason_without_change": (
            W,
            "มีเหตุผลแต่ไม่ได้กรอกค่าที่แก้ คะแนนจึงไม่เปลี่ยน — ถ้าต้องการแก้ให้กรอกช่องสีเหลือง",
            "a reason without any corrected value: nothing changes",
        ),
        "review_locked_changed": (
            W,
            "ช่อง {column} ถูกแก้เป็น '{value}' (ในผลการประมวลผลคือ {expected}) — ช่องนี้ไม่ถูกนำไปใช้"
            " ถ้าต้องการแก้ผล ให้กรอกในช่องสีเหลือง",
            "locked cell {column} changed to '{value}' (the run has {expected}); not used;"
            " corrections go in the yellow columns",
        ),
        "review_conflict": (
            E,
            "แก้รายการเดียวกัน ({value}) ต่างกันใน {places} จึงไม่ใช้ทั้งสองแห่ง — ให้เหลือค่าเดียว",
            "the same change ({value}) is given different values in {places}; neither is applied",
        ),
    }
)


def review_issue(code: str, book: _Located, cell: str, value: object = "", **params: Any) -> Issue:
    severity, th, en = MESSAGES[code]
    shown = "" if value is None else str(value)
    fields = {"value": shown, **params}
    make = error if severity is E else warning
    return make(
        code,
        th.format(**fields),
        en.format(**fields),
        file=book.file,
        sheet=book.sheet,
        cell=cell,
        value=shown,
        unit_id=str(params.get("unit", "")),
        kpi_id=str(params.get("kpi", "")),
    )
