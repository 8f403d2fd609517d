"""KPI scores, unit totals and subtotals: the manual's worked examples and DOMAIN §3."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from adjustment_factories import write_adjustment_rows
from scoring_factories import (
    DUE,
    LOWER,
    MILESTONE_6M,
    ROUND,
    STD,
    D,
    adjustments,
    framework,
    kpi,
    results,
    submissions,
)

from kpi_batch.adjustments.load import load_adjustments
from kpi_batch.model import BelowLowest, Direction, Formula, KpiType, Method
from kpi_batch.scoring.interpolate import Rule, score_exact
from kpi_batch.scoring.score_round import ScoredRound, score_round


def run(fw, res, subs=None, adj=None) -> ScoredRound:  # type: ignore[no-untyped-def]
    units = [u.unit_id for u in fw.units]
    return score_round(fw, ROUND, res, subs if subs is not None else submissions(units), adj)


def one(criteria, value, **kw) -> pd.Series:  # type: ignore[no-untyped-def]
    """Score a single KPI of a single unit; the KPI's row of kpi_scores."""
    settings = {
        k: kw.pop(k) for k in list(kw) if k in ("below_lowest", "scale", "rounding", "decimals")
    }
    fw = framework([kpi("k", criteria, **kw)], {"u": {"k": 100}}, **settings)
    field = "level" if kw.get("kpi_type") is KpiType.MILESTONE else "value"
    res = results(
        {("u", "k"): value if isinstance(value, dict) or value is None else {field: value}}
    )
    return run(fw, res).kpi_scores.iloc[0]


def s(x: object) -> str:
    return str(x)


# --- the manual's worked examples (003, บัญญัติไตรยางศ์) ---------------------------------


def test_manual_higher_is_better_73() -> None:
    row = one(STD, 73)
    assert s(row["score"]) == "3.6000"
    assert row["explanation"] == (
        "73 อยู่ระหว่าง 70 (3 คะแนน) และ 75 (4 คะแนน) → 3 + (73 − 70) ÷ (75 − 70) = 3.6000"
    )
    assert (row["lower_threshold"], row["lower_point"]) == (Decimal(70), Decimal(3))
    assert (row["upper_threshold"], row["upper_point"]) == (Decimal(75), Decimal(4))


def test_manual_lower_is_better_47() -> None:
    row = one(LOWER, 47, direction=Direction.LOWER)
    assert s(row["score"]) == "4.5000"
    assert "4 + (48 − 47) ÷ (48 − 46) = 4.5000" in row["explanation"]


@pytest.mark.parametrize(
    ("level", "expected"),
    [(1, "1.0000"), (2, "3.0000"), (3, "5.0000"), (2.5, "4.0000"), (1.5, "2.0000")],
)
def test_six_month_milestone_with_gaps(level: float, expected: str) -> None:
    row = one(MILESTONE_6M, level, kpi_type=KpiType.MILESTONE)
    assert s(row["score"]) == expected


def test_six_month_rule_derived_thresholds_44_to_52() -> None:
    # 003: 12-month 88..96 -> 6-month 44/46/48/50/52; 47 -> 2.5
    assert s(one([44, 46, 48, 50, 52], 47)["score"]) == "2.5000"


# --- edges of the line ------------------------------------------------------------------


def test_cap_at_top_point() -> None:
    row = one(STD, 85)
    assert s(row["score"]) == "5.0000"
    assert row["rule"] == "cap"
    assert row["explanation"] == "85 ≥ 80 → 5 คะแนน = 5.0000"


def test_lower_cap() -> None:
    row = one(LOWER, 40, direction=Direction.LOWER)
    assert s(row["score"]) == "5.0000"
    assert row["explanation"].startswith("40 ≤ 46 → 5 คะแนน")


def test_exactly_on_threshold() -> None:
    row = one(STD, 70)
    assert s(row["score"]) == "3.0000"
    assert row["rule"] == "at_point"


@pytest.mark.parametrize(
    ("mode", "value", "expected", "rule"),
    [
        (BelowLowest.ZERO, 55, "0.0000", "below_zero"),
        (BelowLowest.LOWEST, 55, "1.0000", "below_lowest"),
        (BelowLowest.EXTRAPOLATE, 57.5, "0.5000", "extrapolate"),
        (BelowLowest.EXTRAPOLATE, 50, "0.0000", "extrapolate"),  # floored at 0
    ],
)
def test_below_lowest(mode: BelowLowest, value: float, expected: str, rule: str) -> None:
    row = one(STD, value, below_lowest=mode)
    assert (s(row["score"]), row["rule"]) == (expected, rule)
    assert "ไม่ถึงเกณฑ์ต่ำสุด 60" in row["explanation"]


