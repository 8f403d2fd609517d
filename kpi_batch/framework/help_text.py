"""Thai help text for the framework workbook: the คำอธิบาย sheet and the dropdown prompts.

Kept apart from the writer because it is prose a planning officer reads, not layout; the
keys it talks about come from `specs/framework.py` and the enumerations from `model`.
"""

from __future__ import annotations

from types import MappingProxyType

from kpi_batch.specs.framework import SheetName

TITLE = "คำอธิบายการกรอกกรอบการประเมินผลการปฏิบัติราชการ (framework format v1)"

# General rules, one line each, shown above the column table.
NOTES: tuple[str, ...] = (
    "1. ชื่อชีตและหัวคอลัมน์ (แถวที่ 1) เป็นคีย์ภาษาอังกฤษที่โปรแกรมใช้อ่านไฟล์ ห้ามแก้ไข ห้ามแปล "
    "และห้ามย้ายไปแถวอื่น ข้อมูลภาษาไทยกรอกตั้งแต่แถวที่ 2 ลงไป",
    "2. วันที่กรอกได้ 2 แบบ: (ก) วันที่ของ Excel (แสดงเป็น ค.ศ. ปปปป-ดด-วว เช่น 2024-03-06) หรือ "
    "(ข) ข้อความ พ.ศ. เช่น 6 มี.ค. 2567, 6 มีนาคม 2567, 6/3/2567, ๖ มี.ค. ๖๗ (ใช้เลขไทยได้)",
    "3. เครื่องหมาย * ในคอลัมน์ unit_id ของชีต kpis และ criteria หมายถึง ใช้กับทุกหน่วยงานที่มีน้ำหนัก"
    "ในตัวชี้วัดนั้น ถ้ามีแถวของหน่วยงานเอง (unit_id เป็นรหัสหน่วยงาน) โปรแกรมใช้แถวของหน่วยงานแทนแถว *",
    "4. คำว่า derive ในคอลัมน์คะแนนกลาง (คอลัมน์ 3 เมื่อใช้ระดับ 1–5) ของชีต criteria หมายถึง "
    "ให้คำนวณเกณฑ์รอบ 6 เดือนจากเกณฑ์รอบ 12 เดือนของตัวชี้วัดเดียวกัน: ระดับ 3 = เกณฑ์ระดับ 5 "
    "ของรอบ 12 เดือน ÷ 2 และช่วงห่างต่อ 1 คะแนนเท่าเดิม เช่น 88/90/92/94/96 → 44/46/48/50/52 "
    "(ช่องอื่นของแถวนั้นเว้นว่าง) โปรแกรมจะแสดงเกณฑ์ที่คำนวณได้ในแบบรายงานของหน่วยงาน",
    "5. ช่องเกณฑ์ที่เว้นว่าง หมายถึง คะแนนนั้นไม่สามารถได้ในรอบนั้น เช่น milestone รอบ 6 เดือน "
    "ขั้นที่ 1 → 1 คะแนน, ขั้นที่ 2 → 3 คะแนน, ขั้นที่ 3 → 5 คะแนน กรอกเป็น 1 | ว่าง | 2 | ว่าง | 3",
    "6. คะแนนตัวชี้วัดคิดแบบเทียบบัญญัติไตรยางศ์ระหว่างเกณฑ์ที่กำหนด ผลถึงเกณฑ์สูงสุดได้คะแนนเต็ม ไม่เกินคะแนนเต็ม",
    "7. น้ำหนักไม่จำเป็นต้องรวมเป็น 100: คะแนนรวม = Σ(น้ำหนัก × คะแนน) ÷ Σน้ำหนัก",
    "8. ถ้ากรอบการประเมินผิดกฎข้อใด (รหัสซ้ำ, กลุ่มไม่มีในชีต clusters, เกณฑ์ไม่เรียงตาม direction, "
    "ตัวชี้วัดที่มีน้ำหนักแต่ไม่มีเกณฑ์ในบางรอบ, น้ำหนัก ≤ 0 ฯลฯ) โปรแกรมจะไม่ใช้ทั้งไฟล์ "
    "และแจ้งทุกจุดในรูปแบบ ชีต!เซลล์: ข้อความ",
    "9. ช่องที่มีลูกศรให้เลือกค่าจากรายการ ข้อความทุกช่องเก็บเป็นข้อความ (ไม่ใช่สูตร)",
)

