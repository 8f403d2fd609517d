"""What a unit is told about sending a file (again) and about lateness (DOMAIN §3.6). Pure.

    resubmit_terms(framework, round_id, as_of) -> ResubmitTerms
    running_penalty(framework, round_id, today) -> RunningPenalty

Every error a unit reads (a returned copy's fix line, the e-mail) says two things: whether a
corrected file is still accepted, and from which day a file is charged as late. Both come
from here, so the returned copy, the e-mail and the reminder never disagree with the
deduction the run will charge (`deductions.days_late` from `workdays.effective_due_date`).

- A corrected file is accepted until the closing date in the framework's settings,
  `resubmit_deadline_<round_id>` (e.g. `resubmit_deadline_R1`) or else `resubmit_deadline`;
  without one it is accepted and scored again in the next run. After the closing date the
  text says the round is closed and to call planning staff first (intake itself does not
  refuse a late file: a person decides).
- The penalty runs from the first day `days_late` counts: the day after the effective due
  date, or with `late_day_count = business` the first working day after it. A resubmitted
  file is charged by its own received date, so a unit whose first file was on time is told
  that a correction sent from that day on costs points.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kpi_batch.cells import decimal_text
from kpi_batch.model import DayCount, Framework
from kpi_batch.scoring.deductions import days_late, penalty
from kpi_batch.thai import format_date_th, parse_date
from kpi_batch.workdays import effective_due_date, holiday_dates

RESUBMIT_SETTING = "resubmit_deadline"
_DAY = dt.timedelta(days=1)
_HORIZON = 400  # days searched for the cap: far beyond any round's cap


def closing_setting(framework: Framework, round_id: str) -> dt.date | None:
    """`resubmit_deadline_<round_id>`, else `resubmit_deadline`, as a date (None if unset
    or not a date)."""
    extra = framework.settings.extra
    for key in (f"{RESUBMIT_SETTING}_{round_id}", RESUBMIT_SETTING):
        raw = extra.get(key)
        if raw is not None and str(raw).strip():
            return parse_date(raw)
    return None


def first_charged_day(framework: Framework, round_id: str) -> dt.date:
    """The first received date `days_late` counts as late (1 day)."""
    due = effective_due_date(framework, round_id)
    count = framework.settings.late_day_count
    holidays = holiday_dates(framework)
    day = due + _DAY
    while days_late(day, due, count, holidays) == 0:
        day += _DAY
    return day


def _day_word(framework: Framework) -> str:
    return "วันทำการ" if framework.settings.late_day_count is DayCount.BUSINESS else "วัน"


@dataclass(frozen=True)
class ResubmitTerms:
    round_due: dt.date  # as the round says
    due: dt.date  # effective (rolled forward over a day off)
    penalty_from: dt.date
    closes: dt.date | None
    as_of: dt.date
    per_day: Decimal
    cap: Decimal
    day_word: str  # วัน / วันทำการ

    @property
    def still_open(self) -> bool:
        return self.closes is None or self.as_of <= self.closes

    @property
    def accepted_th(self) -> str:
        """Whether (and until when) a corrected file is accepted."""
        return self._accepted("ไฟล์ที่แก้ไขแล้ว", "คิดคะแนนใหม่")

    @property
    def accepted_first_th(self) -> str:
        """The same for a unit that has sent nothing yet."""
        return self._accepted("แบบรายงานผลของหน่วยงาน", "คิดคะแนน")

    def _accepted(self, what: str, scored: str) -> str:
        if self.closes is None:
            return f"ยังรับ{what} และจะ{scored}ในการประมวลผลครั้งถัดไป"
        closes = format_date_th(self.closes)
        if self.still_open:
            return f"รับ{what}ถึงวันที่ {closes} และจะ{scored}ในการประมวลผลครั้งถัดไป"
        return f"ปิดรับ{what}ของรอบนี้แล้วเมื่อวันที่ {closes} หากยังต้องส่ง โปรดติดต่อกลุ่มพัฒนาระบบบริหารก่อน"

    @property
    def due_th(self) -> str:
        due = format_date_th(self.due)
        if self.due == self.round_due:
            return due
        return f"{due} (เลื่อนจาก {format_date_th(self.round_due)} ซึ่งตรงกับวันหยุด)"

    @property
    def penalty_th(self) -> str:
        """From which day a file (a corrected one too) is charged, and how much."""
        text = (
            f"กำหนดส่ง {self.due_th} ไฟล์ที่ได้รับตั้งแต่วันที่ {format_date_th(self.penalty_from)} "
            f"หักคะแนนส่งล่าช้า{self.day_word}ละ {decimal_text(self.per_day)} "
            f"ไม่เกิน {decimal_text(self.cap)} คะแนน นับตามวันที่ได้รับไฟล์"
        )
        if self.as_of >= self.penalty_from:  # a unit on time so far loses it by resending
            text += " ขณะนี้เลยกำหนดส่งแล้ว ไฟล์ที่ส่งจากนี้ไปจะถูกหักคะแนน"
        return text

    @property
    def text_th(self) -> str:
        return f"{self.accepted_th} — {self.penalty_th}"

    @property
    def short_th(self) -> str:
        """Both, briefly: the end of each error's fix line in a returned copy."""
        late = f"หักคะแนนส่งล่าช้าตั้งแต่วันที่ {format_date_th(self.penalty_from)}"
        if self.closes is None:
            return f"ยังรับไฟล์ที่แก้ไขแล้ว คิดคะแนนใหม่ในการประมวลผลครั้งถัดไป {late}"
        closes = format_date_th(self.closes)
        if self.still_open:
            return f"รับไฟล์ที่แก้ไขแล้วถึงวันที่ {closes} {late}"
        return f"ปิดรับไฟล์แก้ไขแล้วเมื่อวันที่ {closes} โปรดติดต่อกลุ่มพัฒนาระบบบริหารก่อนส่ง"


