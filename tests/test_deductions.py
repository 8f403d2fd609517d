"""Late deductions (DOMAIN §3.6; 003's เกณฑ์การหักคะแนน: 0.05 a day, at most 0.25 an item)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from scoring_factories import DUE, ROUND, STD, adjustments, framework, kpi, results, submissions

from kpi_batch.model import DayCount, Rounding, Settings
from kpi_batch.scoring.deductions import days_late, deduct, penalty
from kpi_batch.scoring.score_round import score_round

SETTINGS = Settings("x", 2567)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, "0.0000"),
        (1, "0.0500"),
        (2, "0.1000"),
        (3, "0.1500"),
        (4, "0.2000"),
        (5, "0.2500"),
        (6, "0.2500"),
        (30, "0.2500"),
    ],
)
def test_manual_penalty_table(days: int, expected: str) -> None:
    assert str(penalty(days, SETTINGS)) == expected


def test_calendar_days() -> None:
    due = dt.date(2024, 3, 6)
    assert days_late(dt.date(2024, 3, 6), due) == 0
    assert days_late(dt.date(2024, 3, 1), due) == 0
    assert days_late(dt.date(2024, 3, 9), due) == 3


def test_business_days_skip_weekend_and_holiday() -> None:
    due = dt.date(2024, 4, 5)  # Friday
    # Mon 8 Apr is จักรี day (a holiday), so Tue 9 Apr is the first working day late.
    holidays = [dt.date(2024, 4, 8)]
    assert days_late(dt.date(2024, 4, 7), due, DayCount.BUSINESS, holidays) == 0  # Sunday
    assert days_late(dt.date(2024, 4, 8), due, DayCount.BUSINESS, holidays) == 0
    assert days_late(dt.date(2024, 4, 9), due, DayCount.BUSINESS, holidays) == 1
    assert days_late(dt.date(2024, 4, 12), due, DayCount.BUSINESS, holidays) == 4
    assert days_late(dt.date(2024, 4, 12), due, DayCount.CALENDAR, holidays) == 7


def test_deduct_floors_at_zero_and_rounds() -> None:
    assert str(deduct(Decimal("3.6000"), Decimal("0.25"), 4, Rounding.HALF_UP)) == "3.3500"
    assert str(deduct(Decimal("0.1000"), Decimal("0.25"), 4, Rounding.HALF_UP)) == "0.0000"


def _fw(**settings: object):  # type: ignore[no-untyped-def]
    return framework([kpi("a", STD)], {"u": {"a": 100}}, **settings)


def test_late_submission_in_score_round() -> None:
    fw = _fw()
    out = score_round(
        fw, ROUND, results({("u", "a"): 73}), submissions({"u": DUE + dt.timedelta(days=6)})
    )
    unit = out.unit_scores.iloc[0]
    assert (unit["days_late"], str(unit["deduction"]), str(unit["final_score"])) == (
        6,
        "0.2500",
        "3.3500",
    )
    assert str(unit["pre_appeal_score"]) == "3.3500"  # published before appeals: deduction included


def test_business_day_setting_in_score_round() -> None:
    fw = _fw(late_day_count="business", holidays=[dt.date(2024, 10, 14)])
    # due Mon 7 Oct 2024; Tue 15 Oct: 8,9,10,11 and 15 (14 is a holiday) -> 5 working days
    out = score_round(
        fw, ROUND, results({("u", "a"): 73}), submissions({"u": dt.date(2024, 10, 15)})
    )
    assert out.unit_scores.loc[0, "days_late"] == 5


def test_extra_late_item_and_appeal_of_the_date() -> None:
    fw = _fw()
    adj = adjustments(
        fw,
        ("u", "*", "review", "late_days", 2, "ส่งคู่มือคำรับรองล่าช้า"),
        ("u", "*", "appeal", "submitted_on", dt.date(2024, 10, 7), "ระบบล่ม วันที่ส่งจริง"),
    )
    subs = submissions({"u": dt.date(2024, 10, 10)})  # 3 days late
    out = score_round(fw, ROUND, results({("u", "a"): 73}), subs, adj)
    unit = out.unit_scores.iloc[0]
    # pre-appeal: 0.15 (submission) + 0.10 (manual) ; final: 0 + 0.10
    assert str(unit["pre_appeal_score"]) == "3.3500"
    assert (str(unit["deduction"]), str(unit["final_score"]), unit["days_late"]) == (
        "0.1000",
        "3.5000",
        0,
    )
    items = out.late_items
    assert items[["item", "days", "penalty"]].astype(str).values.tolist() == [
        ["submission", "0", "0.0000"],
        ["adjustment", "2", "0.1000"],
    ]
    assert items.loc[1, "reason"] == "ส่งคู่มือคำรับรองล่าช้า"


def test_deduction_never_below_zero() -> None:
    fw = _fw()
    out = score_round(
        fw, ROUND, results({("u", "a"): 55}), submissions({"u": DUE + dt.timedelta(days=9)})
    )
    assert str(out.unit_scores.loc[0, "final_score"]) == "0.0000"


def test_missing_date_is_not_charged_but_reported() -> None:
    fw = _fw()
    out = score_round(fw, ROUND, results({("u", "a"): 73}), submissions({"u": None}))
    assert str(out.unit_scores.loc[0, "final_score"]) == "3.6000"
    assert [i.code for i in out.issues] == ["date_to_confirm"]
    unit = out.unit_scores.iloc[0]
    assert (unit["date_source"], unit["received_on"], unit["days_late"]) == (
        "date_to_confirm",
        None,
        pd.NA,
    ) or (unit["date_source"] == "date_to_confirm" and pd.isna(unit["days_late"]))
