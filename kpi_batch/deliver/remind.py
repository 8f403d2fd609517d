"""`kpi-batch email --run RUN --remind`: remind the units that have no accepted file yet.

    prepare_reminders(request, now=..., token=...) -> Prepared      reads the run, history
    reminder_plan(source, states, blanks, texts, sender, ...) -> MessagePlan   pure

Who: every unit with an agreement whose round state across the round's runs
(`history.round_state`, from `<out>/history.sqlite`, this run's register when there is no
history) has no usable file: `ยังไม่ส่ง`, or `รอแก้ไข` with nothing accepted before. Never a
unit that is `ส่งแล้ว` or `แก้แล้ว`, nor one scored in this run (checked twice: the state,
then scores.csv).

What: its blank template for the round (`blanks.py`) and the effective due date (rolled
forward over a day off, DOMAIN §3.6), in Thai BE form. The day counts in Asia/Bangkok.
- on or before the due date, `unit_remind`: polite, how many days are left;
- after it, `unit_remind_late`: days late so far, the deduction if the file arrived today,
  and how it grows to the cap (`scoring.late_terms.running_penalty`, the same rule the run
  charges).

Sending is the units' e-mail's (batch.py): a dry run into `<run>/outbox_reminders/`, `--send`
through SMTP, logged in `delivery_log.jsonl`/`.csv` under the keys `remind:<unit_id>`; a
reminder already delivered from this run is not sent again without `--resend`. A later run
of the round starts its own log, so the next reminder goes out from the next run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo

import pandas as pd

from kpi_batch.cells import decimal_text
from kpi_batch.deliver import log
from kpi_batch.deliver.batch import EmailRequest, Prepared, resolve_sender, templates_dir
from kpi_batch.deliver.blanks import blank_templates
from kpi_batch.deliver.checks import check_plan
from kpi_batch.deliver.messages import (
    KEY_HEADER,
    RUN_HEADER,
    MessagePlan,
    Planned,
    Problem,
    Sender,
    blank_attachment,
    common_values,
    compose,
    make_message_id,
    recipients,
)
from kpi_batch.deliver.source import RunFile, RunSource, load_run
from kpi_batch.deliver.store import history_path
from kpi_batch.deliver.texts import Text, load_texts
from kpi_batch.history.round_state import RoundState, UnitState, round_states, with_run
from kpi_batch.history.schema import file_rows
from kpi_batch.history.store import ROUND_FILE_COLUMNS, History
from kpi_batch.run_layout import RunLayout
from kpi_batch.scoring.late_terms import resubmit_terms, running_penalty
from kpi_batch.templates.workbook import template_filename
from kpi_batch.thai import format_date_th

OUTBOX_REMINDERS = RunLayout.OUTBOX_REMINDERS
BANGKOK = ZoneInfo("Asia/Bangkok")
# States that may be reminded; with `has_accepted` False (round_state's own rule).
DUE_STATES = frozenset({RoundState.NOT_SENT, RoundState.TO_CORRECT})


def prepare_reminders(request: EmailRequest, *, now: dt.datetime, token: str) -> Prepared:
    source = load_run(request.run_dir, request.framework)
    sender = resolve_sender(request.sender, source.framework.settings.extra)
    texts = load_texts(templates_dir(request.templates, source))
    states = unit_states(source)
    blanks = blank_templates(source, reminded_units(source, states))
    plan = reminder_plan(
        source,
        states,
        blanks,
        texts,
        sender,
        today=now.astimezone(BANGKOK).date(),
        date=now,
        message_id=lambda key: make_message_id(key, token, sender.domain),
    )
    check_plan(plan, source.framework)
    plan.warnings += [t.warning for t in texts.values() if t.warning]
    delivered = log.delivered(log.read(source.run_dir))
    return Prepared(source, plan, sender, True, delivered)


def unit_states(source: RunSource) -> dict[str, UnitState]:
    """The round's state of every unit with an agreement: every committed run of the round
    in the history, plus this run when the history does not hold it."""
    fw = source.framework
    units = [u.unit_id for u in fw.units if fw.agreements.get(u.unit_id)]
    keys = ("path", "sha256", "unit_id", "status", "modified", "received_on", "reasons")
    register = pd.DataFrame([{k: getattr(i, k) for k in keys} for i in source.inputs])
    files = pd.DataFrame(columns=ROUND_FILE_COLUMNS)
    if source.latest is not None:  # laid out as <out>/<fy>/<round>/<run>
        history = History.read(history_path(source.run_dir).parent)
        if history is not None:
            with history:
                files = history.round_files(fw.settings.fiscal_year, source.round.round_id)
    if source.run_id not in set(files["run_id"]):
        files = with_run(files, source.run_id, source.as_of, file_rows(register))
    return round_states(files, units)


def reminded_units(source: RunSource, states: Mapping[str, UnitState]) -> list[str]:
    scored = {r.unit_id for r in source.scores if r.status == "scored"}
    return [
        unit_id
        for unit_id, state in states.items()
        if state.state in DUE_STATES and not state.has_accepted and unit_id not in scored
    ]


def reminder_plan(
    source: RunSource,
    states: Mapping[str, UnitState],
    blanks: Mapping[str, RunFile],
    texts: Mapping[str, Text],
    sender: Sender,
    *,
    today: dt.date,
    date: dt.datetime,
    message_id: Callable[[str], str],
) -> MessagePlan:
    """One reminder per unit of `reminded_units`, in framework order."""
    fw, rnd = source.framework, source.round
    plan = MessagePlan(source.run_id, [])
    terms = resubmit_terms(fw, rnd.round_id, today)
    common = {**common_values(source, sender, terms), "accepted_until": terms.accepted_first_th}
    running = running_penalty(fw, rnd.round_id, today)
    late = running.late
    template = "unit_remind_late" if late else "unit_remind"
    for unit_id in reminded_units(source, states):
        unit = fw.unit(unit_id)
        label = f"{unit.name} ({unit_id})"
        planned = Planned(
            len(plan.messages) + 1, f"remind:{unit_id}", "unit", template, label, unit_id,
            to=tuple(dict.fromkeys(unit.emails)),
        )  # fmt: skip
        plan.messages.append(planned)
        file_name = template_filename(fw, rnd.round_id, unit_id)
        blank = blank_attachment(unit_id, file_name, blanks, planned)
        planned.attachments = (blank,) if blank is not None else ()
        values = {
            **common,
            "unit_id": unit_id,
            "unit_name": unit.name,
            "cluster_id": unit.cluster_id,
            "cluster_name": _cluster_name(source, unit.cluster_id),
            "template_file": file_name,
            "today": format_date_th(today, full_month=True),
            "state_note": _state_note(states[unit_id]),
            "days_left_text": _days_left(running.days_left),
            "days_late_text": f"{running.days} {running.day_word}",
            "deduction_so_far": decimal_text(running.deduction),
            "penalty_growth": running.growth_th,
            "attachments": "\n".join(
                f"- {a.filename} — {a.description}" for a in planned.attachments
            )
            or "- (ไม่มีไฟล์แนบ)",
        }
        planned.subject, body = texts[template].render(values)
        if not unit.emails:
            planned.problems.append(
                Problem(
                    "no_address",
                    f"{label}: ไม่มีอีเมลในกรอบการประเมิน (แผ่นงาน units คอลัมน์ email) "
                    "ต้องติดตามด้วยวิธีอื่น / no e-mail address in the framework",
                )
            )
            continue
        to = recipients(planned)
        if to is None:
            continue
        planned.message = compose(
            sender, to, planned.subject, body, planned.attachments,
            message_id=message_id(planned.key), date=date,
            headers={RUN_HEADER: source.run_id, KEY_HEADER: planned.key},
        )  # fmt: skip
    if not plan.messages:
        plan.warnings.append(
            "ทุกหน่วยงานมีไฟล์ที่ผ่านการตรวจแล้ว ไม่มีหน่วยงานที่ต้องเตือน / every unit has an "
            "accepted file: no reminder to send"
        )
    return plan


def _cluster_name(source: RunSource, cluster_id: str) -> str:
    try:
        return source.framework.cluster(cluster_id).name
    except KeyError:
        return cluster_id


def _days_left(days: int) -> str:
    if days == 0:
        return "วันนี้เป็นวันสุดท้าย"
    return f"อีก {days} วัน"


def _state_note(state: UnitState) -> str:
    """Why the unit is reminded, from its round state."""
    if state.state is RoundState.TO_CORRECT:
        reason = state.last_issue
        newest = state.files[-1].path if state.files else ""
        return (
            f"ไฟล์ที่หน่วยงานส่งมาล่าสุด ({newest}) ไม่ผ่านการตรวจ"
            + (f" ({reason})" if reason else "")
            + " จึงยังไม่ได้นำไปคิดคะแนน ขอให้กรอกผลในแบบฟอร์มที่แนบมาแทน"
        )
    return ""
