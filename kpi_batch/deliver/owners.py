"""`kpi-batch email --run RUN --reviews DIR`: each KPI owner gets their review workbook.

The same model as the units' e-mail (batch.py): a dry run writes every message to
`<run>/outbox_reviews/` (its own folder, so the units' outbox stays as it is); `--send`
sends through SMTP, logs each delivery in the run's `delivery_log.jsonl` (keys
`owner:<owner_id>:<stage>`) and never sends a delivered message again unless `--resend`.

Before anything is sent every workbook in DIR is opened with the bounded review reader and
must be what the plan says it is: a review workbook of this run's round and fiscal year, for
the owner it is addressed to, holding only (unit, KPI) rows that owner answers for. One
workbook that fails holds the whole batch back (a KPI owner must never see another owner's
rows); a workbook for an owner without an address is reported and not sent.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from email.headerregistry import Address
from pathlib import Path

from kpi_batch.deliver import log
from kpi_batch.deliver.batch import EmailRequest, Prepared, resolve_sender
from kpi_batch.deliver.messages import (
    KEY_HEADER,
    RUN_HEADER,
    Attachment,
    MessagePlan,
    Planned,
    Problem,
    Sender,
    compose,
    make_message_id,
)
from kpi_batch.deliver.source import RunFile, RunSource, load_run, sha256_bytes
from kpi_batch.model import Owner
from kpi_batch.review.check import text
from kpi_batch.review.load import review_paths
from kpi_batch.review.read import ReviewBook, ReviewRejected, read_review
from kpi_batch.run_layout import RunLayout
from kpi_batch.specs.review import STAGE_TH

OUTBOX_REVIEWS = RunLayout.OUTBOX_REVIEWS
TEMPLATE = "owner_review"  # messages.KIND_TH names it in the outbox index


def prepare_owner_mail(
    request: EmailRequest, reviews: Path, *, now: dt.datetime, token: str
) -> Prepared:
    source = load_run(request.run_dir, request.framework)
    # Review workbooks are often made from an earlier run of the round (the pre-appeal
    # one): sending them is not "sending an old run's results".
    source = dataclasses.replace(source, latest=None)
    sender = resolve_sender(request.sender, source.framework.settings.extra)
    plan = owner_plan(
        source, reviews, sender, now, lambda key: make_message_id(key, token, sender.domain)
    )
    delivered = log.delivered(log.read(source.run_dir))
    return Prepared(source, plan, sender, True, delivered)


def owner_plan(
    source: RunSource,
    reviews: Path,
    sender: Sender,
    date: dt.datetime,
    message_id: Callable[[str], str],
) -> MessagePlan:
    fw = source.framework
    plan = MessagePlan(run_id=source.run_id, messages=[])
    for number, path in enumerate(review_paths(reviews), start=1):
        data = path.read_bytes()
        book = read_review(path)
        planned = Planned(number, f"file:{path.name}", "owner", TEMPLATE, path.name)
        plan.messages.append(planned)
        if isinstance(book, ReviewRejected):
            planned.problems.append(_blocking("owner_file_unreadable", path, book.detail))
            continue
        owner = next((o for o in fw.owners if o.owner_id == text(book.names.get("owner_id"))), None)
        problem = _mismatch(book, owner, source)
        if problem or owner is None:
            planned.problems.append(_blocking("owner_file_mismatch", path, problem or "owner"))
            continue
        stage = text(book.names.get("stage"))
        planned.key = f"owner:{owner.owner_id}:{stage}"
        planned.label = f"{owner.name} ({owner.owner_id})"
        planned.to = owner.emails
        if not owner.emails:
            planned.problems.append(
                Problem("owner_no_email", f"{owner.owner_id}: ไม่มีอีเมล / no address")
            )
            continue
        rnd = source.round
        planned.subject = (
            f"แบบ{STAGE_TH.get(stage, stage)}ตัวชี้วัด {rnd.name} ปีงบประมาณ "
            f"{fw.settings.fiscal_year} — {owner.name}"
        )
        file = RunFile(f"reviews/{path.name}", data, sha256_bytes(data), sha256_bytes(data))
        attachment = Attachment(path.name, file, "review", "แบบทบทวนผล")
        planned.attachments = (attachment,)
        planned.message = compose(
            sender,
            [Address(addr_spec=a) for a in owner.emails],
            planned.subject,
            _body(owner, stage, len(book.rows), source, fw.settings.organisation),
            [attachment],
            message_id=message_id(planned.key),
            date=date,
            headers={RUN_HEADER: source.run_id, KEY_HEADER: planned.key},
        )
    keys = [m.key for m in plan.messages]
    for m in plan.messages:
        if keys.count(m.key) > 1 and m.key.startswith("owner:"):
            m.problems.append(
                Problem("owner_twice", f"{m.label}: มีแบบของเจ้าภาพนี้มากกว่าหนึ่งไฟล์ / two files")
            )
    return plan


def _blocking(code: str, path: Path, detail: str) -> Problem:
    return Problem(
        code,
        f"{path.name}: ตรวจแล้วไม่ใช่แบบทบทวนผลของรอบนี้สำหรับเจ้าภาพที่ระบุ ({detail})"
        " จึงไม่ส่งอีเมลใดเลย / not this run's review workbook for its owner: nothing is sent",
        blocks_all=True,
    )


def _mismatch(book: ReviewBook, owner: Owner | None, source: RunSource) -> str:
    """Why the workbook may not go to its owner ("" when it may)."""
    fw = source.framework
    if owner is None:
        return f"owner_id {text(book.names.get('owner_id'))}"
    if text(book.names.get("fiscal_year")) != str(fw.settings.fiscal_year):
        return "fiscal_year"
    if text(book.names.get("round_id")) != source.round.round_id:
        return "round_id"
    owned = set(fw.owned_by(owner.owner_id))
    col_unit, col_kpi = book.columns.get("unit_id"), book.columns.get("kpi_id")
    if col_unit is None or col_kpi is None:
        return "reviews table"
    for row, cells in book.rows:
        pair = (text(book.value(cells, "unit_id")), text(book.value(cells, "kpi_id")))
        if pair != ("", "") and pair not in owned:
            return f"row {row}: {pair[0]} {pair[1]} is not {owner.owner_id}'s"
    return ""


def _body(owner: Owner, stage: str, rows: int, source: RunSource, organisation: str) -> str:
    rnd = source.round
    what = (
        "ตรวจสอบผลการดำเนินงานที่หน่วยงานรายงานในตัวชี้วัดที่ท่านเป็นเจ้าภาพ"
        if stage == "review"
        else "พิจารณาอุทธรณ์ของหน่วยงานในตัวชี้วัดที่ท่านเป็นเจ้าภาพ"
    )
    return (
        f"เรียน {owner.name}\n\n"
        f"กลุ่มพัฒนาระบบบริหาร {organisation} ขอส่งแบบ{STAGE_TH.get(stage, stage)}ตัวชี้วัด"
        f" {rnd.name} ({rows} รายการ) เพื่อ{what}\n\n"
        "วิธีกรอก: ถ้าผลถูกต้อง ไม่ต้องกรอก ถ้าต้องแก้ ให้กรอกเฉพาะช่องสีเหลืองพร้อมเหตุผลทุกครั้ง"
        " (รายละเอียดอยู่ในชีต คำชี้แจง) แล้วส่งไฟล์กลับทางอีเมลนี้\n"
        "ชื่อของท่านจะปรากฏในผลของหน่วยงานและในบันทึกการแก้ไขทุกรายการที่ท่านกรอก\n\n"
        f"อ้างอิงการประมวลผล {source.run_id}\n"
        "กลุ่มพัฒนาระบบบริหาร\n"
    )
