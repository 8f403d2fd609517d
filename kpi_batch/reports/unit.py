"""One result workbook per unit: its own scores and how they were reached, nothing else.

    unit_workbook_name(ctx, unit_id) -> "result_2567_R1_U01.xlsx" (RunLayout.unit_result_name)
    write_unit_workbook(ctx, unit_id, path) -> Path
    write_unit_workbooks(ctx, out_dir, workers=None, include_unscored=False, on_done=None)
    unit_jobs(ctx, out_dir) -> (paths, jobs for pool.run_jobs)

Sheets (each marked ลับ on screen and on every printed page):
- `สรุป (summary)`: the unit, round, as-of date and run id; the pre-appeal and final score,
  the deduction, band, rank overall and in the cluster as numbers shown as
  "อันดับ 5 จาก 36 หน่วยงาน"; the settings and the method; the files used.
- `ตัวชี้วัด (kpis)`: table `kpis`, one row per KPI of the agreement: value, this round's
  criteria, score and the arithmetic in Thai, weight and weighted score.
- `คะแนนย่อย (subtotals)`: per parent KPI and component.
- `หักคะแนน (deductions)`: late items with days, penalty, reason and reference.
- `ปรับปรุงผล (adjustments)`: reviews and appeals applied, old and new value.
- `ปัญหาที่พบ (issues)`: problems found in the unit's files, with `sheet!cell`.

Only the unit's own rows are written (`unit_data.UnitIndex`): the file never holds another unit's
id, name or score. The file name is `result_<fiscal_year>_<round_id>_<unit_id>.xlsx`;
characters that cannot be in a file name become `_` and a short hash of the id is added so
two ids never share a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from kpi_batch.issues import Severity
from kpi_batch.reports.marks import late_items_text
from kpi_batch.reports.palette import SEVERITY_COLOURS
from kpi_batch.reports.pool import Job, default_workers, run_jobs
from kpi_batch.reports.settings_text import METHOD_TH
from kpi_batch.reports.tables import (
    UNIT_STATUS_TH,
    Column,
    Styles,
    banner,
    confidential_print_setup,
    fast_row_height,
    text_format,
    write_table,
    write_value,
)
from kpi_batch.reports.unit_data import (
    RunInfo,
    UnitData,
    UnitIndex,
    issue_place,
    run_info,
    sorted_issues,
)
from kpi_batch.run_record import RunRecord
from kpi_batch.scoring.explain import num
from kpi_batch.scoring.rounding import pad
from kpi_batch.specs import adjustments as adjustments_spec
from kpi_batch.thai import date_shown_th, format_date_th
from kpi_batch.workbook_style import PINNED_CREATED, workbook_options

TITLE = "ผลการประเมินตามคำรับรองการปฏิบัติราชการ"

SEVERITY_TH = {Severity.ERROR: "ผิดพลาด (error)", Severity.WARNING: "คำเตือน (warning)"}
STAGE_TH = {"review": "ทบทวน (review)", "appeal": "อุทธรณ์ (appeal)", "": ""}
ITEM_TH = {"submission": "ส่งรายงานผล (submission)", "adjustment": "รายการเพิ่มเติม (adjustment)"}
LEVEL_TH = {"parent": "ตัวชี้วัดหลัก (parent)", "component": "องค์ประกอบ (component)"}


def unit_workbook_name(ctx: RunRecord, unit_id: str) -> str:
    """`result_<fiscal_year>_<round_id>_<unit_id>.xlsx`, safe as a file name (the run
    folder's layout names it)."""
    return ctx.layout.unit_result_name(unit_id)


def write_unit_workbook(ctx: RunRecord, unit_id: str, path: Path) -> Path:
    """Write unit `unit_id`'s workbook to `path` (a folder gets `unit_workbook_name`)."""
    target = path / unit_workbook_name(ctx, unit_id) if path.is_dir() else path
    target.parent.mkdir(parents=True, exist_ok=True)
    write_from_data(run_info(ctx), UnitIndex(ctx).data(unit_id), target)
    return target


def write_unit_workbooks(
    ctx: RunRecord,
    out_dir: Path,
    workers: int | None = None,
    include_unscored: bool = False,
    on_done: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """One workbook per scored unit (and per unscored unit with `include_unscored`), in the
    framework's unit order. `workers=None` uses two processes from `POOL_MIN_JOBS` units
    when the machine has two cores or more, else one; `workers=1` is the serial path.
    `on_done(written, total)` follows the progress."""
    paths, jobs = unit_jobs(ctx, out_dir, include_unscored)
    run_jobs(
        jobs,
        default_workers(len(paths)) if workers is None else workers,
        None if on_done is None else lambda _, done: on_done(done, len(paths)),
    )
    return paths


def unit_jobs(
    ctx: RunRecord, out_dir: Path, include_unscored: bool = False
) -> tuple[list[Path], Iterator[Job]]:
    """The workbooks `write_unit_workbooks` writes, and the jobs that write them (for
    `pool.run_jobs`): a generator that builds the run's unit index when the first job is
    asked for, and each unit's slice only when its turn comes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    units = ctx.scored.unit_scores
    status = dict(zip(units["unit_id"].astype(str), units["status"], strict=True))
    unit_ids = [
        u.unit_id
        for u in ctx.framework.units
        if include_unscored or status.get(u.unit_id) == "scored"
    ]
    paths = [out_dir / unit_workbook_name(ctx, u) for u in unit_ids]

    def jobs() -> Iterator[Job]:
        index = UnitIndex(ctx)
        info = run_info(ctx)
        for unit_id, path in zip(unit_ids, paths, strict=True):
            yield write_from_data, (info, index.data(unit_id), path)

    return paths, jobs()


def write_from_data(info: RunInfo, data: UnitData, target: Path) -> Path:
    """The workbook of one unit from its plain data (what worker processes receive)."""
    wb = xlsxwriter.Workbook(str(target), {**workbook_options(), "in_memory": True})
    wb.set_properties(
        {
            "title": f"{TITLE} {data.unit_name} {info.round_name}",
            "subject": "ลับ (confidential)",
            "author": "kpi_batch",
            "keywords": info.run_id,
            "created": PINNED_CREATED,
        }
    )
    styles = Styles(wb, info.decimals, info.band_count)
    _summary_sheet(wb.add_worksheet("สรุป (summary)"), styles, info, data)
    _kpi_sheet(wb.add_worksheet("ตัวชี้วัด (kpis)"), styles, info, data)
    _subtotal_sheet(wb.add_worksheet("คะแนนย่อย (subtotals)"), styles, info, data)
    charged = any(_charged(r.get("penalty")) for r in data.late_items)
    # A sheet with nothing to say is left out: LibreOffice prints hidden sheets too, and an
    # empty table printed as a page of its own reads as if something were missing.
    for name, write, empty in (
        ("หักคะแนน (deductions)", _deduction_sheet, not charged),
        ("ปรับปรุงผล (adjustments)", _adjustment_sheet, not data.adjustments),
        ("ปัญหาที่พบ (issues)", _issue_sheet, not data.issues),
    ):
        if not empty:
            write(wb.add_worksheet(name), styles, info, data)
    wb.close()
    return target


def _charged(penalty: Any) -> bool:
    return penalty is not None and Decimal(str(penalty)) > 0


# --- sheets ----------------------------------------------------------------------------


def _heading(info: RunInfo, data: UnitData, what: str) -> tuple[str, list[str]]:
    title = f"{what} — {data.unit_name} ({data.unit_id})"
    line = (
        f"{info.organisation} ปีงบประมาณ {info.fiscal_year} · {info.round_line} · "
        f"ข้อมูล ณ วันที่ {format_date_th(info.as_of)} · รหัสการประมวลผล {info.run_id}"
    )
    return title, [info.state_line, line] if info.state_line else [line]


def _table_sheet(
    ws: Worksheet,
    styles: Styles,
    info: RunInfo,
    data: UnitData,
    what: str,
    name: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    notes: Sequence[str] = (),
    cell_formats: Sequence[dict[int, Any]] | None = None,
) -> None:
    title, lines = _heading(info, data, what)
    widths = [c.width for c in columns]
    first = banner(ws, styles, widths, title, lines)
    end = write_table(ws, styles, first, name, columns, rows, cell_formats=cell_formats)
    for note in notes:
        ws.merge_range(end, 0, end, len(columns) - 1, "", styles.note)
        ws.write_string(end, 0, note, styles.note)
        ws.set_row(end, fast_row_height([(note, sum(widths))]))
        end += 1
    ws.freeze_panes(first + 1, 0)
    confidential_print_setup(
        ws, f"{what} {data.unit_id}", info.run_id, header_row=first,
        area=(1, 0, end - 1, len(columns) - 1),
    )  # fmt: skip


_SUMMARY_WIDTHS = (44, 30, 66)


def _summary_sheet(ws: Worksheet, styles: Styles, info: RunInfo, data: UnitData) -> None:
    title, lines = _heading(info, data, TITLE)
    row = banner(ws, styles, _SUMMARY_WIDTHS, title, lines)
    for col, width in enumerate(_SUMMARY_WIDTHS):
        ws.set_column(col, col, width)
    s = data.scores
    score = styles.cell("score_left")
    text = styles.cell("text")
    wrap = styles.cell("wrap")
    band_style = styles.cell("text", data.band_index)
    status = str(s.get("status") or "missing")

    def fact(label: str, value: Any, style: Any = text, note: str = "") -> None:
        nonlocal row
        ws.write_string(row, 0, label, styles.label)
        value_width = _SUMMARY_WIDTHS[1]
        if not note and style is wrap:  # no note: the value has B:C, a round's period fits
            ws.merge_range(row, 1, row, 2, "", style)
            value_width += _SUMMARY_WIDTHS[2]
        write_value(ws, row, 1, value, style)
        if note:
            write_value(ws, row, 2, note, styles.note)
        cells = [(label, _SUMMARY_WIDTHS[0]), (note, _SUMMARY_WIDTHS[2])]
        if style is wrap:
            cells.append((str(value), value_width))
        ws.set_row(row, fast_row_height(cells))
        row += 1

    def section(text_: str) -> None:
        nonlocal row
        ws.write_string(row, 0, text_, styles.section)
        ws.set_row(row, 27)
        row += 1

    section("หน่วยงาน (unit)")
    fact("หน่วยงาน (unit_name)", data.unit_name)
    fact("รหัสหน่วยงาน (unit_id)", data.unit_id)
    fact("กลุ่มหน่วยงาน (cluster_id)", f"{data.cluster_name} ({data.cluster_id})")
    period_note = "" if info.period in info.round_name else info.period
    fact("รอบการประเมิน (round_id)", f"{info.round_name} ({info.round_id})", wrap, period_note)
    fact("ข้อมูล ณ วันที่ (as_of)", format_date_th(info.as_of, full_month=True))
    fact("รหัสการประมวลผล (run_id)", info.run_id)
    status_fmt = styles.cell("status", None, text_format(UNIT_STATUS_TH, status))
    fact("สถานะ (status)", status, status_fmt, _status_note(status))

    row += 1
    section("คะแนน (scores)")
    n_all, n_cluster = info.n_ranked, data.n_cluster_ranked
    fact(
        "คะแนนรวมก่อนหัก (total_before_deduction)",
        s.get("total_before_deduction"),
        score,
        "Σ(น้ำหนัก × คะแนนตัวชี้วัด) ÷ Σน้ำหนัก รวมผลการทบทวนและการอุทธรณ์ ดูแผ่นงาน ตัวชี้วัด",
    )
    reasons = late_items_text(data.late_items)
    fact(
        "หักคะแนน (deduction)",
        s.get("deduction"),
        score,
        (reasons + " · " if reasons else "") + f"ส่งช้าหักวันละ {num(info.late_penalty_per_day)} ไม่เกิน "
        f"{num(info.late_penalty_cap)} ต่อรายการ ดูแผ่นงาน หักคะแนน",
    )
    fact(
        "คะแนนสุดท้าย (final_score)",
        s.get("final_score"),
        styles.cell("score_left", data.band_index),
        "คะแนนรวมก่อนหัก − หักคะแนน (ไม่ต่ำกว่า 0)",
    )
    band = s.get("band")
    fact(
        "กลุ่มคะแนน (band)",
        None if band is None else f"{s.get('band_name')} ({band})",
        band_style,
        _band_note(info, data),
    )
    fact(
        "อันดับ (rank)",
        s.get("rank"),
        styles.cell("ranking", None, f'"อันดับ "0" จาก {n_all} หน่วยงาน"'),
        "เรียงจากคะแนนสุดท้ายสูงสุด คะแนนเท่ากันได้อันดับเดียวกัน",
    )
    fact(
        "อันดับในกลุ่ม (cluster_rank)",
        s.get("cluster_rank"),
        styles.cell("ranking", None, f'"อันดับ "0" จาก {n_cluster} หน่วยงานในกลุ่ม"'),
    )
    fact(
        "ส่งช้า (days_late)",
        s.get("days_late"),
        styles.cell("ranking", None, '0" วัน"'),
        f"กำหนดส่ง {format_date_th(info.due_date)}",
    )
    fact("จำนวนตัวชี้วัด (n_kpis)", len(data.kpis), styles.cell("ranking", None, '0" ตัว"'),
         _kpi_counts(data))  # fmt: skip

    row += 1
    section("ผลที่ประกาศก่อนอุทธรณ์ (pre-appeal, ตัวเลขเดิม)")
    earlier = styles.cell("score_earlier_left")
    fact("คะแนนรวมหลังทบทวน (pre_appeal_total)", s.get("pre_appeal_total"), earlier,
         "ก่อนพิจารณาอุทธรณ์ รวมผลการทบทวนของเจ้าภาพตัวชี้วัด")  # fmt: skip
    fact("หักคะแนนก่อนอุทธรณ์ (pre_appeal_deduction)", s.get("pre_appeal_deduction"), earlier)
    fact("คะแนนก่อนอุทธรณ์ (pre_appeal_score)", s.get("pre_appeal_score"), earlier,
         "คะแนนรวมหลังทบทวน − หักคะแนนก่อนอุทธรณ์ (ไม่ต่ำกว่า 0)")  # fmt: skip

    row += 1
    section("การตั้งค่าที่ใช้ (settings)")
    for label, value in info.settings:
        fact(label, value)
    fact("รหัสกรอบการประเมิน (framework_fingerprint)", info.fingerprint[:12] or "-",
         note=info.fingerprint)  # fmt: skip
    row += 1
    section("วิธีคำนวณ (method)")
    for i, line in enumerate(METHOD_TH, start=1):
        ws.merge_range(row, 0, row, 2, "", styles.note)
        ws.write_string(row, 0, f"{i}. {line}", styles.note)
        ws.set_row(row, fast_row_height([(line, sum(_SUMMARY_WIDTHS))]))
        row += 1
    if data.files:
        row += 1
        section("ไฟล์ที่ได้รับ (files)")
        for f in data.files:
            fact(f["file"], f["status"], note=f["sha256"])
    ws.activate()
    confidential_print_setup(ws, f"{TITLE} {data.unit_id}", info.run_id, area=(1, 0, row - 1, 2))


def _status_note(status: str) -> str:
    if status == "missing":
        return "ไม่ได้รับรายงานผลในรอบนี้ จึงไม่มีคะแนนและอันดับ"
    if status == "rejected":
        return "ไฟล์ที่ส่งไม่ผ่านการตรวจสอบ จึงไม่มีคะแนนและอันดับ ดูแผ่นงาน ปัญหาที่พบ"
    return ""


def _band_note(info: RunInfo, data: UnitData) -> str:
    if data.band_span is not None:
        lo, hi = data.band_span
        d = info.decimals
        text = f"คะแนนตั้งแต่ {pad(lo, d):f}" if lo is not None else ""
        return text + (f" ถึงต่ำกว่า {pad(hi, d):f}" if hi is not None else " ขึ้นไป")
    if info.band_method == "equal_width":
        return "แบ่งกลุ่มแบบช่วงเท่ากันจากคะแนนของทุกหน่วยงานในรอบนี้"
    return ""


def _kpi_counts(data: UnitData) -> str:
    missing = sum(1 for k in data.kpis if k.status == "missing")
    exempt = sum(1 for k in data.kpis if k.status == "exempt")
    text = f"ไม่รายงานผล {missing} ตัว · ยกเว้น {exempt} ตัว"
    pending = [k.kpi_id for k in data.kpis if k.status == "not_applicable"]
    if pending:  # a decision still to come: the total may change (DOMAIN §5)
        text += f" · แจ้งไม่มีผล (N/A) รอพิจารณา {len(pending)} ตัว ({', '.join(pending)})"
    return text


def _kpi_columns(info: RunInfo) -> list[Column]:
    points = f"{num(info.scale[0])}–{num(info.scale[-1])}"
    return [
        Column("kpi_id", "รหัส", 8),
        Column("name", "ตัวชี้วัด", 28, "wrap"),
        Column("measure_unit", "หน่วยวัด", 13, "wrap"),
        Column("value", "ผลการดำเนินงาน", 11, "number"),
        Column("criteria", f"เกณฑ์ระดับ {points}", 20, "centre"),
        Column("score", "คะแนน", 9, "score"),
        Column("explanation", "วิธีคิดคะแนน", 40, "wrap"),
        Column("weight", "น้ำหนัก", 9, "number"),
        Column("weighted_score", "คะแนนถ่วงน้ำหนัก", 13, "score"),
        Column("status", "สถานะ", 19, "kpi_status"),
    ]


def criteria_text(thresholds: Sequence[Decimal | None]) -> str:
    """'60 / 65 / 70 / 75 / 80'; a point not reachable this round is '–'."""
    return " / ".join("–" if t is None else num(t) for t in thresholds)


def _kpi_sheet(ws: Worksheet, styles: Styles, info: RunInfo, data: UnitData) -> None:
    rows = []
    derived = []
    for k in data.kpis:
        explanation = k.explanation or ("" if data.scored else "ไม่ได้รับคะแนนในรอบนี้")
        criteria = criteria_text(k.thresholds)
        rows.append([k.kpi_id, k.name, k.measure_unit, k.value, criteria, k.score, explanation,
                     k.weight, k.weighted_score, k.status])  # fmt: skip
        if k.derived_from:
            derived.append(k.kpi_id)
    notes = []
    total = data.scores.get("final_total")
    if total is not None:
        notes.append(
            f"คะแนนรวม = Σ(น้ำหนัก × คะแนน) ÷ Σน้ำหนัก = {pad(total, info.decimals):f} "
            f"(Σน้ำหนักที่คิดคะแนน = {num(data.weight_sum)}) · คะแนนถ่วงน้ำหนัก = "
            "น้ำหนัก × คะแนน ÷ Σน้ำหนัก ปัดเศษรายข้อ ผลรวมจึงอาจต่างจากคะแนนรวมในทศนิยมตำแหน่งสุดท้าย"
        )
    if derived:
        notes.append(
            f"เกณฑ์ของตัวชี้วัด {', '.join(derived)} ในรอบนี้คำนวณจากเกณฑ์รอบทั้งปี "
            "(ระดับ 3 = เกณฑ์ระดับ 5 ของ 12 เดือน ÷ 2 ช่วงห่างเท่าเดิม)"
        )
    notes.append("เกณฑ์ที่ว่าง = ระดับคะแนนนั้นไม่มีในรอบนี้")
    _table_sheet(ws, styles, info, data, "คะแนนรายตัวชี้วัด", "kpis", _kpi_columns(info), rows,
                 notes)  # fmt: skip


_SUBTOTAL_COLUMNS = (
    Column("level", "ระดับ", 24),
    Column("group_id", "รหัส", 14, "wrap"),
    Column("name", "ชื่อ", 50, "wrap"),
    Column("weight", "น้ำหนัก", 10, "number"),
    Column("score", "คะแนน", 10, "score"),
    Column("n_kpis", "จำนวนตัวชี้วัด", 14, "int"),
)


def _subtotal_sheet(ws: Worksheet, styles: Styles, info: RunInfo, data: UnitData) -> None:
    rows = [
        [LEVEL_TH.get(str(r["level"]), r["level"]),
         "" if r["group_id"] == r["name"] else r["group_id"],  # components are named by id
         r["name"], r["weight"], r["score"], r["n_kpis"]]
        for r in data.subtotals
    ]  # fmt: skip
    notes = ["คะแนนย่อย = Σ(น้ำหนัก × คะแนน) ÷ Σน้ำหนัก ของตัวชี้วัดย่อยในกลุ่มนั้น"]
    _table_sheet(ws, styles, info, data, "คะแนนย่อย", "subtotals", _SUBTOTAL_COLUMNS, rows, notes)


_DEDUCTION_COLUMNS = (
    Column("item", "รายการ", 28),
    Column("days", "วันที่ส่งช้า", 12, "int"),
    Column("penalty", "หักคะแนน", 11, "score"),
    Column("stage", "ขั้นตอน", 16),
    Column("reason", "เหตุผล", 40, "wrap"),
    Column("reference", "อ้างอิง", 24, "wrap"),
)


def _deduction_sheet(ws: Worksheet, styles: Styles, info: RunInfo, data: UnitData) -> None:
    rows = [
        [ITEM_TH.get(str(r["item"]), r["item"]), r["days"], r["penalty"],
         STAGE_TH.get(str(r["stage"] or ""), r["stage"]), r["reason"], r["reference"]]
        for r in data.late_items
    ]  # fmt: skip
    ded = data.scores.get("deduction")
    notes = [
        f"หักวันละ {num(info.late_penalty_per_day)} คะแนน ไม่เกิน {num(info.late_penalty_cap)} "
        f"ต่อรายการ · กำหนดส่ง {format_date_th(info.due_date)}"
        + (f" · รวมหัก {pad(ded, info.decimals):f}" if ded is not None else "")
    ]
    _table_sheet(ws, styles, info, data, "การหักคะแนน", "deductions", _DEDUCTION_COLUMNS, rows,
                 notes)  # fmt: skip


_ADJUSTMENT_COLUMNS = (
    Column("stage", "ขั้นตอน", 16),
    Column("kpi_id", "ตัวชี้วัด", 10),
    Column("field", "รายการที่ปรับ", 18, "wrap"),
    Column("old_value", "ค่าเดิม", 12, "wrap"),
    Column("new_value", "ค่าใหม่", 12, "wrap"),
    Column("reason", "เหตุผล", 40, "wrap"),
    Column("reference", "อ้างอิง", 22, "wrap"),
    Column("row", "แถวในไฟล์ปรับปรุงผล", 14, "int"),
)


def _field_th(field: str) -> str:
    return f"{adjustments_spec.FIELD_TH.get(field, field)} ({field})"


def _adjustment_sheet(ws: Worksheet, styles: Styles, info: RunInfo, data: UnitData) -> None:
    rows = [
        [STAGE_TH.get(str(r["stage"]), r["stage"]), r["kpi_id"],
         _field_th(r["field"]), date_shown_th(r["old_value"]),
         date_shown_th(r["new_value"]), r["reason"], r["reference"], _int_or_none(r.get("row"))]
        for r in data.adjustments
    ]  # fmt: skip
    notes = ["ทบทวน = เจ้าภาพตัวชี้วัดปรับก่อนประกาศคะแนน (รวมในคะแนนก่อนอุทธรณ์) · "
             "อุทธรณ์ = ปรับตามผลการอุทธรณ์ (รวมในคะแนนสุดท้าย)"]  # fmt: skip
    _table_sheet(ws, styles, info, data, "การปรับปรุงผล", adjustments_spec.SHEET, _ADJUSTMENT_COLUMNS,
                 rows, notes)  # fmt: skip


def _int_or_none(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


_ISSUE_COLUMNS = (
    Column("where", "ตำแหน่ง", 18, "wrap"),
    Column("kpi_id", "ตัวชี้วัด", 10),
    Column("severity", "ระดับ", 16),
    Column("message_th", "รายละเอียดและวิธีแก้", 50, "wrap"),
    Column("value", "ค่าที่พบ", 18, "wrap"),
    Column("file", "ไฟล์", 26, "wrap"),
    Column("code", "รหัสปัญหา", 20, "wrap"),
)


def _issue_sheet(ws: Worksheet, styles: Styles, info: RunInfo, data: UnitData) -> None:
    rows, formats = [], []
    for issue in sorted_issues(data.issues):
        rows.append([issue_place(issue), issue.kpi_id, SEVERITY_TH[issue.severity],
                     issue.message_th, issue.value, Path(issue.file).name, issue.code])  # fmt: skip
        bg, fg = SEVERITY_COLOURS[issue.severity]
        formats.append({2: styles.custom(("severity", bg), bg_color=bg, font_color=fg, bold=True)})
    notes = ["ตำแหน่ง = แผ่นงาน!เซลล์ ในไฟล์ที่หน่วยงานส่ง · ผิดพลาด = ต้องแก้ไข · คำเตือน = โปรดตรวจสอบ"]
    _table_sheet(ws, styles, info, data, "ปัญหาที่พบในไฟล์ที่ส่ง", "issues", _ISSUE_COLUMNS, rows,
                 notes, cell_formats=formats)  # fmt: skip
