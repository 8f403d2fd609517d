"""One KPI owner's review workbook (format v1, DOMAIN §6b, docs/reviews.md).

The sheet looks like the unit template: Thai font, grey-bordered cells, the owner's input
cells pale yellow and unlocked, everything else locked (protection against accidents, not
security: the reader checks every cell anyway). Names, the table and its keys come from
`specs.review`. Text from the run (unit names, notes, explanations) is always written with
`write_string`: a note such as `=HYPERLINK(...)` stays text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from kpi_batch.cells import NOT_APPLICABLE_TEXT
from kpi_batch.model import Framework, Owner, Round
from kpi_batch.review.rows import ReviewRow
from kpi_batch.specs.review import (
    EXEMPT_CHOICES,
    EXTRA,
    INPUT_FIELDS,
    INPUTS,
    INSTRUCTIONS_SHEET,
    READ_ONLY,
    REVIEW_VERSION,
    SHEET,
    STAGE_TH,
    TABLE,
    header,
)
from kpi_batch.workbook_style import FONT, FONT_SIZE, print_setup, row_height, workbook_options

CREATED = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)  # pinned: same run, same bytes
HEADER_ROW = 10  # 0-based: the table header is Excel row 11
# Where each defined name sits (column B, rows 4-9), next to its Thai label in column A.
NAME_ROWS = {
    "owner_id": 3,
    "fiscal_year": 4,
    "round_id": 5,
    "run_id": 6,
    "stage": 7,
    "review_version": 8,
}
_NAME_LABELS = {
    "owner_id": "เจ้าภาพตัวชี้วัด",
    "fiscal_year": "ปีงบประมาณ",
    "round_id": "รอบการประเมิน",
    "run_id": "ผลการประมวลผล",
    "stage": "ขั้นตอน",
    "review_version": "ฉบับแบบฟอร์ม",
}
_WIDTHS = {
    "unit_id": 16,  # also the labels of the names block above the table
    "unit_name": 22,
    "kpi_id": 8,
    "kpi_name": 30,
    "value": 11,
    "numerator": 10,
    "denominator": 10,
    "level": 9,
    "note": 22,
    "days_late": 8,
    "argument": 30,
    "score": 10,
    "explanation": 40,
    "new_value": 14,
    "new_numerator": 14,
    "new_denominator": 14,
    "new_level": 12,
    "new_score": 13,
    "exempt": 12,
    "reason": 30,
    "reference": 18,
}
_WRAPPED = ("unit_name", "kpi_name", "note", "argument", "explanation", "reason")
_PROMPTS = {
    "new_value": ("ผลที่ถูกต้อง", "ผลการดำเนินงานที่ตรวจแล้ว (เลขไทยหรืออารบิก) เว้นว่างถ้าถูกต้อง"),
    "new_numerator": ("ตัวตั้งที่ถูกต้อง", "ตัวตั้งที่ตรวจแล้ว เว้นว่างถ้าถูกต้อง"),
    "new_denominator": ("ตัวหารที่ถูกต้อง", "ตัวหารที่ตรวจแล้ว (ไม่เป็น 0) เว้นว่างถ้าถูกต้อง"),
    "new_level": ("ขั้นที่ถูกต้อง", "ขั้นความสำเร็จที่ตรวจแล้ว ใส่ทศนิยมได้ เช่น 3.5"),
    "new_score": ("คะแนนที่กำหนด", "กำหนดคะแนนตัวชี้วัดโดยตรง ใช้แทนการคำนวณ"),
    "exempt": ("ยกเว้นตัวชี้วัด", "ยกเว้น = ตัดตัวชี้วัดนี้ออกและคำนวณน้ำหนักใหม่"),
    "reason": ("เหตุผล", "ต้องกรอกทุกครั้งที่แก้ไขค่าใดในแถวนี้"),
    "reference": ("อ้างอิง", "เลขที่หนังสือ บันทึก หรือมติที่ประชุม (ไม่บังคับ)"),
}


def columns(stage: str) -> tuple[str, ...]:
    """Table column keys in order: the unit's data, the score, then the owner's inputs."""
    shown = [k for k in READ_ONLY if k not in ("score", "explanation")]
    extra = ["days_late", *(["argument"] if stage == "appeal" else [])]
    return (*shown, *extra, "score", "explanation", *INPUTS)


def write_review_workbook(
    path: Path,
    framework: Framework,
    rnd: Round,
    owner: Owner,
    run_id: str,
    stage: str,
    rows: Sequence[ReviewRow],
) -> Path:
    wb = xlsxwriter.Workbook(str(path), {**workbook_options(), "in_memory": True})
    title = f"{STAGE_TH[stage]}ตัวชี้วัด — {owner.name}"
    wb.set_properties(
        {
            "title": title,
            "subject": f"{owner.owner_id} {rnd.round_id} {framework.settings.fiscal_year}",
            "author": framework.settings.organisation,
            "comments": f"kpi_batch review workbook v{REVIEW_VERSION}",
            "created": CREATED,
        }
    )
    f = _Formats(wb)
    ws = wb.add_worksheet(SHEET)
    guide = wb.add_worksheet(INSTRUCTIONS_SHEET)
    keys = columns(stage)
    _head(ws, f, framework, rnd, owner, run_id, stage, len(keys) - 1)
    _table(ws, f, keys, rows, framework.settings.top_point)
    _instructions(guide, f, stage)
    for name, row in NAME_ROWS.items():
        wb.define_name(name, f"='{SHEET}'!$B${row + 1}")
    ws.protect(
        "",
        {"autofilter": True, "sort": True, "format_columns": True, "format_rows": True},
    )
    guide.protect("", {"format_columns": True, "format_rows": True})
    ws.activate()
    wb.close()
    return path


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        def fmt(**props: Any) -> Format:
            return wb.add_format(
                {"font_name": FONT, "font_size": FONT_SIZE, "valign": "top", **props}
            )

        grid = {"border": 1, "border_color": "#808080"}
        yellow = {**grid, "bg_color": "#FFF2CC", "locked": False}
        self.title = fmt(bold=True, font_size=18, valign="vcenter")
        self.subtitle = fmt(font_size=16, valign="vcenter")
        self.label = fmt(bold=True, valign="vcenter")
        self.info = fmt(valign="vcenter", **grid)
        self.note = fmt(text_wrap=True, font_size=13, font_color="#1F4E79")
        self.header = fmt(
            bold=True, text_wrap=True, align="center", font_size=12, bg_color="#DDEBF7", **grid
        )
        self.input_header = fmt(
            bold=True, text_wrap=True, align="center", font_size=12, bg_color="#FFE699", **grid
        )
        self.text = fmt(**grid)
        self.wrap = fmt(text_wrap=True, **grid)
        self.small_wrap = fmt(text_wrap=True, font_size=12, font_color="#404040", **grid)
        self.number = fmt(align="center", **grid)
        self.score = fmt(align="center", bold=True, num_format="0.0000", **grid)
        self.input = fmt(num_format="@", **yellow)
        self.input_wrap = fmt(num_format="@", text_wrap=True, **yellow)
        self.closed = fmt(bg_color="#D9D9D9", **grid)  # an input that does not apply here
        # a KPI the unit marked N/A: amber, the owner's decision is awaited
        self.awaiting = fmt(
            align="center", text_wrap=True, bold=True, font_color="#9C5700", bg_color="#FFEB9C",
            **grid,
        )  # fmt: skip
        self.guide_head = fmt(bold=True, font_size=18)
        self.guide = fmt(font_size=16, text_wrap=True)


def _head(
    ws: Worksheet,
    f: _Formats,
    fw: Framework,
    rnd: Round,
    owner: Owner,
    run_id: str,
    stage: str,
    last_col: int,
) -> None:
    fy = fw.settings.fiscal_year
    ws.merge_range(0, 0, 0, last_col, "", f.title)
    ws.write_string(0, 0, f"แบบ{STAGE_TH[stage]}ตัวชี้วัดโดยเจ้าภาพตัวชี้วัด ปีงบประมาณ พ.ศ. {fy}", f.title)
    ws.merge_range(1, 0, 1, last_col, "", f.subtitle)
    ws.write_string(1, 0, f"{fw.settings.organisation} — {rnd.name} — {owner.name}", f.subtitle)
    ws.set_row(0, 30)
    ws.set_row(1, 26)
    values: dict[str, object] = {
        "owner_id": owner.owner_id,
        "fiscal_year": fy,
        "round_id": rnd.round_id,
        "run_id": run_id,
        "stage": stage,
        "review_version": REVIEW_VERSION,
    }
    for name, row in NAME_ROWS.items():
        ws.write_string(row, 0, _NAME_LABELS[name], f.label)
        value = values[name]
        if isinstance(value, int):
            ws.write_number(row, 1, value, f.info)
        else:
            ws.write_string(row, 1, str(value), f.info)
    ws.write_string(NAME_ROWS["stage"], 2, STAGE_TH[stage], f.label)
    note = (
        "ตรวจผลที่หน่วยงานรายงานในแต่ละแถว ถ้าถูกต้องไม่ต้องกรอกอะไร ถ้าต้องแก้ ให้กรอกเฉพาะช่องสีเหลือง"
        " ที่ต้องแก้ และกรอกเหตุผลทุกครั้ง (ช่องสีเทาแก้ไม่ได้) รายละเอียดอยู่ในชีต คำชี้แจง"
        if stage == "review"
        else "พิจารณาเหตุผลอุทธรณ์ของหน่วยงานในแต่ละแถว ถ้าเห็นชอบ ให้กรอกค่าหรือคะแนนใหม่ในช่องสีเหลือง"
        " พร้อมเหตุผล ถ้าไม่เห็นชอบ เว้นว่างไว้ (คะแนนคงเดิม) รายละเอียดอยู่ในชีต คำชี้แจง"
    )
    ws.merge_range(3, 3, 8, min(last_col, 12), "", f.note)
    ws.write_string(3, 3, note, f.note)


def _number(text: str) -> float | None:
    if not text:
        return None
    try:
        return float(Decimal(text))
    except (InvalidOperation, ValueError):
        return None


def _table(
    ws: Worksheet,
    f: _Formats,
    keys: Sequence[str],
    rows: Sequence[ReviewRow],
    top_point: Decimal,
) -> None:
    col = {k: i for i, k in enumerate(keys)}
    for key, i in col.items():
        ws.set_column(i, i, _WIDTHS[key])
    # Columns that apply to none of the owner's KPIs are hidden (kept: the table's keys are
    # the contract): an owner of milestone KPIs never sees numerator or value columns.
    used = {k for r in rows for k in r.inputs}
    for key, pair in (
        ("value", "new_value"),
        ("numerator", "new_numerator"),
        ("denominator", "new_denominator"),
        ("level", "new_level"),
    ):
        if rows and pair not in used:
            for hidden in (key, pair):
                ws.set_column(col[hidden], col[hidden], _WIDTHS[hidden], None, {"hidden": True})
    last = HEADER_ROW + max(len(rows), 1)
    ws.add_table(
        HEADER_ROW,
        0,
        last,
        len(keys) - 1,
        {
            "name": TABLE,
            "style": None,
            "autofilter": True,
            "columns": [
                {
                    "header": header(k),
                    "header_format": f.input_header if k in INPUTS else f.header,
                }
                for k in keys
            ],
        },
    )
    ws.set_row(HEADER_ROW, row_height([(header(k), _WIDTHS[k]) for k in keys], 12) + 6)
    ws.freeze_panes(HEADER_ROW + 1, 4)
    for i, r in enumerate(rows):
        row = HEADER_ROW + 1 + i
        values = {
            "unit_id": r.unit_id,
            "unit_name": r.unit_name,
            "kpi_id": r.kpi.kpi_id,
            "kpi_name": r.kpi.name,
            **r.reported,
            "days_late": r.days_late,
            "argument": r.argument,
            "score": r.score,
            "explanation": r.explanation,
        }
        for key in keys:
            c = col[key]
            if key in INPUTS:
                fmt = f.input_wrap if key == "reason" else f.input
                ws.write_blank(row, c, None, fmt if key in r.inputs else f.closed)
            elif key in ("value", "numerator", "denominator", "level", "days_late"):
                number = _number(str(values[key]))
                if number is None and r.awaits_decision and key in _na_columns(r):
                    ws.write_string(row, c, NOT_APPLICABLE_TEXT, f.awaiting)
                elif number is None:
                    ws.write_blank(row, c, None, f.number)
                else:
                    ws.write_number(row, c, number, f.number)
            elif key == "score":
                number = _number(r.score)
                if number is None and r.awaits_decision:
                    ws.write_string(row, c, AWAITING_TEXT, f.awaiting)
                elif number is None:
                    ws.write_string(row, c, "ยกเว้น" if not r.score else r.score, f.number)
                else:
                    ws.write_number(row, c, number, f.score)
            else:
                small = key in ("explanation", "argument")
                fmt = f.small_wrap if small else f.wrap if key in _WRAPPED else f.text
                ws.write_string(row, c, str(values[key]), fmt)
        # explanation and argument are in the smaller font: estimated at their own size
        in_small = [(str(values[k]), _WIDTHS[k]) for k in ("explanation", "argument") if k in keys]
        wrapped = [(str(values[k]), _WIDTHS[k]) for k in keys if k in _WRAPPED and k in values]
        large = [w for w in wrapped if w not in in_small]
        ws.set_row(row, max(row_height(large), row_height(in_small, 12) + 4))
    first, last_row = HEADER_ROW + 1, HEADER_ROW + max(len(rows), 1)
    for key, (title, message) in _PROMPTS.items():
        rule: dict[str, Any] = {"validate": "any", "input_title": title, "input_message": message}
        if key == "exempt":
            rule = {
                **rule,
                "validate": "list",
                "source": list(EXEMPT_CHOICES),
                "error_title": "ค่าไม่อยู่ในรายการ",
                "error_message": "เลือก ยกเว้น หรือ ไม่ยกเว้น (หรือเว้นว่าง)",
            }
        elif key == "new_score":
            rule["input_message"] = f"{message} ตั้งแต่ 0 ถึง {top_point}"
        ws.data_validation(first, col[key], last_row, col[key], rule)
    print_setup(ws, f"{SHEET} — {INSTRUCTIONS_SHEET}ในชีตถัดไป")
    ws.repeat_rows(HEADER_ROW)


AWAITING_TEXT = "N/A รอพิจารณา"


def _na_columns(r: ReviewRow) -> tuple[str, ...]:
    """The reported columns that show `ไม่มีผล (N/A)` for a KPI awaiting a decision."""
    return tuple(k.removeprefix("new_") for k in r.inputs if k in _RESULT_INPUTS)


_RESULT_INPUTS = ("new_value", "new_numerator", "new_denominator", "new_level")


_STEPS = {
    "review": (
        "แบบนี้มีเฉพาะตัวชี้วัดที่ท่านเป็นเจ้าภาพ หนึ่งแถวต่อหนึ่งหน่วยงานและตัวชี้วัด ตามที่หน่วยงานส่งในรอบนี้",
        "ตรวจผลที่หน่วยงานรายงาน (ผลที่รายงาน ตัวตั้ง ตัวหาร ขั้นที่รายงาน คำชี้แจง)"
        " และคะแนนที่โปรแกรมคำนวณพร้อมที่มาของคะแนน",
        "ถ้าถูกต้อง ไม่ต้องกรอกอะไรในแถวนั้น แถวที่เว้นว่างไม่เปลี่ยนคะแนน",
        "ถ้าต้องแก้ ให้กรอกเฉพาะช่องสีเหลืองที่ต้องแก้: ผล ตัวตั้ง/ตัวหาร หรือขั้นที่ถูกต้อง"
        " หรือกำหนดคะแนนโดยตรง หรือเลือก ยกเว้น (ตัดตัวชี้วัดออกและคำนวณน้ำหนักใหม่)",
        "ทุกแถวที่แก้ต้องกรอกเหตุผล ถ้าไม่มีเหตุผล แถวนั้นจะไม่ถูกนำไปใช้ อ้างอิง (เลขที่หนังสือ) ไม่บังคับ",
        "ตัวเลขพิมพ์เป็นเลขไทยหรือเลขอารบิกก็ได้ เช่น ๘๕.๕ หรือ 85.5",
        "ช่องสีเทาและช่องสีขาวแก้ไม่ได้ ถ้าแก้ โปรแกรมจะไม่ใช้ค่านั้นและแจ้งตำแหน่งเซลล์กลับมา",
        "บันทึกไฟล์ (จะเปลี่ยนชื่อไฟล์ก็ได้) แล้วส่งกลับ กลุ่มพัฒนาระบบบริหาร"
        " ชื่อเจ้าภาพจะปรากฏในผลของหน่วยงานและในบันทึกการแก้ไขทุกแถว",
    ),
    "appeal": (
        "แบบนี้มีเฉพาะรายการที่หน่วยงานอุทธรณ์ในตัวชี้วัดที่ท่านเป็นเจ้าภาพ พร้อมเหตุผลอุทธรณ์ของหน่วยงาน",
        "ถ้าเห็นชอบ ให้กรอกค่าหรือคะแนนใหม่ในช่องสีเหลือง พร้อมเหตุผล (เช่น มติคณะกรรมการ)",
        "ถ้าไม่เห็นชอบ เว้นว่างไว้ คะแนนคงเดิม",
        "ผลการพิจารณาใช้กับคะแนนสุดท้ายเท่านั้น คะแนนก่อนอุทธรณ์ยังคงแสดงไว้",
        "ตัวเลขพิมพ์เป็นเลขไทยหรือเลขอารบิกก็ได้ ช่องสีเทาและสีขาวแก้ไม่ได้",
        "บันทึกไฟล์แล้วส่งกลับ กลุ่มพัฒนาระบบบริหาร",
    ),
}


def _instructions(ws: Worksheet, f: _Formats, stage: str) -> None:
    ws.set_column(0, 0, 110)
    ws.write_string(0, 0, f"คำชี้แจงการกรอกแบบ{STAGE_TH[stage]}ตัวชี้วัด", f.guide_head)
    ws.set_row(0, 30)
    for i, step in enumerate(_STEPS[stage], start=1):
        text = f"{i}. {step}"
        ws.write_string(i + 1, 0, text, f.guide)
        ws.set_row(i + 1, row_height([(text, 110)], 16))
    row = len(_STEPS[stage]) + 3
    ws.write_string(row, 0, "ช่องที่กรอกได้ และรายการที่นำไปปรับคะแนน", f.guide_head)
    for i, (key, field) in enumerate(INPUT_FIELDS.items(), start=1):
        text = f"{INPUTS[key]} ({key}) → ปรับ {field} ของตัวชี้วัด ขั้นตอน {stage}"
        ws.write_string(row + i, 0, text, f.guide)
    late = f"{EXTRA['days_late']}: จำนวนวันที่หน่วยงานส่งรายงานช้า (หักคะแนนตามกรอบการประเมิน)"
    ws.write_string(row + len(INPUT_FIELDS) + 1, 0, late, f.guide)
    print_setup(ws, f"{INSTRUCTIONS_SHEET} — {SHEET}", repeat_header=False)