# (sheet, column or settings key, meaning, example / allowed values)
COLUMNS_HEADER = ("ชีต", "คอลัมน์ / ค่าตั้ง", "ความหมาย", "ตัวอย่าง / ค่าที่ใช้ได้")
COLUMNS: tuple[tuple[str, str, str, str], ...] = (
    (SheetName.SETTINGS, "", "ค่าตั้งของกรอบการประเมิน หนึ่งแถวต่อหนึ่งค่า (key, value)", ""),
    (SheetName.SETTINGS, "organisation", "ชื่อส่วนราชการ (จำเป็น)", "กรมอนามัย กระทรวงสาธารณสุข"),
    (SheetName.SETTINGS, "fiscal_year", "ปีงบประมาณ พ.ศ. (จำเป็น)", "2567"),
    (
        SheetName.SETTINGS,
        "scale",
        "คะแนนของเกณฑ์ คั่นด้วยจุลภาค ต้องตรงกับหัวคอลัมน์คะแนนในชีต criteria",
        "ค่าเริ่มต้น 1,2,3,4,5 (หรือ 50,75,100)",
    ),
    (SheetName.SETTINGS, "decimals", "จำนวนตำแหน่งทศนิยมของคะแนน", "ค่าเริ่มต้น 4"),
    (
        SheetName.SETTINGS,
        "rounding",
        "วิธีปัดเศษ: half_up = ปัดแบบที่คนทั่วไปปัด (2.00005 → 2.0001), "
        "half_even = ปัดแบบธนาคาร, truncate = ตัดทิ้ง",
        "ค่าเริ่มต้น half_up",
    ),
    (
        SheetName.SETTINGS,
        "below_lowest",
        "ผลต่ำกว่าเกณฑ์ต่ำสุด: zero = ได้ 0, lowest = ได้คะแนนต่ำสุดของสเกล, "
        "extrapolate = ลากเส้นช่วงแรกต่อลงไป (ไม่ต่ำกว่า 0)",
        "ค่าเริ่มต้น zero",
    ),
    (SheetName.SETTINGS, "late_penalty_per_day", "คะแนนที่หักต่อวันที่ส่งล่าช้า", "ค่าเริ่มต้น 0.05"),
    (
        SheetName.SETTINGS,
        "late_penalty_cap",
        "หักสูงสุดต่อรายการที่ล่าช้า",
        "ค่าเริ่มต้น 0.25 (ล่าช้าตั้งแต่ 5 วัน)",
    ),
    (
        SheetName.SETTINGS,
        "late_day_count",
        "วิธีนับวันล่าช้า: calendar = นับทุกวัน, business = นับเฉพาะวันทำการ "
        "(ไม่นับเสาร์ อาทิตย์ และวันหยุดในชีต holidays)",
        "ค่าเริ่มต้น calendar",
    ),
    (
        SheetName.SETTINGS,
        "due_date_roll",
        "กำหนดส่งที่ตรงกับวันเสาร์ อาทิตย์ หรือวันหยุดในชีต holidays: next_working_day = "
        "เลื่อนเป็นวันทำการถัดไป (ป.พ.พ. มาตรา 193/8), none = ไม่เลื่อน",
        "ค่าเริ่มต้น next_working_day",
    ),
    (
        SheetName.SETTINGS,
        "band_method",
        "วิธีจัดกลุ่มคะแนน: fixed = ตาม min_score ในชีต bands, "
        "equal_width = แบ่งช่วงเท่ากัน (คะแนนสูงสุด − ต่ำสุด) ÷ จำนวนกลุ่ม",
        "ค่าเริ่มต้น fixed",
    ),
    (SheetName.ROUNDS, "round_id", "รหัสรอบการประเมิน (ห้ามซ้ำ)", "R1, R2"),
    (SheetName.ROUNDS, "name", "ชื่อรอบ", "รอบ 6 เดือน (1 ต.ค. 2566 – 31 มี.ค. 2567)"),
    (SheetName.ROUNDS, "period_start", "วันเริ่มต้นของรอบ", "1 ต.ค. 2566"),
    (SheetName.ROUNDS, "period_end", "วันสิ้นสุดของรอบ", "31 มี.ค. 2567"),
    (SheetName.ROUNDS, "data_cutoff", "วันตัดยอดข้อมูล", "29 ก.พ. 2567"),
    (SheetName.ROUNDS, "due_date", "กำหนดส่งรายงาน (ใช้นับวันล่าช้า)", "6 มี.ค. 2567"),
    (SheetName.CLUSTERS, "cluster_id", "รหัสกลุ่มหน่วยงาน (ห้ามซ้ำ)", "C1"),
    (SheetName.CLUSTERS, "name", "ชื่อกลุ่มหน่วยงาน (ใช้จัดอันดับรายกลุ่ม)", "กลุ่มวิชาการสายส่งเสริมสุขภาพ"),
    (SheetName.UNITS, "unit_id", "รหัสหน่วยงาน (ห้ามซ้ำ ห้ามใช้ *)", "U01"),
    (SheetName.UNITS, "name", "ชื่อหน่วยงาน", "สำนักส่งเสริมสุขภาพ"),
    (SheetName.UNITS, "cluster_id", "กลุ่มของหน่วยงาน ต้องมีในชีต clusters", "C1"),
    (
        SheetName.UNITS,
        "email",
        "อีเมลสำหรับส่งแบบรายงานและผลคะแนน หลายที่อยู่คั่นด้วย ;",
        "plan@anamai.example; plan.kpi@anamai.example",
    ),
    (
        SheetName.KPIS,
        "unit_id",
        "* = ใช้ร่วมกันทุกหน่วยงาน หรือรหัสหน่วยงาน = นิยามเฉพาะหน่วยงานนั้น (ใช้แทนแถว *)",
        "*, U18",
    ),
    (SheetName.KPIS, "kpi_id", "เลขตัวชี้วัด", "1.1.1, 2, 3"),
    (SheetName.KPIS, "parent_id", "ตัวชี้วัดแม่ (ว่างถ้าไม่มี)", "1.1"),
    (SheetName.KPIS, "name", "ชื่อตัวชี้วัด", "ร้อยละการเบิกจ่ายงบประมาณ…"),
    (
        SheetName.KPIS,
        "component",
        "องค์ประกอบการประเมิน (ใช้รวมคะแนนย่อย)",
        "ประสิทธิผลการดำเนินงาน (Performance Base)",
    ),
    (
        SheetName.KPIS,
        "kpi_type",
        "quantitative = เชิงปริมาณ, milestone = ระดับขั้นความสำเร็จ; "
        "ตัวชี้วัดแม่เว้นว่าง (เช่นเดียวกับ direction, formula, method)",
        "quantitative, milestone",
    ),
    (SheetName.KPIS, "direction", "higher = ยิ่งมากยิ่งดี, lower = ยิ่งน้อยยิ่งดี", "higher, lower"),
    (SheetName.KPIS, "measure_unit", "หน่วยวัด", "ร้อยละ, ระดับ"),
    (
        SheetName.KPIS,
        "formula",
        "ว่าง = หน่วยงานรายงานผลเอง; ratio = ตัวตั้ง ÷ ตัวหาร × 100 (หน่วยงานกรอกตัวตั้งและตัวหาร)",
        "ว่าง, ratio",
    ),
    (
        SheetName.KPIS,
        "method",
        "ว่าง = เทียบบัญญัติไตรยางศ์ระหว่างเกณฑ์; step = ได้คะแนนของเกณฑ์สูงสุดที่ผ่าน ไม่เทียบสัดส่วน",
        "ว่าง, step",
    ),
    (
        SheetName.KPIS,
        "owner_id",
        "(ไม่บังคับ) เจ้าภาพตัวชี้วัด ต้องมีในชีต owners; แถวของหน่วยงานที่เว้นว่างใช้เจ้าภาพของแถว *",
        "O1",
    ),
    (SheetName.CRITERIA, "unit_id", "* = ใช้ร่วมกัน หรือรหัสหน่วยงาน = เกณฑ์เฉพาะหน่วยงาน", "*, U29"),
    (SheetName.CRITERIA, "kpi_id", "เลขตัวชี้วัด (ตัวชี้วัดย่อยที่มีน้ำหนัก)", "1.1.3"),
    (SheetName.CRITERIA, "round_id", "รอบการประเมิน ต้องมีในชีต rounds", "R1"),
    (
        SheetName.CRITERIA,
        "1 … 5",
        "ผลที่ต้องได้เพื่อให้ได้คะแนนนั้น (หัวคอลัมน์ตาม scale) เชิงปริมาณ: ค่าผลงาน "
        "เรียงตาม direction; milestone: เลขขั้นความสำเร็จ; ว่าง = ไม่สามารถได้ในรอบนี้; "
        "derive ในคอลัมน์กลาง = คำนวณจากรอบ 12 เดือน (ดูข้อ 4)",
        "88 | 90 | 92 | 94 | 96 หรือ ว่าง | ว่าง | derive | ว่าง | ว่าง",
    ),
    (SheetName.WEIGHTS, "unit_id", "รหัสหน่วยงาน", "U01"),
    (SheetName.WEIGHTS, "kpi_id", "ตัวชี้วัดย่อยที่หน่วยงานลงนาม (ไม่ใส่ตัวชี้วัดแม่)", "1.1.1"),
    (SheetName.WEIGHTS, "weight", "น้ำหนัก มากกว่า 0 (ไม่จำเป็นต้องรวมเป็น 100)", "15"),
    (SheetName.BANDS, "band_id", "รหัสกลุ่มคะแนน (ห้ามซ้ำ)", "excellent"),
    (SheetName.BANDS, "name", "ชื่อกลุ่มคะแนนที่ส่งให้กองการเจ้าหน้าที่", "ดีเด่น"),
    (SheetName.BANDS, "min_score", "คะแนนต่ำสุดของกลุ่ม (กลุ่มสุดท้ายใส่ 0)", "4.75"),
    (
        SheetName.RECIPIENTS,
        "role",
        "(ไม่บังคับ) hr = กองการเจ้าหน้าที่ ได้รับคะแนน (ลับ), executive = ผู้บริหาร ได้รับสรุปผล",
        "hr, executive",
    ),
    (SheetName.RECIPIENTS, "name", "ชื่อผู้รับ", "กองการเจ้าหน้าที่"),
    (SheetName.RECIPIENTS, "email", "อีเมลผู้รับ", "personnel.pms@anamai.example"),
    (
        SheetName.HOLIDAYS,
        "date",
        "(ไม่บังคับ) วันหยุดราชการ ใช้เมื่อ late_day_count = business",
        "13 เม.ย. 2567",
    ),
    (SheetName.HOLIDAYS, "name", "ชื่อวันหยุด", "วันสงกรานต์"),
    (
        SheetName.OWNERS,
        "owner_id",
        "(ไม่บังคับ) รหัสเจ้าภาพตัวชี้วัด ห้ามซ้ำ (ตัวพิมพ์เล็ก/ใหญ่ถือว่าซ้ำ) ใช้ตั้งชื่อแบบทบทวนผล",
        "O1",
    ),
    (SheetName.OWNERS, "name", "ชื่อเจ้าภาพตัวชี้วัด (กอง/กลุ่มงาน หรือชื่อผู้รับผิดชอบ)", "กองแผนงาน"),
    (
        SheetName.OWNERS,
        "email",
        "อีเมลสำหรับส่งแบบทบทวนผล ต้องกรอก หลายที่อยู่คั่นด้วย ;",
        "plan.kpi@anamai.example",
    ),
)

# Prompt shown when a cell with a dropdown is selected: column -> (title <= 32, message).
PROMPTS = MappingProxyType(
    {
        "kpi_type": ("ประเภทตัวชี้วัด", "quantitative = เชิงปริมาณ, milestone = ระดับขั้นความสำเร็จ"),
        "direction": ("ทิศทาง", "higher = ยิ่งมากยิ่งดี, lower = ยิ่งน้อยยิ่งดี"),
        "formula": ("สูตร", "ว่าง = รายงานผลเอง, ratio = ตัวตั้ง ÷ ตัวหาร × 100"),
        "method": ("วิธีคิดคะแนน", "ว่าง = เทียบบัญญัติไตรยางศ์, step = ตามเกณฑ์สูงสุดที่ผ่าน"),
        "role": ("ผู้รับ", "hr = กองการเจ้าหน้าที่ (ลับ), executive = ผู้บริหาร"),
        "cluster_id": ("กลุ่มหน่วยงาน", "เลือกรหัสจากชีต clusters"),
        "round_id": ("รอบการประเมิน", "เลือกรหัสจากชีต rounds"),
        "owner_id": ("เจ้าภาพตัวชี้วัด", "เลือกรหัสจากชีต owners (ว่างได้)"),
    }
)
