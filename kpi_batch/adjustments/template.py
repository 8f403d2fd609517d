"""The blank adjustments workbook planning staff hand to KPI owners and the appeal committee.

`input_templates/adjustments_template.xlsx` is this function's output, committed and checked
byte for byte by the tests. After changing the text here, regenerate input_templates/ with

    .venv/bin/python -m kpi_batch.input_templates

(`python -m kpi_batch.adjustments.template PATH` still writes this one file to PATH.)

The sheet `adjustments` has the keys in row 1 (the reader's contract) and nothing else;
everything written for people (Thai instructions, examples) is on the second sheet and in
the input messages Excel shows when a cell is selected, so it can never be read as data.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

from kpi_batch.specs.adjustments import (
    COLUMN_TH,
    COLUMNS,
    EXAMPLES_SHEET,
    FIELDS,
    INSTRUCTIONS_SHEET,
    SHEET,
    STAGES,
)
from kpi_batch.workbook_style import (
    HEADER_PT,
    PINNED_CREATED,
    fmt,
    print_setup,
    row_height,
    workbook_options,
)

_ROWS = 1000  # rows with dropdowns and text format

# key -> (required, meaning, width); the Thai heading is the spec's
_COLUMN_HELP = {
    "unit_id": (True, "รหัสหน่วยงานตามกรอบการประเมิน (ชีต units)", 12),
    "kpi_id": (
        True,
        "รหัสตัวชี้วัดย่อยในคำรับรองฯ ของหน่วยงาน หรือ * สำหรับ submitted_on และ late_days",
        10,
    ),
    "stage": (
        True,
        "review = เจ้าภาพตัวชี้วัดทบทวนผล (ใช้ทั้งคะแนนก่อนอุทธรณ์และคะแนนสุดท้าย)"
        " / appeal = ผลการพิจารณาอุทธรณ์ (ใช้กับคะแนนสุดท้ายเท่านั้น)",
        11,
    ),
    "field": (True, "เลือกจากรายการ ดูตาราง field ด้านล่าง", 14),
    "new_value": (True, "ค่าใหม่ตามชนิดของ field (ตัวเลขไทยหรืออารบิกก็ได้)", 14),
    "reason": (True, "เหตุผลของการแก้ไข ต้องกรอกทุกแถว", 44),
    "reference": (False, "เลขที่หนังสือ บันทึก หรือมติที่ประชุม (ไม่บังคับ)", 24),
}

# field -> (kpi_id, what new_value means, example)
_FIELD_HELP = {
    "value": ("รหัสตัวชี้วัด", "ผลการดำเนินงานใหม่ ของตัวชี้วัดเชิงปริมาณ", "73.5"),
    "numerator": ("รหัสตัวชี้วัด", "ตัวตั้งใหม่ ของตัวชี้วัดที่คำนวณเป็นร้อยละ (ratio)", "1234"),
    "denominator": ("รหัสตัวชี้วัด", "ตัวหารใหม่ ของตัวชี้วัดแบบ ratio (ต้องไม่เป็น 0)", "2000"),
    "level": ("รหัสตัวชี้วัด", "ขั้นตอนที่ทำได้ ของตัวชี้วัดแบบขั้นตอน (ใส่ทศนิยมได้)", "3.5"),
    "score": ("รหัสตัวชี้วัด", "กำหนดคะแนนตัวชี้วัดโดยตรง ตั้งแต่ 0 ถึงคะแนนสูงสุด", "4.25"),
    "exempt": (
        "รหัสตัวชี้วัด",
        "1 = ยกเว้นตัวชี้วัดนี้ (ตัดออกและคำนวณน้ำหนักใหม่) / 0 = ยกเลิกการยกเว้น",
        "1",
    ),
    "submitted_on": ("*", "วันที่ส่งผลการดำเนินงานที่ถูกต้อง", "6 มี.ค. 2567"),
    "late_days": (
        "*",
        "จำนวนวันล่าช้าของรายการอื่น เช่น ส่งคู่มือคำรับรองฯ ล่าช้า"
        " (หักคะแนนตามอัตราในกรอบการประเมิน) ได้หนึ่งรายการต่อหน่วยงานต่อขั้นตอน",
        "3",
    ),
}

_STEPS = (
    "กรอกหนึ่งแถวต่อการแก้ไขหนึ่งรายการในชีต adjustments เริ่มที่แถว 2 ห้ามเปลี่ยนชื่อชีตหรือข้อความหัวคอลัมน์ในแถว 1",
    "stage และ field ให้เลือกจากรายการในเซลล์ (คลิกที่เซลล์จะเห็นคำอธิบาย)",
    "ทุกแถวต้องมีเหตุผล (reason) เพื่อให้ตรวจสอบย้อนหลังได้",
    "หน่วยงาน ตัวชี้วัด stage และ field เดียวกันมีได้แถวเดียว ถ้าซ้ำจะไม่ใช้ทั้งสองแถว"
    " (review กับ appeal ของรายการเดียวกันไม่ถือว่าซ้ำ: appeal ใช้แทน review ในคะแนนสุดท้าย)",
    "แถวที่ไม่ถูกต้องจะไม่ถูกนำไปใช้ และจะแสดงในรายงานผลการตรวจสอบ (validation report)"
    " พร้อมตำแหน่งเซลล์ เช่น adjustments!E7",
    "ตัวเลขพิมพ์เป็นเลขไทยหรือเลขอารบิกก็ได้ วันที่พิมพ์เช่น 6 มี.ค. 2567 หรือ 6/3/2567",
)

_EXAMPLES = (
    (
        "D01",
        "1.1.1",
        "review",
        "value",
        "73.5",
        "ตรวจหลักฐานแล้ว ผลที่รายงานคลาดเคลื่อน",
        "บันทึก กพร. 12/2567",
    ),
    ("D01", "1.2.1", "review", "exempt", "1", "ไม่ได้รับมอบหมายประเด็นในปีนี้", ""),
    ("D02", "*", "review", "late_days", "3", "ส่งคู่มือคำรับรองฯ ล่าช้า 3 วัน", ""),
    ("D02", "2.1", "appeal", "score", "4", "คณะกรรมการพิจารณาอุทธรณ์เห็นชอบ", "มติที่ประชุม 2/2567"),
)


def write_adjustments_template(path: Path) -> Path:
    """Write the blank adjustments workbook (format v1) to `path`; same bytes every time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), workbook_options())
    wb.set_properties(
        {
            "title": "แบบฟอร์มปรับคะแนน (ทบทวนและอุทธรณ์) / adjustments workbook v1",
            "author": "kpi_batch",
            "created": PINNED_CREATED,
        }
    )
    _adjustments_sheet(wb)
    _instructions_sheet(wb)
    _examples_sheet(wb)
    wb.close()
    return path


