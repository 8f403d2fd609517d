"""What units are told about resubmitting and lateness agrees with the deduction charged."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from types import MappingProxyType

import pytest
from scoring_factories import ROUND, STD, framework, kpi, results, submissions

from kpi_batch.model import Framework
from kpi_batch.scoring.late_terms import first_charged_day, resubmit_terms, running_penalty
from kpi_batch.scoring.score_round import score_round

WED_6_MAR = dt.date(2024, 3, 6)
FRI_8_MAR = dt.date(2024, 3, 8)
SUN_10_MAR = dt.date(2024, 3, 10)


def _fw(due: dt.date, extra: dict[str, str] | None = None, **settings: object) -> Framework:
    fw = framework([kpi("a", STD)], {"u": {"a": 100}}, **settings)
    rounds = tuple(
        dataclasses.replace(r, due_date=due) if r.round_id == ROUND else r for r in fw.rounds
    )
    st = dataclasses.replace(fw.settings, extra=MappingProxyType(dict(extra or {})))
    return dataclasses.replace(fw, rounds=rounds, settings=st)


def _charged(fw: Framework, received: dt.date) -> int:
    out = score_round(fw, ROUND, results({("u", "a"): 73}), submissions({"u": received}))
    return int(out.unit_scores.iloc[0]["days_late"])


@pytest.mark.parametrize(
    ("due", "count", "first"),
    [
        (WED_6_MAR, "calendar", dt.date(2024, 3, 7)),
        (SUN_10_MAR, "calendar", dt.date(2024, 3, 12)),  # rolled to Mon 11: Tue 12 is late
        (SUN_10_MAR, "business", dt.date(2024, 3, 12)),
        (FRI_8_MAR, "business", dt.date(2024, 3, 11)),  # the weekend is not counted
        (FRI_8_MAR, "calendar", dt.date(2024, 3, 9)),
    ],
)
def test_penalty_runs_from_the_first_day_the_run_charges(
    due: dt.date, count: str, first: dt.date
) -> None:
    fw = _fw(due, late_day_count=count)
    assert first_charged_day(fw, ROUND) == first
    assert _charged(fw, first) == 1
    assert _charged(fw, first - dt.timedelta(days=1)) == 0


def test_terms_without_a_closing_date_say_the_next_run_scores_it() -> None:
    terms = resubmit_terms(_fw(SUN_10_MAR), ROUND, dt.date(2024, 3, 15))
    assert terms.still_open and terms.closes is None
    assert terms.accepted_th == "ยังรับไฟล์ที่แก้ไขแล้ว และจะคิดคะแนนใหม่ในการประมวลผลครั้งถัดไป"
    assert terms.penalty_th.startswith(
        "กำหนดส่ง 11 มี.ค. 2567 (เลื่อนจาก 10 มี.ค. 2567 ซึ่งตรงกับวันหยุด) "
        "ไฟล์ที่ได้รับตั้งแต่วันที่ 12 มี.ค. 2567 หักคะแนนส่งล่าช้าวันละ 0.05 ไม่เกิน 0.25 คะแนน"
    )


def test_round_closing_date_wins_and_a_past_one_says_closed() -> None:
    extra = {"resubmit_deadline": "31 มี.ค. 2567", f"resubmit_deadline_{ROUND}": "20 มี.ค. 2567"}
    fw = _fw(WED_6_MAR, extra, late_day_count="business")
    open_ = resubmit_terms(fw, ROUND, dt.date(2024, 3, 20))
    assert open_.accepted_th.startswith("รับไฟล์ที่แก้ไขแล้วถึงวันที่ 20 มี.ค. 2567")
    assert "วันทำการละ 0.05" in open_.penalty_th and "ตั้งแต่วันที่ 7 มี.ค. 2567" in open_.penalty_th
    closed = resubmit_terms(fw, ROUND, dt.date(2024, 3, 21))
    assert not closed.still_open
    assert closed.accepted_th.startswith("ปิดรับไฟล์ที่แก้ไขแล้วของรอบนี้แล้วเมื่อวันที่ 20 มี.ค. 2567")
    assert closed.accepted_first_th.startswith("ปิดรับแบบรายงานผลของหน่วยงานของรอบนี้แล้ว")


def test_running_penalty_before_on_and_after_the_due_date() -> None:
    fw = _fw(WED_6_MAR)
    before = running_penalty(fw, ROUND, dt.date(2024, 3, 4))
    assert (before.late, before.days_left, before.deduction) == (False, 2, Decimal("0"))
    assert before.cap_day == dt.date(2024, 3, 11)  # 5 days x 0.05 = 0.25
    on = running_penalty(fw, ROUND, WED_6_MAR)
    assert (on.late, on.days_left) == (False, 0)
    late = running_penalty(fw, ROUND, dt.date(2024, 3, 9))
    assert (late.days, late.deduction, late.capped) == (3, Decimal("0.1500"), False)
    assert late.growth_th == (
        "หักเพิ่มวันละ 0.05 คะแนน จนถึงสูงสุด 0.25 คะแนน (ครบ 0.25 คะแนนเมื่อได้รับวันที่ 11 มี.ค. 2567)"
    )
    capped = running_penalty(fw, ROUND, dt.date(2024, 3, 20))
    assert capped.capped and capped.deduction == Decimal("0.2500") and capped.days == 14
    assert capped.growth_th.startswith("การหักคะแนนถึงอัตราสูงสุด 0.25 คะแนนแล้ว")


def test_running_penalty_matches_the_charge_in_business_days() -> None:
    fw = _fw(FRI_8_MAR, late_day_count="business")
    for day in (dt.date(2024, 3, 9), dt.date(2024, 3, 11), dt.date(2024, 3, 13)):
        assert running_penalty(fw, ROUND, day).days == _charged(fw, day)
    assert running_penalty(fw, ROUND, dt.date(2024, 3, 11)).cap_day == dt.date(2024, 3, 15)


def test_the_short_form_for_fix_lines() -> None:
    fw = _fw(WED_6_MAR, {"resubmit_deadline": "20 มี.ค. 2567"})
    assert resubmit_terms(fw, ROUND, dt.date(2024, 3, 15)).short_th == (
        "รับไฟล์ที่แก้ไขแล้วถึงวันที่ 20 มี.ค. 2567 หักคะแนนส่งล่าช้าตั้งแต่วันที่ 7 มี.ค. 2567"
    )
    assert resubmit_terms(fw, ROUND, dt.date(2024, 3, 21)).short_th.startswith("ปิดรับไฟล์แก้ไขแล้ว")
