"""A small scored round for the executive workbook tests, made with the real `score_round`.

Nine units in three clusters, four KPIs (higher, lower, milestone, and one only some units
signed). What each unit shows:
- U03 scores exactly 3.0000 (every KPI at its level-3 threshold): the share at target
  counts it;
- U02's name is a formula (`=HYPERLINK(...)`): it must stay text;
- U05 is 3 days late (deduction 0.15); U06 sent nothing; U07 sent only a rejected file;
- U01 appealed KPI 1.1 (value 72 -> 75): its final score differs from the pre-appeal one;
- U04 is exempt from KPI 1.2 (a review), so its heatmap cell says so;
- with `history=True`, two earlier monthly runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pandas as pd

from kpi_batch.model import Cluster, Direction, Framework, KpiType
from kpi_batch.run_record import RunRecord
from kpi_batch.scoring.score_round import score_round
from tests.adjustment_factories import reader_frame
from tests.scoring_factories import DUE, LOWER, ROUND, STD, UnitSpec, framework, kpi, results

FORMULA_NAME = '=HYPERLINK("http://x","y")'
RUN_ID = "2567/r12/2024-10-10_1"
AS_OF = dt.date(2024, 10, 10)
CLUSTERS = (
    Cluster("c1", "กลุ่มงานบริหาร"),
    Cluster("c2", "กลุ่มศูนย์อนามัย"),
    Cluster("c3", "กลุ่มสถาบันและกองวิชาการ"),
)
BANDS = [("A", "ดีเด่น", 4.5), ("B", "ดีมาก", 4), ("C", "ดี", 3), ("D", "ต้องปรับปรุง", 0)]
ALL4 = {"1.1": 25, "1.2": 25, "2.1": 25, "2.2": 25}
THREE = {"1.1": 30, "1.2": 30, "2.1": 40}
UNITS = [
    UnitSpec("U01", THREE, "c1", "กองแผนงาน"),
    UnitSpec("U02", {"1.1": 50, "2.1": 50}, "c1", FORMULA_NAME),
    UnitSpec("U03", ALL4, "c1", "สำนักส่งเสริมสุขภาพ"),
    UnitSpec("U04", ALL4, "c2", "ศูนย์อนามัยที่ 1 เชียงใหม่"),
    UnitSpec("U05", THREE, "c2", "ศูนย์อนามัยที่ 2 พิษณุโลก"),
    UnitSpec("U06", THREE, "c2", "ศูนย์อนามัยที่ 3 นครสวรรค์"),
    UnitSpec("U07", THREE, "c3", "สถาบันพัฒนาสุขภาวะเขตเมือง"),
    UnitSpec("U08", ALL4, "c3", "กองโภชนาการ"),
    UnitSpec("U09", THREE, "c3", "กองกิจกรรมทางกายเพื่อสุขภาพ"),
]
VALUES: dict[str, dict[str, float]] = {
    "U01": {"1.1": 72, "1.2": 49, "2.1": 4},
    "U02": {"1.1": 80, "2.1": 5},
    "U03": {"1.1": 70, "1.2": 50, "2.1": 3, "2.2": 70},  # exactly 3.0000
    "U04": {"1.1": 78, "1.2": 47, "2.1": 4.5, "2.2": 66},
    "U05": {"1.1": 75, "1.2": 52, "2.1": 3},
    "U08": {"1.1": 62, "1.2": 55, "2.1": 2},  # 2.2 left empty: missing, score 0
    "U09": {"1.1": 90, "1.2": 46, "2.1": 5},
}
SENT = {"U01": DUE, "U02": DUE, "U03": DUE, "U04": DUE - dt.timedelta(days=2),
        "U05": DUE + dt.timedelta(days=3), "U08": DUE, "U09": DUE}  # fmt: skip


def sample_framework() -> Framework:
    fw = framework(
        [
            kpi("1.1", STD, name="ร้อยละของผู้รับบริการที่พึงพอใจ"),
            kpi("1.2", LOWER, direction=Direction.LOWER, name="ระยะเวลาเฉลี่ยในการให้บริการ (นาที)"),
            kpi("2.1", [1, 2, 3, 4, 5], kpi_type=KpiType.MILESTONE,
                name="ระดับความสำเร็จของการพัฒนาองค์กรสู่ระบบราชการ 4.0"),
            kpi("2.2", STD, name="ร้อยละของบุคลากรที่ได้รับการพัฒนาตามแผน"),
        ],
        UNITS,
        bands=BANDS,
    )  # fmt: skip
    settings = replace(fw.settings, organisation="กรมอนามัย")
    return replace(fw, clusters=CLUSTERS, settings=settings)


def sample_results() -> pd.DataFrame:
    rows: dict[tuple[str, str], object] = {}
    for unit, values in VALUES.items():
        for kpi_id, v in values.items():
            rows[(unit, kpi_id)] = {"level": v} if kpi_id == "2.1" else v
    return results(rows)  # type: ignore[arg-type]


def sample_submissions() -> pd.DataFrame:
    rows = [(u, "accepted", d) for u, d in SENT.items()] + [("U07", "rejected", None)]
    return pd.DataFrame(rows, columns=["unit_id", "status", "submitted_on"])


def sample_adjustments(fw: Framework, appeals: bool = True) -> pd.DataFrame:
    """The adjustments reader's frame (as the pipeline hands it to scoring)."""
    rows = [("U04", "1.2", "review", "exempt", "1", "ไม่มีงานบริการที่ต้องวัดในปีนี้",
             "บันทึก กพร. ที่ 12/2567")]  # fmt: skip
    if appeals:
        rows.append(("U01", "1.1", "appeal", "value", "75",
                     "ส่งหลักฐานผลสำรวจเพิ่มเติม", "หนังสือ สธ 0901/456"))  # fmt: skip
    return reader_frame(fw, rows)