def _adjustments_sheet(wb: xlsxwriter.Workbook) -> None:
    ws = wb.add_worksheet(SHEET)
    head = wb.add_format(fmt(bold=True, bg_color="#DDEBF7", border=1))
    text = wb.add_format(fmt(num_format="@"))
    wrap = wb.add_format(fmt(num_format="@", text_wrap=True))
    ws.set_row(0, HEADER_PT)
    for col, key in enumerate(COLUMNS):
        required, meaning, width = _COLUMN_HELP[key]
        heading = COLUMN_TH[key]
        ws.set_column(col, col, width, wrap if key == "reason" else text)
        ws.write_string(0, col, key, head)
        rule: dict[str, object] = {
            "validate": "any",
            "input_title": heading[:32],
            "input_message": (("ต้องกรอก: " if required else "") + meaning)[:255],
        }
        if key in ("stage", "field"):
            choices = STAGES if key == "stage" else FIELDS
            rule |= {
                "validate": "list",
                "source": list(choices),
                "error_title": "ค่าไม่ถูกต้อง",
                "error_message": "เลือกจากรายการ: " + ", ".join(choices),
            }
        ws.data_validation(1, col, _ROWS, col, rule)
    ws.freeze_panes(1, 0)
    print_setup(ws, "แบบฟอร์มปรับคะแนน (adjustments)")
    ws.activate()


