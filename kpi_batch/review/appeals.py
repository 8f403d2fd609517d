"""The appeals list the planning officer keeps: which (unit, KPI) pairs are under appeal.

A workbook (.xlsx, sheet `appeals` or else the first sheet) or a CSV with a header row
`unit_id`, `kpi_id`, `argument` (the unit's argument, shown to the owner; headers may also
be written `Thai label (key)`). `kpi-batch review-sheets --stage appeal --appeals FILE`
puts only these pairs into the owners' workbooks. A pair that is not in the run (unknown
unit, KPI outside its agreement, no accepted submission) stops the command with every such
row named: an appeal left out of the owner's workbook would silently never be decided.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from kpi_batch.errors import UsageError
from kpi_batch.intake.xlsx_parts import header_key
from kpi_batch.issues import cell_ref
from kpi_batch.model import Framework
from kpi_batch.review.rows import Appeals
from kpi_batch.textfiles import decode
from kpi_batch.thai import arabic_digits

SHEET = "appeals"
KEYS = ("unit_id", "kpi_id", "argument")
MAX_BYTES = 5 * 1024 * 1024


def _cells(path: Path) -> tuple[str, list[list[Any]]]:
    if path.stat().st_size > MAX_BYTES:
        raise UsageError(f"{path}: ใหญ่เกิน 5 MB / larger than 5 MB")
    if path.suffix.lower() == ".csv":
        try:  # as Excel or Notepad saved it: UTF-8 with or without BOM, or cp874
            text = decode(path.read_bytes(), path.name).text
        except UnicodeDecodeError:
            raise UsageError(
                f"{path}: อ่านข้อความไม่ได้ — บันทึกเป็น CSV UTF-8 / cannot decode; save as CSV UTF-8"
            ) from None
        return path.name, [list(r) for r in csv.reader(io.StringIO(text))]
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        sheet = next((n for n in names if n.strip().lower() == SHEET), names[0])
        return sheet, workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError, IndexError) as exc:
        raise UsageError(
            f"เปิดรายการอุทธรณ์ {path} ไม่ได้ / cannot read the appeals list: {exc}"
        ) from exc


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return arabic_digits(str(value)).strip() if value is not None else ""


def read_appeals(path: Path, framework: Framework, results: Sequence[Mapping[str, str]]) -> Appeals:
    sheet, rows = _cells(path)
    header_at = next((i for i, r in enumerate(rows) if any(_text(v) for v in r)), None)
    if header_at is None:
        raise UsageError(f"{path}: ไม่มีข้อมูล / the appeals list is empty")
    cols: dict[str, int] = {}
    for c, raw in enumerate(rows[header_at]):
        key = _text(raw).lower()
        key = key if key in KEYS else header_key(_text(raw))
        if key in KEYS and key not in cols:
            cols[key] = c
    missing = [k for k in KEYS[:2] if k not in cols]
    if missing:
        raise UsageError(
            f"{path}: ไม่พบคอลัมน์ {', '.join(missing)} (ต้องมี unit_id, kpi_id, argument)"
            f" / missing column(s) {', '.join(missing)}"
        )
    in_run = {(r["unit_id"], r["kpi_id"]) for r in results}
    found: dict[tuple[str, str], str] = {}
    problems = []
    for i in range(header_at + 1, len(rows)):
        row = rows[i]

        def get(key: str, row: list[object] = row) -> str:
            c = cols.get(key)
            return _text(row[c]) if c is not None and c < len(row) else ""

        unit_id, kpi_id = get("unit_id"), get("kpi_id")
        if not unit_id and not kpi_id:
            continue
        if (unit_id, kpi_id) not in in_run:
            where = f"{sheet}!{cell_ref(i + 1, cols['unit_id'])}"
            known = unit_id in {u.unit_id for u in framework.units}
            why = (
                "ไม่มีในผลการประมวลผลนี้ (ตัวชี้วัดไม่อยู่ในคำรับรอง หรือหน่วยงานไม่มีไฟล์ที่ผ่านการตรวจ)"
                if known
                else "ไม่พบรหัสหน่วยงานในกรอบการประเมิน"
            )
            problems.append(f"{where}: {unit_id} / {kpi_id} {why} / not in this run")
            continue
        found[(unit_id, kpi_id)] = get("argument")
    if problems:
        raise UsageError(
            f"รายการอุทธรณ์ {path} มีปัญหา {len(problems)} แถว — แก้แล้วสั่งใหม่ /"
            f" {len(problems)} row(s) of the appeals list are not in the run:\n"
            + "\n".join(problems)
        )
    return found
