"""Due dates on a day off roll forward to the next working day (DOMAIN §3.6, ป.พ.พ. 193/8).

DOMAIN's example: due Sunday 10 Mar 2024; received Monday 11 Mar is on time, Tuesday 12 Mar
is 1 day late — in calendar and business-day counting alike.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from scoring_factories import ROUND, STD, framework, kpi, results, submissions

from kpi_batch.framework.load import fingerprint
from kpi_batch.model import Framework
from kpi_batch.scoring.score_round import score_round
from kpi_batch.templates.text import instructions
from kpi_batch.workdays import due_date_th, effective_due_date, next_working_day

SUN_10_MAR = dt.date(2024, 3, 10)
FRI_12_APR = dt.date(2024, 4, 12)  # the day before สงกรานต์ (13-16 Apr 2024, holidays below)
SONGKRAN = [dt.date(2024, 4, 13), dt.date(2024, 4, 14), dt.date(2024, 4, 15), dt.date(2024, 4, 16)]


def _fw(due: dt.date, **settings: object) -> Framework:
    fw = framework([kpi("a", STD)], {"u": {"a": 100}}, **settings)
    rounds = tuple(
        dataclasses.replace(r, due_date=due) if r.round_id == ROUND else r for r in fw.rounds
    )
    return dataclasses.replace(fw, rounds=rounds)


def _late(fw: Framework, received: dt.date) -> tuple[int, str]:
    out = score_round(fw, ROUND, results({("u", "a"): 73}), submissions({"u": received}))
    unit = out.unit_scores.iloc[0]
    return int(unit["days_late"]), str(unit["deduction"])


@pytest.mark.parametrize("count", ["calendar", "business"])
def test_domain_example_weekend(count: str) -> None:
    fw = _fw(SUN_10_MAR, late_day_count=count)
    assert effective_due_date(fw, ROUND) == dt.date(2024, 3, 11)
    assert _late(fw, dt.date(2024, 3, 11)) == (0, "0.0000")
    assert _late(fw, dt.date(2024, 3, 12)) == (1, "0.0500")


@pytest.mark.parametrize(
    ("count", "received", "days"),
    [
        # due Sat 13 Apr (a holiday too) -> Wed 17 Apr, after the Songkran holidays
        ("calendar", dt.date(2024, 4, 17), 0),
        ("calendar", dt.date(2024, 4, 19), 2),
        ("business", dt.date(2024, 4, 17), 0),
        ("business", dt.date(2024, 4, 22), 3),  # Thu 18, Fri 19, (weekend), Mon 22
    ],
)
def test_holiday_after_a_weekend(count: str, received: dt.date, days: int) -> None:
    fw = _fw(dt.date(2024, 4, 13), late_day_count=count, holidays=SONGKRAN)
    assert effective_due_date(fw, ROUND) == dt.date(2024, 4, 17)
    assert _late(fw, received)[0] == days


@pytest.mark.parametrize("count", ["calendar", "business"])
def test_holiday_on_a_weekday(count: str) -> None:
    # due Mon 15 Apr, a holiday: moves to Wed 17 (16 is a holiday as well)
    fw = _fw(dt.date(2024, 4, 15), late_day_count=count, holidays=SONGKRAN)
    assert _late(fw, dt.date(2024, 4, 16)) == (0, "0.0000")
    assert _late(fw, dt.date(2024, 4, 17)) == (0, "0.0000")
    assert _late(fw, dt.date(2024, 4, 18)) == (1, "0.0500")


@pytest.mark.parametrize("count", ["calendar", "business"])
def test_roll_none_counts_from_the_round_date(count: str) -> None:
    fw = _fw(SUN_10_MAR, late_day_count=count, due_date_roll="none")
    assert effective_due_date(fw, ROUND) == SUN_10_MAR
    # calendar: 11 Mar is 1 day after the Sunday; business: Monday 11 is a working day
    assert _late(fw, dt.date(2024, 3, 11)) == (1, "0.0500")


def test_a_working_day_does_not_move() -> None:
    assert next_working_day(FRI_12_APR, SONGKRAN) == FRI_12_APR
    fw = _fw(FRI_12_APR, holidays=SONGKRAN)
    assert due_date_th(fw, ROUND) == "12 เม.ย. 2567"


def test_template_and_email_text_show_the_effective_date() -> None:
    fw = _fw(SUN_10_MAR)
    text = due_date_th(fw, ROUND, full_month=True)
    assert text.startswith("11 มีนาคม 2567") and "10 มีนาคม 2567" in text
    rows = instructions(fw, fw.units[0], fw.round(ROUND), derived=False)
    assert any("11 มีนาคม 2567" in paragraph for _, paragraph, _ in rows)


def test_fingerprint_keeps_templates_current_at_the_default() -> None:
    """Templates sent before `due_date_roll` existed stay current; choosing `none` changes
    how lateness is counted, so it is a new framework version."""
    fw = _fw(SUN_10_MAR)
    before = dataclasses.replace(fw.settings)
    assert fingerprint(fw) == fingerprint(dataclasses.replace(fw, settings=before))
    none = _fw(SUN_10_MAR, due_date_roll="none")
    assert fingerprint(none) != fingerprint(fw)