def test_step_method() -> None:
    row = one(STD, 74.9, method=Method.STEP)
    assert (s(row["score"]), row["rule"]) == ("3.0000", "step")
    assert one(STD, 80, method=Method.STEP)["score"] == Decimal("5.0000")
    assert one(STD, 59, method=Method.STEP)["score"] == Decimal("0.0000")


def test_scale_50_75_100() -> None:
    row = one([60, 70, 80], 75, scale=[50, 75, 100])
    assert s(row["score"]) == "87.5000"
    assert "75 + (75 − 70) × (100 − 75) ÷ (80 − 70) = 87.5000" in row["explanation"]
    assert s(one([60, 70, 80], 95, scale=[50, 75, 100])["score"]) == "100.0000"


def test_highest_defined_point_caps_when_top_is_blank() -> None:
    assert s(one([60, 65, 70, 75, None], 90)["score"]) == "4.0000"


def test_ratio_formula() -> None:
    row = one(STD, {"numerator": 11, "denominator": 15}, formula=Formula.RATIO)
    # 73.3333... exactly: 3 + (220/3 - 70)/5 = 3 + 2/3 -> 3.6667
    assert s(row["score"]) == "3.6667"
    assert row["value"] == Decimal("73.3333")  # rounded for display only
    assert row["explanation"].startswith("ร้อยละ 11 ÷ 15 × 100 ≈ 73.33333333…; ")
    assert "3 + (73.33333333… − 70) ÷ (75 − 70) = 3.6667" in row["explanation"]


def test_ratio_explanation_shows_enough_places_to_check_by_hand() -> None:
    # 1301.59 / 2480.17 x 100 = 52.4798703...; shown as 52.4799 it would suggest
    # 4 + 0.4799 / 2 = 4.23995 -> 4.2400, but the exact score is 4.23993... -> 4.2399.
    row = one(
        [46, 48, 50, 52, 54], {"numerator": 1301.59, "denominator": 2480.17}, formula=Formula.RATIO
    )
    assert s(row["score"]) == "4.2399"
    assert "4 + (52.47987033… − 52) ÷ (54 − 52) = 4.2399" in row["explanation"]


def test_exact_ratio_explanation_has_no_ellipsis() -> None:
    row = one(STD, {"numerator": 73, "denominator": 100}, formula=Formula.RATIO)
    assert row["explanation"].startswith("ร้อยละ 73 ÷ 100 × 100 = 73; ")


def test_ratio_with_zero_denominator_is_missing() -> None:
    row = one(STD, {"numerator": 3, "denominator": 0}, formula=Formula.RATIO)
    assert row["status"] == "missing"


# --- rounding traps ---------------------------------------------------------------------


def test_kpi_score_exactly_on_a_half_rounds_up() -> None:
    # 2 + (65.00025 - 65) / 5 = 2.00005 exactly; the float computation gives 2.0000499...
    assert 2 + (65.00025 - 65) / 5 < 2.00005
    assert s(one(STD, 65.00025)["score"]) == "2.0001"
    assert s(one(STD, 65.00025, rounding="half_even")["score"]) == "2.0000"
    assert s(one(STD, 65.00045, rounding="truncate")["score"]) == "2.0000"
    assert s(one(STD, 72.00025)["score"]) == "3.4001"


def test_unit_total_on_a_half_at_the_fifth_decimal() -> None:
    # (10 x 3.5795 + 30 x 3.2805) / 40 = 3.35525 exactly; in floats 3.3552499999999994
    assert (10 * 3.5795 + 30 * 3.2805) / 40 < 3.35525
    ident = [1, 2, 3, 4, 5]
    for mode, expected in [("half_up", "3.3553"), ("half_even", "3.3552"), ("truncate", "3.3552")]:
        fw = framework([kpi("a", ident), kpi("b", ident)], {"u": {"a": 10, "b": 30}}, rounding=mode)
        out = run(fw, results({("u", "a"): 3.5795, ("u", "b"): 3.2805}))
        assert s(out.unit_scores.loc[0, "final_score"]) == expected, mode


def test_total_uses_rounded_kpi_scores() -> None:
    # Each KPI is 3.66666... -> 3.6667; the total is from 3.6667, not from 11/3.
    fw = framework([kpi("a", STD), kpi("b", STD)], {"u": {"a": 1, "b": 2}}, decimals=2)
    out = run(fw, results({("u", "a"): 73.3333, ("u", "b"): 73.3333}))
    assert s(out.kpi_scores.loc[0, "score"]) == "3.67"
    assert s(out.unit_scores.loc[0, "final_score"]) == "3.67"


