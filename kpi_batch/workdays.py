"""The effective due date (DOMAIN §3.6). Pure.

A placeholder with issue 13 part A's signatures: until the due-date roll lands here, the
effective due date is the round's own. Every place that shows or uses a due date for
reminders and the status workbook takes it from `effective_due_date`.
"""

from __future__ import annotations

import datetime as dt

from kpi_batch.model import Framework
from kpi_batch.thai import format_date_th


def effective_due_date(framework: Framework, round_id: str) -> dt.date:
    """The round's due date as lateness is counted from."""
    return framework.round(round_id).due_date


def due_date_th(framework: Framework, round_id: str, full_month: bool = False) -> str:
    return format_date_th(effective_due_date(framework, round_id), full_month=full_month)
