"""The HR workbook: final unit scores, ranks and bands for the salary committee. ลับ.

    write_hr_workbook(ctx, path) -> Path

Sheets:
- `ผลคะแนน (hr)`: the Excel table `hr`, one row per unit of the framework in rank order,
  unscored units last with their status and empty score, band and rank cells. The header
  cells end with the DOMAIN §7 keys in their order (`คะแนนสุดท้าย (final_score)`), then
  two extra columns: `appeal_change` (final − pre-appeal) and `band_name`. `received_on`
  is shown as a Thai date and `date_source` with its Thai label (`ทะเบียนรับ (receipt)`);
  `date_to_confirm` marks a unit scored without a date that may charge lateness. Cells hold the
  ScoredRound's values (scores as numbers shown with `decimals` places, status as its key
  with the Thai label added by the number format). Band cells are filled by band order.
- one sheet per cluster (framework order), the same columns in cluster-rank order.
- `วิธีคำนวณ (notes)`: run id, round and period, as-of date (BE), framework fingerprint,
  the settings used, how a score is computed, band limits, and every input with its sha256.

ลับ (confidential) is shown above every table and at the top and bottom of every printed
page. Text from inputs is written as text (a unit named `=HYPERLINK(...)` is shown as
typed). Nothing is read from disk or the clock: the same context gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from kpi_batch.model import Framework
from kpi_batch.reports.marks import deduction_reasons, sign_off, state_line
from kpi_batch.reports.settings_text import (
    METHOD_TH,
    date_source_th,
    round_line,
    settings_rows,
)
from kpi_batch.reports.tables import (
    UNIT_STATUS_TH,
    Column,
    Styles,
    banner,
    confidential_print_setup,
    fast_row_height,
    is_blank,
    plain,
    write_table,
    write_value,
)
from kpi_batch.reports.validation import STATUS_TH as FILE_STATUS_TH
from kpi_batch.run_record import RunRecord
from kpi_batch.schemas.scoring import DATE_TO_CONFIRM, HR_COLUMNS
from kpi_batch.scoring.explain import num
from kpi_batch.scoring.rank import ordered_bands
from kpi_batch.scoring.rounding import pad
from kpi_batch.thai import format_date_th
from kpi_batch.workbook_style import PINNED_CREATED, workbook_options
from kpi_batch.workdays import due_date_th

HR_NAME = "hr.xlsx"
TABLE = "hr"
HR_SHEET = "ผลคะแนน (hr)"
NOTES_SHEET = "วิธีคำนวณ (notes)"
TITLE = "ผลคะแนนตามคำรับรองการปฏิบัติราชการ"

COLUMNS: tuple[Column, ...] = (
    Column("unit_id", "รหัสหน่วยงาน", 11),
    Column("unit_name", "หน่วยงาน", 27, "wrap"),
    Column("cluster_id", "รหัสกลุ่ม", 9),
    Column("cluster_name", "ชื่อกลุ่มหน่วยงาน", 22, "wrap"),
    Column("pre_appeal_score", "คะแนนก่อนอุทธรณ์ (ผลที่ประกาศก่อน)", 15, "score_earlier"),
    Column("deduction", "หักคะแนน", 10, "score"),
    Column("final_score", "คะแนนสุดท้าย", 11, "score"),
    Column("band", "รหัสกลุ่มคะแนน", 11, band=True),
    Column("band_name", "กลุ่มคะแนน", 13, "wrap", band=True),
    Column("rank", "อันดับ", 7, "int"),
    Column("cluster_rank", "อันดับในกลุ่ม", 12, "int"),
    Column("days_late", "วันส่งช้า", 9, "int"),
    Column("status", "สถานะ", 19, "status"),
    Column("total_before_deduction", "คะแนนรวมก่อนหัก", 16, "score"),
    Column("received_on", "วันที่รับ", 12),
    Column("date_source", "ที่มาของวันที่รับ", 19, "wrap"),
    Column("appeal_change", "เปลี่ยนแปลงหลังอุทธรณ์", 13, "change"),
    Column("deduction_reasons", "เหตุที่หักคะแนน", 28, "wrap"),
)
# The DOMAIN §7 keys appear in their order; the Thai names sit next to their ids.
assert [c.key for c in COLUMNS if c.key in HR_COLUMNS] == list(HR_COLUMNS)


def write_hr_workbook(ctx: RunRecord, path: Path) -> Path:
    """Write the HR workbook to `path` (a folder gets `hr.xlsx`); returns the file."""
    target = path / HR_NAME if path.is_dir() else path
    target.parent.mkdir(parents=True, exist_ok=True)
    fw = ctx.framework
    rows = hr_rows(ctx)
    band_index = {b.band_id: i for i, b in enumerate(ordered_bands(fw.bands))}

    wb = xlsxwriter.Workbook(str(target), {**workbook_options(), "in_memory": True})
    wb.set_properties(
        {
            "title": f"{TITLE} {fw.settings.organisation} {ctx.round.name}",
            "subject": "ลับ (confidential)",
            "author": "kpi_batch",
            "keywords": ctx.run_id,
            "created": PINNED_CREATED,
        }
    )
    styles = Styles(wb, fw.settings.decimals, len(fw.bands))
    main = wb.add_worksheet(HR_SHEET)
    _scores_sheet(ctx, main, styles, TABLE, rows, band_index, _lines(ctx, rows), with_sign_off=True)
    main.activate()
    for i, (cluster_id, sheet_name) in enumerate(_cluster_sheets(fw), start=1):
        members = [r for r in rows if r["cluster_id"] == cluster_id]
        members.sort(key=lambda r: (is_blank(r["cluster_rank"]), _rank_key(r["cluster_rank"])))
        cluster = fw.cluster(cluster_id)
        ws = wb.add_worksheet(sheet_name)
        lines = [f"กลุ่มหน่วยงาน {cluster.name} ({cluster.cluster_id})", *_lines(ctx, members)]
        _scores_sheet(ctx, ws, styles, f"cluster_{i}", members, band_index, lines)
    _notes_sheet(ctx, wb.add_worksheet(NOTES_SHEET), styles)
    wb.close()
    return target


def hr_rows(ctx: RunRecord) -> list[dict[str, Any]]:
    """One dict per unit, in the ScoredRound's order (rank order, unscored last)."""
    units = ctx.scored.unit_scores
    reasons = deduction_reasons(ctx)
    cluster_names = {c.cluster_id: c.name for c in ctx.framework.clusters}
    out = []
    for record in units.to_dict("records"):
        row = {key: plain(record.get(key)) for key in HR_COLUMNS}
        if row["received_on"] is not None:
            row["received_on"] = format_date_th(row["received_on"])
        row["date_source"] = date_source_th(row["date_source"])
        pre, final = row["pre_appeal_score"], row["final_score"]
        row["appeal_change"] = final - pre if final is not None and pre is not None else None
        row["band_name"] = plain(record.get("band_name"))
        row["cluster_name"] = cluster_names.get(row["cluster_id"])
        row["deduction_reasons"] = (
            reasons.get(row["unit_id"]) if row["status"] == "scored" else None
        )
        out.append(row)
    return out