# --- unit totals, missing, exempt, weights -------------------------------------------------


def test_weights_need_not_sum_to_100() -> None:
    fw = framework([kpi("a", STD), kpi("b", STD)], {"u": {"a": 3, "b": 1}})
    out = run(fw, results({("u", "a"): 73, ("u", "b"): 80}))
    # (3 x 3.6 + 1 x 5) / 4 = 3.95
    assert s(out.unit_scores.loc[0, "final_score"]) == "3.9500"
    assert [s(x) for x in out.kpi_scores["weighted_score"]] == ["2.7000", "1.2500"]


def test_missing_result_scores_zero_and_is_listed() -> None:
    fw = framework([kpi("a", STD), kpi("b", STD)], {"u": {"a": 50, "b": 50}})
    out = run(fw, results({("u", "a"): 73}))  # no row at all for b
    row = out.kpi_scores.set_index("kpi_id").loc["b"]
    assert (s(row["score"]), row["status"]) == ("0.0000", "missing")
    assert row["explanation"] == "ไม่รายงานผล → 0 = 0.0000"
    assert out.missing[["unit_id", "kpi_id"]].values.tolist() == [["u", "b"]]
    assert s(out.unit_scores.loc[0, "final_score"]) == "1.8000"
    assert out.unit_scores.loc[0, "n_missing"] == 1


def test_exempt_kpi_is_dropped_and_weights_renormalised() -> None:
    # 1.2.1 "no issue assigned": the KPI owner exempts it; the rest count 100 %.
    fw = framework(
        [kpi("1.1", STD), kpi("1.2.1", [1, 2, 3, 4, 5], kpi_type=KpiType.MILESTONE)],
        {"u": {"1.1": 75, "1.2.1": 25}},
    )
    adj = adjustments(fw, ("u", "1.2.1", "review", "exempt", "1", "ไม่ได้รับมอบหมายประเด็นข่าว"))
    out = run(fw, results({("u", "1.1"): 73}), adj=adj)
    row = out.kpi_scores.set_index("kpi_id").loc["1.2.1"]
    assert row["status"] == "exempt" and row["score"] is None and row["weighted_score"] is None
    assert "ยกเว้นการประเมิน" in row["explanation"]
    assert s(out.unit_scores.loc[0, "final_score"]) == "3.6000"
    assert s(out.kpi_scores.set_index("kpi_id").loc["1.1", "weighted_score"]) == "3.6000"
    assert out.missing.empty


def test_subtotals_per_parent_and_component() -> None:
    fw = framework(
        [
            kpi("1.1.1", STD, parent_id="1.1", component="PB"),
            kpi("1.1.2", STD, parent_id="1.1", component="PB"),
            kpi("2.1", STD, parent_id="2", component="PoB"),
        ],
        {"u": {"1.1.1": 20, "1.1.2": 30, "2.1": 50}},
        parents={"1": ("มิติที่ 1", None), "1.1": ("ตัวชี้วัด 1.1", "1"), "2": ("มิติที่ 2", None)},
    )
    out = run(fw, results({("u", "1.1.1"): 73, ("u", "1.1.2"): 80, ("u", "2.1"): 65}))
    sub = out.subtotals.set_index(["level", "group_id"])
    # 1.1: (20 x 3.6 + 30 x 5) / 50 = 4.44; its parent 1 has the same leaves
    assert s(sub.loc[("parent", "1.1"), "score"]) == "4.4400"
    assert s(sub.loc[("parent", "1"), "score"]) == "4.4400"
    assert s(sub.loc[("parent", "1.1"), "weight"]) == "50"
    assert sub.loc[("parent", "1.1"), "name"] == "ตัวชี้วัด 1.1"
    assert s(sub.loc[("component", "PB"), "score"]) == "4.4400"
    assert s(sub.loc[("component", "PoB"), "score"]) == "2.0000"
    assert s(out.unit_scores.loc[0, "final_score"]) == "3.2200"


# --- adjustments --------------------------------------------------------------------------


