"""Late-submission deductions (DOMAIN §3.6; 003's เกณฑ์การหักคะแนน table). Pure.

Each late item costs `late_penalty_per_day` per day late, at most `late_penalty_cap` per
item: with 0.05 / 0.25, 1..6 days cost 0.05, 0.10, 0.15, 0.20, 0.25, 0.25. The unit's own
submission is one item, late by received_on - effective due date counted in calendar days, or with
`late_day_count = business` in working days: weekends and the framework's holidays after the
due date are not counted (a file in on the Monday after a Friday due date is 1 day late).
The effective due date is the round's, rolled forward to the next working day when it falls
on a day off (`workdays.effective_due_date`, `due_date_roll`): due Sunday 10 Mar 2024, a file
received Monday 11 Mar is on time and Tuesday 12 Mar is 1 day late, in both modes.
Extra items (the agreement manual sent late, ...) come from `late_days` adjustments, already
counted in days by whoever wrote them. A submission without a date is not charged (intake
reports the missing date; an adjustment can set it).

`late_items` frame: unit_id, item (submission / adjustment), days, penalty (Decimal), stage,
reason, reference. `deduct` subtracts the sum of penalties from a total, floors at 0 and
rounds with the framework's rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import pandas as pd

from kpi_batch.model import DayCount, Framework, Rounding, Settings
from kpi_batch.scoring.rounding import pad, round_number
from kpi_batch.workdays import effective_due_date, holiday_dates, is_working_day

LATE_ITEM_COLUMNS = ["unit_id", "item", "days", "penalty", "stage", "reason", "reference"]


def days_late(
    submitted_on: dt.date,
    due_date: dt.date,
    count: DayCount = DayCount.CALENDAR,
    holidays: Iterable[dt.date] = (),
) -> int:
    """Days after `due_date` up to and including `submitted_on`; 0 when on time."""
    if submitted_on <= due_date:
        return 0
    if count == DayCount.CALENDAR:
        return (submitted_on - due_date).days
    off = frozenset(holidays)
    days = 0
    day = due_date + dt.timedelta(days=1)
    while day <= submitted_on:
        if is_working_day(day, off):
            days += 1
        day += dt.timedelta(days=1)
    return days


def penalty(days: int, settings: Settings) -> Decimal:
    """min(days x per_day, cap) for one item, exact (padded to `decimals` places)."""
    amount = min(max(days, 0) * settings.late_penalty_per_day, settings.late_penalty_cap)
    return pad(amount, settings.decimals)


def deduct(total: Decimal, deduction: Decimal, decimals: int, rounding: Rounding) -> Decimal:
    """total - deduction, floored at 0, rounded."""
    return round_number(max(Decimal(0), total - deduction), decimals, rounding)


def late_items(
    framework: Framework,
    round_id: str,
    submissions: pd.DataFrame,
    extra: pd.DataFrame,
) -> pd.DataFrame:
    """One row per late item: each accepted submission past the round's due date, plus the
    `late_days` items of the adjustments (`extra`: unit_id, days, stage, reason, reference).
    On-time submissions appear with 0 days so `days_late` can be read from the frame."""
    settings = framework.settings
    due = effective_due_date(framework, round_id)
    holidays = holiday_dates(framework)
    rows: list[tuple[object, ...]] = []
    accepted = submissions[submissions["status"] == "accepted"]
    for unit_id, when in zip(accepted["unit_id"], accepted["submitted_on"], strict=True):
        if when is None or pd.isna(when):
            continue
        day = pd.Timestamp(when).date()
        n = days_late(day, due, settings.late_day_count, holidays)
        rows.append((unit_id, "submission", n, penalty(n, settings), "", "", ""))
    cols = ["unit_id", "days", "stage", "reason", "reference"]
    for unit_id, days, stage, reason, reference in extra[cols].itertuples(index=False, name=None):
        n = int(days)
        rows.append((unit_id, "adjustment", n, penalty(n, settings), stage, reason, reference))
    return pd.DataFrame(rows, columns=LATE_ITEM_COLUMNS).astype({"days": "int64"})


def _sum(values: pd.Series) -> Decimal:
    return sum(values.tolist(), Decimal(0))


def unit_deductions(items: pd.DataFrame) -> pd.DataFrame:
    """unit_id, deduction (Decimal sum of penalties), days_late (the submission's own)."""
    if items.empty:
        return pd.DataFrame({"unit_id": pd.Series([], dtype=str), "deduction": [], "days_late": []})
    ded = items.groupby("unit_id", sort=False)["penalty"].agg(_sum)
    own = items[items["item"] == "submission"].set_index("unit_id")["days"]
    out = ded.rename("deduction").to_frame()
    out["days_late"] = own.reindex(out.index).astype("Int64")
    return out.reset_index()