_WIDTHS = (14, 14, 62, 14, 14, 30, 20)


def _instructions_sheet(wb: xlsxwriter.Workbook) -> None:
    ws = wb.add_worksheet(INSTRUCTIONS_SHEET)
    title = wb.add_format(fmt(bold=True, font_size=18))
    section = wb.add_format(fmt(bold=True, font_size=16))
    head = wb.add_format(fmt(bold=True, bg_color="#DDEBF7", border=1, text_wrap=True))
    cell = wb.add_format(fmt(border=1, text_wrap=True))
    plain = wb.add_format(fmt(text_wrap=True))
    for col, width in enumerate(_WIDTHS):
        ws.set_column(col, col, width)

    def table(row: int, header: Sequence[str], rows: Sequence[Sequence[str]]) -> int:
        for col, heading in enumerate(header):
            ws.write_string(row, col, heading, head)
        ws.set_row(row, HEADER_PT)
        for values in rows:
            row += 1
            for col, value in enumerate(values):
                ws.write_string(row, col, value, cell)
            ws.set_row(row, row_height(zip(values, _WIDTHS, strict=False)))
        return row + 2

    ws.write_string(0, 0, "แบบฟอร์มปรับคะแนน (ทบทวนและอุทธรณ์) — adjustments workbook v1", title)
    ws.set_row(0, 30)
    row = 2
    ws.write_string(row, 0, "วิธีกรอก", section)
    ws.set_row(row, 26)
    for number, step in enumerate(_STEPS, start=1):
        row += 1
        text = f"{number}. {step}"
        ws.merge_range(row, 0, row, len(_WIDTHS) - 1, text, plain)
        ws.set_row(row, row_height([(text, sum(_WIDTHS))]))

    row += 2
    ws.write_string(row, 0, "คอลัมน์ในชีต adjustments", section)
    ws.set_row(row, 26)
    columns = [
        (key, "ต้องกรอก" if required else "ไม่บังคับ", f"{COLUMN_TH[key]}: {meaning}")
        for key, (required, meaning, _) in _COLUMN_HELP.items()
    ]
    row = table(row + 1, ("คอลัมน์ (column)", "ต้องกรอก (required)", "ความหมาย (meaning)"), columns)

    ws.write_string(row, 0, "รายการที่แก้ไขได้ (field)", section)
    ws.set_row(row, 26)
    fields = [(key, *_FIELD_HELP[key]) for key in FIELDS]
    row = table(
        row + 1, ("field", "kpi_id", "ค่าใหม่ (new_value) หมายถึง", "ตัวอย่าง (example)"), fields
    )
    ws.write_string(row, 0, "ตัวอย่างการกรอกอยู่ในชีต ตัวอย่าง (examples)", section)
    ws.set_row(row, 26)
    print_setup(ws, "คำแนะนำการกรอกแบบฟอร์มปรับคะแนน", repeat_header=False)


def _examples_sheet(wb: xlsxwriter.Workbook) -> None:
    """Example rows laid out exactly as on the adjustments sheet (which is read; this is not)."""
    ws = wb.add_worksheet(EXAMPLES_SHEET)
    head = wb.add_format(fmt(bold=True, bg_color="#DDEBF7", border=1))
    cell = wb.add_format(fmt(border=1, text_wrap=True))
    widths = [_COLUMN_HELP[key][2] for key in COLUMNS]
    for col, key in enumerate(COLUMNS):
        ws.set_column(col, col, widths[col])
        ws.write_string(0, col, key, head)
    ws.set_row(0, HEADER_PT)
    for row, example in enumerate(_EXAMPLES, start=1):
        for col, value in enumerate(example):
            ws.write_string(row, col, value, cell)
        ws.set_row(row, row_height(zip(example, widths, strict=True)))
    print_setup(ws, "ตัวอย่างการกรอกแบบฟอร์มปรับคะแนน (ไม่ถูกนำไปคำนวณ)")


if __name__ == "__main__":
    write_adjustments_template(Path(sys.argv[1]))
