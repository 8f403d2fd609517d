"""Working days and the effective due date (DOMAIN §3.6). Pure.

A working day is Monday to Friday and not a holiday of the framework's `holidays` sheet.
With `due_date_roll = next_working_day` (the default) a due date that falls on a Saturday,
Sunday or holiday moves to the next working day, as ป.พ.พ. มาตรา 193/8 says of a period
ending on a day off; lateness is then counted from that day in both counting modes. Every
place that shows or uses a due date (deductions, templates, e-mails, reports) takes it from
`effective_due_date`, so they never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from kpi_batch.model import DueDateRoll, Framework
from kpi_batch.thai import format_date_th

_DAY = dt.timedelta(days=1)


def is_working_day(day: dt.date, holidays: Collection[dt.date] = ()) -> bool:
    return day.weekday() < 5 and day not in holidays


def next_working_day(day: dt.date, holidays: Collection[dt.date] = ()) -> dt.date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, holidays):
        day += _DAY
    return day


def holiday_dates(framework: Framework) -> frozenset[dt.date]:
    return frozenset(h.date for h in framework.holidays)


def effective_due_date(framework: Framework, round_id: str) -> dt.date:
    """The round's due date as lateness is counted from (rolled forward when it is a day off)."""
    due = framework.round(round_id).due_date
    if framework.settings.due_date_roll is DueDateRoll.NONE:
        return due
    return next_working_day(due, holiday_dates(framework))


def due_date_th(framework: Framework, round_id: str, full_month: bool = False) -> str:
    """The effective due date in Thai, saying why when it differs from the round's:
    '11 มี.ค. 2567 (กำหนดส่ง 10 มี.ค. 2567 ตรงกับวันหยุด จึงเลื่อนเป็นวันทำการถัดไป)'."""
    due = framework.round(round_id).due_date
    effective = effective_due_date(framework, round_id)
    shown = format_date_th(effective, full_month=full_month)
    if effective == due:
        return shown
    return (
        f"{shown} (กำหนดส่ง {format_date_th(due, full_month=full_month)} ตรงกับวันหยุด "
        "จึงเลื่อนเป็นวันทำการถัดไป)"
    )
