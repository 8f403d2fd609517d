"""Which messages a run sends, to whom, with what: `build_plan(...) -> MessagePlan`. Pure.

Every unit of the framework gets one message, chosen by its status in scores.csv:

- `scored`   (`unit_scored`): scores, band, rank, how and by when to appeal; its result
  workbook, plus the marked-up copy of any file of its that intake flagged;
- `rejected` (`unit_rejected`): not scored, the reasons, the unit's blank template for the
  round to fill in again, and the marked-up copy of the rejected file (why it was refused);
- `missing`  (`unit_missing`): nothing was received: the due date, and the blank template.

A unit with a file refused as a whole (status `rejected` in the register) gets its blank
template (`blanks.py`, made by the caller for `blank_units(source)`) even when another file
of it was scored. Every unit text says whether a corrected file is still accepted and from
which day it is charged as late (`scoring.late_terms`, as of the message's date).

Then one message to the framework's `hr` recipients with the HR workbook, and one to the
`executive` recipients with the executive workbook. Addresses come only from the framework;
a unit or role without one gets a `Planned` with a `no_address` problem, never nothing.
Attachments are chosen by the run's own naming, then checked by content in `checks.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from kpi_batch.deliver import wire
from kpi_batch.deliver.source import RunFile, RunSource, UnitRow
from kpi_batch.deliver.texts import Text
from kpi_batch.framework.cells import decimal_text, parse_date
from kpi_batch.run_layout import RETURNED_FOR
from kpi_batch.scoring.appeal_state import appeal_state, deadline_setting
from kpi_batch.scoring.late_terms import ResubmitTerms, resubmit_terms
from kpi_batch.templates.workbook import template_filename
from kpi_batch.thai import format_date_th
from kpi_batch.workdays import due_date_th

# RFC 5322 with CRLF and 7-bit headers: Thai subjects and names become RFC 2047 words and
# Thai file names RFC 2231 parameters, which every mail server and client accepts (wire.py).
POLICY = wire.POLICY
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
XLSM = ("application", "vnd.ms-excel.sheet.macroEnabled.12")
RUN_HEADER = "X-KPI-Batch-Run"
KEY_HEADER = "X-KPI-Batch-Message"
NO_DEADLINE = "[ยังไม่ได้กำหนดวันสิ้นสุดการอุทธรณ์ / appeal_deadline not set]"
MAX_REASONS = 10

KIND_TH = {
    "unit_scored": "ผลคะแนน (result)",
    "unit_rejected": "ขอให้แก้ไข (rejected)",
    "unit_missing": "ติดตามรายงาน (missing)",
    "unit_remind": "เตือนกำหนดส่ง (reminder)",
    "unit_remind_late": "เตือน เลยกำหนดส่ง (reminder, late)",
    "hr": "ผลคะแนนลับ (hr)",
    "executive": "สรุปผู้บริหาร (executive)",
    "owner_review": "แบบทบทวนผล (owner)",
}
ROLE_TH = {"hr": "กองการเจ้าหน้าที่ (hr)", "executive": "ผู้บริหาร (executive)"}


@dataclass(frozen=True)
class Sender:
    address: str
    name: str = ""
    reply_to: str = ""

    @property
    def domain(self) -> str:
        return self.address.rsplit("@", 1)[-1]


@dataclass(frozen=True)
class Attachment:
    filename: str  # as the recipient sees it
    file: RunFile
    role: str  # result / returned / template / hr / executive: what the plan means it to be
    description: str

    @property
    def sha256(self) -> str:
        return self.file.sha256


@dataclass(frozen=True)
class Problem:
    code: str
    message: str  # Thai / English
    # A confidentiality problem: the run folder cannot be trusted, so nothing is sent.
    blocks_all: bool = False


@dataclass
class Planned:
    number: int
    key: str  # unit:U01, hr, executive: stable across invocations, used by the delivery log
    audience: str  # unit / hr / executive
    template: str
    label: str  # who, for people: unit name (id) or role
    unit_id: str = ""
    to: tuple[str, ...] = ()
    subject: str = ""
    attachments: tuple[Attachment, ...] = ()
    message: EmailMessage | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.message is not None and not self.problems

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"]) if self.message is not None else ""


@dataclass
class MessagePlan:
    """Every message a run would send (one per unit, hr, executive), each with its problems,
    and the problems of the batch as a whole."""

    run_id: str
    messages: list[Planned]
    problems: list[Problem] = field(default_factory=list)  # not tied to one message
    warnings: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        """True when any confidentiality check failed: nothing may be sent."""
        found = [p for m in self.messages for p in m.problems] + self.problems
        return any(p.blocks_all for p in found)

    @property
    def has_problems(self) -> bool:
        return bool(self.problems) or any(m.problems for m in self.messages)


def build_plan(
    source: RunSource,
    texts: Mapping[str, Text],
    sender: Sender,
    *,
    date: dt.datetime,
    message_id: Callable[[str], str],
    appeal_deadline: str | None = None,
    blanks: Mapping[str, RunFile] | None = None,
) -> MessagePlan:
    """Every message of the run. `message_id(key)` gives each its Message-ID; `date` is its
    Date header (the caller reads the clock). `blanks`: the blank templates of
    `blank_units(source)` (blanks.py)."""
    fw = source.framework
    plan = MessagePlan(source.run_id, [])
    terms = resubmit_terms(fw, source.round.round_id, date.date())
    common = common_values(source, sender, terms)
    rows = {row.unit_id: row for row in source.scores}
    returned = _returned_files(source, plan)
    deadline = _date_text(appeal_deadline) if appeal_deadline else ""
    want_blank = set(blank_units(source))

    def add(planned: Planned, values: dict[str, str]) -> None:
        planned.number = len(plan.messages) + 1
        plan.messages.append(planned)
        values["attachments"] = _attachment_lines(planned.attachments)
        planned.subject, body = texts[planned.template].render(values)
        if not planned.to:
            return
        to = recipients(planned)
        if to is None:
            return
        headers = {RUN_HEADER: source.run_id, KEY_HEADER: planned.key}
        planned.message = compose(
            sender, to, planned.subject, body, planned.attachments,
            message_id=message_id(planned.key), date=date, headers=headers,
        )  # fmt: skip

    for unit in fw.units:
        key = f"unit:{unit.unit_id}"
        label = f"{unit.name} ({unit.unit_id})"
        row = rows.get(unit.unit_id)
        if row is None:
            planned = Planned(0, key, "unit", "unit_missing", label, unit.unit_id)
            planned.problems.append(
                Problem(
                    "not_in_scores",
                    f"{label}: ไม่มีใน {source.layout.SCORES} / not in {source.layout.SCORES}",
                )
            )
            plan.messages.append(planned)
            planned.number = len(plan.messages)
            continue
        template = {"scored": "unit_scored", "rejected": "unit_rejected"}.get(
            row.status, "unit_missing"
        )
        planned = Planned(0, key, "unit", template, label, unit.unit_id, to=_unique(unit.emails))
        attachments: list[Attachment] = []
        if row.status == "scored":
            rel = source.layout.unit_result(unit.unit_id)
            if rel in source.files:
                attachments.append(
                    Attachment(
                        source.files[rel].name, source.files[rel], "result",
                        "ผลการประเมินของหน่วยงาน (result workbook)",
                    )
                )  # fmt: skip
            else:
                planned.problems.append(
                    Problem(
                        "file_missing",
                        f"{label}: ไม่พบไฟล์ผลการประเมิน {rel} ในโฟลเดอร์การประมวลผล / "
                        "result workbook missing",
                    )
                )
        template_file = template_filename(fw, source.round.round_id, unit.unit_id)
        blank = None
        if unit.unit_id in want_blank:
            blank = blank_attachment(unit.unit_id, template_file, blanks or {}, planned)
        if blank is not None and row.status != "scored":
            attachments.insert(0, blank)  # what to fill in comes first
        attachments += returned.get(unit.unit_id, [])
        if blank is not None and row.status == "scored":
            attachments.append(blank)
        planned.attachments = tuple(attachments)
        values = {
            **common,
            **_unit_values(source, row),
            "appeal_deadline": deadline or NO_DEADLINE,
            "problems": _reasons(source, unit.unit_id),
            "template_file": template_file,
            "returned_note": _returned_note(source, unit.unit_id, terms, blank is not None),
        }
        if template == "unit_missing":  # nothing sent yet: a first file, not a correction
            values["accepted_until"] = terms.accepted_first_th
        if not unit.emails:
            planned.problems.append(
                Problem(
                    "no_address",
                    f"{label}: ไม่มีอีเมลในกรอบการประเมิน (แผ่นงาน units คอลัมน์ email) "
                    "ต้องแจ้งผลด้วยวิธีอื่น / no e-mail address in the framework",
                )
            )
        add(planned, values)

    counts = _counts(source.scores)
    for role, name in (("hr", source.layout.hr), ("executive", source.layout.executive)):
        people = fw.recipients_for(role)
        addresses = _unique([a.strip() for p in people for a in p.email.split(";")])
        planned = Planned(0, role, role, role, ROLE_TH[role], to=addresses)
        file = source.files.get(name)
        if file is None:
            planned.problems.append(
                Problem("file_missing", f"ไม่พบ {name} ในโฟลเดอร์การประมวลผล / missing")
            )
        else:
            planned.attachments = (Attachment(file.name, file, role, KIND_TH[role].split(" (")[0]),)
        if not addresses:
            planned.problems.append(
                Problem(
                    "no_address",
                    f"ไม่มีผู้รับบทบาท {role} ในแผ่นงาน recipients ของกรอบการประเมิน / "
                    f"no {role} recipient in the framework",
                )
            )
        values = {
            **common,
            **counts,
            "recipient_names": ", ".join(dict.fromkeys(p.name for p in people)) or "-",
        }
        add(planned, values)

    if deadline == "" and any(m.template == "unit_scored" and m.to for m in plan.messages):
        plan.warnings.append(
            "ยังไม่ได้กำหนดวันสิ้นสุดการอุทธรณ์ (appeal_deadline ในแผ่นงาน settings หรือ "
            "--appeal-deadline) อีเมลผลคะแนนจะยังส่งไม่ได้ / appeal deadline not set: "
            "result messages cannot be sent"
        )
    plan.warnings += _shared_addresses(source)
    roles = {r.role for r in fw.recipients} - {"hr", "executive"}
    if roles:
        plan.warnings.append(
            f"ผู้รับบทบาท {', '.join(sorted(roles))} ไม่ได้รับอีเมล (ใช้ได้เฉพาะ hr, executive) / "
            "recipients with other roles get nothing"
        )
    return plan


def blank_units(source: RunSource) -> list[str]:
    """Units whose message carries their blank template: nothing accepted in this run
    (`missing`, `rejected`), or a file of theirs refused as a whole."""
    rows = {row.unit_id: row for row in source.scores}
    refused = {i.unit_id for i in source.inputs if i.status == "rejected"}
    return [
        u.unit_id
        for u in source.framework.units
        if u.unit_id in rows
        and (rows[u.unit_id].status in ("missing", "rejected") or u.unit_id in refused)
    ]


def blank_attachment(
    unit_id: str, filename: str, blanks: Mapping[str, RunFile], planned: Planned
) -> Attachment | None:
    """The unit's blank template, or a problem on `planned` when there is none to attach
    (no agreement): the message promises one, so it is not sent without it."""
    file = blanks.get(unit_id)
    if file is None:
        planned.problems.append(
            Problem(
                "template_missing",
                f"{planned.label}: สร้างแบบรายงานผลเปล่า {filename} ไม่ได้ (ไม่มีตัวชี้วัดตามคำรับรอง) "
                "จึงไม่ส่ง / no blank template for this unit (no agreement)",
            )
        )
        return None
    return Attachment(
        filename, file, "template", "แบบรายงานผลเปล่าของหน่วยงานสำหรับรอบนี้ กรอกผลในไฟล์นี้แล้วส่งกลับ"
    )


def recipients(planned: Planned) -> list[Address] | None:
    """`planned.to` as addresses; None, with a `bad_address` problem on `planned`, when one
    of them is not an address the message can carry."""
    try:
        return [Address(addr_spec=a) for a in planned.to]
    except (ValueError, IndexError, HeaderParseError) as exc:
        planned.problems.append(Problem("bad_address", f"ที่อยู่อีเมลไม่ถูกต้อง / invalid address: {exc}"))
        return None


def compose(
    sender: Sender,
    to: Sequence[Address],
    subject: str,
    body: str,
    attachments: Sequence[Attachment],
    *,
    message_id: str,
    date: dt.datetime,
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    msg = EmailMessage(policy=POLICY)
    msg["From"] = Address(sender.name, addr_spec=sender.address)
    # Bare addresses: Python 3.11 folds a list of Thai display names wrongly (an address
    # can end up inside the next name's encoded word). The greeting names the unit.
    msg["To"] = list(to)
    if sender.reply_to:
        msg["Reply-To"] = sender.reply_to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body, charset="utf-8")
    for a in attachments:
        maintype, subtype = XLSM if a.filename.lower().endswith(".xlsm") else XLSX
        # filename only in Content-Disposition (RFC 2231 when Thai): adding a Thai `name`
        # to Content-Type makes Python 3.11 encode the content type itself.
        msg.add_attachment(a.file.data, maintype=maintype, subtype=subtype, filename=a.filename)
    return msg


def make_message_id(key: str, token: str, domain: str) -> str:
    """`<token.unit-U01@domain>`: unique per invocation (`token`), readable in a log."""
    slug = re.sub(r"[^A-Za-z0-9.-]", "-", key)
    return f"<{token}.{slug}@{domain}>"


# --- values --------------------------------------------------------------------------------


def _unique(addresses: Sequence[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for a in addresses:
        if a and a.lower() not in seen:
            seen[a.lower()] = a
    return tuple(seen.values())


def common_values(source: RunSource, sender: Sender, terms: ResubmitTerms) -> dict[str, str]:
    fw, rnd = source.framework, source.round
    extra = fw.settings.extra
    contact = extra.get("email_contact") or (
        "สอบถามเพิ่มเติม: " + (f"{sender.name} " if sender.name else "")
        + f"อีเมล {sender.reply_to or sender.address}"
    )  # fmt: skip
    return {
        "organisation": fw.settings.organisation,
        "fiscal_year": str(fw.settings.fiscal_year),
        "round_id": rnd.round_id,
        "round_name": rnd.name,
        "period": f"{format_date_th(rnd.period_start)} – {format_date_th(rnd.period_end)}",
        "as_of": format_date_th(source.as_of, full_month=True),
        "run_id": source.run_id,
        "due_date": due_date_th(fw, rnd.round_id, full_month=True),
        "late_penalty_per_day": decimal_text(fw.settings.late_penalty_per_day),
        "late_penalty_cap": decimal_text(fw.settings.late_penalty_cap),
        "contact": contact,
        "result_state": _state_text(source),
        "resubmit_by": (
            f" ภายในวันที่ {format_date_th(terms.closes, full_month=True)}"
            if terms.closes is not None and terms.still_open
            else "โดยเร็ว"
        ),
        "resubmit_terms": terms.text_th,
        "accepted_until": terms.accepted_th,
        "penalty_from": terms.penalty_th,
    }


def _state_text(source: RunSource) -> str:
    """'ผลก่อนอุทธรณ์ (ยังไม่เป็นที่สุด)' or 'ผลหลังอุทธรณ์ (ผลสุดท้าย)', by the rule of
    `scoring.appeal_state` (an `--appeal-deadline` given now counts as the framework's)."""
    deadline = deadline_setting(source.framework.settings.extra)
    return appeal_state(source.appeals_applied, deadline, source.as_of).th


def _unit_values(source: RunSource, row: UnitRow) -> dict[str, str]:
    fw = source.framework
    bands = {b.band_id: b.name for b in fw.bands}
    try:
        cluster_name = fw.cluster(row.cluster_id).name
    except KeyError:
        cluster_name = row.cluster_id
    n_ranked = sum(1 for r in source.scores if r.rank)
    n_cluster = sum(1 for r in source.scores if r.rank and r.cluster_id == row.cluster_id)
    rank_text = "-"
    if row.rank:
        rank_text = f"{row.rank} จาก {n_ranked} หน่วยงาน"
        if row.cluster_rank:
            within = cluster_name if cluster_name.startswith("กลุ่ม") else f"กลุ่ม{cluster_name}"
            rank_text += f" ({row.cluster_rank} จาก {n_cluster} ใน{within})"
    return {
        "unit_id": row.unit_id,
        "unit_name": fw.unit(row.unit_id).name,
        "cluster_id": row.cluster_id,
        "cluster_name": cluster_name,
        "pre_appeal_score": row.pre_appeal_score or "-",
        "total_before_deduction": row.total_before_deduction or "-",
        "deduction": row.deduction or "-",
        "final_score": row.final_score or "-",
        "band": row.band or "-",
        "band_name": bands.get(row.band, row.band) or "-",
        "rank": row.rank or "-",
        "cluster_rank": row.cluster_rank or "-",
        "n_ranked": str(n_ranked),
        "rank_text": rank_text,
        "days_late": row.days_late or "0",
    }


def _counts(rows: Sequence[UnitRow]) -> dict[str, str]:
    statuses = [r.status for r in rows]
    return {
        "n_units": str(len(rows)),
        "n_scored": str(statuses.count("scored")),
        "n_missing": str(statuses.count("missing")),
        "n_rejected": str(statuses.count("rejected")),
    }


def _date_text(raw: str) -> str:
    """A settings date (ISO, d/m/yyyy, `25 มี.ค. 2567`) in Thai; other text as typed."""
    day = parse_date(raw)
    return format_date_th(day, full_month=True) if day is not None else raw.strip()


def _attachment_lines(attachments: Sequence[Attachment]) -> str:
    if not attachments:
        return "- (ไม่มีไฟล์แนบ)"
    return "\n".join(f"- {a.filename} — {a.description}" for a in attachments)


def _returned_files(source: RunSource, plan: MessagePlan) -> dict[str, list[Attachment]]:
    """unit_id -> marked-up copies of its flagged files, from the intake register."""
    found: dict[str, list[Attachment]] = defaultdict(list)
    for item in source.inputs:
        if item.status not in RETURNED_FOR:
            continue
        rel = source.layout.returned(item.path)
        file = source.files.get(rel)
        if file is None:
            continue  # intake found nothing to mark (no issue with a place)
        if not item.unit_id:
            plan.problems.append(
                Problem(
                    "returned_unrouted",
                    f"{rel}: ไม่ทราบว่าเป็นของหน่วยงานใด จึงไม่ส่ง ให้ส่งคืนด้วยตนเอง / "
                    "returned file of an unknown unit; send it by hand",
                )
            )
            continue
        if item.status == "rejected":  # the fix is the blank template, not this file
            what = 'ไฟล์ที่ส่งมา พร้อมเหตุที่ไม่ผ่านการตรวจ (แผ่นงาน "แก้ไข") ใช้ดูเหตุผล'
        elif item.has_errors:
            what = 'ไฟล์ที่ส่งมา มีรายการที่ต้องแก้ไข (แผ่นงาน "แก้ไข") แก้ในไฟล์นี้แล้วส่งกลับได้'
        else:
            what = 'ไฟล์ที่ส่งมา มีข้อสังเกตให้ตรวจสอบ (แผ่นงาน "แก้ไข")'

        found[item.unit_id].append(Attachment(file.name, file, "returned", what))
    return found


def _returned_note(source: RunSource, unit_id: str, terms: ResubmitTerms, blank: bool) -> str:
    """For a scored unit: what its flagged or refused files mean for the score shown, and
    whether (and by when) a correction is taken; empty when nothing of it was flagged."""
    files = [i for i in source.inputs if i.unit_id == unit_id and i.status in RETURNED_FOR]
    if not files:
        return ""
    refused = [i.path for i in files if i.status == "rejected"]
    errors = [i.path for i in files if i.status != "rejected" and i.has_errors]
    lines = []
    if refused:
        where = "แบบรายงานผลเปล่าที่แนบมา" if blank else "แบบรายงานผลของหน่วยงาน"
        lines.append(
            f"ไฟล์ {', '.join(refused)} ไม่ผ่านการตรวจ จึงไม่ได้นำมาคิดคะแนน (ผลข้างต้นคิดจาก"
            f"ไฟล์ที่ผ่านการตรวจ) หากต้องการส่งแทน ให้กรอกผลใน{where}"
        )
    if errors:
        lines.append(
            "ไฟล์ของหน่วยงานมีรายการที่ต้องแก้ไข ตัวชี้วัดที่มีข้อผิดพลาดได้ 0 คะแนนในผลนี้ "
            'ดูรายการในแผ่นงาน "แก้ไข" ของไฟล์ที่ส่งคืน แก้ในไฟล์นั้นแล้วส่งกลับได้'
        )
    if not (refused or errors):
        lines.append(
            'ไฟล์ของหน่วยงานมีข้อสังเกตให้ตรวจสอบ (แผ่นงาน "แก้ไข" ของไฟล์ที่ส่งคืน) ถ้าข้อมูลถูกต้องแล้ว ไม่ต้องส่งใหม่'
        )
    lines.append(f"หากส่งไฟล์ฉบับแก้ไข: {terms.accepted_th}\n{terms.penalty_th}")
    return "\n".join(lines)


def _reasons(source: RunSource, unit_id: str) -> str:
    """The rejected files of a unit with their reasons, each reason once."""
    lines = []
    for item in source.inputs:
        if item.unit_id != unit_id or item.status != "rejected":
            continue
        reasons = list(dict.fromkeys(r.strip() for r in item.reasons.split("; ") if r.strip()))
        shown = reasons[:MAX_REASONS] or ["ดูรายละเอียดในไฟล์แนบ"]
        lines.append(f"- {item.path}:")
        lines += [f"    {r}" for r in shown]
        if len(reasons) > MAX_REASONS:
            lines.append(f"    และอีก {len(reasons) - MAX_REASONS} รายการ ดูไฟล์แนบ")
    return "\n".join(lines) or "- ดูรายละเอียดในไฟล์แนบ"


def _shared_addresses(source: RunSource) -> list[str]:
    """An address given to several units sees each of their results: say so."""
    owners: dict[str, list[str]] = defaultdict(list)
    for unit in source.framework.units:
        for address in unit.emails:
            owners[address.lower()].append(unit.unit_id)
    return [
        f"อีเมล {a} เป็นของหลายหน่วยงาน ({', '.join(u)}) จะได้รับผลของทุกหน่วยงานนั้น / "
        "address shared by several units"
        for a, u in owners.items()
        if len(u) > 1
    ]
