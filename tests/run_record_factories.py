"""A small fixed `RunRecord` for the HR, unit and CSV report tests (and their goldens).

Six units in two clusters, built with `scoring_factories` and scored with `score_round`:

| unit | cluster | what it shows |
|---|---|---|
| U01 กองแผนงาน | c1 | 2 days late + a late_days adjustment (deduction), a review |
| U02 สำนักงานเลขานุการกรม | c1 | an appeal raises a milestone level (final > pre-appeal) |
| U03 `=HYPERLINK(...)` | c2 | a name that looks like a formula |
| U04 ศูนย์อนามัยที่ 1 เชียงใหม่ | c2 | a missing KPI and an exempt KPI |
| U05 ศูนย์อนามัยที่ 2 พิษณุโลก | c2 | sent nothing (missing) |
| U06 กองโภชนาการ | c1 | its file was rejected |

Everything is fixed (no clock, no randomness): the golden workbooks depend on it. Changing
it means regenerating tests/golden/ (see tests/golden_compare.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from kpi_batch.issues import Issue, error, warning
from kpi_batch.model import Direction, Formula, Framework, KpiType
from kpi_batch.run_record import RunRecord
from kpi_batch.scoring.score_round import score_round
from tests.adjustment_factories import reader_frame
from tests.scoring_factories import DUE, LOWER, ROUND, STD, UnitSpec, framework, kpi, results

FORMULA_NAME = '=HYPERLINK("http://x","y")'
UNIT_NAMES = {
    "U01": "กองแผนงาน",
    "U02": "สำนักงานเลขานุการกรม",
    "U03": FORMULA_NAME,
    "U04": "ศูนย์อนามัยที่ 1 เชียงใหม่",
    "U05": "ศูนย์อนามัยที่ 2 พิษณุโลก",
    "U06": "กองโภชนาการ",
}
AS_OF = dt.date(2024, 10, 15)
RUN_ID = "2567/r12/2024-10-15_1"
FINGERPRINT = "3f5a9c0e7b21" + "0" * 52


def _framework() -> Framework:
    pb, po = "ประสิทธิผลการดำเนินงาน (Performance Base)", "ศักยภาพในการดำเนินงาน (Potential Base)"
    kpis = [
        kpi("1.1.1", STD, parent_id="1.1", component=pb,
            name="ร้อยละของหน่วยบริการที่ผ่านเกณฑ์มาตรฐานคุณภาพบริการส่งเสริมสุขภาพ"),
        kpi("1.1.2", LOWER, parent_id="1.1", component=pb, direction=Direction.LOWER,
            name="อัตราการคลอดในหญิงอายุ 15-19 ปี ต่อพันประชากร"),
        kpi("1.2", STD, component=pb, formula=Formula.RATIO,
            name="ร้อยละของเด็กอายุ 0-5 ปี มีพัฒนาการสมวัย"),
        kpi("2.1", [1, 2, 3, 4, 5], component=po, kpi_type=KpiType.MILESTONE,
            name="ระดับความสำเร็จของการพัฒนาองค์กรสู่องค์กรสมรรถนะสูง"),
    ]  # fmt: skip
    every = {"1.1.1": 20, "1.1.2": 20, "1.2": 30, "2.1": 30}
    units = [
        UnitSpec("U01", every, "c1", UNIT_NAMES["U01"]),
        UnitSpec("U02", {"1.1.1": 40, "2.1": 60}, "c1", UNIT_NAMES["U02"]),
        UnitSpec("U03", every, "c2", UNIT_NAMES["U03"]),
        UnitSpec("U04", every, "c2", UNIT_NAMES["U04"]),
        UnitSpec("U05", every, "c2", UNIT_NAMES["U05"]),
        UnitSpec("U06", every, "c1", UNIT_NAMES["U06"]),
    ]
    fw = framework(
        kpis,
        units,
        parents={"1.1": ("ตัวชี้วัดด้านการส่งเสริมสุขภาพ", None)},
        bands=[
            ("excellent", "ดีเด่น", 4.5),
            ("good", "ดี", 3.5),
            ("fair", "พอใช้", 2.5),
            ("improve", "ต้องปรับปรุง", 0),
        ],
    )
    return dataclasses.replace(fw, fingerprint=FINGERPRINT, source="framework/framework_2567.xlsx")


def _results() -> pd.DataFrame:
    return results(
        {
            ("U01", "1.1.1"): 73,
            ("U01", "1.1.2"): 47,
            ("U01", "1.2"): {"numerator": 11, "denominator": 15},
            ("U01", "2.1"): {"level": 4},
            ("U02", "1.1.1"): 81.5,
            ("U02", "2.1"): {"level": 3},
            ("U03", "1.1.1"): 66,
            ("U03", "1.1.2"): 50,
            ("U03", "1.2"): {"numerator": 70, "denominator": 100},
            ("U03", "2.1"): {"level": 3.5},
            ("U04", "1.1.1"): 80,
            ("U04", "2.1"): {"level": 5},
        }
    )


def _submissions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_id": ["U01", "U02", "U03", "U04", "U06"],
            "status": ["accepted", "accepted", "accepted", "accepted", "rejected"],
            "submitted_on": [
                DUE + dt.timedelta(days=2),
                DUE,
                DUE,
                DUE - dt.timedelta(days=1),
                None,
            ],
        }
    )


def _adjustments(fw: Framework) -> pd.DataFrame:
    """The adjustments reader's frame (rows written to a workbook and read back)."""
    rows = [
        ("U01", "1.2", "review", "numerator", 12, "เจ้าภาพตรวจเอกสารแล้วแก้ผล", "บันทึก สธ 0902/41"),
        ("U01", "*", "review", "late_days", 3, "ส่งคู่มือตัวชี้วัดล่าช้า", "บันทึก สธ 0902/12"),
        ("U02", "2.1", "appeal", "level", 4, "อุทธรณ์: ส่งหลักฐานขั้นที่ 4", "อุทธรณ์ที่ 3/2567"),
        ("U04", "1.2", "review", "exempt", 1, "ไม่ได้รับมอบหมายประเด็น", "มติ กพร. 5/2567"),
    ]
    return reader_frame(fw, rows)