def resubmit_terms(framework: Framework, round_id: str, as_of: dt.date) -> ResubmitTerms:
    s = framework.settings
    return ResubmitTerms(
        round_due=framework.round(round_id).due_date,
        due=effective_due_date(framework, round_id),
        penalty_from=first_charged_day(framework, round_id),
        closes=closing_setting(framework, round_id),
        as_of=as_of,
        per_day=s.late_penalty_per_day,
        cap=s.late_penalty_cap,
        day_word=_day_word(framework),
    )


@dataclass(frozen=True)
class RunningPenalty:
    """The penalty a file received on `today` would be charged, and how it grows."""

    today: dt.date
    due: dt.date  # effective
    days: int  # late so far (0 on or before the due date)
    deduction: Decimal  # for those days
    per_day: Decimal
    cap: Decimal
    cap_day: dt.date | None  # first received date charged the cap (None: never)
    day_word: str

    @property
    def late(self) -> bool:
        return self.days > 0

    @property
    def capped(self) -> bool:
        return self.deduction >= self.cap

    @property
    def days_left(self) -> int:
        """Calendar days until the effective due date (0 on the day itself)."""
        return max((self.due - self.today).days, 0)

    @property
    def growth_th(self) -> str:
        """How the deduction grows from here, in Thai."""
        cap = decimal_text(self.cap)
        if self.capped:
            return (
                f"การหักคะแนนถึงอัตราสูงสุด {cap} คะแนนแล้ว จะไม่หักเพิ่มอีก "
                "แต่ถ้าไม่ส่งรายงาน หน่วยงานจะไม่มีคะแนนรอบนี้"
            )
        when = (
            f" (ครบ {cap} คะแนนเมื่อได้รับวันที่ {format_date_th(self.cap_day)})" if (self.cap_day) else ""
        )
        return (
            f"หักเพิ่ม{self.day_word}ละ {decimal_text(self.per_day)} คะแนน จนถึงสูงสุด {cap} คะแนน{when}"
        )


def running_penalty(framework: Framework, round_id: str, today: dt.date) -> RunningPenalty:
    s = framework.settings
    due = effective_due_date(framework, round_id)
    holidays = holiday_dates(framework)
    n = days_late(today, due, s.late_day_count, holidays)
    cap_day = None
    day = max(today, due + _DAY)
    for _ in range(_HORIZON):
        if penalty(days_late(day, due, s.late_day_count, holidays), s) >= s.late_penalty_cap:
            cap_day = day
            break
        day += _DAY
    return RunningPenalty(
        today=today,
        due=due,
        days=n,
        deduction=penalty(n, s),
        per_day=s.late_penalty_per_day,
        cap=s.late_penalty_cap,
        cap_day=cap_day,
        day_word=_day_word(framework),
    )
