"""A small, valid framework as workbook rows, for any test that needs a framework file.

`small_framework_rows()` returns fresh rows each call, so a test may break one cell and
write the result with `write_framework` (or `write_small_framework`). What it holds:

- settings: FY2567, default scale 1..5, `decimals` 4 (other settings default)
- rounds: R1 = 6 months (1 Oct 2566 - 31 Mar 2567; the end typed as BE text), R2 = 12 months
- clusters C1, C2; units U01, U02 (C1), U03, U04 (C2); U02 has two e-mail addresses
- kpis (mostly `*`): parent 1.1 with leaves 1.1.1 (higher) and 1.1.2 (lower is better),
  2.1 (ratio), 3.1 (milestone), 4.1 (method step); U03 has its own 2.1 row, U04 its own 5.1
- criteria: 1.1.1 R1 `derive` (from R2 88..96 -> 44..52); 5.1 R1 `derive` (60..100 ->
  30..70); 3.1 R1 is the milestone table with gaps 1, -, 2, -, 3; U03 has its own 2.1 R2
- weights: U01 and U02 total 100, U03 totals 90 (a note, not an error), U04 100
- bands A-D, recipients hr and executive, two holidays
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from kpi_batch.framework.writer import write_framework
from kpi_batch.specs.framework import DERIVE, SHARED_UNIT

Row = dict[str, Any]
STAR = SHARED_UNIT


def _criteria(unit: str, kpi: str, round_id: str, *points: object) -> Row:
    row: Row = {"unit_id": unit, "kpi_id": kpi, "round_id": round_id}
    row.update({str(i): p for i, p in enumerate(points, start=1)})
    return row


def _kpi(unit: str, kpi: str, name: str, **fields: str) -> Row:
    return {"unit_id": unit, "kpi_id": kpi, "name": name, **fields}


_ROWS: dict[str, list[Row]] = {
    "settings": [
        {"key": "organisation", "value": "กรมตัวอย่าง (ทดสอบ)"},
        {"key": "fiscal_year", "value": 2567},
        {"key": "scale", "value": "1,2,3,4,5"},
        {"key": "decimals", "value": 4},
    ],
    "rounds": [
        {
            "round_id": "R1",
            "name": "รอบ 6 เดือน",
            "period_start": dt.date(2023, 10, 1),
            "period_end": "31 มี.ค. 2567",
            "data_cutoff": dt.date(2024, 2, 29),
            "due_date": dt.date(2024, 3, 6),
        },
        {
            "round_id": "R2",
            "name": "รอบ 12 เดือน",
            "period_start": dt.date(2023, 10, 1),
            "period_end": dt.date(2024, 9, 30),
            "data_cutoff": dt.date(2024, 8, 31),
            "due_date": dt.date(2024, 9, 6),
        },
    ],
    "clusters": [
        {"cluster_id": "C1", "name": "กลุ่มอำนวยการ"},
        {"cluster_id": "C2", "name": "กลุ่มวิชาการ"},
    ],
    "units": [
        {"unit_id": "U01", "name": "กองแผนงาน", "cluster_id": "C1", "email": "plan@dept.example"},
        {
            "unit_id": "U02",
            "name": "กองคลัง",
            "cluster_id": "C1",
            "email": "finance@dept.example; chief.finance@dept.example",
        },
        {
            "unit_id": "U03",
            "name": "สำนักโภชนาการ",
            "cluster_id": "C2",
            "email": "nutri@dept.example",
        },
        {"unit_id": "U04", "name": "ศูนย์อนามัยที่ 1", "cluster_id": "C2", "email": "hpc1@dept.example"},
    ],
    "kpis": [
        _kpi(STAR, "1.1", "ผลการดำเนินงานตามภารกิจหลัก", component="Performance Base"),
        _kpi(
            STAR,
            "1.1.1",
            "ร้อยละของแผนงานที่ดำเนินการได้ตามกำหนด",
            parent_id="1.1",
            component="Performance Base",
            kpi_type="quantitative",
            direction="higher",
            measure_unit="ร้อยละ",
        ),
        _kpi(
            STAR,
            "1.1.2",
            "ระยะเวลาเฉลี่ยในการอนุมัติเรื่อง",
            parent_id="1.1",
            component="Performance Base",
            kpi_type="quantitative",
            direction="lower",
            measure_unit="วัน",
        ),
        _kpi(
            STAR,
            "2.1",
            "ร้อยละของการเบิกจ่ายงบประมาณ",
            component="Performance Base",
            kpi_type="quantitative",
            direction="higher",
            measure_unit="ร้อยละ",
            formula="ratio",
        ),
        _kpi(
            STAR,
            "3.1",
            "ระดับความสำเร็จของการพัฒนาองค์กร",
            component="Potential Base",
            kpi_type="milestone",
            measure_unit="ระดับ",
        ),
        _kpi(
            STAR,
            "4.1",
            "จำนวนนวัตกรรมที่นำไปใช้",
            component="Potential Base",
            kpi_type="quantitative",
            direction="higher",
            measure_unit="เรื่อง",
            method="step",
        ),
        _kpi(
            "U03",
            "2.1",
            "ร้อยละของโรงเรียนที่ผ่านเกณฑ์โภชนาการ",
            component="Performance Base",
            kpi_type="quantitative",
            direction="higher",
            measure_unit="ร้อยละ",
            formula="ratio",
        ),
        _kpi(
            "U04",
            "5.1",
            "ร้อยละของหญิงตั้งครรภ์ที่ฝากครรภ์ครั้งแรก",
            component="Performance Base",
            kpi_type="quantitative",
            direction="higher",
            measure_unit="ร้อยละ",
        ),
    ],
    "criteria": [
        _criteria(STAR, "1.1.1", "R1", None, None, DERIVE),
        _criteria(STAR, "1.1.1", "R2", 88, 90, 92, 94, 96),
        _criteria(STAR, "1.1.2", "R1", 58, 56, 54, 52, 50),
        _criteria(STAR, "1.1.2", "R2", 54, 52, 50, 48, 46),
        _criteria(STAR, "2.1", "R1", 60, 65, 70, 75, 80),
        _criteria(STAR, "2.1", "R2", 60, 70, 80, 90, 100),
        _criteria("U03", "2.1", "R2", 50, 60, 70, 80, 90),
        _criteria(STAR, "3.1", "R1", 1, None, 2, None, 3),
        _criteria(STAR, "3.1", "R2", 1, 2, 3, 4, 5),
        _criteria(STAR, "4.1", "R1", 1, 2, 3, 4, 5),
        _criteria(STAR, "4.1", "R2", 2, 4, 6, 8, 10),
        _criteria("U04", "5.1", "R1", None, None, DERIVE),
        _criteria("U04", "5.1", "R2", 60, 70, 80, 90, 100),
    ],
    "weights": [
        {"unit_id": "U01", "kpi_id": "1.1.1", "weight": 20},
        {"unit_id": "U01", "kpi_id": "1.1.2", "weight": 20},
        {"unit_id": "U01", "kpi_id": "2.1", "weight": 30},
        {"unit_id": "U01", "kpi_id": "3.1", "weight": 30},
        {"unit_id": "U02", "kpi_id": "1.1.1", "weight": 25},
        {"unit_id": "U02", "kpi_id": "2.1", "weight": 25},
        {"unit_id": "U02", "kpi_id": "3.1", "weight": 25},
        {"unit_id": "U02", "kpi_id": "4.1", "weight": 25},
        {"unit_id": "U03", "kpi_id": "1.1.2", "weight": 40},
        {"unit_id": "U03", "kpi_id": "2.1", "weight": 30},
        {"unit_id": "U03", "kpi_id": "4.1", "weight": 20},
        {"unit_id": "U04", "kpi_id": "1.1.1", "weight": 50},
        {"unit_id": "U04", "kpi_id": "5.1", "weight": 50},
    ],
    "bands": [
        {"band_id": "A", "name": "ดีเด่น", "min_score": 4.5},
        {"band_id": "B", "name": "ดีมาก", "min_score": 4},
        {"band_id": "C", "name": "ดี", "min_score": 3.5},
        {"band_id": "D", "name": "ต้องปรับปรุง", "min_score": 0},
    ],
    "recipients": [
        {"role": "hr", "name": "กองการเจ้าหน้าที่", "email": "hr@dept.example"},
        {"role": "executive", "name": "ผู้บริหาร", "email": "director@dept.example"},
    ],
    "holidays": [
        {"date": dt.date(2023, 12, 5), "name": "วันพ่อแห่งชาติ"},
        {"date": "13 เม.ย. 2567", "name": "วันสงกรานต์"},
    ],
}


def small_framework_rows() -> dict[str, list[Row]]:
    """Sheet -> rows of the small valid framework (a fresh deep copy each call)."""
    return copy.deepcopy(_ROWS)


def write_small_framework(
    path: Path, rows: dict[str, list[Row]] | None = None, scale: tuple[str, ...] | None = None
) -> Path:
    """Write `rows` (default: the small framework) to `path` as a framework workbook."""
    rows = small_framework_rows() if rows is None else rows
    if scale is None:
        return write_framework(rows, path)
    return write_framework(rows, path, scale)
