"""Every problem the review-workbook reader reports: a stable code, severity, Thai and
English message (`str.format` templates; `value` is also a field), declared in the issue
catalogue (kpi_batch/catalogue.py) as `REVIEW`. docs/reviews.md lists them; a test checks
that every code is there. Problems of the adjustment rows a workbook
turns into keep the adjustments reader's codes (`adjustment_*`, docs/adjustments.md)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Protocol

from kpi_batch.catalogue import ERROR, WARNING, Catalogue
from kpi_batch.issues import Issue


class _Located(Protocol):
    @property
    def file(self) -> str: ...
    @property
    def sheet(self) -> str: ...


REVIEW = Catalogue("review", "docs/reviews.md")

REVIEW.declare(
    "review_file_unreadable",
    ERROR,
    "เปิดแบบทบทวนผลไม่ได้ ({value}) — บันทึกเป็น .xlsx จาก Excel แล้วส่งใหม่",
    "cannot read the review workbook ({value}); save it as .xlsx and send it again",
    problem="the file cannot be read safely (size, zip, XML, calamine)",
)
REVIEW.declare(
    "review_not_review_workbook",
    ERROR,
    "ไม่ใช่แบบทบทวนผลที่โปรแกรมสร้าง ({value}) — ใช้ไฟล์ที่ได้รับจาก review-sheets",
    "not a review workbook made by review-sheets ({value})",
    problem="no review defined names or no `reviews` table header",
)
REVIEW.declare(
    "review_unknown_owner",
    ERROR,
    "ไม่พบเจ้าภาพตัวชี้วัด '{value}' ในกรอบการประเมิน — ใช้แบบทบทวนผลของรอบนี้",
    "KPI owner '{value}' is not in the framework",
    problem="`owner_id` is not in the framework",
)
REVIEW.declare(
    "review_wrong_year",
    ERROR,
    "แบบทบทวนผลเป็นของปีงบประมาณ {value} ไม่ใช่ {expected} — ใช้แบบของปีนี้",
    "the review workbook is for fiscal year {value}, not {expected}",
    problem="`fiscal_year` is not the framework's",
)
REVIEW.declare(
    "review_wrong_round",
    ERROR,
    "แบบทบทวนผลเป็นของรอบ {value} ไม่ใช่รอบ {expected} ที่ประมวลผล — ใช้แบบของรอบนี้",
    "the review workbook is for round {value}, not {expected}",
    problem="`round_id` is not the run's round",
)
REVIEW.declare(
    "review_bad_stage",
    ERROR,
    "ขั้นตอน '{value}' ไม่ถูกต้อง (ต้องเป็น review หรือ appeal) — ใช้ไฟล์ที่ได้รับโดยไม่แก้ช่องนี้",
    "stage '{value}' must be review or appeal",
    problem="`stage` is not review or appeal",
)
REVIEW.declare(
    "review_bad_version",
    ERROR,
    "ฉบับแบบฟอร์ม '{value}' ไม่ใช่ฉบับ {expected} — สร้างแบบทบทวนผลใหม่ด้วย review-sheets",
    "review workbook version '{value}' is not {expected}",
    problem="`review_version` is not 1",
)
REVIEW.declare(
    "review_column_missing",
    ERROR,
    "ตาราง reviews ไม่มีคอลัมน์ {value} — ใช้ไฟล์ที่ได้รับ ห้ามลบคอลัมน์",
    "the reviews table lacks column(s) {value}",
    problem="a column of the table was deleted",
)
REVIEW.declare(
    "review_row_without_ids",
    ERROR,
    "แถวนี้กรอกการแก้ไขแต่ไม่มีรหัสหน่วยงานและตัวชี้วัด — กรอกในแถวของหน่วยงานนั้น",
    "a filled row without unit_id and kpi_id; fill the unit's own row",
    problem="a filled row without unit and KPI",
)
REVIEW.declare(
    "review_unknown_unit",
    ERROR,
    "ไม่พบหน่วยงาน '{value}' ในกรอบการประเมิน — ห้ามแก้รหัสหน่วยงาน (ช่องล็อก)",
    "unit '{value}' is not in the framework (the unit_id cell is locked)",
    problem="a unit id not in the framework (a locked cell was edited)",
)
REVIEW.declare(
    "review_not_owner",
    ERROR,
    "ตัวชี้วัด {value} ของหน่วยงาน {unit} ไม่ใช่ตัวชี้วัดที่ {owner} เป็นเจ้าภาพ"
    " (เจ้าภาพคือ {other}) จึงไม่นำไปใช้ — ให้เจ้าภาพตัวชี้วัดนั้นแก้ในแบบของตน",
    "KPI {value} of unit {unit} is not owned by {owner} (owner: {other}); not applied",
    problem="a (unit, KPI) that is not this owner's",
)
REVIEW.declare(
    "review_unit_not_in_run",
    ERROR,
    "หน่วยงาน {value} ไม่มีไฟล์รายงานผลที่ผ่านการตรวจในการประมวลผลนี้ จึงแก้ผลไม่ได้",
    "unit {value} has no accepted submission in this run; nothing to correct",
    problem="a change for a unit with no accepted submission in this run",
)
REVIEW.declare(
    "review_reason_missing",
    ERROR,
    "แถวนี้แก้ไขผลแต่ไม่มีเหตุผล — กรอกเหตุผลทุกครั้งที่แก้ (แถวนี้ยังไม่ถูกนำไปใช้)",
    "the row changes {unit} {kpi} but gives no reason; not applied",
    problem="an input filled without a reason",
)
REVIEW.declare(
    "review_reason_without_change",
    WARNING,
    "มีเหตุผลแต่ไม่ได้กรอกค่าที่แก้ คะแนนจึงไม่เปลี่ยน — ถ้าต้องการแก้ให้กรอกช่องสีเหลือง",
    "a reason without any corrected value: nothing changes",
    problem="a reason or reference without any value: nothing changes",
)
REVIEW.declare(
    "review_locked_changed",
    WARNING,
    "ช่อง {column} ถูกแก้เป็น '{value}' (ในผลการประมวลผลคือ {expected}) — ช่องนี้ไม่ถูกนำไปใช้"
    " ถ้าต้องการแก้ผล ให้กรอกในช่องสีเหลือง",
    "locked cell {column} changed to '{value}' (the run has {expected}); not used;"
    " corrections go in the yellow columns",
    problem="a read-only cell no longer holds what the run shows; not used",
)
REVIEW.declare(
    "review_conflict",
    ERROR,
    "แก้รายการเดียวกัน ({change}) ต่างกันใน {places} จึงไม่ใช้ทั้งสองแห่ง — ให้เหลือค่าเดียว",
    "the same change ({change}) is given different values in {places}; neither is applied",
    problem="the same change with different values in two places; neither applied",
)

# code -> (severity, Thai template, English template), read by the tests
MESSAGES = MappingProxyType(
    {c: (k.severity, k.message_th, k.message_en) for c, k in REVIEW.items()}
)


def review_issue(code: str, book: _Located, cell: str, value: object = "", **params: Any) -> Issue:
    return REVIEW[code].issue(
        file=book.file,
        sheet=book.sheet,
        cell=cell,
        value=value,
        unit_id=str(params.get("unit", "")),
        kpi_id=str(params.get("kpi", "")),
        **params,
    )
