"""What `kpi-batch email` shows: who gets what, what went wrong. Formats only; the CLI prints."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from kpi_batch.deliver.batch import STATE_TH, Prepared, SendOutcome
from kpi_batch.deliver.log import Delivery
from kpi_batch.deliver.messages import KIND_TH
from kpi_batch.deliver.smtp import SmtpConfig
from kpi_batch.run_layout import RunLayout

_STYLE = {
    "ready": "",
    "delivered": "green",
    "partial": "yellow",
    "problem": "bold red",
    "sent": "green",
    "failed": "bold red",
    "not_sent": "bold red",
    "skipped": "green",
}


def plan_renderables(prepared: Prepared) -> Iterator[RenderableType]:
    source, plan = prepared.source, prepared.plan
    yield Text(
        f"ส่งผลการประมวลผล / run {source.run_id} · ผู้ส่ง / from {prepared.sender.address}",
        style="bold",
    )
    table = Table(show_lines=False)
    for heading in ("#", "ผู้รับ / to", "อีเมล / address", "เรื่อง / kind",
                    "ไฟล์แนบ / attachments", "สถานะ / status"):  # fmt: skip
        table.add_column(heading, overflow="fold")
    for m in plan.messages:
        state = prepared.state(m)
        table.add_row(
            str(m.number),
            m.label,
            "\n".join(m.to) or "-",
            KIND_TH.get(m.template, m.template),
            "\n".join(a.filename for a in m.attachments) or "-",
            Text(STATE_TH[state], style=_STYLE[state]),
        )
    yield table
    yield from problem_renderables(prepared)


def problem_renderables(prepared: Prepared) -> Iterator[RenderableType]:
    plan = prepared.plan
    problems = plan.problems + [p for m in plan.messages for p in m.problems]
    if plan.blocked:
        yield Text(
            "การตรวจความลับไม่ผ่าน: จะไม่ส่งอีเมลใดเลยจนกว่าจะแก้ไข / confidentiality check "
            "failed: nothing will be sent",
            style="bold red",
        )
    for p in problems:
        style = "bold red" if p.blocks_all else "red"
        yield Text(f"✗ {p.message} [{p.code}]", style=style)
    for w in plan.warnings:
        yield Text(f"! {w}", style="yellow")


def dry_run_summary(prepared: Prepared, written: Sequence[object], outbox: str) -> str:
    n = len(prepared.plan.messages)
    return (
        f"ทดลองส่ง (ไม่ได้ส่งจริง): เขียนอีเมล {len(written)} ฉบับจาก {n} ที่ {outbox} — "
        f"ส่งจริงด้วย --send / dry run: wrote {len(written)} of {n} messages; nothing was sent"
    )


def send_renderables(outcome: SendOutcome, config: SmtpConfig) -> Iterator[RenderableType]:
    yield Text(f"ส่งผ่าน / via {config.describe()}", style="bold")
    table = Table()
    for heading in ("ข้อความ / message", "ผู้รับ / recipients", "สถานะ / status",
                    "ข้อผิดพลาด / error"):  # fmt: skip
        table.add_column(heading, overflow="fold")
    for r in outcome.results:
        table.add_row(r.key, _recipients(r), Text(STATE_TH[r.status], style=_STYLE[r.status]),
                      _errors(r))  # fmt: skip
    yield table
    sent = sum(1 for r in outcome.results if r.status == "sent")
    failed = len(outcome.results) - sent
    yield Text(
        f"ส่งสำเร็จ {sent} · ไม่สำเร็จ {failed} · ส่งแล้วก่อนหน้านี้ {len(outcome.skipped)} · "
        f"ส่งไม่ได้ {len(outcome.unsendable)} / sent {sent}, failed {failed}, already delivered "
        f"{len(outcome.skipped)}, not sendable {len(outcome.unsendable)}",
        style="bold" if outcome.ok else "bold red",
    )
    if not outcome.ok:
        yield Text(
            "รัน email --send อีกครั้งเพื่อส่งเฉพาะที่ยังไม่สำเร็จ "
            f"(บันทึกอยู่ที่ {RunLayout.DELIVERY_LOG_CSV}) / "
            "run email --send again to send only what is missing",
            style="yellow",
        )


def _recipients(r: Delivery) -> str:
    return "\n".join(
        f"{a} ✓" if a in r.delivered else (f"{a} ✗" if a in r.failed else a) for a in r.recipients
    )


def _errors(r: Delivery) -> str:
    lines = [f"{a}: {e}" for a, e in r.failed.items()]
    return "\n".join(lines) or r.error