def _rank_key(value: Any) -> int:
    return 0 if value is None else int(value)


def _lines(ctx: RunRecord, rows: Sequence[dict[str, Any]]) -> list[str]:
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in UNIT_STATUS_TH}
    count_line = f"หน่วยงาน {len(rows)} แห่ง: " + " · ".join(
        f"{label} {counts[s]}" for s, label in UNIT_STATUS_TH.items()
    )
    return [
        state_line(ctx),
        f"{round_line(ctx)} · ข้อมูล ณ วันที่ {format_date_th(ctx.as_of)} · รหัสการประมวลผล {ctx.run_id}",
        count_line,
        ARITHMETIC_LINE,
        band_legend(ctx),
    ]


ARITHMETIC_LINE = (
    "คะแนนสุดท้าย = คะแนนรวมก่อนหัก − หักคะแนน (ไม่ต่ำกว่า 0) · คะแนนก่อนอุทธรณ์ (ตัวเอียงสีเทา) "
    "เป็นผลที่ประกาศก่อนพิจารณาอุทธรณ์ หักคะแนนแล้ว ไม่ใช่ตัวตั้งของการหัก · "
    "เหตุที่หักคะแนนอยู่ในคอลัมน์สุดท้าย"
)


def band_legend(ctx: RunRecord) -> str:
    """'กลุ่มคะแนน: ดีเด่น (excellent) 4.7500 ขึ้นไป · ดีมาก (very_good) 4.2500 ถึงต่ำกว่า 4.7500 · ...'"""
    d = ctx.framework.settings.decimals
    parts = []
    for band_id, name, lower, upper in ctx.scored.band_limits[
        ["band_id", "name", "lower", "upper"]
    ].itertuples(index=False, name=None):
        lo = None if is_blank(lower) else f"{pad(lower, d):f}"
        hi = None if is_blank(upper) else f"{pad(upper, d):f}"
        if lo is not None and hi is not None:
            span = f"{lo} ถึงต่ำกว่า {hi}"
        elif lo is not None:
            span = f"{lo} ขึ้นไป"
        else:
            span = f"ต่ำกว่า {hi}" if hi is not None else "-"
        parts.append(f"{name} ({band_id}) {span}")
    return "กลุ่มคะแนน: " + (" · ".join(parts) if parts else "ไม่ได้กำหนด")


