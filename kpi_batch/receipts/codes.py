"""Issues about the receipts register itself, declared in the issue catalogue as `RECEIPTS`."""

from __future__ import annotations

from kpi_batch.catalogue import WARNING, Catalogue
from kpi_batch.issues import Issue
from kpi_batch.receipts.spec import SHEET, Receipt
from kpi_batch.thai import format_date_th

RECEIPTS = Catalogue("receipts", "docs/intake.md")

# A receipt row that names no file in the inbox, or a unit that sent none: it charges
# nothing, and staff should know why (a typo in the name, a file saved elsewhere).
UNMATCHED = RECEIPTS.declare(
    "receipt_unmatched",
    WARNING,
    "ทะเบียนรับแถวนี้ ({what_th} รับวันที่ {received_th}) ไม่ตรงกับไฟล์ใดในโฟลเดอร์"
    " จึงไม่ได้ใช้ กรุณาตรวจชื่อไฟล์หรือรหัสหน่วยงานในทะเบียนรับ หรือวางไฟล์ที่รับไว้ในโฟลเดอร์",
    "receipt for {what_en} matches no file in the inbox; not used",
    problem="a register row whose file is not in the inbox, or whose unit sent no file",
    at="the register row",
)


def unmatched_receipt(r: Receipt) -> Issue:
    sheet, _, cell = r.where.partition("!")
    return UNMATCHED.issue(
        file=r.source,
        sheet=sheet or SHEET,
        cell=cell,
        unit_id=r.unit_id,
        value=r.file or r.unit_id,
        what_th=f"ไฟล์ {r.file}" if r.file else f"หน่วยงาน {r.unit_id}",
        what_en=f"file {r.file}" if r.file else f"unit {r.unit_id}",
        received_th=format_date_th(r.received_on),
    )
