"""How a run's settings and round read in Thai, for the notes of the HR and unit workbooks.

Every value is shown with its key, so a planning officer can find it in the framework's
`settings` sheet: `ปัดครึ่งขึ้น (half_up)`.
"""

from __future__ import annotations

from kpi_batch.model import Settings
from kpi_batch.run_record import RunRecord
from kpi_batch.scoring.explain import num
from kpi_batch.thai import format_date_th

ROUNDING_TH = {
    "half_up": "ปัดครึ่งขึ้น เช่น 2.00005 → 2.0001",
    "half_even": "ปัดครึ่งไปหาเลขคู่",
    "truncate": "ตัดเศษทิ้ง",
}
BELOW_LOWEST_TH = {
    "zero": "ได้ 0 คะแนน",
    "lowest": "ได้คะแนนระดับต่ำสุด",
    "extrapolate": "ต่อเส้นตรงลงไป ไม่ต่ำกว่า 0",
}
DAY_COUNT_TH = {"calendar": "นับวันปฏิทิน", "business": "นับเฉพาะวันทำการ"}
DUE_DATE_ROLL_TH = {
    "next_working_day": "กำหนดส่งตรงวันหยุด เลื่อนเป็นวันทำการถัดไป",
    "none": "ไม่เลื่อนกำหนดส่ง",
}
DATE_SOURCE_TH = {
    "receipt": "ทะเบียนรับ",
    "email": "วันที่ของอีเมล",
    "workbook": "วันที่ส่งในแบบรายงาน",
    "adjustment": "ไฟล์ทบทวน/อุทธรณ์",
    "date_to_confirm": "รอยืนยันวันที่รับ ยังไม่หักคะแนน",
}
BAND_METHOD_TH = {
    "fixed": "เกณฑ์คงที่: กลุ่มที่มีคะแนนขั้นต่ำสูงสุดที่ไม่เกินคะแนนสุดท้าย",
    "equal_width": "แบ่งช่วงเท่ากัน: (คะแนนสูงสุด − ต่ำสุดของรอบนี้) ÷ จำนวนกลุ่ม",
}


def _with_key(labels: dict[str, str], value: str) -> str:
    label = labels.get(value)
    return f"{label} ({value})" if label else value


def date_source_th(source: str | None) -> str | None:
    """'ทะเบียนรับ (receipt)': where a unit's received date came from (DOMAIN §3.6)."""
    return _with_key(DATE_SOURCE_TH, source) if source else None


def round_line(ctx: RunRecord) -> str:
    """'รอบ 6 เดือน (R1) 1 ต.ค. 2566 – 31 มี.ค. 2567'; the period is left out when the round's
    name already states it ('รอบ 6 เดือน (1 ต.ค. 2566 – 31 มี.ค. 2567) (R1)')."""
    r = ctx.round
    period = f"{format_date_th(r.period_start)} – {format_date_th(r.period_end)}"
    if period in r.name:
        return f"{r.name} ({r.round_id})"
    return f"{r.name} ({r.round_id}) {period}"


def settings_rows(settings: Settings) -> list[tuple[str, str]]:
    """(label, value) for each setting that changes a score."""
    per_day, cap = num(settings.late_penalty_per_day), num(settings.late_penalty_cap)
    return [
        ("ระดับคะแนน (scale)", ", ".join(num(p) for p in settings.scale)),
        ("จำนวนทศนิยม (decimals)", str(settings.decimals)),
        ("การปัดเศษ (rounding)", _with_key(ROUNDING_TH, str(settings.rounding))),
        ("ผลต่ำกว่าเกณฑ์ต่ำสุด (below_lowest)", _with_key(BELOW_LOWEST_TH, str(settings.below_lowest))),
        ("หักคะแนนต่อวันที่ส่งช้า (late_penalty_per_day)", per_day),
        ("หักสูงสุดต่อรายการ (late_penalty_cap)", cap),
        ("การนับวันส่งช้า (late_day_count)", _with_key(DAY_COUNT_TH, str(settings.late_day_count))),
        (
            "กำหนดส่งตรงวันหยุด (due_date_roll)",
            _with_key(DUE_DATE_ROLL_TH, str(settings.due_date_roll)),
        ),
        ("วิธีจัดกลุ่มคะแนน (band_method)", _with_key(BAND_METHOD_TH, str(settings.band_method))),
    ]


# How a score is computed, in the order a planning officer explains it.
METHOD_TH = (
    "คะแนนตัวชี้วัด: เทียบผลการดำเนินงานกับเกณฑ์ของรอบนี้ แบบเทียบบัญญัติไตรยางศ์ระหว่างเกณฑ์สองระดับ"
    "ที่ผลอยู่ระหว่างกลาง (ถึงเกณฑ์สูงสุดได้คะแนนสูงสุด ไม่เกินนั้น) ปัดเศษตามจำนวนทศนิยมที่กำหนด",
    "ตัวชี้วัดที่ไม่รายงานผลได้ 0 คะแนน ตัวชี้วัดที่ได้รับการยกเว้นไม่นำมาคิด และปรับน้ำหนักที่เหลือตามสัดส่วน",
    "คะแนนรวม = Σ(น้ำหนัก × คะแนนตัวชี้วัด) ÷ Σน้ำหนัก จากคะแนนตัวชี้วัดที่ปัดเศษแล้ว แล้วปัดเศษอีกครั้ง",
    "หักคะแนนส่งล่าช้า: วันละตามอัตราที่กำหนด ไม่เกินเพดานต่อรายการ คะแนนหลังหักไม่ต่ำกว่า 0",
    "คะแนนก่อนอุทธรณ์ (pre_appeal_score) รวมผลการทบทวนของเจ้าภาพตัวชี้วัดแล้ว "
    "คะแนนสุดท้าย (final_score) รวมผลการอุทธรณ์ด้วย เปลี่ยนแปลงหลังอุทธรณ์ = คะแนนสุดท้าย − คะแนนก่อนอุทธรณ์",
    "อันดับเรียงจากคะแนนสุดท้ายสูงสุด คะแนนเท่ากัน (หลังปัดเศษ) ได้อันดับเดียวกันและอันดับถัดไปข้ามไป "
    "(1, 2, 2, 4) ทั้งอันดับรวมและอันดับในกลุ่ม หน่วยงานที่ไม่ได้รับคะแนนอยู่ท้ายตาราง ไม่มีอันดับ",
)