def _scores_sheet(
    ctx: RunRecord,
    ws: Worksheet,
    styles: Styles,
    table: str,
    rows: Sequence[dict[str, Any]],
    band_index: dict[str, int],
    lines: Sequence[str],
    with_sign_off: bool = False,
) -> None:
    fw = ctx.framework
    title = f"{TITLE} {fw.settings.organisation} ปีงบประมาณ {fw.settings.fiscal_year}"
    header_row = banner(ws, styles, [c.width for c in COLUMNS], title, lines)
    values = [[r[c.key] for c in COLUMNS] for r in rows]
    bands = [band_index.get(r["band"]) if r["band"] is not None else None for r in rows]
    end = write_table(ws, styles, header_row, table, COLUMNS, values, bands=bands)
    if with_sign_off:
        end = sign_off(ws, end + 1, 1, 4, styles.label, styles.subtitle)
    ws.freeze_panes(header_row + 1, 2)
    confidential_print_setup(
        ws, f"{TITLE} {ctx.round.name} ปีงบประมาณ {fw.settings.fiscal_year}", ctx.run_id,
        header_row=header_row, area=(1, 0, end - 1, len(COLUMNS) - 1),
    )  # fmt: skip


def _cluster_sheets(fw: Framework) -> list[tuple[str, str]]:
    """(cluster_id, sheet name) in framework order; names made valid and unique."""
    used = {HR_SHEET.lower(), NOTES_SHEET.lower()}
    out = []
    for cluster in fw.clusters:
        base = re.sub(r"[\[\]:*?/\\]", "_", f"กลุ่ม {cluster.cluster_id}").strip("'")[:28]
        name, n = base, 2
        while name.lower() in used:
            name, n = f"{base[:25]} ({n})", n + 1
        used.add(name.lower())
        out.append((cluster.cluster_id, name))
    return out


# --- notes -----------------------------------------------------------------------------

_INPUT_COLUMNS = (
    Column("path", "ไฟล์", 46, "wrap"),
    Column("unit_id", "รหัสหน่วยงาน", 16),
    Column("status", "สถานะ", 24, "wrap"),
    Column("sha256", "ค่าตรวจสอบ", 68),
)
_BAND_COLUMNS = (
    Column("band_id", "รหัสกลุ่ม", 46, band=True),
    Column("name", "ชื่อกลุ่มคะแนน", 14, band=True),
    Column("lower", "คะแนนตั้งแต่", 16, "score"),
    Column("upper", "ถึงต่ำกว่า", 70, "score"),
)
# The notes sheet's four columns serve the facts (label | value over B:D) and both tables.
_NOTE_WIDTHS = tuple(c.width for c in _INPUT_COLUMNS)
_NOTE_LABEL_WIDTH = _NOTE_WIDTHS[0]
_NOTE_VALUE_WIDTH = sum(_NOTE_WIDTHS[1:])


