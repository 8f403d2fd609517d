"""Issues about the receipts register itself (its cells are checked in load.py)."""

from __future__ import annotations

from kpi_batch.issues import Issue, warning
from kpi_batch.receipts.spec import SHEET, Receipt
from kpi_batch.thai import format_date_th


def unmatched_receipt(r: Receipt) -> Issue:
    """A receipt row that names no file in the inbox, or a unit that sent none: it charges
    nothing, and staff should know why (a typo in the name, a file saved elsewhere)."""
    what_th = f"ไฟล์ {r.file}" if r.file else f"หน่วยงาน {r.unit_id}"
    what_en = f"file {r.file}" if r.file else f"unit {r.unit_id}"
    sheet, _, cell = r.where.partition("!")
    return warning(
        "receipt_unmatched",
        f"ทะเบียนรับแถวนี้ ({what_th} รับวันที่ {format_date_th(r.received_on)}) ไม่ตรงกับไฟล์ใดในโฟลเดอร์"
        " จึงไม่ได้ใช้ กรุณาตรวจชื่อไฟล์หรือรหัสหน่วยงานในทะเบียนรับ หรือวางไฟล์ที่รับไว้ในโฟลเดอร์",
        f"receipt for {what_en} matches no file in the inbox; not used",
        file=r.source,
        sheet=sheet or SHEET,
        cell=cell,
        unit_id=r.unit_id,
        value=r.file or r.unit_id,
    )