def test_review_and_appeal_scores_both_kept() -> None:
    fw = framework([kpi("a", STD), kpi("b", STD)], {"u": {"a": 50, "b": 50}})
    adj = adjustments(
        fw,
        ("u", "a", "review", "value", 75, "ตรวจหลักฐานแล้ว"),
        ("u", "b", "appeal", "value", 80, "อุทธรณ์ผ่าน"),
    )
    out = run(fw, results({("u", "a"): 73, ("u", "b"): 70}), adj=adj)
    unit = out.unit_scores.iloc[0]
    assert s(unit["pre_appeal_score"]) == "3.5000"  # (4 + 3) / 2
    assert s(unit["final_score"]) == "4.5000"  # (4 + 5) / 2
    kpis = out.kpi_scores.set_index("kpi_id")
    assert (s(kpis.loc["b", "pre_appeal_score"]), s(kpis.loc["b", "score"])) == ("3.0000", "5.0000")
    assert "ทบทวน: value 73 → 75 (ตรวจหลักฐานแล้ว)" in kpis.loc["a", "explanation"]
    assert "อุทธรณ์: value 70 → 80" in kpis.loc["b", "explanation"]
    applied = out.adjustments
    assert applied[["stage", "kpi_id", "old_value", "new_value"]].values.tolist() == [
        ["review", "a", "73", "75"],
        ["appeal", "b", "70", "80"],
    ]
    assert applied["row"].tolist() == [2, 3] and set(applied["reason"]) == {
        "ตรวจหลักฐานแล้ว",
        "อุทธรณ์ผ่าน",
    }


def test_score_set_directly() -> None:
    fw = framework([kpi("a", STD)], {"u": {"a": 100}})
    adj = adjustments(fw, ("u", "a", "review", "score", "3.5", "เจ้าภาพตัวชี้วัดพิจารณา"))
    row = run(fw, results({("u", "a"): 73}), adj=adj).kpi_scores.iloc[0]
    assert (s(row["score"]), row["status"], row["rule"]) == ("3.5000", "set", "set")
    assert "คะแนนกำหนดโดยการปรับปรุงผล = 3.5000" in row["explanation"]


def test_refused_rows_are_reported_once_by_the_reader(tmp_path: Path) -> None:
    """The reader judges every row; scoring neither sees nor reports the refused ones."""
    fw = framework([kpi("a", STD)], {"u": {"a": 100}})
    path = write_adjustment_rows(
        tmp_path / "adjustments.xlsx",
        [
            ("u", "zz", "review", "value", 75, "x", ""),
            ("u", "a", "review", "value", "abc", "x", ""),
            ("u", "*", "review", "score", 5, "ใช้ * กับคะแนนไม่ได้", ""),
            ("u", "a", "appeal", "value", "", "ล้างค่า", ""),
        ],
    )
    adj, read_issues = load_adjustments(path, fw)
    assert [(i.code, i.where) for i in read_issues] == [
        ("adjustment_unknown_kpi", "adjustments!B2"),
        ("adjustment_bad_number", "adjustments!E3"),
        ("adjustment_whole_unit_not_allowed", "adjustments!B4"),
        ("adjustment_value_missing", "adjustments!E5"),
    ]
    out = run(fw, results({("u", "a"): 73}), adj=adj)
    assert out.issues == () and out.adjustments.empty
    assert s(out.unit_scores.loc[0, "final_score"]) == "3.6000"


def test_adjustment_for_a_unit_without_accepted_submission_is_a_warning_at_its_row() -> None:
    fw = framework([kpi("a", STD)], {"u1": {"a": 1}, "u2": {"a": 1}, "u3": {"a": 1}})
    adj = adjustments(
        fw,
        ("u1", "a", "review", "value", 75, "ตรวจหลักฐานแล้ว"),
        ("u2", "a", "review", "value", 80, "ไฟล์ถูกปฏิเสธ"),
        ("u3", "*", "appeal", "submitted_on", "7/10/2567", "ไม่ได้ส่ง"),
    )
    subs = pd.DataFrame(
        {"unit_id": ["u1", "u2"], "status": ["accepted", "rejected"], "submitted_on": [DUE, DUE]}
    )
    out = run(fw, results({("u1", "a"): 73, ("u2", "a"): 70}), subs, adj)
    assert [(i.code, i.severity, i.where, i.unit_id) for i in out.issues] == [
        ("adjustment_unit_not_scored", "warning", "adjustments!3:3", "u2"),
        ("adjustment_unit_not_scored", "warning", "adjustments!4:4", "u3"),
    ]
    assert "ในแถว 3" in out.issues[0].message_th
    assert out.adjustments[["unit_id", "row"]].values.tolist() == [["u1", 2]]
    units = out.unit_scores.set_index("unit_id")
    assert s(units.loc["u1", "final_score"]) == "4.0000"
    assert units["status"].to_dict() == {"u1": "scored", "u2": "rejected", "u3": "missing"}
    assert set(out.kpi_scores["unit_id"]) == {"u1"}