def _notes_sheet(ctx: RunRecord, ws: Worksheet, styles: Styles) -> None:
    fw = ctx.framework
    title = f"{TITLE} — วิธีคำนวณและข้อมูลที่ใช้"
    row = banner(ws, styles, _NOTE_WIDTHS, title, [f"รหัสการประมวลผล {ctx.run_id}"])
    for col, width in enumerate(_NOTE_WIDTHS):
        ws.set_column(col, col, width)

    row = _section(ws, styles, row, "การประมวลผล (run)")
    period = f"{format_date_th(ctx.round.period_start)} – {format_date_th(ctx.round.period_end)}"
    facts = [
        ("รหัสการประมวลผล (run_id)", ctx.run_id),
        ("ส่วนราชการ (organisation)", fw.settings.organisation),
        ("ปีงบประมาณ (fiscal_year)", str(fw.settings.fiscal_year)),
        ("รอบการประเมิน (round_id)", f"{ctx.round.name} ({ctx.round.round_id})"),
        ("ช่วงเวลาของรอบ (period)", period),
        ("วันตัดข้อมูล (data_cutoff)", format_date_th(ctx.round.data_cutoff)),
        ("กำหนดส่ง (due_date)", due_date_th(fw, ctx.round.round_id)),
        ("ข้อมูล ณ วันที่ (as_of)", format_date_th(ctx.as_of, full_month=True)),
        ("รหัสกรอบการประเมิน (framework_fingerprint)", fw.fingerprint or "-"),
        ("ไฟล์กรอบการประเมิน (framework)", fw.source or "-"),
        ("รุ่นโปรแกรม (package_version)", ctx.package_version or "-"),
    ]
    row = _facts(ws, styles, row, facts)
    row = _section(ws, styles, row + 1, "การตั้งค่าที่ใช้ (settings)")
    row = _facts(ws, styles, row, settings_rows(fw.settings))
    row = _section(ws, styles, row + 1, "วิธีคำนวณ (method)")
    for i, text in enumerate(METHOD_TH, start=1):
        line = f"{i}. {text}"
        ws.merge_range(row, 0, row, len(_NOTE_WIDTHS) - 1, "", styles.note)
        ws.write_string(row, 0, line, styles.note)
        ws.set_row(row, fast_row_height([(line, sum(_NOTE_WIDTHS))]))
        row += 1

    row = _section(ws, styles, row + 1, "วันที่รับที่ต้องยืนยัน (date_to_confirm)")
    for line in dates_to_confirm_lines(ctx.scored.unit_scores):
        ws.merge_range(row, 0, row, len(_NOTE_WIDTHS) - 1, "", styles.note)
        ws.write_string(row, 0, line, styles.note)
        ws.set_row(row, fast_row_height([(line, sum(_NOTE_WIDTHS))]))
        row += 1

    pending = awaiting_decision_lines(ctx.scored.kpi_scores, ctx.scored.unit_scores)
    if pending:  # only when there are some: a provisional total must not pass unnoticed
        row = _section(ws, styles, row + 1, "ตัวชี้วัดที่แจ้งไม่มีผล (N/A) รอพิจารณา (awaiting decision)")
        for line in pending:
            ws.merge_range(row, 0, row, len(_NOTE_WIDTHS) - 1, "", styles.note)
            ws.write_string(row, 0, line, styles.note)
            ws.set_row(row, fast_row_height([(line, sum(_NOTE_WIDTHS))]))
            row += 1

    row = _section(ws, styles, row + 1, "กลุ่มคะแนนในรอบนี้ (bands)")
    band_index = {b.band_id: i for i, b in enumerate(ordered_bands(fw.bands))}
    limits = ctx.scored.band_limits
    band_rows = [
        [plain(v) for v in r]
        for r in limits[["band_id", "name", "lower", "upper"]].itertuples(index=False, name=None)
    ]
    row = write_table(
        ws, styles, row, "bands", _BAND_COLUMNS, band_rows,
        bands=[band_index.get(str(r[0])) for r in band_rows], set_widths=False,
    )  # fmt: skip

    row = _section(ws, styles, row + 1, "ไฟล์ข้อมูลนำเข้า (inputs)")
    end = write_table(
        ws, styles, row, "inputs", _INPUT_COLUMNS, _input_rows(ctx.inputs), set_widths=False
    )
    confidential_print_setup(ws, title, ctx.run_id, area=(1, 0, end - 1, len(_NOTE_WIDTHS) - 1))


