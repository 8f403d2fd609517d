"""The executive workbook's detail sheets: KPI heatmap, appeals, trend, completeness.

- `รายตัวชี้วัด (heatmap)`: scored units (league order) x KPIs (natural id order), the KPI
  score in each cell under a red-yellow-green scale from 0 through the target point to the
  top point. A unit that did not sign a KPI has a blank cell; an exempt KPI says so. The
  KPI names and each KPI's mean score are listed under the grid.
- `อุทธรณ์ (appeals)`: units whose final score differs from the pre-appeal score, by how
  much, and the applied appeal rows with their reason and reference; a note when none.
- `แนวโน้ม (trend)`: with history, the mean per run (organisation and clusters) as a table
  and a line chart, then every unit's final score per run; without, a note.
- `ความครบถ้วน (completeness)`: units that were late, sent nothing, sent only rejected
  files or corrected a rejected one, with the round's state across runs (`สถานะรอบนี้`:
  ส่งแล้ว / แก้แล้ว / รอแก้ไข / ยังไม่ส่ง) and the intake register's reasons, then every
  rejected file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from kpi_batch.history.round_state import RoundState
from kpi_batch.reports.executive_charts import trend_chart
from kpi_batch.reports.executive_style import (
    FILE_STATUS_TH,
    SCALE_HIGH,
    SCALE_LOW,
    SCALE_MID,
    Col,
    Styles,
    big_note,
    is_blank,
    page_title,
    status_th,
    text,
    write_table,
)
from kpi_batch.reports.stats import ALL, Run, run_means, score_changes, target_point, trend_scores
from kpi_batch.reports.status import unit_states
from kpi_batch.run_record import RunRecord
from kpi_batch.scoring.rounding import round_number
from kpi_batch.specs.adjustments import FIELD_TH
from kpi_batch.thai import date_shown_th, format_date_th
from kpi_batch.workbook_style import print_setup

HEATMAP, KPI_NAMES, APPEALS, TREND, COMPLETENESS = (
    "รายตัวชี้วัด (heatmap)",
    "ชื่อตัวชี้วัด (kpis)",
    "อุทธรณ์ (appeals)",
    "แนวโน้ม (trend)",
    "ความครบถ้วน (completeness)",
)
NO_HISTORY = "ยังไม่มีข้อมูลการประมวลผลครั้งก่อน"
NO_APPEALS = "ไม่มีการอุทธรณ์ในรอบนี้"


def natural_key(kpi_id: str) -> tuple[tuple[int, int | str], ...]:
    """1.2 < 1.10 < 2 < 10: numbers compare as numbers, anything else as text after them."""
    parts = re.split(r"[.\-_ ]", kpi_id)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


# --- heatmap ---------------------------------------------------------------------------


def heatmap_sheet(wb: xlsxwriter.Workbook, styles: Styles, ctx: RunRecord) -> None:
    ws = wb.add_worksheet(HEATMAP)
    settings = ctx.framework.settings
    kpis = ctx.scored.kpi_scores
    units = ctx.scored.unit_scores
    scored = units[units["status"] == "scored"]
    if kpis.empty or scored.empty:
        big_note(ws, styles, 0, "ยังไม่มีหน่วยงานที่ได้รับคะแนน", "(no scored units)")
        print_setup(ws, page_title(ctx, "รายตัวชี้วัด"), repeat_header=False)
        return
    kpi_ids = sorted(dict.fromkeys(kpis["kpi_id"]), key=natural_key)
    cells = {
        (u, k): (s, st)
        for u, k, s, st in zip(kpis["unit_id"], kpis["kpi_id"], kpis["score"], kpis["status"],
                               strict=True)
    }  # fmt: skip
    columns = [
        Col("unit_id", "รหัสหน่วยงาน", 13),
        Col("unit_name", "หน่วยงาน", 34, "wrap"),
        Col("final_score", "คะแนนสุดท้าย", 12, "score"),
        *(Col(k, "", 9, "heat") for k in kpi_ids),
    ]
    rows: list[list[Any]] = []
    exempt: dict[tuple[int, int], Format] = {}
    for r, rec in enumerate(scored.to_dict("records")):
        row: list[Any] = [rec["unit_id"], rec["unit_name"], rec["final_score"]]
        for c, k in enumerate(kpi_ids, start=3):
            score, status = cells.get((rec["unit_id"], k), (None, None))
            if status == "exempt":
                row.append("ยกเว้น")
                exempt[(r, c)] = styles.heat_exempt
            else:
                row.append(score)
        rows.append(row)
    end = write_table(ws, styles, 0, "heatmap", columns, rows, exempt)
    ws.conditional_format(
        1, 3, len(rows), 2 + len(kpi_ids),
        {"type": "3_color_scale",
         "min_type": "num", "min_value": 0, "min_color": SCALE_LOW,
         "mid_type": "num", "mid_value": float(target_point(settings.scale)),
         "mid_color": SCALE_MID,
         "max_type": "num", "max_value": float(settings.top_point), "max_color": SCALE_HIGH},
    )  # fmt: skip
    ws.freeze_panes(1, 3)
    ws.write_string(
        end, 0,
        "ช่องว่าง = หน่วยงานไม่มีตัวชี้วัดนี้ในคำรับรองฯ · ยกเว้น = ได้รับการยกเว้น (exempt) · "
        "0 = ไม่ได้รายงานผลหรือผลต่ำกว่าเกณฑ์",
        styles.note,
    )  # fmt: skip
    print_setup(ws, page_title(ctx, "รายตัวชี้วัด"))
    # The KPI names get their own sheet: under the heatmap they printed below its repeated
    # header (รหัสหน่วยงาน / คะแนนสุดท้าย), as if they were units.
    _kpi_names_sheet(wb.add_worksheet(KPI_NAMES), styles, ctx, kpi_ids)


def _kpi_names_sheet(ws: Worksheet, styles: Styles, ctx: RunRecord, kpi_ids: Sequence[str]) -> None:
    settings = ctx.framework.settings
    kpis = ctx.scored.kpi_scores
    rows = []
    for k in kpi_ids:
        mine = kpis[kpis["kpi_id"] == k]
        scores = [s for s in mine["score"] if s is not None]
        mean = (
            round_number(sum(map(Fraction, scores), Fraction(0)) / len(scores),
                         settings.decimals, settings.rounding)
            if scores else None
        )  # fmt: skip
        rows.append([k, str(mine["kpi_name"].iloc[0]), len(mine), mean])
    columns = (
        Col("kpi_id", "ตัวชี้วัด", 13),
        Col("kpi_name", "ชื่อตัวชี้วัด", 70, "wrap"),
        Col("units", "หน่วยงาน", 12, "count"),
        Col("mean", "คะแนนเฉลี่ย", 12, "score"),
    )
    write_table(ws, styles, 0, "kpis", columns, rows)
    print_setup(ws, page_title(ctx, "ชื่อตัวชี้วัด"))


# --- appeals ---------------------------------------------------------------------------

_APPEAL_WIDTHS = (13, 34, 19, 16, 14, 14, 40, 22)


def appeals_sheet(wb: xlsxwriter.Workbook, styles: Styles, ctx: RunRecord) -> None:
    ws = wb.add_worksheet(APPEALS)
    for c, width in enumerate(_APPEAL_WIDTHS):
        ws.set_column(c, c, width)
    applied = ctx.scored.adjustments
    rows = applied[applied["stage"] == "appeal"]
    changes = score_changes(ctx.scored.unit_scores)
    print_setup(ws, page_title(ctx, "อุทธรณ์"), repeat_header=False)
    if rows.empty and changes.empty:
        big_note(ws, styles, 0, f"{NO_APPEALS} คะแนนสุดท้ายเท่ากับคะแนนก่อนอุทธรณ์ทุกหน่วยงาน",
                 "(no appeals: final_score = pre_appeal_score for every unit)")  # fmt: skip
        return
    ws.write_string(0, 0, "หน่วยงานที่คะแนนเปลี่ยนหลังอุทธรณ์ (score changes)", styles.section)
    columns = (
        Col("unit_id", "รหัสหน่วยงาน", 13),
        Col("unit_name", "หน่วยงาน", 34, "wrap"),
        Col("pre_appeal_score", "ก่อนอุทธรณ์", 19, "score"),
        Col("final_score", "หลังอุทธรณ์", 16, "score"),
        Col("change", "เปลี่ยนไป", 14, "change"),
        Col("rank", "ลำดับรวม", 14, "count"),
    )
    table = [[rec[c.key] for c in columns] for rec in changes.to_dict("records")]
    if not table:
        table = [["", "ไม่มีหน่วยงานที่คะแนนเปลี่ยน (no score changed)", None, None, None, None]]
    top = write_table(ws, styles, 1, "score_changes", columns, table, widths=False) + 1
    ws.write_string(top, 0, "รายการอุทธรณ์ที่นำมาใช้ (applied appeals)", styles.section)
    names = {u.unit_id: u.name for u in ctx.framework.units}
    row_columns = (
        Col("unit_id", "รหัสหน่วยงาน", 13),
        Col("unit_name", "หน่วยงาน", 34, "wrap"),
        Col("kpi_id", "ตัวชี้วัด", 19),
        Col("field", "รายการ", 16, "wrap"),
        Col("old_value", "ค่าเดิม", 14, "wrap"),
        Col("new_value", "ค่าใหม่", 14, "wrap"),
        Col("reason", "เหตุผล", 40, "wrap"),
        Col("reference", "อ้างอิง", 22, "wrap"),
    )
    table = [
        [rec["unit_id"], names.get(rec["unit_id"], ""),
         "ทั้งหน่วยงาน" if rec["kpi_id"] == "*" else rec["kpi_id"],
         f"{FIELD_TH.get(rec['field'], rec['field'])} ({rec['field']})",
         date_shown_th(rec["old_value"]), date_shown_th(rec["new_value"]), rec["reason"],
         rec["reference"]]
        for rec in rows.to_dict("records")
    ]  # fmt: skip
    if not table:
        table = [["", "ไม่มีรายการอุทธรณ์ (no appeal rows)", "", "", "", "", "", ""]]
    write_table(ws, styles, top + 1, "appeals", row_columns, table, widths=False)


# --- trend -----------------------------------------------------------------------------


def trend_sheet(wb: xlsxwriter.Workbook, styles: Styles, ctx: RunRecord) -> None:
    ws = wb.add_worksheet(TREND)
    print_setup(ws, page_title(ctx, "แนวโน้ม"), repeat_header=False)
    history = ctx.history
    if history is None or history.empty or set(history["run_id"].astype(str)) <= {ctx.run_id}:
        english = "(no earlier runs yet: the trend starts with the next run of this fiscal year)"
        big_note(ws, styles, 0, NO_HISTORY, english)
        return
    fw, settings = ctx.framework, ctx.framework.settings
    units = ctx.scored.unit_scores
    runs, scores = trend_scores(history, units, Run(ctx.run_id, ctx.as_of, ctx.round.round_id))
    cluster_ids = [c.cluster_id for c in fw.clusters]
    cluster_of = {u.unit_id: u.cluster_id for u in fw.units}
    means = run_means(runs, scores, cluster_of, cluster_ids, settings.decimals, settings.rounding)
    ws.set_column(0, 0, 13)
    ws.set_column(1, 1, 34)
    ws.set_column(2, 2 + len(runs), 14)
    ws.freeze_panes(0, 2)

    ws.write_string(0, 0, "คะแนนเฉลี่ยในแต่ละครั้งที่ประมวลผล (run means)", styles.section)
    ws.write_string(1, 1, "ข้อมูล ณ วันที่ (as_of)", styles.text)
    ws.write_string(2, 1, "รอบการประเมิน (round_id)", styles.text)
    for c, run in enumerate(runs, start=2):
        ws.write_string(1, c, format_date_th(run.as_of), styles.text)
        ws.write_string(2, c, run.round_id, styles.text)
    run_cols = [Col(run.run_id, "", 14, "score") for run in runs]
    columns = [Col("group_id", "รหัส", 13), Col("group", "ทั้งองค์กร / กลุ่ม", 34, "wrap"),
               *run_cols]  # fmt: skip
    by_run = means.set_index("run_id")
    series = [(ALL, "ทั้งองค์กร"), *((c.cluster_id, c.name) for c in fw.clusters)]
    table: list[list[Any]] = [[key or "all", name, *(by_run.at[run.run_id, key] for run in runs)]
             for key, name in series]  # fmt: skip
    end = write_table(ws, styles, 3, "run_means", columns, table, widths=False)
    last = 1 + len(runs)
    chart = trend_chart(
        wb, (TREND, 1, 2, 1, last),
        [((TREND, 4 + i, 1), (TREND, 4 + i, 2, 4 + i, last)) for i in range(len(series))],
        settings.top_point,
    )  # fmt: skip
    ws.insert_chart(end + 1, 0, chart, {"x_offset": 4, "y_offset": 4})

    top = end + 1 + 20
    ws.set_h_pagebreaks([top])
    ws.write_string(top, 0, "คะแนนสุดท้ายรายหน่วยงานในแต่ละครั้ง (unit scores by run)",
                    styles.section)  # fmt: skip
    names = {u.unit_id: u.name for u in fw.units}
    columns = [Col("unit_id", "รหัสหน่วยงาน", 13), Col("unit_name", "หน่วยงาน", 34, "wrap"),
               *run_cols, Col("change", "เปลี่ยนจากครั้งก่อน", 14, "change")]  # fmt: skip
    unit_rows: list[list[Any]] = []
    for unit, per in scores.items():
        values = [per.get(run.run_id) for run in runs]
        change = None if None in values[-2:] else values[-1] - values[-2]  # type: ignore[operator]
        unit_rows.append([unit, names.get(unit, ""), *values, change])
    ws.set_column(2 + len(runs), 2 + len(runs), 14)
    write_table(ws, styles, top + 1, "unit_trend", columns, unit_rows, widths=False)


# --- completeness ----------------------------------------------------------------------

_COMPLETENESS_WIDTHS = (13, 30, 20, 22, 12, 10, 11, 20, 34)
_STATUS_ORDER = {"rejected": 0, "missing": 1, "scored": 2}


def completeness_sheet(wb: xlsxwriter.Workbook, styles: Styles, ctx: RunRecord) -> None:
    ws = wb.add_worksheet(COMPLETENESS)
    for c, width in enumerate(_COMPLETENESS_WIDTHS):
        ws.set_column(c, c, width)
    print_setup(ws, page_title(ctx, "ความครบถ้วน"), repeat_header=False)
    units = ctx.scored.unit_scores
    states = {u: s.state for u, s in unit_states(ctx).items()}
    late = units["days_late"].fillna(0).astype(int)
    # a unit that corrected a rejected file this round is shown too: it cost a resubmission
    corrected = units["unit_id"].map(lambda u: states.get(u) is RoundState.CORRECTED)
    incomplete = units[(units["status"] != "scored") | (late > 0) | corrected].assign(_late=late)
    incomplete = incomplete.assign(_order=incomplete["status"].map(_STATUS_ORDER).fillna(3))
    incomplete = incomplete.sort_values(["_order", "_late", "unit_id"],
                                        ascending=[True, False, True], kind="stable")  # fmt: skip
    register = ctx.inputs
    files = _register_by_unit(register)
    clusters = {c.cluster_id: c.name for c in ctx.framework.clusters}
    ws.write_string(0, 0, "หน่วยงานที่ส่งล่าช้า ไม่ได้ส่ง หรือไฟล์ไม่ผ่านการตรวจสอบ "
                    "(late, missing, rejected)", styles.section)  # fmt: skip
    if incomplete.empty:
        big_note(ws, styles, 1, "ทุกหน่วยงานส่งผลการดำเนินงานครบและตรงเวลา",
                 "(every unit sent its results on time)")  # fmt: skip
        top = 3
    else:
        columns = (
            Col("unit_id", "รหัสหน่วยงาน", 13),
            Col("unit_name", "หน่วยงาน", 30, "wrap"),
            Col("cluster", "กลุ่มหน่วยงาน", 20, "wrap"),
            Col("status", "สถานะ", 22, "wrap"),
            Col("round_state", "สถานะรอบนี้", 12, "wrap"),
            Col("days_late", "วันล่าช้า", 10, "count"),
            Col("deduction", "หักคะแนน", 11, "score"),
            Col("files", "ไฟล์ที่ได้รับ", 20, "wrap"),
            Col("reasons", "เหตุผล", 34, "wrap"),
        )
        table = []
        for rec in incomplete.to_dict("records"):
            statuses, reasons = files.get(str(rec["unit_id"]), ([], []))
            table.append([
                rec["unit_id"], rec["unit_name"],
                clusters.get(rec["cluster_id"], rec["cluster_id"]),
                status_th(rec["status"], rec["days_late"]),
                _state_text(states.get(str(rec["unit_id"]))),
                None if rec["status"] != "scored" else int(rec["_late"]),
                rec["deduction"], _count_statuses(statuses) or "ไม่มีไฟล์", "; ".join(reasons),
            ])  # fmt: skip
        top = write_table(ws, styles, 1, "completeness", columns, table, widths=False) + 1
    _rejected_files(ws, styles, register, top)


def _state_text(state: RoundState | None) -> str:
    return "-" if state is None else state.value


def _register_by_unit(register: pd.DataFrame) -> dict[str, tuple[list[str], list[str]]]:
    """unit_id -> (file statuses, reasons of files rejected or ignored) from the register.

    A superseded file's reason (a newer file came) says nothing about completeness.
    """
    out: dict[str, tuple[list[str], list[str]]] = {}
    for rec in register.to_dict("records"):
        unit = text(rec.get("unit_id"))
        status = text(rec.get("status"))
        statuses, reasons = out.setdefault(unit, ([], []))
        statuses.append(status)
        if status in ("rejected", "ignored") and text(rec.get("reasons")):
            reasons.append(text(rec.get("reasons")))
    return out


def _count_statuses(statuses: Sequence[str]) -> str:
    counts: dict[str, int] = {}
    for s in statuses:
        counts[s] = counts.get(s, 0) + 1
    return ", ".join(f"{FILE_STATUS_TH.get(s, s)} {n}" for s, n in counts.items())


def _rejected_files(ws: Worksheet, styles: Styles, register: pd.DataFrame, top: int) -> None:
    if "status" not in register.columns:
        return
    rejected = register[register["status"].astype(str) == "rejected"]
    ws.write_string(top, 0, "ไฟล์ที่ไม่รับ (rejected files)", styles.section)
    if rejected.empty:
        ws.write_string(top + 1, 0, "ไม่มีไฟล์ที่ไม่รับ (no rejected files)", styles.note)
        return
    columns = (
        Col("unit_id", "รหัสหน่วยงาน", 13),
        Col("path", "ไฟล์", 30, "wrap"),
        Col("errors", "ข้อผิดพลาด", 20, "count"),
        Col("reasons", "เหตุผล", 22, "wrap"),
    )
    table = [
        [text(rec.get("unit_id")), text(rec.get("path")),
         None if is_blank(rec.get("errors")) else rec.get("errors"), text(rec.get("reasons"))]
        for rec in rejected.to_dict("records")
    ]  # fmt: skip
    write_table(ws, styles, top + 1, "rejected_files", columns, table, widths=False)
