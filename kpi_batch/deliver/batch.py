"""`kpi-batch email`: run folder -> plan -> checks -> outbox (dry run) or SMTP (send).

    prepare(EmailRequest, now=..., token=...) -> Prepared
    write_dry_run(prepared) -> list[Path]
    send(prepared, config, resend=False, ...) -> SendOutcome

Nothing is sent when any confidentiality check fails. Writing happens after the run and
only adds `outbox/`, `delivery_log.jsonl` and `delivery_log.csv` to the run folder, under
the folder's lock so that two `email --send` cannot send the same batch at once.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kpi_batch.addresses import parse_mailbox
from kpi_batch.deliver import log
from kpi_batch.deliver.blanks import blank_templates
from kpi_batch.deliver.checks import check_plan
from kpi_batch.deliver.messages import (
    MessagePlan,
    Planned,
    Sender,
    blank_units,
    build_plan,
    make_message_id,
)
from kpi_batch.deliver.outbox import OUTBOX, write_outbox
from kpi_batch.deliver.smtp import Outgoing, SmtpConfig, send_all
from kpi_batch.deliver.source import RunSource, load_run
from kpi_batch.deliver.store import record_deliveries
from kpi_batch.deliver.texts import load_texts
from kpi_batch.errors import FileInUseError, KpiBatchError, UsageError
from kpi_batch.runfolder import acquire_lock, release_lock

# Message states for people, in the table and the outbox index.
STATE_TH = {
    "ready": "พร้อมส่ง (ready)",
    "delivered": "ส่งแล้ว (delivered)",
    "partial": "ส่งแล้วบางที่อยู่ (partly delivered)",
    "problem": "ส่งไม่ได้ (not sendable)",
    "sent": "ส่งสำเร็จ (sent)",
    "failed": "ส่งไม่สำเร็จ (failed)",
    "not_sent": "ไม่ได้ส่ง (not sent)",
    "skipped": "ส่งแล้วก่อนหน้านี้ (already delivered)",
}


class NothingSentError(KpiBatchError):
    """A confidentiality check failed, so the whole batch was held back."""

    exit_code = 1


@dataclass(frozen=True)
class EmailRequest:
    run_dir: Path
    framework: Path | None = None
    templates: Path | None = None
    sender: str | None = None  # --from: "name <address>" or an address
    appeal_deadline: str | None = None


@dataclass
class Prepared:
    source: RunSource
    plan: MessagePlan
    sender: Sender
    appeal_deadline_set: bool
    delivered: dict[str, set[str]] = field(default_factory=dict)  # from the delivery log

    def state(self, planned: Planned) -> str:
        if planned.problems:
            return "problem"
        done = self.delivered.get(planned.key, set())
        wanted = {a.lower() for a in planned.to}
        if wanted and wanted <= done:
            return "delivered"
        return "partial" if wanted & done else "ready"


@dataclass
class SendOutcome:
    results: list[log.Delivery]
    skipped: list[Planned]  # already delivered
    unsendable: list[Planned]  # problems: no address, missing file
    history_note: str = ""  # why the history database was not written, if it was not
    csv_note: str = ""  # delivery_log.csv was held open (Excel): close it and send again

    @property
    def ok(self) -> bool:
        return not self.unsendable and all(r.status == "sent" for r in self.results)


def prepare(request: EmailRequest, *, now: dt.datetime, token: str) -> Prepared:
    source = load_run(request.run_dir, request.framework)
    extra = source.framework.settings.extra
    sender = resolve_sender(request.sender, extra)
    texts = load_texts(templates_dir(request.templates, source))
    deadline = request.appeal_deadline or extra.get("appeal_deadline") or None
    plan = build_plan(
        source,
        texts,
        sender,
        date=now,
        message_id=lambda key: make_message_id(key, token, sender.domain),
        appeal_deadline=deadline,
        blanks=blank_templates(source, blank_units(source)),
    )
    check_plan(plan, source.framework)
    plan.warnings += [t.warning for t in texts.values() if t.warning]
    if not source.is_latest and source.latest is not None:
        plan.warnings.insert(
            0,
            f"การประมวลผลนี้ไม่ใช่ครั้งล่าสุดของรอบ (ล่าสุดคือ {source.latest.name}) / "
            "this is not the round's latest run",
        )
    delivered = log.delivered(log.read(request.run_dir))
    return Prepared(source, plan, sender, deadline is not None, delivered)


def resolve_sender(given: str | None, settings: Mapping[str, str]) -> Sender:
    raw = given or settings.get("smtp_from") or ""
    mailbox = parse_mailbox(raw)
    if mailbox is None:
        raise UsageError(
            "ไม่ได้ระบุผู้ส่ง หรือที่อยู่ไม่ถูกต้อง (ต้องเป็นที่อยู่เดียว เช่น 'กพร. <kpr@x.go.th>' "
            "ชื่อที่แสดงต้องไม่มี @ และส่วนหน้า @ ต้องเป็นอักษรภาษาอังกฤษ) ให้แก้ --from หรือ smtp_from "
            "ในแผ่นงาน settings / no valid sender: one address, a display name without @, an "
            f"ASCII local part; pass --from or set smtp_from ({raw!r})"
        )
    name, address = mailbox
    reply_to = settings.get("smtp_reply_to", "")
    reply = parse_mailbox(reply_to) if reply_to else None
    if reply_to and reply is None:
        raise UsageError(f"smtp_reply_to ไม่ถูกต้อง / invalid: {reply_to!r}")
    return Sender(address, name or settings.get("smtp_from_name", ""), reply[1] if reply else "")


def templates_dir(given: Path | None, source: RunSource) -> Path | None:
    """--templates, else the `email_templates` setting (relative to the framework file)."""
    if given is not None:
        return given
    setting = source.framework.settings.extra.get("email_templates")
    if not setting:
        return None
    path = Path(setting)
    return path if path.is_absolute() else source.framework_path.parent / path


def write_dry_run(prepared: Prepared, outbox: str = OUTBOX) -> list[Path]:
    run_dir = prepared.source.run_dir
    lock = acquire_lock(run_dir)
    try:
        states = {m.key: STATE_TH[prepared.state(m)] for m in prepared.plan.messages}
        return write_outbox(prepared.plan, run_dir, states, outbox)
    finally:
        release_lock(lock)


def send(
    prepared: Prepared,
    config: SmtpConfig,
    *,
    resend: bool = False,
    allow_old_run: bool = False,
    clock: Callable[[], dt.datetime],
    sleep: Callable[[float], None] = time.sleep,
) -> SendOutcome:
    source, plan = prepared.source, prepared.plan
    if plan.blocked:
        raise NothingSentError(
            "การตรวจความลับไม่ผ่าน จึงไม่ส่งอีเมลใดเลย ดูรายการปัญหาด้านบน / a confidentiality "
            "check failed: nothing was sent"
        )
    if not source.is_latest and not allow_old_run:
        raise UsageError(
            f"การประมวลผลนี้ไม่ใช่ครั้งล่าสุดของรอบ (ล่าสุดคือ {source.latest}) จึงไม่ส่ง "
            "ถ้าตั้งใจส่งผลชุดนี้ ให้ใส่ --allow-old-run / not the latest run of the round"
        )
    if not prepared.appeal_deadline_set and any(
        m.template == "unit_scored" and m.ready for m in plan.messages
    ):
        raise UsageError(
            "ยังไม่ได้กำหนดวันสิ้นสุดการอุทธรณ์ ให้ใส่ appeal_deadline ในแผ่นงาน settings หรือ "
            "--appeal-deadline / set the appeal deadline before sending results"
        )
    run_dir = source.run_dir
    lock = acquire_lock(run_dir)
    try:
        done = {} if resend else log.delivered(log.read(run_dir))
        outgoing, skipped, unsendable = [], [], []
        for planned in plan.messages:
            if not planned.ready or planned.message is None:
                unsendable.append(planned)
                continue
            already = done.get(planned.key, set())
            missing = tuple(a for a in planned.to if a.lower() not in already)
            if not missing:
                skipped.append(planned)
                continue
            outgoing.append(
                Outgoing(
                    key=planned.key,
                    unit_id=planned.unit_id,
                    message=planned.message,
                    recipients=missing,
                    envelope_from=prepared.sender.address,
                    attachments=tuple(
                        {"filename": a.filename, "source": a.file.rel, "sha256": a.sha256}
                        for a in planned.attachments
                    ),
                )
            )
        not_sent = [_not_sendable(p, source.run_id, clock()) for p in unsendable]
        for record in not_sent:
            log.append(run_dir, record)
        results = send_all(
            config,
            outgoing,
            lambda d: log.append(run_dir, d),
            run_id=source.run_id,
            clock=clock,
            sleep=sleep,
        )
        # Records first (the .jsonl as each message finished, then the history), the CSV
        # copy last: Excel holding delivery_log.csv open must not lose a delivery.
        note = record_deliveries(run_dir, not_sent + results)
        csv_note = ""
        try:
            log.write_csv(run_dir, log.read(run_dir))
        except FileInUseError as exc:
            csv_note = (
                f"{exc} — บันทึกการส่งครบแล้วใน {log.LOG_JSONL} การสั่งส่งซ้ำจะไม่ส่งฉบับที่ส่งแล้ว"
                f" / every delivery is recorded in {log.LOG_JSONL}; sending again sends"
                " nothing twice and rewrites the CSV"
            )
    finally:
        release_lock(lock)
    return SendOutcome(results, skipped, unsendable, note, csv_note)


def _not_sendable(planned: Planned, run_id: str, now: dt.datetime) -> log.Delivery:
    return log.Delivery(
        time=now.isoformat(timespec="seconds"),
        run_id=run_id,
        key=planned.key,
        unit_id=planned.unit_id,
        message_id="",
        subject=planned.subject,
        recipients=list(planned.to),
        status="not_sent",
        error="; ".join(p.message for p in planned.problems),
    )