def _register() -> pd.DataFrame:
    files = [
        ("inbox/2567_r12_U01.xlsx", "U01", "accepted_with_warnings", 0, 1),
        ("inbox/2567_r12_U02.xlsx", "U02", "accepted", 0, 0),
        ("inbox/2567_r12_U03.xlsx", "U03", "accepted", 0, 0),
        ("inbox/2567_r12_U04.xlsx", "U04", "accepted", 0, 0),
        ("inbox/2567_r12_U06.xlsx", "U06", "rejected", 1, 0),
        ("adjustments/adjustments_2567_r12.xlsx", "", "accepted", 0, 0),
    ]
    return pd.DataFrame(
        {
            "path": [f[0] for f in files],
            "sha256": [f"{i:x}" * 64 for i in range(10, 10 + len(files))],
            "size": [20480 + i for i in range(len(files))],
            "unit_id": [f[1] for f in files],
            "status": [f[2] for f in files],
            "errors": [f[3] for f in files],
            "warnings": [f[4] for f in files],
            "reasons": ["", "", "", "", "template_outdated", ""],
        }
    )


def _input_issues() -> tuple[Issue, ...]:
    return (
        warning(
            "value_above_target", "ผลการดำเนินงานสูงกว่าเกณฑ์ระดับ 5 มาก โปรดตรวจสอบ",
            "value far above the level-5 threshold", file="inbox/2567_r12_U01.xlsx",
            sheet="รายงานผล", cell="K15", value="73", unit_id="U01", kpi_id="1.1.1",
        ),
        warning(
            "value_decimals", "ผลการดำเนินงานมีทศนิยมเกิน 2 ตำแหน่ง", "more than 2 decimals",
            file="inbox/2567_r12_U02.xlsx", sheet="รายงานผล", cell="K15", value="81.5",
            kpi_id="1.1.1",
        ),  # no unit_id: belongs to U02 through the register
        error(
            "template_outdated", "แบบฟอร์มเป็นฉบับเก่า โปรดใช้แบบฟอร์มรอบนี้",
            "outdated template", file="inbox/2567_r12_U06.xlsx", unit_id="U06",
        ),
        error(
            "note_formula", "ช่องหมายเหตุมีข้อความที่ดูเหมือนสูตร", "note looks like a formula",
            file="inbox/2567_r12_U03.xlsx", sheet="รายงานผล", cell="P16",
            value=FORMULA_NAME, unit_id="U03", kpi_id="2.1",
        ),
    )  # fmt: skip


def small_record() -> RunRecord:
    fw = _framework()
    scored = score_round(fw, ROUND, _results(), _submissions(), _adjustments(fw))
    return RunRecord(
        framework=fw,
        round=fw.round(ROUND),
        as_of=AS_OF,
        run_id=RUN_ID,
        scored=scored,
        inputs=_register(),
        input_issues=_input_issues(),
        package_version="0.1.0",
    )
