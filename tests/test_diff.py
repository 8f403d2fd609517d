"""Run-to-run differences on hand-made frames: what moved, by how much, and why (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import pandas as pd

from kpi_batch.history.diff import RunScores, UnitDiff, diff_runs

UNIT_COLS = ["unit_id", "unit_name", "final_score", "rank", "band", "status"]
KPI_COLS = ["unit_id", "kpi_id", "value", "score", "weight", "weighted_score", "status"]
LATE_COLS = ["unit_id", "item", "days", "penalty", "stage", "reason"]
ADJ_COLS = ["stage", "unit_id", "kpi_id", "field", "old_value", "new_value", "reason"]


def D(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def run(
    run_id: str,
    units: Sequence[tuple[object, ...]],
    kpis: Sequence[tuple[object, ...]] = (),
    late: Sequence[tuple[object, ...]] = (),
    adjustments: Sequence[tuple[object, ...]] = (),
) -> RunScores:
    def frame(rows: Sequence[tuple[object, ...]], columns: list[str]) -> pd.DataFrame:
        converted = [
            tuple(
                D(v) if isinstance(v, str) and c in DECIMALS else v
                for v, c in zip(r, columns, strict=True)
            )
            for r in rows
        ]
        return pd.DataFrame(converted, columns=columns)

    units_frame = frame(units, UNIT_COLS)
    units_frame["rank"] = units_frame["rank"].astype("Int64")
    return RunScores(
        run_id,
        dt.date(2024, 2, 20) if run_id.endswith("a") else dt.date(2024, 3, 15),
        units_frame,
        frame(kpis, KPI_COLS),
        frame(late, LATE_COLS),
        frame(adjustments, ADJ_COLS),
    )


DECIMALS = {"final_score", "value", "score", "weight", "weighted_score", "penalty"}


def kpi_row(
    unit: str, kpi: str, value: str | None, score: str | None, weighted: str | None,
    status: str = "scored",
) -> tuple[object, ...]:  # fmt: skip
    return (unit, kpi, value, score, "50.0000", weighted, status)


def by_unit(diff: Sequence[UnitDiff]) -> dict[str, UnitDiff]:
    return {u.unit_id: u for u in diff}


# The example from the issue: U01 falls from 2nd to 5th: its submission was 5 days late
# (−0.25) and KPI 1.1.3 went from 82 to 74.
BEFORE = run(
    "2567/R1/a",
    [("U02", "กองคลัง", "4.5000", 1, "A", "scored"),
     ("U01", "กองแผนงาน", "4.2000", 2, "B", "scored"),
     ("U03", "สำนักโภชนาการ", "4.1000", 3, "B", "scored"),
     ("U04", "ศูนย์อนามัยที่ 1", "4.0000", 4, "B", "scored"),
     ("U05", "ศูนย์อนามัยที่ 2", "3.9000", 5, "C", "scored"),
     ("U06", "ศูนย์อนามัยที่ 3", None, None, None, "missing")],
    [kpi_row("U01", "1.1.3", "82.0000", "4.4000", "2.2000"),
     kpi_row("U01", "2", "3.0000", "3.0000", "1.5000"),
     kpi_row("U02", "2", "4.5000", "4.5000", "2.2500"),
     kpi_row("U03", "2", "4.1000", "4.1000", "2.0500")],
    [("U01", "submission", 0, "0.0000", "", ""),
     ("U03", "submission", 2, "0.1000", "", "")],
)  # fmt: skip
AFTER = run(
    "2567/R1/b",
    [("U02", "กองคลัง", "4.5000", 1, "A", "scored"),
     ("U03", "สำนักโภชนาการ", "4.2000", 2, "B", "scored"),
     ("U04", "ศูนย์อนามัยที่ 1", "4.0000", 3, "B", "scored"),
     ("U06", "ศูนย์อนามัยที่ 3", "3.9500", 4, "C", "scored"),
     ("U01", "กองแผนงาน", "3.5500", 5, "C", "scored"),
     ("U05", "ศูนย์อนามัยที่ 2", "3.5000", 6, "C", "scored")],
    [kpi_row("U01", "1.1.3", "74.0000", "4.0000", "2.0000"),
     kpi_row("U01", "2", "3.0000", "3.0000", "1.5000"),
     kpi_row("U02", "2", "4.5000", "4.5000", "2.2500"),
     kpi_row("U03", "2", "4.1000", "4.1000", "2.0500")],
    [("U01", "submission", 5, "0.2500", "", ""),
     ("U03", "submission", 0, "0.0000", "", "")],
)  # fmt: skip


def test_the_issue_example_names_rank_deduction_and_value() -> None:
    u01 = by_unit(diff_runs(BEFORE, AFTER).units)["U01"]
    assert u01.rank_move == -3
    assert u01.change == Decimal("-0.6500")
    assert u01.text() == (
        "อันดับ −3 (2 → 5), คะแนน −0.6500 (4.2000 → 3.5500), กลุ่มคะแนน B → C: "
        "หักคะแนนส่งช้า −0.25 (ส่งรายงานช้า 5 วัน); ตัวชี้วัด 1.1.3 ผล 82 → 74 (คะแนน 4.4000 → 4.0000)"
    )


def test_reasons_are_ordered_by_how_much_they_moved_the_score() -> None:
    # The deduction (0.25) moved U01 more than KPI 1.1.3 (weighted 2.2 -> 2.0): first.
    u01 = by_unit(diff_runs(BEFORE, AFTER).units)["U01"]
    assert [r.kind for r in u01.reasons] == ["deduction", "kpi"]
    assert [r.impact for r in u01.reasons] == [Decimal("-0.2500"), Decimal("-0.2000")]


def test_status_change_comes_first_then_largest_movement() -> None:
    diff = diff_runs(BEFORE, AFTER)
    assert [u.unit_id for u in diff.units] == ["U06", "U01", "U05", "U03", "U04"]
    u06 = diff.units[0]
    assert u06.text() == (
        "อันดับ - → 4, คะแนน ว่าง → 3.9500: สถานะ ไม่ได้ส่ง → คิดคะแนนแล้ว (missing → scored)"
    )
    assert diff.unchanged == 1  # U02


def test_deduction_that_went_away_is_given_back() -> None:
    u03 = by_unit(diff_runs(BEFORE, AFTER).units)["U03"]
    assert u03.reasons[0].text == "ยกเลิกหักคะแนนส่งช้า +0.1 (เดิม ส่งรายงานช้า 2 วัน)"
    assert u03.rank_move == 1


def test_rank_moved_by_others_only() -> None:
    u04 = by_unit(diff_runs(BEFORE, AFTER).units)["U04"]
    assert u04.change is None or u04.change == 0
    assert u04.text() == (
        "อันดับ +1 (4 → 3): คะแนนเท่าเดิม อันดับเปลี่ยนตามหน่วยงานอื่น (score unchanged; other units moved)"
    )


def test_score_change_without_kpi_rows_says_so() -> None:
    u05 = by_unit(diff_runs(BEFORE, AFTER).units)["U05"]
    assert "ไม่พบการเปลี่ยนแปลงรายตัวชี้วัด" in u05.text()


def test_same_run_twice_has_no_differences() -> None:
    diff = diff_runs(AFTER, AFTER)
    assert diff.units == ()
    assert diff.unchanged == 6


def test_changed_deduction_and_appeal_and_exempt() -> None:
    a = run(
        "x/a",
        [("U01", "กอง", "3.0000", 1, None, "scored")],
        [kpi_row("U01", "1", "70.0000", "3.0000", "1.5000"),
         kpi_row("U01", "2", "4.0000", "4.0000", "2.0000"),
         kpi_row("U01", "3", "50.0000", None, None, "exempt")],
        [("U01", "submission", 2, "0.1000", "", ""),
         ("U01", "adjustment", 1, "0.0500", "review", "ส่งคู่มือล่าช้า")],
    )  # fmt: skip
    b = run(
        "x/b",
        [("U01", "กอง", "3.1000", 1, None, "scored")],
        [kpi_row("U01", "1", "70.0000", "3.0000", "1.5000"),
         kpi_row("U01", "2", "4.0000", "4.5000", "2.2500", "set"),
         kpi_row("U01", "3", "55.0000", None, None, "exempt")],
        [("U01", "submission", 9, "0.2500", "", ""),
         ("U01", "adjustment", 1, "0.0500", "review", "ส่งคู่มือล่าช้า")],
        [("appeal", "U01", "2", "score", "4", "4.5", "คณะกรรมการเห็นชอบ")],
    )  # fmt: skip
    (u01,) = diff_runs(a, b).units
    assert [r.text for r in u01.reasons] == [
        "ตัวชี้วัด 2 กำหนดคะแนนโดยเจ้าภาพ/คณะกรรมการ คะแนน 4.0000 → 4.5000",
        "หักคะแนนส่งช้า −0.1 → −0.25 (ส่งรายงานช้า 2 → 9 วัน)",
        "ตัวชี้วัด 3 ผล 50 → 55 (ได้รับยกเว้น)",
        "อุทธรณ์: ตัวชี้วัด 2 คะแนน → 4.5 (คณะกรรมการเห็นชอบ)",
    ]
    assert u01.headline() == "คะแนน +0.1000 (3.0000 → 3.1000)"


def test_withdrawn_appeal_and_kpi_that_went_missing() -> None:
    a = run(
        "x/a",
        [("U01", "กอง", "3.5000", 1, None, "scored")],
        [kpi_row("U01", "1", "100.0000", "5.0000", "2.5000")],
        adjustments=[("appeal", "U01", "*", "submitted_on", "", "2024-03-06", "ส่งทัน")],
    )
    b = run(
        "x/b",
        [("U01", "กอง", "1.0000", 1, None, "scored")],
        [kpi_row("U01", "1", None, "0.0000", "0.0000", "missing")],
    )
    (u01,) = diff_runs(a, b).units
    assert [r.text for r in u01.reasons] == [
        "ตัวชี้วัด 1 ไม่รายงานผล ผล 100 → ว่าง (คะแนน 5.0000 → 0.0000)",
        "ยกเลิกอุทธรณ์: ทั้งหน่วยงาน วันที่ส่ง 2024-03-06",
    ]


def test_unit_only_in_one_run() -> None:
    a = run("x/a", [("U01", "กอง", "3.0000", 1, None, "scored")])
    b = run("x/b", [("U02", "กองใหม่", "4.0000", 1, None, "scored")])
    diff = diff_runs(a, b)
    assert [(u.unit_id, u.status_a, u.status_b) for u in diff.units] == [
        ("U02", None, "scored"),
        ("U01", "scored", None),
    ]
    assert "ไม่อยู่ในการประมวลผล → คิดคะแนนแล้ว" in diff.units[0].text()
