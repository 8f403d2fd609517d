"""What every result print carries so that a reader acts on it rightly.

- `result_state(ctx)`: pre-appeal or final (the rule is in `scoring.appeal_state`), shown as
  `ผลก่อนอุทธรณ์ (ยังไม่เป็นที่สุด)` / `ผลหลังอุทธรณ์ (ผลสุดท้าย)` on the HR, executive and unit
  workbooks and in the e-mails.
- `deduction_reasons(ctx)`: per unit, why its deduction is what it is, in Thai: the
  submission's own days late and each extra late item with its reason, so a 0.1000
  deduction with 0 days late is explained on the same row.
- `sign_off(ws, ...)`: ผู้จัดทำ / ผู้ตรวจสอบ / ผู้อนุมัติ with signature and date lines, at the
  foot of the HR and executive prints (the committee signs a paper copy).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from xlsxwriter.worksheet import Worksheet

from kpi_batch.run_record import RunRecord
from kpi_batch.scoring.appeal_state import AppealState, appeal_state, deadline_setting
from kpi_batch.scoring.explain import num
from kpi_batch.thai import format_date_th

SIGNERS = ("ผู้จัดทำ", "ผู้ตรวจสอบ", "ผู้อนุมัติ")
SIGN_LINE = "ลงชื่อ ........................................"
NAME_LINE = "(........................................)"
POSITION_LINE = "ตำแหน่ง ....................................."
DATE_LINE = "วันที่ ........ / ........ / ........"


def appeals_applied(ctx: RunRecord) -> bool:
    applied = ctx.scored.adjustments
    return bool((applied["stage"] == "appeal").any()) if not applied.empty else False


def result_state(ctx: RunRecord) -> AppealState:
    deadline = deadline_setting(ctx.framework.settings.extra)
    return appeal_state(appeals_applied(ctx), deadline, ctx.as_of)


def state_line(ctx: RunRecord) -> str:
    """The mark and what it means for the reader, one line."""
    state = result_state(ctx)
    deadline = deadline_setting(ctx.framework.settings.extra)
    if state == AppealState.FINAL:
        return f"{state.th}: ผ่านขั้นตอนอุทธรณ์แล้ว ใช้เป็นผลคะแนนของรอบนี้"
    until = f" ภายในวันที่ {format_date_th(deadline)}" if deadline else ""
    return f"{state.th}: หน่วยงานยังอุทธรณ์ได้{until} คะแนนอาจเปลี่ยนหลังพิจารณาอุทธรณ์"


def deduction_reasons(ctx: RunRecord) -> dict[str, str]:
    """unit_id -> 'ส่งรายงานช้า 3 วัน −0.1500 · รายการส่งช้าเพิ่มเติม 2 วัน −0.1000 (เหตุผล)';
    units with no deduction are absent."""
    by_unit: dict[str, list[Mapping[Any, Any]]] = defaultdict(list)
    for record in ctx.scored.late_items.to_dict("records"):
        by_unit[str(record["unit_id"])].append(record)
    out = {u: late_items_text(items) for u, items in by_unit.items()}
    return {u: text for u, text in out.items() if text}


def late_items_text(items: Iterable[Mapping[Any, Any]]) -> str:
    """Each charged late item (`late_items` rows: item, days, penalty, reason) in Thai."""
    parts = []
    for record in items:
        penalty = record.get("penalty")
        if not isinstance(penalty, Decimal) or penalty == 0:
            continue
        own = record.get("item") == "submission"
        what = "ส่งรายงานช้า" if own else "รายการส่งช้าเพิ่มเติม"
        text = f"{what} {int(record.get('days') or 0)} วัน −{num(penalty)}"
        reason = str(record.get("reason") or "").strip()
        if not own and reason:
            text += f" ({reason})"
        parts.append(text)
    return " · ".join(parts)


def sign_off(
    ws: Worksheet, row: int, first_col: int, span: int, label_style: object, line_style: object
) -> int:
    """Three signature blocks side by side from `first_col`, each `span` columns wide;
    returns the row after the block."""
    lines = (SIGN_LINE, NAME_LINE, POSITION_LINE, DATE_LINE)
    for i, who in enumerate(SIGNERS):
        col = first_col + i * span
        last = col + span - 1
        _merged(ws, row, col, last, who, label_style)
        for j, text in enumerate(lines, start=1):
            _merged(ws, row + j, col, last, text, line_style)
    for j in range(len(lines) + 1):
        ws.set_row(row + j, 24)
    return row + len(lines) + 1


def _merged(ws: Worksheet, row: int, col: int, last: int, text: str, style: object) -> None:
    if last > col:
        ws.merge_range(row, col, row, last, "", style)
    ws.write_string(row, col, text, style)
