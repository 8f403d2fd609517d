"""Every problem the framework checker reports: a stable code and what to tell the planner.

The codes are a contract (tests, docs/framework.md and planning staff refer to them); the
Thai message says what to fix. Declared in the issue catalogue (kpi_batch/catalogue.py) as
`FRAMEWORK`; docs/framework.md's code table is written from it. Every framework problem is
an error: the workbook is refused as a whole. Messages are `str.format` templates filled by
`fw_issue`.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from kpi_batch.catalogue import ERROR, Catalogue
from kpi_batch.issues import Issue

FRAMEWORK = Catalogue("framework", "docs/framework.md")
_E = ERROR

FRAMEWORK.declare(
    "FW_FILE_UNREADABLE",
    _E,
    "เปิดไฟล์ไม่ได้ ({reason}) — ตรวจชื่อไฟล์ และบันทึกเป็น .xlsx แล้วลองใหม่",
    "Cannot open the workbook ({reason}); check the path and save it as .xlsx",
    problem="the file does not exist or is not a workbook",
    at="the file",
)
FRAMEWORK.declare(
    "FW_MISSING_SHEET",
    _E,
    "ไม่พบชีต '{name}' — เพิ่มชีตชื่อ {name} (ตัวพิมพ์เล็ก) ตามแบบฟอร์ม",
    "Sheet '{name}' is missing; add it as in the blank template",
    problem="a required sheet is missing",
    at="the sheet name",
)
FRAMEWORK.declare(
    "FW_MISSING_COLUMN",
    _E,
    "ไม่พบคอลัมน์ '{column}' ในแถวหัวตาราง — เพิ่มคอลัมน์ชื่อ {column}",
    "Column '{column}' is missing from the header row; add it",
    problem="a column of the format is missing from the header row",
    at="next free header cell",
)
FRAMEWORK.declare(
    "FW_DUPLICATE_COLUMN",
    _E,
    "คอลัมน์ '{column}' ซ้ำกับคอลัมน์ {first} — ลบคอลัมน์ที่ซ้ำออก",
    "Column '{column}' repeats column {first}; remove one of them",
    problem="the same header twice (also `5` and `5.0` in criteria)",
    at="the second header",
)
FRAMEWORK.declare(
    "FW_EMPTY_SHEET",
    _E,
    "ชีต '{name}' ยังไม่มีข้อมูล — กรอกอย่างน้อยหนึ่งแถวใต้หัวตาราง",
    "Sheet '{name}' has no rows; fill in at least one",
    problem="a required sheet has no rows",
    at="first data cell",
)
FRAMEWORK.declare(
    "FW_REQUIRED_VALUE",
    _E,
    "ช่อง {column} ว่าง — ต้องกรอก",
    "{column} is required",
    problem=(
        "a required cell is blank (ids, names, dates, weight, `min_score`, a quantitative KPI's "
        "`direction`, a required setting's value)"
    ),
    at="the cell",
)
FRAMEWORK.declare(
    "FW_DUPLICATE_ID",
    _E,
    "{what_th} '{value}' ซ้ำกับแถว {first_row} — ลบแถวที่ซ้ำหรือแก้รหัส",
    "{what_en} '{value}' repeats row {first_row}; remove the duplicate or fix the id",
    problem=(
        "a repeated id: unit, cluster, round, band, owner, settings key, KPI per unit, weight per"
        " unit + KPI, criteria per unit + KPI + round (the message names the first row)"
    ),
    at="the repeat's id cell",
)
FRAMEWORK.declare(
    "FW_DUPLICATE_ID_CASE",
    _E,
    "{what_th} '{value}' ซ้ำกับ '{first}' ในแถว {first_row} (ตัวพิมพ์เล็ก/ใหญ่ถือว่าเป็นรหัส"
    "เดียวกัน ชื่อไฟล์บน Windows จะทับกัน) — แก้รหัสให้ต่างกัน หรือลบแถวที่ซ้ำ",
    "{what_en} '{value}' repeats '{first}' of row {first_row} ignoring case (one file "
    "name on Windows); make the ids differ or remove the duplicate",
    problem=(
        "an id that differs from an earlier one only in upper/lower case (`U01`, `u01`; owners "
        "`QA`, `qa`): ids are unique ignoring case, as file names on Windows are"
    ),
    at="the repeat's id cell",
)
FRAMEWORK.declare(
    "FW_BAD_ENUM",
    _E,
    "ค่า '{value}' ใช้ไม่ได้ในช่อง {column} — ใช้ได้เฉพาะ: {allowed}",
    "'{value}' is not a valid {column}; use one of: {allowed}",
    problem=(
        "a value outside the list: `kpi_type`, `direction`, `formula`, `method`, `role`, "
        "`rounding`, `below_lowest`, `late_day_count`, `due_date_roll`, `band_method`"
    ),
    at="the cell",
)
FRAMEWORK.declare(
    "FW_BAD_NUMBER",
    _E,
    "'{value}' ไม่ใช่ตัวเลข — กรอกเป็นตัวเลข เช่น 80 (ไม่ต้องใส่ % หรือหน่วยนับ)",
    "'{value}' is not a number; type a number such as 80 (no % or units)",
    problem="not a number: `weight`, `min_score`, a threshold (other than `derive`)",
    at="the cell",
)
FRAMEWORK.declare(
    "FW_BAD_DATE",
    _E,
    "'{value}' ไม่ใช่วันที่ — ใช้วันที่ของ Excel หรือพิมพ์ เช่น 6 มี.ค. 2567",
    "'{value}' is not a date; use an Excel date or text such as 6 มี.ค. 2567",
    problem="a date that does not parse (e.g. `31 ก.พ. 2567`)",
    at="the cell",
)
FRAMEWORK.declare(
    "FW_INVISIBLE_IN_ID",
    _E,
    "รหัส '{value}' มีอักขระที่มองไม่เห็น (<U+…>) ลบอักขระนั้น (พิมพ์รหัสใหม่ทั้งช่อง)",
    "the id '{value}' holds an invisible character (<U+…>); retype the cell",
    problem=(
        "an id holding a character that shows nothing (a zero-width space, a bidi mark); the "
        "message spells it `<U+200B>`"
    ),
    at="the id cell",
)
FRAMEWORK.declare(
    "FW_BAD_EMAIL",
    _E,
    "อีเมล '{value}'{unit_th} ไม่ถูกต้อง — ตรวจการสะกด ส่วนหน้า @ ต้องเป็นอักษรภาษาอังกฤษ "
    "(ชื่อโดเมนภาษาไทยใช้ได้) หลายที่อยู่ให้คั่นด้วย ;",
    "'{value}'{unit_en} is not a valid e-mail address (the part before @ must be "
    "ASCII; a Thai domain is fine); separate several addresses with ;",
    problem="a malformed address (the value names the bad one)",
    at="the cell",
)
FRAMEWORK.declare(
    "FW_WEIGHT_NOT_POSITIVE",
    _E,
    "น้ำหนัก '{value}' ต้องมากกว่า 0 — แก้น้ำหนัก หรือลบแถวหากไม่ได้ลงนามตัวชี้วัดนี้",
    "Weight '{value}' must be greater than 0; fix it or remove the row",
    problem="weight ≤ 0",
    at="the cell",
)
FRAMEWORK.declare(
    "FW_MISSING_SETTING",
    _E,
    "ไม่พบค่าตั้ง '{key}' — เพิ่มแถว key = {key} ในชีต settings",
    "Required setting '{key}' is missing; add a row with key {key}",
    problem="`organisation` or `fiscal_year` row missing",
    at="settings",
)
FRAMEWORK.declare(
    "FW_BAD_FISCAL_YEAR",
    _E,
    "ปีงบประมาณ '{value}' ไม่ถูกต้อง — ใส่ปี พ.ศ. 4 หลัก เช่น 2567",
    "Fiscal year '{value}' is not a plausible Buddhist-era year; type e.g. 2567",
    problem="fiscal year not a whole BE year 2500–2700 (e.g. 2024 typed in CE)",
    at="the value",
)
FRAMEWORK.declare(
    "FW_BAD_SCALE",
    _E,
    "scale '{value}' ไม่ถูกต้อง — ใส่คะแนนตั้งแต่ 2 ค่า เรียงจากน้อยไปมาก คั่นด้วย ,"
    " เช่น 1,2,3,4,5 หรือ 50,75,100",
    "Scale '{value}' must be at least two ascending numbers separated by commas,"
    " e.g. 1,2,3,4,5 or 50,75,100",
    problem="scale not ≥ 2 ascending numbers",
    at="the value",
)
FRAMEWORK.declare(
    "FW_BAD_SETTING",
    _E,
    "ค่าตั้ง {key} = '{value}' ไม่ถูกต้อง — {rule_th}",
    "Setting {key} = '{value}' is invalid: {rule_en}",
    problem="`decimals` not a whole number 0–10; a penalty not a number ≥ 0",
    at="the value",
)
FRAMEWORK.declare(
    "FW_PERIOD_ORDER",
    _E,
    "วันเริ่มรอบ ({start}) อยู่หลังวันสิ้นสุดรอบ ({end}) — แก้ period_start หรือ period_end",
    "period_start ({start}) is after period_end ({end}); fix one of them",
    problem="`period_start` after `period_end`",
    at="`period_end`",
)
FRAMEWORK.declare(
    "FW_UNKNOWN_CLUSTER",
    _E,
    "ไม่พบกลุ่มหน่วยงาน '{value}' ในชีต clusters — แก้รหัส หรือเพิ่มกลุ่มในชีต clusters",
    "Cluster '{value}' is not in the clusters sheet",
    problem="a unit's cluster is not in `clusters`",
    at="`units.cluster_id`",
)
FRAMEWORK.declare(
    "FW_UNKNOWN_UNIT",
    _E,
    "ไม่พบหน่วยงาน '{value}' ในชีต units — แก้รหัส หรือเพิ่มหน่วยงานในชีต units{hint_th}",
    "Unit '{value}' is not in the units sheet{hint_en}",
    problem="a unit id not in `units` (kpis, criteria, weights; `*` in weights)",
    at="the `unit_id` cell",
)
FRAMEWORK.declare(
    "FW_UNKNOWN_OWNER",
    _E,
    "ไม่พบเจ้าภาพตัวชี้วัด '{value}' ในชีต owners — แก้รหัส หรือเพิ่มแถวในชีต owners",
    "KPI owner '{value}' is not in the owners sheet; fix the id or add the owner",
    problem="a `kpis.owner_id` not in `owners` (or no `owners` sheet)",
    at="the `owner_id` cell",
)
FRAMEWORK.declare(
    "FW_OWNER_NO_EMAIL",
    _E,
    "เจ้าภาพตัวชี้วัด '{owner}' ไม่มีอีเมล — กรอกอีเมลเพื่อส่งแบบทบทวนผล (หลายที่อยู่คั่นด้วย ;)",
    "KPI owner '{owner}' has no e-mail address; add one so the review workbook can be sent",
    problem="an owner with a blank `email`",
    at="the `email` cell",
)
FRAMEWORK.declare(
    "FW_UNKNOWN_KPI",
    _E,
    "ไม่พบตัวชี้วัด '{value}' ของหน่วยงาน '{unit}' ในชีต kpis"
    " — เพิ่มแถวในชีต kpis (unit_id เป็น {unit} หรือ *)",
    "KPI '{value}' is not defined for unit '{unit}' in the kpis sheet"
    " (add a row with unit_id {unit} or *)",
    problem="a KPI not defined for that unit (own or `*` row) in `kpis`",
    at="the `kpi_id` cell",
)
FRAMEWORK.declare(
    "FW_UNKNOWN_ROUND",
    _E,
    "ไม่พบรอบ '{value}' ในชีต rounds — แก้รหัสรอบ หรือเพิ่มรอบในชีต rounds",
    "Round '{value}' is not in the rounds sheet",
    problem="a criteria round not in `rounds`",
    at="the `round_id` cell",
)
FRAMEWORK.declare(
    "FW_UNKNOWN_PARENT",
    _E,
    "ไม่พบตัวชี้วัดหลัก '{value}' ในชีต kpis{scope_th} — แก้ parent_id หรือเพิ่มแถวตัวชี้วัดหลัก",
    "Parent KPI '{value}' is not in the kpis sheet{scope_en}",
    problem="`parent_id` not found (a `*` row's parent must be a `*` row)",
    at="the `parent_id` cell",
)
FRAMEWORK.declare(
    "FW_PARENT_CYCLE",
    _E,
    "ตัวชี้วัด '{kpi}' วนกลับเป็นตัวชี้วัดหลักของตัวเอง — แก้ parent_id",
    "KPI '{kpi}' is its own ancestor; fix parent_id",
    problem="a KPI is its own ancestor",
    at="the `parent_id` cell",
)
FRAMEWORK.declare(
    "FW_PARENT_FIELDS",
    _E,
    "ตัวชี้วัด '{kpi}' เป็นตัวชี้วัดหลัก{why_th} จึงต้องเว้นช่อง kpi_type direction formula"
    " method ว่าง — ถ้าเป็นตัวชี้วัดย่อยที่ต้องวัดผล ให้ลบ parent_id ของแถวที่อ้างถึง",
    "KPI '{kpi}' is a parent{why_en}: leave kpi_type, direction, formula and method blank",
    problem=(
        "a parent (has sub-KPIs, or blank `kpi_type`) with `kpi_type`, `direction`, `formula` or "
        "`method` filled"
    ),
    at="the filled cell",
)
FRAMEWORK.declare(
    "FW_KPI_FIELDS",
    _E,
    "ตัวชี้วัด '{kpi}': {detail_th}",
    "KPI '{kpi}': {detail_en}",
    problem="a milestone KPI with `direction` `lower` or `formula` `ratio`",
    at="the cell",
)
FRAMEWORK.declare(
    "FW_WEIGHTED_PARENT",
    _E,
    "ตัวชี้วัด '{value}' เป็นตัวชี้วัดหลัก ({why_th}) จึงใส่น้ำหนักไม่ได้"
    " — ใส่น้ำหนักที่ตัวชี้วัดย่อยแทน หรือระบุ kpi_type ในชีต kpis ถ้าเป็นตัวชี้วัดที่วัดผล",
    "KPI '{value}' is a parent ({why_en}) and cannot carry a weight; weight its leaves",
    problem=(
        "a weighted KPI that is a parent (blank `kpi_type`, or a sub-KPI of it is weighted too)"
    ),
    at="the weight's `kpi_id`",
)
FRAMEWORK.declare(
    "FW_NO_WEIGHTS",
    _E,
    "หน่วยงาน '{value}' ไม่มีตัวชี้วัดในชีต weights — เพิ่มน้ำหนักตัวชี้วัดที่หน่วยงานนี้ลงนาม",
    "Unit '{value}' has no rows in the weights sheet",
    problem="a unit with no rows in `weights`",
    at="`units.unit_id`",
)
FRAMEWORK.declare(
    "FW_MISSING_CRITERIA",
    _E,
    "ตัวชี้วัด '{kpi}' ของหน่วยงาน '{unit}' ไม่มีเกณฑ์รอบ '{round}'"
    " — เพิ่มแถวในชีต criteria (unit_id เป็น {unit} หรือ *)",
    "KPI '{kpi}' of unit '{unit}' has no criteria for round '{round}'",
    problem="a weighted KPI has no criteria for a round",
    at="the weight's `kpi_id`",
)
FRAMEWORK.declare(
    "FW_CRITERIA_COLUMNS",
    _E,
    "{detail_th} — คอลัมน์เกณฑ์ต้องตรงกับ scale ({scale}) ในชีต settings",
    "{detail_en}; the criteria columns must match the scale ({scale})",
    problem="criteria columns do not match the scale (missing point, extra number column)",
    at="the header",
)
FRAMEWORK.declare(
    "FW_EMPTY_CRITERIA",
    _E,
    "เกณฑ์แถวนี้ว่างทุกระดับ — กรอกค่าเป้าหมายอย่างน้อยหนึ่งระดับ หรือใส่ derive",
    "Every threshold in this row is blank; fill in at least one, or derive",
    problem="a criteria row with every threshold blank",
    at="first threshold",
)
FRAMEWORK.declare(
    "FW_NOT_MONOTONIC",
    _E,
    "ค่าเกณฑ์ '{value}' ต้อง{more_th}ค่าเกณฑ์ระดับก่อนหน้า ({previous}) เพราะตัวชี้วัด"
    " '{kpi}' {direction_th} — เรียงค่าเกณฑ์ให้ถูกทิศทาง",
    "Threshold '{value}' must be {more_en} the previous one ({previous}) because KPI"
    " '{kpi}' is {direction_en}",
    problem="thresholds not strictly ascending (higher, milestone) / descending (lower)",
    at="the first cell out of order",
)
FRAMEWORK.declare(
    "FW_BAD_DERIVE",
    _E,
    "ใช้ derive ไม่ได้ที่นี่: {detail_th}",
    "derive cannot be used here: {detail_en}",
    problem=(
        "`derive` misplaced, with other cells filled, in the full-year round, or for a milestone "
        "KPI"
    ),
    at="the `derive` cell",
)
FRAMEWORK.declare(
    "FW_DERIVE_NO_SOURCE",
    _E,
    "คำนวณเกณฑ์ 6 เดือน (derive) ไม่ได้: {detail_th}",
    "Cannot derive the 6-month criteria: {detail_en}",
    problem="no full-year round, or its criteria lack the middle or top threshold",
    at="the `derive` cell",
)
FRAMEWORK.declare(
    "FW_DERIVE_NEGATIVE",
    _E,
    "เกณฑ์ที่คำนวณจากรอบ '{source}' ติดลบ ({derived}) — กรอกเกณฑ์รอบนี้เองแทน derive",
    "Criteria derived from round '{source}' go below zero ({derived});"
    " type this round's criteria instead",
    problem="derived thresholds below zero",
    at="the `derive` cell",
)

# code -> (Thai template, English template), read by the tests
MESSAGES = MappingProxyType({c: (k.message_th, k.message_en) for c, k in FRAMEWORK.items()})


def fw_issue(
    code: str, sheet: str = "", cell: str = "", value: object = "", file: str = "", **params: Any
) -> Issue:
    """The `Issue` of a framework code; `unit` and `kpi` in `params` also name the unit and KPI."""
    return FRAMEWORK[code].issue(
        sheet=sheet,
        cell=cell,
        value=value,
        file=file,
        unit_id=str(params.get("unit", "")),
        kpi_id=str(params.get("kpi", "")),
        **params,
    )
