"""Every problem the framework checker reports: a stable code and what to tell the planner.

The codes are a contract (tests, docs/framework.md and planning staff refer to them); the
Thai message says what to fix. Messages are `str.format` templates filled by `fw_issue`.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from kpi_batch.issues import Issue, error, warning

# code -> (Thai template, English template)
MESSAGES = MappingProxyType(
    {
        "FW_FILE_UNREADABLE": (
            "เปิดไฟล์ไม่ได้ ({reason}) — ตรวจชื่อไฟล์ และบันทึกเป็น .xlsx แล้วลองใหม่",
            "Cannot open the workbook ({reason}); check the path and save it as .xlsx",
        ),
        "FW_MISSING_SHEET": (
            "ไม่พบชีต '{name}' — เพิ่มชีตชื่อ {name} (ตัวพิมพ์เล็ก) ตามแบบฟอร์ม",
            "Sheet '{name}' is missing; add it as in the blank template",
        ),
        "FW_MISSING_COLUMN": (
            "ไม่พบคอลัมน์ '{column}' ในแถวหัวตาราง — เพิ่มคอลัมน์ชื่อ {column}",
            "Column '{column}' is missing from the header row; add it",
        ),
        "FW_DUPLICATE_COLUMN": (
            "คอลัมน์ '{column}' ซ้ำกับคอลัมน์ {first} — ลบคอลัมน์ที่ซ้ำออก",
            "Column '{column}' repeats column {first}; remove one of them",
        ),
        "FW_EMPTY_SHEET": (
            "ชีต '{name}' ยังไม่มีข้อมูล — กรอกอย่างน้อยหนึ่งแถวใต้หัวตาราง",
            "Sheet '{name}' has no rows; fill in at least one",
        ),
        "FW_REQUIRED_VALUE": (
            "ช่อง {column} ว่าง — ต้องกรอก",
            "{column} is required",
        ),
        "FW_DUPLICATE_ID": (
            "{what_th} '{value}' ซ้ำกับแถว {first_row} — ลบแถวที่ซ้ำหรือแก้รหัส",
            "{what_en} '{value}' repeats row {first_row}; remove the duplicate or fix the id",
        ),
        "FW_DUPLICATE_ID_CASE": (
            "{what_th} '{value}' ซ้ำกับ '{first}' ในแถว {first_row} (ตัวพิมพ์เล็ก/ใหญ่ถือว่าเป็นรหัส"
            "เดียวกัน ชื่อไฟล์บน Windows จะทับกัน) — แก้รหัสให้ต่างกัน หรือลบแถวที่ซ้ำ",
            "{what_en} '{value}' repeats '{first}' of row {first_row} ignoring case (one file "
            "name on Windows); make the ids differ or remove the duplicate",
        ),
        "FW_BAD_ENUM": (
            "ค่า '{value}' ใช้ไม่ได้ในช่อง {column} — ใช้ได้เฉพาะ: {allowed}",
            "'{value}' is not a valid {column}; use one of: {allowed}",
        ),
        "FW_BAD_NUMBER": (
            "'{value}' ไม่ใช่ตัวเลข — กรอกเป็นตัวเลข เช่น 80 (ไม่ต้องใส่ % หรือหน่วยนับ)",
            "'{value}' is not a number; type a number such as 80 (no % or units)",
        ),
        "FW_BAD_DATE": (
            "'{value}' ไม่ใช่วันที่ — ใช้วันที่ของ Excel หรือพิมพ์ เช่น 6 มี.ค. 2567",
            "'{value}' is not a date; use an Excel date or text such as 6 มี.ค. 2567",
        ),
        "FW_INVISIBLE_IN_ID": (
            "รหัส '{value}' มีอักขระที่มองไม่เห็น (<U+…>) ลบอักขระนั้น (พิมพ์รหัสใหม่ทั้งช่อง)",
            "the id '{value}' holds an invisible character (<U+…>); retype the cell",
        ),
        "FW_BAD_EMAIL": (
            "อีเมล '{value}'{unit_th} ไม่ถูกต้อง — ตรวจการสะกด ส่วนหน้า @ ต้องเป็นอักษรภาษาอังกฤษ "
            "(ชื่อโดเมนภาษาไทยใช้ได้) หลายที่อยู่ให้คั่นด้วย ;",
            "'{value}'{unit_en} is not a valid e-mail address (the part before @ must be "
            "ASCII; a Thai domain is fine); separate several addresses with ;",
        ),
        "FW_WEIGHT_NOT_POSITIVE": (
            "น้ำหนัก '{value}' ต้องมากกว่า 0 — แก้น้ำหนัก หรือลบแถวหากไม่ได้ลงนามตัวชี้วัดนี้",
            "Weight '{value}' must be greater than 0; fix it or remove the row",
        ),
        "FW_MISSING_SETTING": (
            "ไม่พบค่าตั้ง '{key}' — เพิ่มแถว key = {key} ในชีต settings",
            "Required setting '{key}' is missing; add a row with key {key}",
        ),
        "FW_BAD_FISCAL_YEAR": (
            "ปีงบประมาณ '{value}' ไม่ถูกต้อง — ใส่ปี พ.ศ. 4 หลัก เช่น 2567",
            "Fiscal year '{value}' is not a plausible Buddhist-era year; type e.g. 2567",
        ),
        "FW_BAD_SCALE": (
            "scale '{value}' ไม่ถูกต้อง — ใส่คะแนนตั้งแต่ 2 ค่า เรียงจากน้อยไปมาก คั่นด้วย ,"
            " เช่น 1,2,3,4,5 หรือ 50,75,100",
            "Scale '{value}' must be at least two ascending numbers separated by commas,"
            " e.g. 1,2,3,4,5 or 50,75,100",
        ),
        "FW_BAD_SETTING": (
            "ค่าตั้ง {key} = '{value}' ไม่ถูกต้อง — {rule_th}",
            "Setting {key} = '{value}' is invalid: {rule_en}",
        ),
        "FW_PERIOD_ORDER": (
            "วันเริ่มรอบ ({start}) อยู่หลังวันสิ้นสุดรอบ ({end}) — แก้ period_start หรือ period_end",
            "period_start ({start}) is after period_end ({end}); fix one of them",
        ),
        "FW_UNKNOWN_CLUSTER": (
            "ไม่พบกลุ่มหน่วยงาน '{value}' ในชีต clusters — แก้รหัส หรือเพิ่มกลุ่มในชีต clusters",
            "Cluster '{value}' is not in the clusters sheet",
        ),
        "FW_UNKNOWN_UNIT": (
            "ไม่พบหน่วยงาน '{value}' ในชีต units — แก้รหัส หรือเพิ่มหน่วยงานในชีต units{hint_th}",
            "Unit '{value}' is not in the units sheet{hint_en}",
        ),
        "FW_UNKNOWN_OWNER": (
            "ไม่พบเจ้าภาพตัวชี้วัด '{value}' ในชีต owners — แก้รหัส หรือเพิ่มแถวในชีต owners",
            "KPI owner '{value}' is not in the owners sheet; fix the id or add the owner",
        ),
        "FW_OWNER_NO_EMAIL": (
            "เจ้าภาพตัวชี้วัด '{owner}' ไม่มีอีเมล — กรอกอีเมลเพื่อส่งแบบทบทวนผล (หลายที่อยู่คั่นด้วย ;)",
            "KPI owner '{owner}' has no e-mail address; add one so the review workbook can be sent",
        ),
        "FW_UNKNOWN_KPI": (
            "ไม่พบตัวชี้วัด '{value}' ของหน่วยงาน '{unit}' ในชีต kpis"
            " — เพิ่มแถวในชีต kpis (unit_id เป็น {unit} หรือ *)",
            "KPI '{value}' is not defined for unit '{unit}' in the kpis sheet"
            " (add a row with unit_id {unit} or *)",
        ),
        "FW_UNKNOWN_ROUND": (
            "ไม่พบรอบ '{value}' ในชีต rounds — แก้รหัสรอบ หรือเพิ่มรอบในชีต rounds",
            "Round '{value}' is not in the rounds sheet",
        ),
        "FW_UNKNOWN_PARENT": (
            "ไม่พบตัวชี้วัดหลัก '{value}' ในชีต kpis{scope_th} — แก้ parent_id หรือเพิ่มแถวตัวชี้วัดหลัก",
            "Parent KPI '{value}' is not in the kpis sheet{scope_en}",
        ),
        "FW_PARENT_CYCLE": (
            "ตัวชี้วัด '{kpi}' วนกลับเป็นตัวชี้วัดหลักของตัวเอง — แก้ parent_id",
            "KPI '{kpi}' is its own ancestor; fix parent_id",
        ),
        "FW_PARENT_FIELDS": (
            "ตัวชี้วัด '{kpi}' เป็นตัวชี้วัดหลัก{why_th} จึงต้องเว้นช่อง kpi_type direction formula"
            " method ว่าง — ถ้าเป็นตัวชี้วัดย่อยที่ต้องวัดผล ให้ลบ parent_id ของแถวที่อ้างถึง",
            "KPI '{kpi}' is a parent{why_en}: leave kpi_type, direction, formula and method blank",
        ),
        "FW_KPI_FIELDS": (
            "ตัวชี้วัด '{kpi}': {detail_th}",
            "KPI '{kpi}': {detail_en}",
        ),
        "FW_WEIGHTED_PARENT": (
            "ตัวชี้วัด '{value}' เป็นตัวชี้วัดหลัก ({why_th}) จึงใส่น้ำหนักไม่ได้"
            " — ใส่น้ำหนักที่ตัวชี้วัดย่อยแทน หรือระบุ kpi_type ในชีต kpis ถ้าเป็นตัวชี้วัดที่วัดผล",
            "KPI '{value}' is a parent ({why_en}) and cannot carry a weight; weight its leaves",
        ),
        "FW_NO_WEIGHTS": (
            "หน่วยงาน '{value}' ไม่มีตัวชี้วัดในชีต weights — เพิ่มน้ำหนักตัวชี้วัดที่หน่วยงานนี้ลงนาม",
            "Unit '{value}' has no rows in the weights sheet",
        ),
        "FW_MISSING_CRITERIA": (
            "ตัวชี้วัด '{kpi}' ของหน่วยงาน '{unit}' ไม่มีเกณฑ์รอบ '{round}'"
            " — เพิ่มแถวในชีต criteria (unit_id เป็น {unit} หรือ *)",
            "KPI '{kpi}' of unit '{unit}' has no criteria for round '{round}'",
        ),
        "FW_CRITERIA_COLUMNS": (
            "{detail_th} — คอลัมน์เกณฑ์ต้องตรงกับ scale ({scale}) ในชีต settings",
            "{detail_en}; the criteria columns must match the scale ({scale})",
        ),
        "FW_EMPTY_CRITERIA": (
            "เกณฑ์แถวนี้ว่างทุกระดับ — กรอกค่าเป้าหมายอย่างน้อยหนึ่งระดับ หรือใส่ derive",
            "Every threshold in this row is blank; fill in at least one, or derive",
        ),
        "FW_NOT_MONOTONIC": (
            "ค่าเกณฑ์ '{value}' ต้อง{more_th}ค่าเกณฑ์ระดับก่อนหน้า ({previous}) เพราะตัวชี้วัด"
            " '{kpi}' {direction_th} — เรียงค่าเกณฑ์ให้ถูกทิศทาง",
            "Threshold '{value}' must be {more_en} the previous one ({previous}) because KPI"
            " '{kpi}' is {direction_en}",
        ),
        "FW_BAD_DERIVE": (
            "ใช้ derive ไม่ได้ที่นี่: {detail_th}",
            "derive cannot be used here: {detail_en}",
        ),
        "FW_DERIVE_NO_SOURCE": (
            "คำนวณเกณฑ์ 6 เดือน (derive) ไม่ได้: {detail_th}",
            "Cannot derive the 6-month criteria: {detail_en}",
        ),
        "FW_DERIVE_NEGATIVE": (
            "เกณฑ์ที่คำนวณจากรอบ '{source}' ติดลบ ({derived}) — กรอกเกณฑ์รอบนี้เองแทน derive",
            "Criteria derived from round '{source}' go below zero ({derived});"
            " type this round's criteria instead",
        ),
    }
)

# Warnings (framework/soft_checks.py): the framework is accepted and check-framework exits
# 0, but a planner should look. Same shape as MESSAGES.
WARNINGS = MappingProxyType(
    {
        "FW_WEIGHTS_NOT_100": (
            "หน่วยงาน {unit} ({name}) น้ำหนักรวม {total} ไม่เท่ากับ 100 (ช่อง {cells}) — ตรวจกับ"
            "คำรับรองฯ ที่ลงนาม ถ้าถูกต้องแล้วไม่ต้องแก้ (คะแนนรวมหารด้วยผลรวมน้ำหนัก)",
            "Unit {unit} ({name}): weights total {total}, not 100 ({cells}); check them against"
            " the signed agreement (allowed: the total divides by the weight sum)",
        ),
        "FW_KPI_NO_OWNER": (
            "ตัวชี้วัด {kpi} ยังไม่มีเจ้าภาพ ({count} หน่วยงาน: {units}) — ใส่ owner_id จากชีต owners"
            " ในช่องนี้ ถ้าไม่ใส่ ตัวชี้วัดนี้จะไม่อยู่ในแบบทบทวนผลของเจ้าภาพคนใด",
            "KPI {kpi} has no owner ({count} unit(s): {units}); put an owner_id of the owners"
            " sheet here, or no review workbook will hold it",
        ),
        "FW_EMAIL_SETTING_MISSING": (
            "ยังไม่ได้ตั้งค่า {key} ({what_th}) — {effect_th} ให้เพิ่มแถว key {key} ในชีต settings"
            " ค่า เช่น {example}",
            "Setting {key} ({what_en}) is not set: {effect_en}; add a settings row {key},"
            " e.g. {example}",
        ),
    }
)


def fw_issue(
    code: str, sheet: str = "", cell: str = "", value: object = "", file: str = "", **params: Any
) -> Issue:
    """An error `Issue` with the catalogue's messages; `value` is also a template field."""
    th, en = MESSAGES[code]
    shown = "" if value is None else str(value)
    fields = {"value": shown, **params}
    return error(
        code,
        th.format(**fields),
        en.format(**fields),
        sheet=sheet,
        cell=cell,
        value=shown,
        file=file,
        unit_id=str(params.get("unit", "")),
        kpi_id=str(params.get("kpi", "")),
    )


def fw_warning(code: str, sheet: str, cell: str, **params: Any) -> Issue:
    """A warning `Issue` with the catalogue's messages (the framework is still accepted)."""
    th, en = WARNINGS[code]
    return warning(
        code,
        th.format(**params),
        en.format(**params),
        sheet=sheet,
        cell=cell,
        unit_id=str(params.get("unit", "")),
        kpi_id=str(params.get("kpi", "")),
    )
