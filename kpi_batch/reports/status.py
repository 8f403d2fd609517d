"""The status workbook for planning staff: where each unit stands in the round, across runs.

    status_rows(ctx) -> list[StatusRow]
    write_status_workbook(ctx, path) -> Path

One sheet, `สถานะการส่ง (status)`, with the Excel table `status`: one row per unit with an
agreement, the ones to chase first (`รอแก้ไข`, then `ยังไม่ส่ง`, then `แก้แล้ว`, `ส่งแล้ว`),
framework order within each: unit, state, every file received in the round with its date
and outcome, the reason the last rejected file was refused, days late (this run's charge)
and the unit's contact addresses. The state comes from `history.round_state` over every
file the round's runs saw (this run's included), so a file rejected last month and
replaced this month shows as `แก้แล้ว`. Dates are Thai BE; A4 landscape; pinned bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import xlsxwriter

from kpi_batch.history.round_state import (
    CHASE_ORDER,
    RoundState,
    UnitState,
    round_states,
    state_counts,
)
from kpi_batch.history.schema import file_rows
from kpi_batch.reports.tables import Column, Styles, is_blank, write_table
from kpi_batch.reports.validation import STATUS_TH as FILE_STATUS_TH
from kpi_batch.run_record import RunRecord
from kpi_batch.thai import format_date_th
from kpi_batch.workbook_style import PINNED_CREATED, print_setup, workbook_options
from kpi_batch.workdays import due_date_th

SHEET = "สถานะการส่ง (status)"
TABLE = "status"
TITLE = "สถานะการส่งแบบรายงานผล"
# (fill, font) per state: green done, blue done after a correction, orange and red to chase.
STATE_COLOURS = {
    RoundState.SUBMITTED: ("#C6EFCE", "#006100"),
    RoundState.CORRECTED: ("#DDEBF7", "#1F4E78"),
    RoundState.TO_CORRECT: ("#FFC06A", "#5C3300"),
    RoundState.NOT_SENT: ("#FF9B9B", "#7A0000"),
}
COLUMNS = (
    Column("unit_id", "รหัสหน่วยงาน", 11),
    Column("unit_name", "หน่วยงาน", 30, "wrap"),
    Column("state", "สถานะรอบนี้", 13),
    Column("files", "ไฟล์ที่ได้รับ (วันที่รับ ผลการตรวจ)", 44, "wrap"),
    Column("last_issue", "ปัญหาล่าสุด", 40, "wrap"),
    Column("days_late", "วันส่งช้า", 9, "int"),
    Column("contact", "ติดต่อ", 26, "wrap"),
)


@dataclass(frozen=True)
class StatusRow:
    unit_id: str
    unit_name: str
    state: RoundState
    files: str
    last_issue: str
    days_late: int | None
    contact: str


def unit_states(ctx: RunRecord) -> dict[str, UnitState]:
    """The round's state of every unit with an agreement, in framework order."""
    files = ctx.round_files
    if files is None:  # no history: this run's register alone
        rows = file_rows(ctx.inputs)
        columns = ["seq", "run_id", "as_of", "path", "sha256", "unit_id", "status",
                   "modified", "received_on", "reasons"]  # fmt: skip
        files = pd.DataFrame([(1, ctx.run_id, ctx.as_of, *r) for r in rows], columns=columns)
    units = [u.unit_id for u in ctx.framework.units if ctx.framework.agreements.get(u.unit_id)]
    return round_states(files, units)


def status_rows(ctx: RunRecord, states: Mapping[str, UnitState] | None = None) -> list[StatusRow]:
    states = unit_states(ctx) if states is None else states
    late = _days_late(ctx.scored.unit_scores)
    rows = []
    for unit in ctx.framework.units:
        state = states.get(unit.unit_id)
        if state is None:
            continue
        rows.append(
            StatusRow(
                unit_id=unit.unit_id,
                unit_name=unit.name,
                state=state.state,
                files=_files_text(state),
                last_issue=state.last_issue,
                days_late=late.get(unit.unit_id),
                contact="\n".join(unit.emails) or "ไม่มีอีเมลในกรอบการประเมิน",
            )
        )
    order = {r.unit_id: i for i, r in enumerate(rows)}
    return sorted(rows, key=lambda r: (CHASE_ORDER[r.state], order[r.unit_id]))


def _files_text(state: UnitState) -> str:
    if not state.files:
        return "-"
    lines = []
    for f in state.files:
        when = format_date_th(f.received_on) if f.received_on else "ไม่ทราบวันที่"
        outcome = FILE_STATUS_TH.get(f.status, f.status)
        lines.append(f"{f.path} — {when} — {outcome}")
    return "\n".join(lines)


def _days_late(units: pd.DataFrame) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for unit_id, days in zip(units["unit_id"], units["days_late"], strict=True):
        out[str(unit_id)] = None if is_blank(days) else int(days)
    return out


def write_status_workbook(ctx: RunRecord, path: Path) -> Path:
    fw = ctx.framework
    states = unit_states(ctx)
    rows = status_rows(ctx, states)
    wb = xlsxwriter.Workbook(str(path), {**workbook_options(), "in_memory": True})
    wb.set_properties(
        {
            "title": f"{TITLE} {fw.settings.organisation} {ctx.round.name}",
            "author": "kpi_batch",
            "keywords": ctx.run_id,
            "created": PINNED_CREATED,
        }
    )
    styles = Styles(wb, fw.settings.decimals)
    ws = wb.add_worksheet(SHEET)
    counts = state_counts(states)
    lines = [
        f"{fw.settings.organisation} — {ctx.round.name} ({ctx.round.round_id}) "
        f"ปีงบประมาณ {fw.settings.fiscal_year}",
        f"ข้อมูล ณ วันที่ {format_date_th(ctx.as_of)} · กำหนดส่ง "
        f"{due_date_th(fw, ctx.round.round_id)} · รหัสการประมวลผล {ctx.run_id}",
        f"หน่วยงาน {len(rows)} แห่ง: " + " · ".join(f"{s.value} {n}" for s, n in counts.items()),
    ]
    last_col = len(COLUMNS) - 1
    ws.merge_range(0, 0, 0, last_col, "", styles.title)
    ws.write_string(0, 0, f"{TITLE} {ctx.round.name} ปีงบประมาณ {fw.settings.fiscal_year}",
                    styles.title)  # fmt: skip
    ws.set_row(0, 27)
    for i, line in enumerate(lines, start=1):
        ws.merge_range(i, 0, i, last_col, "", styles.subtitle)
        ws.write_string(i, 0, line, styles.subtitle)
    header = len(lines) + 2
    state_formats = {
        s: styles.custom(
            ("state", s), bg_color=bg, font_color=fg, bold=True, align="center", num_format="@"
        )
        for s, (bg, fg) in STATE_COLOURS.items()
    }
    values: list[Sequence[object]] = [
        [r.unit_id, r.unit_name, r.state.value, r.files, r.last_issue, r.days_late, r.contact]
        for r in rows
    ]
    cell_formats = [{2: state_formats[r.state]} for r in rows]
    end = write_table(ws, styles, header, TABLE, COLUMNS, values, cell_formats=cell_formats)
    ws.freeze_panes(header + 1, 2)
    print_setup(ws, f"{TITLE} {ctx.round.name} — {ctx.run_id}", repeat_header=False)
    ws.repeat_rows(header)
    ws.print_area(0, 0, end - 1, last_col)
    ws.activate()
    wb.close()
    return path
