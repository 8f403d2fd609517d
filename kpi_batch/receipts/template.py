"""The blank receipts register planning staff fill from e-saraban (or the register book).

`input_templates/receipts_template.xlsx` is this function's output, committed and checked
byte for byte by the tests; regenerate input_templates/ after changing the text here with

    .venv/bin/python -m kpi_batch.input_templates

The sheet `receipts` has the keys in row 1 (the reader's contract, receipts/spec.py) and
nothing else; the Thai instructions and examples are on the second sheet and in the input
messages Excel shows when a cell is selected, so they can never be read as data.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from kpi_batch.receipts.spec import COLUMN_TH, COLUMNS, INSTRUCTIONS_SHEET, SHEET
from kpi_batch.workbook_style import (
    HEADER_PT,
    PINNED_CREATED,
    fmt,
    print_setup,
    row_height,
    workbook_options,
)

_ROWS = 1000

# key -> (meaning shown when the cell is selected, width)
_COLUMN_HELP = {
    "unit_id": ("รหัสหน่วยงานตามกรอบการประเมิน (ชีต units) กรอกช่องนี้หรือช่อง file", 14),
    "file": (
        "ชื่อไฟล์ในโฟลเดอร์ inbox เช่น 2567_R1_U05.xlsx หรือ อีเมลที่บันทึกไว้ เช่น U05.eml"
        " (ใช้เมื่อหน่วยงานส่งหลายไฟล์)",
        30,
    ),
    "received_on": ("ต้องกรอก: วันที่รับตามทะเบียนรับ เช่น 7 มี.ค. 2567 หรือ 7/3/2567", 16),
    "reference": ("เลขรับ (ไม่บังคับ) เช่น 1234/2567", 18),
}

_STEPS = (
    "กรอกหนึ่งแถวต่อไฟล์ที่รับหนึ่งครั้งในชีต receipts เริ่มที่แถว 2 ห้ามเปลี่ยนชื่อชีตหรือข้อความหัวคอลัมน์ในแถว 1",
    "แต่ละแถวต้องมี unit_id หรือ file อย่างน้อยหนึ่งช่อง และต้องมีวันที่รับ (received_on)",
    "วันที่รับในทะเบียนนี้ใช้คิดการส่งล่าช้าก่อนวันที่ของอีเมลและวันที่ที่หน่วยงานกรอกในแบบรายงาน (วันที่แก้ไขไฟล์ไม่ใช้คิดเลย)",
    "หน่วยงานเดียวกันมีได้หลายแถว (ส่งหลายครั้ง): ถ้าไม่ระบุ file จะใช้วันที่รับล่าสุดของหน่วยงาน",
    "แถวที่ไม่ถูกต้องจะไม่ถูกนำไปใช้ และแสดงในรายงานผลการตรวจสอบ (validation report) พร้อมตำแหน่งเซลล์"
    " เช่น receipts!C4",
    "บันทึกเป็น .xlsx หรือ .csv ก็ได้ แล้วประมวลผลด้วย --receipts ชื่อไฟล์"
    " (ในโฟลเดอร์ทำงาน ให้บันทึกชื่อ receipts.xlsx การประมวลผลจะใช้ไฟล์นี้เอง)",
)

_EXAMPLES = (
    ("U05", "", "7 มี.ค. 2567", "1234/2567"),
    ("", "2567_R1_U12.xlsx", "8/3/2567", "1250/2567"),
)


def write_receipts_template(path: Path) -> Path:
    """Write the blank receipts register (format v1) to `path`; same bytes every time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), workbook_options())
    wb.set_properties(
        {
            "title": "ทะเบียนรับไฟล์รายงานผล / receipts register v1",
            "author": "kpi_batch",
            "created": PINNED_CREATED,
        }
    )
    ws = wb.add_worksheet(SHEET)
    head = wb.add_format(fmt(bold=True, bg_color="#DDEBF7", border=1))
    text = wb.add_format(fmt(num_format="@"))
    ws.set_row(0, HEADER_PT)
    for col, key in enumerate(COLUMNS):
        meaning, width = _COLUMN_HELP[key]
        # received_on stays General: a date typed in Excel is then a real date
        ws.set_column(col, col, width, None if key == "received_on" else text)
        ws.write_string(0, col, key, head)
        rule = {"validate": "any", "input_title": COLUMN_TH[key], "input_message": meaning[:255]}
        ws.data_validation(1, col, _ROWS, col, rule)
    ws.freeze_panes(1, 0)
    print_setup(ws, "ทะเบียนรับ (receipts)")
    ws.activate()
    _instructions(wb)
    wb.close()
    return path


def _instructions(wb: xlsxwriter.Workbook) -> None:
    ws = wb.add_worksheet(INSTRUCTIONS_SHEET)
    title = wb.add_format(fmt(bold=True, font_size=18))
    section = wb.add_format(fmt(bold=True, font_size=16))
    head = wb.add_format(fmt(bold=True, bg_color="#DDEBF7", border=1, text_wrap=True))
    cell = wb.add_format(fmt(border=1, text_wrap=True))
    plain = wb.add_format(fmt(text_wrap=True))
    widths = [_COLUMN_HELP[key][1] + 4 for key in COLUMNS]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, "ทะเบียนรับไฟล์รายงานผล — receipts register v1", title)
    ws.set_row(0, 30)
    row = 2
    ws.write_string(row, 0, "วิธีกรอก", section)
    ws.set_row(row, 26)
    for number, step in enumerate(_STEPS, start=1):
        row += 1
        line = f"{number}. {step}"
        ws.merge_range(row, 0, row, len(widths) - 1, line, plain)
        ws.set_row(row, row_height([(line, sum(widths))]))
    row += 2
    ws.write_string(row, 0, "ตัวอย่าง (กรอกในชีต receipts)", section)
    ws.set_row(row, 26)
    row += 1
    for col, key in enumerate(COLUMNS):
        ws.write_string(row, col, f"{COLUMN_TH[key]}\n{key}", head)
    ws.set_row(row, 2 * HEADER_PT)
    for example in _EXAMPLES:
        row += 1
        for col, value in enumerate(example):
            ws.write_string(row, col, value, cell)
    print_setup(ws, "วิธีกรอกทะเบียนรับ")