def sample_register() -> pd.DataFrame:
    files = [
        (f"inbox/{u}.xlsx", u, "accepted", 0, 0, "") for u in SENT if u != "U05"
    ] + [
        ("inbox/U05_old.xlsx", "U05", "superseded", 0, 0, "มีไฟล์ฉบับใหม่กว่า"),
        ("inbox/U05.xlsx", "U05", "accepted_with_warnings", 0, 1, ""),
        ("inbox/U07.xlsx", "U07", "rejected", 2,  0,
         "แบบฟอร์มเก่า โปรดใช้แบบฟอร์มใหม่ (template_outdated)"),
    ]  # fmt: skip
    return pd.DataFrame(
        [(p, f"{i:064x}", 1000 + i, u, st, e, w, r) for i, (p, u, st, e, w, r) in enumerate(files)],
        columns=["path", "sha256", "size", "unit_id", "status", "errors", "warnings", "reasons"],
    )


def sample_history() -> pd.DataFrame:
    runs = [("2567/r12/2024-08-10_1", dt.date(2024, 8, 10)),
            ("2567/r12/2024-09-10_1", dt.date(2024, 9, 10))]  # fmt: skip
    scores = {
        "U01": ("3.2000", "3.4500"), "U02": ("4.1000", "4.3000"), "U03": ("2.8000", "2.9500"),
        "U04": ("3.9000", "4.0500"), "U05": ("2.5000", None), "U06": (None, None),
        "U07": ("1.8000", "2.1000"), "U08": ("1.9000", "2.0000"), "U09": ("4.4000", "4.6000"),
    }  # fmt: skip
    rows = []
    for i, (run_id, as_of) in enumerate(runs):
        for unit, per in scores.items():
            rows.append((run_id, as_of, ROUND, unit, per[i], None))
    return pd.DataFrame(
        rows, columns=["run_id", "as_of", "round_id", "unit_id", "final_score", "rank"]
    )


def sample_context(history: bool = True, appeals: bool = True) -> RunRecord:
    fw = sample_framework()
    adjustments: Any = sample_adjustments(fw, appeals)
    scored = score_round(fw, ROUND, sample_results(), sample_submissions(), adjustments)
    return RunRecord(
        framework=fw,
        round=fw.round(ROUND),
        as_of=AS_OF,
        run_id=RUN_ID,
        scored=scored,
        inputs=sample_register(),
        history=sample_history() if history else None,
        package_version="0.1.0",
    )
