"""Issues about the receipts register itself, declared in the issue catalogue as `RECEIPTS`."""

from __future__ import annotations

from kpi_batch.catalogue import ERROR, WARNING, Catalogue
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


# The register's own rows and file (receipts/load.py). A refused row charges nothing and
# exits 1: a receipt decides a late deduction, so a wrong one must never be used quietly.
_NOT_USED_TH, _NOT_USED_EN = " (แถวนี้ไม่ได้ใช้)", "; row not used"
_EXAMPLE_TH = "เช่น 7 มี.ค. 2567 หรือ 7/3/2567"
ROW_NO_TARGET = RECEIPTS.declare(
    "receipt_row_no_target",
    ERROR,
    "แถวนี้ไม่มีทั้งรหัสหน่วยงานและชื่อไฟล์ ให้กรอก unit_id หรือ file อย่างน้อยหนึ่งช่อง" + _NOT_USED_TH,
    "the row names neither a unit nor a file" + _NOT_USED_EN,
    problem="a register row with neither unit_id nor file",
    at="the row's unit_id cell",
)
UNIT_UNKNOWN = RECEIPTS.declare(
    "receipt_unit_unknown",
    ERROR,
    "รหัสหน่วยงาน {value} ไม่มีในกรอบการประเมิน (ชีต units) ให้แก้เป็นรหัสที่ถูกต้อง" + _NOT_USED_TH,
    "unit {value} is not in the framework" + _NOT_USED_EN,
    problem="a unit_id not in the framework (invisible characters shown as <U+200B>)",
    at="the unit_id cell",
)
DATE_MISSING = RECEIPTS.declare(
    "receipt_date_missing",
    ERROR,
    f"ไม่มีวันที่รับ ให้กรอกวันที่รับไฟล์ {_EXAMPLE_TH}" + _NOT_USED_TH,
    "received_on is empty" + _NOT_USED_EN,
    problem="received_on left empty",
    at="the received_on cell",
)
DATE_INVALID = RECEIPTS.declare(
    "receipt_date_invalid",
    ERROR,
    f"'{{value}}' ไม่ใช่วันที่ ให้กรอกวันที่รับไฟล์ {_EXAMPLE_TH}" + _NOT_USED_TH,
    "received_on '{value}' is not a date" + _NOT_USED_EN,
    problem="received_on that is not a date",
    at="the received_on cell",
)
FILE_TWICE = RECEIPTS.declare(
    "receipt_file_twice",
    ERROR,
    "ไฟล์ {file_name} มีวันที่รับต่างกันหลายแถว ({places}) จึงไม่ได้ใช้ทุกแถวนี้"
    " ให้เหลือแถวเดียวที่ถูกต้องแล้วประมวลผลใหม่",
    "file {file_name} has receipts with different dates ({places}); none used",
    problem="one file named by rows with different dates (we will not guess which holds)",
    at="each of those rows' received_on cell",
)
COLUMNS_MISSING = RECEIPTS.declare(
    "receipt_columns_missing",
    ERROR,
    "แถวหัวตาราง (แถว {row}) ต้องมีคอลัมน์ received_on และ unit_id หรือ file"
    " ใช้หัวคอลัมน์ตามแบบฟอร์มทะเบียนรับ: {keys} (ไม่ได้ใช้ทะเบียนรับนี้)",
    "header row {row} needs received_on and unit_id or file ({keys}); register not used",
    problem="the header row lacks received_on, or both unit_id and file",
    at="the header row",
)
REGISTER_EMPTY = RECEIPTS.declare(
    "receipt_register_empty",
    ERROR,
    "ทะเบียนรับว่างเปล่า ไม่มีแถวหัวตาราง (ไม่ได้ใช้ทะเบียนรับนี้)",
    "the register is empty; register not used",
    at="file",
)
SHEET_MISSING = RECEIPTS.declare(
    "receipt_sheet_missing",
    ERROR,
    f"ไม่พบชีต '{SHEET}' ในทะเบียนรับ (ชีตที่พบ: {{found}}) ให้เปลี่ยนชื่อชีตเป็น {SHEET} (ไม่ได้ใช้ทะเบียนรับนี้)",
    f"no sheet named '{SHEET}' (found: {{found}}); register not used",
    at="file",
)
FILE_UNREADABLE = RECEIPTS.declare(
    "receipt_file_unreadable",
    ERROR,
    "เปิดทะเบียนรับไม่ได้ ให้บันทึกเป็น .xlsx หรือ .csv แล้วลองใหม่ (ไม่ได้ใช้ทะเบียนรับนี้)",
    "cannot read the receipts register: {detail}; register not used",
    at="file",
)
ENCODING_GUESSED = RECEIPTS.declare(
    "receipt_encoding_guessed",
    WARNING,
    "ทะเบียนรับไม่ได้บันทึกเป็น UTF-8 จึงอ่านแบบ Windows-874 (ANSI ภาษาไทย) กรุณาตรวจว่ารหัสหน่วยงาน"
    "และชื่อไฟล์อ่านถูกต้อง หรือบันทึกใหม่เป็น CSV UTF-8 เพื่อไม่ให้มีคำเตือนนี้",
    "the register is not UTF-8; read as Windows-874 (check the Thai text, or save as CSV UTF-8)",
    problem="a CSV register that is not UTF-8 (read as Windows-874; check the Thai text)",
    at="file",
)