def test_review_sets_value_and_submission_date() -> None:
    fw = framework([kpi("a", STD)], {"u": {"a": 100}})
    adj = adjustments(
        fw,
        ("u", "a", "review", "value", 75, "r"),
        ("u", "*", "review", "submitted_on", "9 ต.ค. 2567", "r"),
    )
    out = run(fw, results({("u", "a"): 73}), adj=adj)
    unit = out.unit_scores.iloc[0]
    assert (s(unit["final_score"]), s(unit["deduction"]), unit["days_late"]) == (
        "3.9000",
        "0.1000",
        2,
    )
    assert out.adjustments[["field", "old_value", "new_value"]].values.tolist() == [
        ["value", "73", "75"],
        ["submitted_on", "2024-10-07", "2024-10-09"],
    ]


def test_a_frame_not_read_against_the_framework_is_refused() -> None:
    fw = framework([kpi("a", STD)], {"u": {"a": 100}})
    other = framework([kpi("a", STD), kpi("b", STD)], {"u": {"a": 50, "b": 50}})
    adj = adjustments(other, ("u", "b", "review", "value", 75, "r"))
    with pytest.raises(ValueError, match="not in the agreement"):
        run(fw, results({("u", "a"): 73}), adj=adj)


# --- units without submissions, rows outside the agreement ---------------------------------


def test_units_without_accepted_submission_are_unscored() -> None:
    fw = framework([kpi("a", STD)], {"u1": {"a": 1}, "u2": {"a": 1}, "u3": {"a": 1}})
    subs = pd.DataFrame(
        {"unit_id": ["u1", "u2"], "status": ["accepted", "rejected"], "submitted_on": [DUE, DUE]}
    )
    out = run(fw, results({("u1", "a"): 73, ("u2", "a"): 80}), subs)
    units = out.unit_scores.set_index("unit_id")
    assert units["status"].to_dict() == {"u1": "scored", "u2": "rejected", "u3": "missing"}
    assert units.loc["u2", "final_score"] is None and pd.isna(units.loc["u2", "rank"])
    assert set(out.kpi_scores["unit_id"]) == {"u1"}


def test_result_outside_agreement_is_an_issue() -> None:
    fw = framework([kpi("a", STD)], {"u": {"a": 1}})
    out = run(fw, results({("u", "a"): 73, ("u", "x"): 1}))
    assert [i.code for i in out.issues] == ["result_not_in_agreement"]


def test_hr_columns_first_in_domain_order() -> None:
    from kpi_batch.schemas.scoring import HR_COLUMNS, KPI_SCORE_COLUMNS

    fw = framework([kpi("a", STD)], {"u": {"a": 1}})
    out = run(fw, results({("u", "a"): 73}))
    assert tuple(out.unit_scores.columns[: len(HR_COLUMNS)]) == HR_COLUMNS
    assert tuple(out.kpi_scores.columns[: len(KPI_SCORE_COLUMNS)]) == KPI_SCORE_COLUMNS


# --- the exact reference path ---------------------------------------------------------------


def test_score_exact_examples() -> None:
    pairs = [(D(t), D(p)) for t, p in zip(STD, [1, 2, 3, 4, 5], strict=True)]
    out = score_exact(Fraction(73), pairs, Direction.HIGHER)  # type: ignore[arg-type]
    assert (out.rule, out.raw) == (Rule.INTERPOLATE, Fraction(18, 5))
    lower = [(D(t), D(p)) for t, p in zip(LOWER, [1, 2, 3, 4, 5], strict=True)]
    assert score_exact(Fraction(47), lower, Direction.LOWER).raw == Fraction(9, 2)  # type: ignore[arg-type]
    assert score_exact(Fraction(1), [], Direction.HIGHER).rule is Rule.NO_CRITERIA


def test_appeal_takes_back_a_review_exemption() -> None:
    fw = framework([kpi("a", STD), kpi("b", STD)], {"u": {"a": 50, "b": 50}})
    adj = adjustments(
        fw,
        ("u", "b", "review", "exempt", "1", "ไม่มีประเด็น"),
        ("u", "b", "appeal", "exempt", "0", "มีประเด็นจริง"),
    )
    out = run(fw, results({("u", "a"): 73, ("u", "b"): 80}), adj=adj)
    unit = out.unit_scores.iloc[0]
    assert (s(unit["pre_appeal_score"]), s(unit["final_score"])) == ("3.6000", "4.3000")
    kpis = out.kpi_scores.set_index("kpi_id")
    assert kpis.loc["b", "pre_appeal_score"] is None and s(kpis.loc["b", "score"]) == "5.0000"
    assert out.issues == ()
    assert out.adjustments[["stage", "old_value", "new_value"]].values.tolist() == [
        ["review", "0", "1"],
        ["appeal", "1", "0"],
    ]