def dates_to_confirm_lines(units: pd.DataFrame) -> list[str]:
    """The units scored without a date that may charge lateness (DOMAIN §3.6): not
    charged until staff confirm the date; one line each, or one line saying there are none."""
    undated = units[units["date_source"] == DATE_TO_CONFIRM]
    if undated.empty:
        return ["ไม่มี: ทุกหน่วยงานที่ได้คะแนนมีวันที่รับจากทะเบียนรับ อีเมล หรือแบบรายงาน (none)"]
    lines = [
        f"{r.unit_id} {r.unit_name}: ไม่มีวันที่รับที่ใช้คิดการส่งล่าช้าได้ จึงยังไม่หักคะแนนส่งล่าช้า "
        "(วันที่แก้ไขไฟล์ไม่ใช้คิด) — ยืนยันด้วยทะเบียนรับ (--receipts) หรือ submitted_on ในไฟล์ทบทวน/อุทธรณ์"
        for r in undated.itertuples()
    ]
    return lines


def awaiting_decision_lines(kpis: pd.DataFrame, units: pd.DataFrame) -> list[str]:
    """One line per unit with KPIs marked N/A that no one has decided on yet (DOMAIN §5):
    the unit's total counts them as 0 until an exempt or a score is given."""
    pending = kpis[kpis["status"] == "not_applicable"]
    names = dict(zip(units["unit_id"], units["unit_name"], strict=True))
    lines = []
    for unit_id, group in pending.groupby("unit_id", sort=False):
        ids = ", ".join(str(k) for k in group["kpi_id"])
        lines.append(
            f"{unit_id} {names.get(unit_id, '')}: ตัวชี้วัด {ids} หน่วยงานแจ้งไม่มีผล (N/A) "
            "รอเจ้าภาพตัวชี้วัด/กพร. พิจารณายกเว้นหรือให้คะแนน — คะแนนรวมนับเป็น 0 ไว้ก่อน "
            "จึงอาจเปลี่ยนหลังพิจารณา (awaiting decision; counted as 0 meanwhile)"
        )
    return lines


def _input_rows(register: pd.DataFrame) -> list[list[Any]]:
    rows = []
    for record in register.to_dict("records"):
        row = [_cell_text(record.get(c.key)) for c in _INPUT_COLUMNS]
        status = str(record.get("status") or "")
        if status in FILE_STATUS_TH:  # Thai first, the key a system reads after it
            row[2] = f"{FILE_STATUS_TH[status]} ({status})"
        rows.append(row)
    return rows


def _cell_text(value: Any) -> str:
    if is_blank(value):
        return ""
    return num(value) if isinstance(value, Decimal) else str(value)


def _section(ws: Worksheet, styles: Styles, row: int, text: str) -> int:
    ws.write_string(row, 0, text, styles.section)
    ws.set_row(row, 27)
    return row + 1


def _facts(ws: Worksheet, styles: Styles, row: int, facts: Sequence[tuple[str, str]]) -> int:
    for label, value in facts:
        ws.write_string(row, 0, label, styles.label)
        ws.merge_range(row, 1, row, 3, "", styles.note)
        write_value(ws, row, 1, value, styles.note)
        ws.set_row(row, fast_row_height([(label, _NOTE_LABEL_WIDTH), (value, _NOTE_VALUE_WIDTH)]))
        row += 1
    return row
