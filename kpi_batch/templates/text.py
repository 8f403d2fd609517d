"""The Thai instructions sheet of a unit submission workbook (template v1).

Kept apart from templates.py so that the wording can be reviewed by planning staff without
reading layout code. Numbers in the text (penalties, scale, dates) come from the framework.
"""

from __future__ import annotations

from kpi_batch.cells import NOT_APPLICABLE_TEXT
from kpi_batch.model import BelowLowest, Framework, Round, Unit
from kpi_batch.thai import format_date_th
from kpi_batch.workdays import due_date_th

DEFAULT_EXAMPLE_SCALE = ("1", "2", "3", "4", "5")


def _num(value: object) -> str:
    text = format(value, "f") if not isinstance(value, str) else value
    return text.rstrip("0").rstrip(".") if "." in text else text


def instructions(
    fw: Framework, unit: Unit, rnd: Round, derived: bool
) -> list[tuple[str, str, bool]]:
    """(item number, paragraph, bold) rows, in reading order."""
    s = fw.settings
    scale = [_num(p) for p in s.scale]
    due = due_date_th(fw, rnd.round_id, full_month=True)
    period = f"{format_date_th(rnd.period_start)} – {format_date_th(rnd.period_end)}"
    below = {
        BelowLowest.ZERO: "ผลงานที่ต่ำกว่าเกณฑ์ระดับต่ำสุดได้ 0 คะแนน",
        BelowLowest.LOWEST: f"ผลงานที่ต่ำกว่าเกณฑ์ระดับต่ำสุดได้ {scale[0]} คะแนน",
        BelowLowest.EXTRAPOLATE: "ผลงานที่ต่ำกว่าเกณฑ์ระดับต่ำสุดคำนวณลดลงตามสัดส่วนเดิม (ไม่ต่ำกว่า 0)",
    }[s.below_lowest]
    example = (
        "เช่น เกณฑ์ 60/65/70/75/80 และผลงาน 73 ได้ 3.6000 คะแนน "
        if tuple(scale) == DEFAULT_EXAMPLE_SCALE
        else ""
    )
    rows: list[tuple[str, str, bool]] = [
        (
            "",
            f"แบบรายงานนี้สำหรับ {unit.name} (รหัส {unit.unit_id}) รอบ {rnd.name} "
            f"ผลการดำเนินงานระหว่างวันที่ {period} ข้อมูล ณ วันที่ "
            f"{format_date_th(rnd.data_cutoff)}",
            False,
        ),
        ("", f"กำหนดส่ง: ภายในวันที่ {due}", True),
        ("", "วิธีกรอก", True),
        (
            "1.",
            'กรอกเฉพาะช่องสีเหลืองในแผ่นงาน "รายงานผล" ได้แก่ ชื่อผู้รายงาน โทรศัพท์ '
            "วันที่ส่งรายงาน และผลการดำเนินงานของแต่ละตัวชี้วัด ช่องสีเทาไม่ต้องกรอก",
            False,
        ),
        (
            "2.",
            'ตัวชี้วัดเชิงปริมาณ: กรอกผลในช่อง "ผลการดำเนินงาน (value)" เป็นตัวเลขตามหน่วยวัด ของตัวชี้วัด',
            False,
        ),
        (
            "3.",
            'ตัวชี้วัดที่คิดจากสูตร (ตัวตั้ง ÷ ตัวหาร × 100): กรอก "ตัวตั้ง (numerator)" และ '
            '"ตัวหาร (denominator)" ระบบคำนวณร้อยละให้ในช่องผลการดำเนินงานเอง '
            "และใช้ตัวตั้งกับตัวหารในการคิดคะแนน",
            False,
        ),
        (
            "4.",
            "ตัวชี้วัดเชิงคุณภาพ (ขั้นตอนการดำเนินงาน): กรอกระดับขั้นตอนที่ดำเนินการแล้วเสร็จ "
            'ในช่อง "ระดับขั้นตอนที่ทำได้ (level)" เช่น 3 หากดำเนินการได้บางส่วนให้ชี้แจงในหมายเหตุ',
            False,
        ),
        (
            "5.",
            "การรายงานร้อยละ: กรอกเป็นตัวเลข เช่น ร้อยละ 85.5 ให้กรอก 85.5 "
            "ห้ามพิมพ์เครื่องหมาย % และห้ามกรอกเป็น 0.855",
            False,
        ),
        (
            "6.",
            "วันที่ส่งรายงาน: กรอกเป็นวันที่ เช่น "
            f"{rnd.due_date.day}/{rnd.due_date.month}/{rnd.due_date.year + 543}",
            False,
        ),
        (
            "7.",
            f"ตัวชี้วัดที่ไม่มีผลในรอบนี้ (เช่น ไม่ได้รับมอบหมายประเด็น) ให้พิมพ์ {NOT_APPLICABLE_TEXT} "
            "ในช่องผล และเขียนเหตุผลในช่องหมายเหตุ (ต้องมีเหตุผล) เจ้าภาพตัวชี้วัดจะพิจารณายกเว้นหรือให้คะแนน "
            "ช่องผลที่เว้นว่างถือว่าไม่รายงานผล ได้ 0 คะแนน",
            False,
        ),
        (
            "8.",
            "ห้ามเปลี่ยนชื่อแผ่นงาน ห้ามแทรกหรือลบแถว/คอลัมน์ และห้ามแก้ไขช่องที่ล็อกไว้ "
            "ระบบอ่านไฟล์จากชื่อและตำแหน่งที่กำหนด หากคัดลอกข้อมูลจากไฟล์อื่นให้วางแบบค่า "
            "(วางแบบพิเศษ > ค่า) ใช้แบบฟอร์มนี้เฉพาะหน่วยงานและรอบนี้เท่านั้น "
            "หากข้อมูลในช่องที่ล็อกไม่ถูกต้อง โปรดแจ้งผู้ประสานงาน",
            False,
        ),
        ("", "วิธีคิดคะแนน", True),
        (
            "",
            "คะแนนของแต่ละตัวชี้วัดคำนวณจากผลการดำเนินงานเทียบกับเกณฑ์การให้คะแนนระดับ "
            f"{'/'.join(scale)} ของรอบนี้ โดยเทียบบัญญัติไตรยางศ์ระหว่างระดับ {example}"
            f"ผลงานที่ถึงหรือเกินเกณฑ์ระดับสูงสุดได้ {scale[-1]} คะแนน {below} "
            "ตัวชี้วัดที่ค่ายิ่งน้อยยิ่งดีมีเกณฑ์เรียงจากมากไปน้อย "
            "คะแนนรวมของหน่วยงาน = ผลรวมของ (น้ำหนัก × คะแนน) ÷ ผลรวมน้ำหนัก "
            f"ทศนิยม {s.decimals} ตำแหน่ง การส่งรายงานหลังกำหนดถูกหักคะแนนวันละ "
            f"{_num(s.late_penalty_per_day)} คะแนน ไม่เกิน {_num(s.late_penalty_cap)} คะแนน",
            False,
        ),
    ]
    if derived:
        rows.append(
            (
                "",
                "เกณฑ์ที่มีเครื่องหมาย * คำนวณจากเกณฑ์รอบ 12 เดือนตามหลักเกณฑ์ 6 เดือน "
                "(ระดับกลาง = ค่าเป้าหมายระดับสูงสุดของรอบ 12 เดือน ÷ 2 โดยใช้ช่วงห่างเท่าเดิม)",
                False,
            )
        )
    return rows
