"""Whether a run's scores are still open to appeal or final: the mark people read. Pure.

The rule (docs/scoring.md, "ผลก่อน/หลังอุทธรณ์"):
- **final** (`ผลหลังอุทธรณ์ (ผลสุดท้าย)`) once an appeal-stage adjustment has been applied in
  the run, or once the appeal deadline (`appeal_deadline` in the framework's settings) is
  before the run's as-of date: nobody can appeal any more, so the scores stand;
- **pre-appeal** (`ผลก่อนอุทธรณ์ (ยังไม่เป็นที่สุด)`) otherwise, including when no deadline
  is set: without one, nothing says the appeal window has closed.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from kpi_batch.thai import parse_date


class AppealState(StrEnum):
    PRE_APPEAL = "pre_appeal"
    FINAL = "final"

    @property
    def th(self) -> str:
        return MARK_TH[self]


MARK_TH = {
    AppealState.PRE_APPEAL: "ผลก่อนอุทธรณ์ (ยังไม่เป็นที่สุด)",
    AppealState.FINAL: "ผลหลังอุทธรณ์ (ผลสุดท้าย)",
}


def appeal_state(
    appeals_applied: bool, appeal_deadline: dt.date | None, as_of: dt.date
) -> AppealState:
    """See the module docstring."""
    if appeals_applied or (appeal_deadline is not None and appeal_deadline < as_of):
        return AppealState.FINAL
    return AppealState.PRE_APPEAL


def deadline_setting(extra: Any) -> dt.date | None:
    """`appeal_deadline` from the framework's extra settings as a date, None when unset or
    unreadable (the e-mail step reports an unreadable one)."""
    raw = extra.get("appeal_deadline") if extra else None
    if raw is None or str(raw).strip() == "":
        return None
    return parse_date(raw)
