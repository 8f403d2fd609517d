"""The executive workbook: one run's results for the department's executives.

    write_executive_workbook(ctx, path) -> Path

Sheets, in order (Thai name, English key in parentheses):
- `สรุป (summary)`: big numbers (units scored, on time, late, missing, rejected; mean,
  median, min, max, share at target), units per band, then a `figures` table with English
  keys for programs. Printed on one page.
- `อันดับรวม (league)`: every unit in the order of `ScoredRound.unit_scores` (ranked first,
  then unscored units with their status); band colours; data bars on the final score.
- `รายกลุ่ม (clusters)`: a table and a column chart of each cluster's mean, then one block
  per cluster (framework order) with its units in cluster-rank order, each on a new page.
- `กราฟคะแนน (scores chart)`: the final score of every ranked unit, sorted.
- `รายตัวชี้วัด (heatmap)`, `อุทธรณ์ (appeals)`, `แนวโน้ม (trend)`,
  `ความครบถ้วน (completeness)`: see `executive_detail`.

Everything comes from the `RunRecord`: no clock, no disk reads; document times are
pinned, so the same context gives the same bytes. The figures are in `stats`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from kpi_batch.reports import executive_detail as detail
from kpi_batch.reports.executive_charts import cluster_chart, unit_chart
from kpi_batch.reports.executive_style import (
    TITLE,
    Col,
    Styles,
    big_note,
    is_blank,
    page_title,
    status_th,
    write,
    write_table,
)
from kpi_batch.reports.marks import sign_off, state_line
from kpi_batch.reports.palette import band_colours
from kpi_batch.reports.stats import (
    Summary,
    band_counts,
    cluster_summary,
    summarise,
    target_point,
)
from kpi_batch.run_record import RunRecord
from kpi_batch.scoring.rank import ordered_bands
from kpi_batch.thai import format_date_th
from kpi_batch.workbook_style import HEADER_PT, PINNED_CREATED, print_setup, workbook_options

REPORT_NAME = "executive_summary.xlsx"

SUMMARY, LEAGUE, CLUSTERS, CHART = (
    "สรุป (summary)",
    "อันดับรวม (league)",
    "รายกลุ่ม (clusters)",
    "กราฟคะแนน (scores chart)",
)
LEAGUE_COLUMNS = (
    Col("rank", "ลำดับ", 8, "count"),
    Col("unit_id", "รหัสหน่วยงาน", 13),
    Col("unit_name", "หน่วยงาน", 40, "wrap"),
    Col("cluster", "กลุ่มหน่วยงาน", 32, "wrap"),
    Col("cluster_rank", "ลำดับในกลุ่ม", 14, "count"),
    Col("final_score", "คะแนนสุดท้าย", 14, "score"),
    Col("band", "กลุ่มคะแนน", 18),
    Col("status", "สถานะ", 28, "wrap"),
)
# The cluster table and the cluster blocks share the sheet's columns, hence one set of widths.
_CLUSTER_WIDTHS = (38, 12, 12, 14, 14, 14, 26)
CLUSTER_COLUMNS = tuple(
    Col(key, th, width, kind)
    for (key, th, kind), width in zip(
        (
            ("cluster", "กลุ่มหน่วยงาน", "wrap"),
            ("units", "หน่วยงาน", "count"),
            ("scored", "ได้รับคะแนน", "count"),
            ("mean", "คะแนนเฉลี่ย", "score"),
            ("median", "มัธยฐาน", "score"),
            ("min", "ต่ำสุด", "score"),
            ("max", "สูงสุด", "score"),
        ),
        _CLUSTER_WIDTHS,
        strict=True,
    )
)
BLOCK_COLUMNS = tuple(
    Col(key, th, width, kind)
    for (key, th, kind), width in zip(
        (
            ("unit_name", "หน่วยงาน", "wrap"),
            ("unit_id", "รหัสหน่วยงาน", "text"),
            ("cluster_rank", "ลำดับในกลุ่ม", "count"),
            ("rank", "ลำดับรวม", "count"),
            ("final_score", "คะแนนสุดท้าย", "score"),
            ("band", "กลุ่มคะแนน", "text"),
            ("status", "สถานะ", "wrap"),
        ),
        _CLUSTER_WIDTHS,
        strict=True,
    )
)


def write_executive_workbook(ctx: RunRecord, path: Path) -> Path:
    """Write the workbook to `path` (a folder gets `executive_summary.xlsx`); returns it."""
    target = path / REPORT_NAME if path.is_dir() else path
    target.parent.mkdir(parents=True, exist_ok=True)
    fw = ctx.framework
    settings = fw.settings
    band_ids = [b.band_id for b in ordered_bands(fw.bands)]
    wb = xlsxwriter.Workbook(str(target), workbook_options())
    wb.set_properties(
        {"title": TITLE, "subject": ctx.run_id, "author": "kpi_batch", "created": PINNED_CREATED}
    )
    styles = Styles(wb, settings.decimals, band_ids)
    units = ctx.scored.unit_scores
    summary = summarise(units, target_point(settings.scale), settings.decimals, settings.rounding)
    _summary_sheet(wb, styles, ctx, summary, band_ids)
    _league_sheet(wb, styles, ctx)
    _clusters_sheet(wb, styles, ctx)
    _chart_sheet(wb, ctx, styles)
    detail.heatmap_sheet(wb, styles, ctx)
    detail.appeals_sheet(wb, styles, ctx)
    detail.trend_sheet(wb, styles, ctx)
    detail.completeness_sheet(wb, styles, ctx)
    wb.close()
    return target


# --- summary ---------------------------------------------------------------------------


def _summary_sheet(
    wb: xlsxwriter.Workbook, styles: Styles, ctx: RunRecord, s: Summary, band_ids: list[str]
) -> None:
    ws = wb.add_worksheet(SUMMARY)
    ws.hide_gridlines(2)
    ws.set_column(0, 5, 21)
    fw, rnd = ctx.framework, ctx.round
    target = f"{s.target:.{fw.settings.decimals}f}"
    period = f"{format_date_th(rnd.period_start)} – {format_date_th(rnd.period_end)}"
    # A round name often carries its period already ("รอบ 6 เดือน (1 ต.ค. 2566 – ...)").
    named = format_date_th(rnd.period_end) in rnd.name
    round_text = rnd.name if named else f"{rnd.name} ({period})"
    lines = (
        (TITLE, styles.title, 40),
        (f"{fw.settings.organisation}  ·  ปีงบประมาณ พ.ศ. {fw.settings.fiscal_year}  ·  "
         f"{round_text}", styles.subtitle, 27),
        (f"ข้อมูล ณ วันที่ {format_date_th(ctx.as_of, full_month=True)}  ·  "
         f"รหัสการประมวลผล {ctx.run_id}", styles.subtitle, 27),
        (state_line(ctx), styles.state, 27),
    )  # fmt: skip
    for r, (line, style, height) in enumerate(lines):
        ws.merge_range(r, 0, r, 5, "", style)
        ws.write_string(r, 0, line, style)
        ws.set_row(r, height)
    cards = (
        (4, "การส่งผลการดำเนินงาน (submissions)", [
            ("หน่วยงานทั้งหมด (units)", s.units, styles.card_count),
            ("ได้รับคะแนน (scored)", s.scored, styles.card_count),
            ("ส่งตรงเวลา (on_time)", s.on_time, styles.card_count),
            ("ส่งล่าช้า (late)", s.late, styles.card_count),
            ("ไม่ได้ส่ง (missing)", s.missing, styles.card_count),
            ("ไฟล์ไม่ผ่านการตรวจสอบ (rejected)", s.rejected, styles.card_count),
        ]),
        (8, "คะแนนสุดท้ายของหน่วยงานที่ได้รับคะแนน (final_score)", [
            ("คะแนนเฉลี่ย (mean)", s.scores.mean, styles.card_score),
            ("มัธยฐาน (median)", s.scores.median, styles.card_score),
            ("ต่ำสุด (min)", s.scores.minimum, styles.card_score),
            ("สูงสุด (max)", s.scores.maximum, styles.card_score),
            (f"จำนวนที่ได้ ≥ {target} (at_target)", s.at_target, styles.card_count),
            (f"สัดส่วนที่ได้ ≥ {target} (share_at_target)", s.share_at_target,
             styles.card_share),
        ]),
    )  # fmt: skip
    for top, heading, items in cards:
        ws.write_string(top, 0, heading, styles.section)
        ws.set_row(top, 27)
        ws.set_row(top + 1, 46)
        ws.set_row(top + 2, 52)
        for c, (label, value, style) in enumerate(items):
            ws.write_string(top + 1, c, label, styles.card_label)
            if value is None:
                ws.write_string(top + 2, c, "–", styles.card_text)
            else:
                write(ws, top + 2, c, value, style)
    after = _band_block(ws, styles, ctx, band_ids, top=12)
    ws.set_h_pagebreaks([after + 1])
    end = _figures_table(ws, styles, ctx, s, top=after + 1)
    # after the figures: a block cut by a page break cannot be signed
    sign_off(ws, end + 1, 0, 2, styles.sign_label, styles.sign_line)
    print_setup(ws, page_title(ctx, "สรุป"), repeat_header=False)
    ws.activate()


def _band_block(
    ws: Worksheet, styles: Styles, ctx: RunRecord, band_ids: list[str], top: int
) -> int:
    settings = ctx.framework.settings
    if not band_ids:
        return top
    names = {b.band_id: b.name for b in ctx.framework.bands}
    limits = {rec["band_id"]: rec for rec in ctx.scored.band_limits.to_dict("records")}
    ws.write_string(top, 0, "จำนวนหน่วยงานในแต่ละกลุ่มคะแนน (bands)", styles.section)
    ws.set_row(top, 27)
    columns = (
        Col("band", "กลุ่มคะแนน", 21),
        Col("range", "ช่วงคะแนน", 21),
        Col("units", "หน่วยงาน", 21, "count"),
        Col("share", "สัดส่วน", 21, "share"),
    )
    rows: list[list[Any]] = []
    cell_styles = {}
    counts = band_counts(ctx.scored.unit_scores, band_ids, settings.decimals, settings.rounding)
    for r, (band, n, share) in enumerate(counts):
        if band is None:
            rows.append(["ไม่อยู่ในกลุ่มใด", "", n, share])
            continue
        rows.append([names[band], _range_text(limits.get(band), settings.decimals), n, share])
        cell_styles[(r, 0)] = styles.bands[band]
    return write_table(ws, styles, top + 1, "bands", columns, rows, cell_styles, widths=False)


def _range_text(limit: dict[Any, Any] | None, decimals: int) -> str:
    if limit is None:
        return ""
    lower, upper = limit["lower"], limit["upper"]
    if is_blank(lower) and is_blank(upper):
        return ""
    if is_blank(upper):
        return f"{lower:.{decimals}f} ขึ้นไป"
    if is_blank(lower):
        return f"ต่ำกว่า {upper:.{decimals}f}"
    return f"{lower:.{decimals}f} – ต่ำกว่า {upper:.{decimals}f}"


def _figures_table(ws: Worksheet, styles: Styles, ctx: RunRecord, s: Summary, top: int) -> int:
    ws.write_string(top, 0, "ตัวเลขสรุปสำหรับโปรแกรมอื่น (figures)", styles.section)
    ws.set_row(top, 27)
    figures: list[tuple[str, str, Any, Any]] = [
        ("fiscal_year", "ปีงบประมาณ (พ.ศ.)", ctx.fiscal_year, styles.figure_count),
        ("round_id", "รอบการประเมิน", ctx.round.round_id, styles.text),
        ("as_of", "ข้อมูล ณ วันที่ (ค.ศ.)", ctx.as_of.isoformat(), styles.text),
        ("run_id", "รหัสการประมวลผล", ctx.run_id, styles.text),
        ("units", "หน่วยงานทั้งหมด", s.units, styles.figure_count),
        ("scored", "ได้รับคะแนน", s.scored, styles.figure_count),
        ("on_time", "ส่งตรงเวลา", s.on_time, styles.figure_count),
        ("late", "ส่งล่าช้า", s.late, styles.figure_count),
        ("missing", "ไม่ได้ส่ง", s.missing, styles.figure_count),
        ("rejected", "ไฟล์ไม่ผ่านการตรวจสอบ", s.rejected, styles.figure_count),
        ("mean", "คะแนนเฉลี่ย", s.scores.mean, styles.figure_score),
        ("median", "มัธยฐาน", s.scores.median, styles.figure_score),
        ("min", "ต่ำสุด", s.scores.minimum, styles.figure_score),
        ("max", "สูงสุด", s.scores.maximum, styles.figure_score),
        ("target", "คะแนนเป้าหมาย", s.target, styles.figure_score),
        ("at_target", "จำนวนที่ได้ถึงเป้าหมาย", s.at_target, styles.figure_count),
        ("share_at_target", "สัดส่วนที่ได้ถึงเป้าหมาย", s.share_at_target, styles.figure_share),
    ]
    columns = (Col("key", "รหัส", 21), Col("label", "รายการ", 21, "wrap"), Col("value", "ค่า", 21))
    rows = [[key, label, value] for key, label, value, _ in figures]
    cell_styles = {(r, 2): style for r, (*_, style) in enumerate(figures)}
    return write_table(ws, styles, top + 1, "figures", columns, rows, cell_styles, widths=False)


# --- league table and clusters -----------------------------------------------------------


def _unit_row(ctx: RunRecord, rec: dict[Any, Any], keys: tuple[Col, ...]) -> list[Any]:
    names = {c.cluster_id: c.name for c in ctx.framework.clusters}
    values = {
        **rec,
        "cluster": names.get(rec["cluster_id"], rec["cluster_id"]),
        "band": rec["band_name"],
        "status": status_th(rec["status"], rec["days_late"]),
    }
    return [values[c.key] for c in keys]


def _band_styles(styles: Styles, records: list[dict[Any, Any]], col: int) -> dict[Any, Any]:
    return {
        (r, col): styles.bands[rec["band"]]
        for r, rec in enumerate(records)
        if not is_blank(rec["band"]) and rec["band"] in styles.bands
    }


def _data_bars(ws: Worksheet, first: int, last: int, col: int, ctx: RunRecord) -> None:
    if last < first:
        return
    ws.conditional_format(
        first, col, last, col,
        {"type": "data_bar", "bar_color": "#9DC3E6", "bar_solid": True,
         "min_type": "num", "min_value": 0,
         "max_type": "num", "max_value": float(ctx.framework.settings.top_point)},
    )  # fmt: skip


def _league_sheet(wb: xlsxwriter.Workbook, styles: Styles, ctx: RunRecord) -> None:
    ws = wb.add_worksheet(LEAGUE)
    records = ctx.scored.unit_scores.to_dict("records")
    rows = [_unit_row(ctx, rec, LEAGUE_COLUMNS) for rec in records]
    write_table(ws, styles, 0, "league", LEAGUE_COLUMNS, rows, _band_styles(styles, records, 6))
    _data_bars(ws, 1, len(rows), 5, ctx)
    ws.freeze_panes(1, 0)
    print_setup(ws, page_title(ctx, "อันดับรวม"))


def _clusters_sheet(wb: xlsxwriter.Workbook, styles: Styles, ctx: RunRecord) -> None:
    ws = wb.add_worksheet(CLUSTERS)
    settings = ctx.framework.settings
    frame = cluster_summary(
        ctx.scored.unit_scores, ctx.framework.clusters, settings.decimals, settings.rounding
    )
    for c, width in enumerate(_CLUSTER_WIDTHS):
        ws.set_column(c, c, width)
    rows = [
        [rec["name"], rec["units"], rec["scored"], rec["mean"], rec["median"],
         rec["minimum"], rec["maximum"]]
        for rec in frame.to_dict("records")
    ]  # fmt: skip
    after = write_table(ws, styles, 0, "clusters", CLUSTER_COLUMNS, rows, widths=False)
    ws.freeze_panes(1, 0)
    chart = cluster_chart(
        wb, (CLUSTERS, 1, 0, len(rows), 0), (CLUSTERS, 1, 3, len(rows), 3),
        settings.top_point, styles.score_format,
    )  # fmt: skip
    ws.insert_chart(after + 1, 0, chart, {"x_offset": 4, "y_offset": 4})
    top = after + 1 + 19  # the chart is 380 px: 19 rows of 28 px
    units = ctx.scored.unit_scores
    breaks = []
    for i, cluster in enumerate(ctx.framework.clusters, start=1):
        breaks.append(top)
        mine = units[units["cluster_id"] == cluster.cluster_id]
        mine = mine.sort_values("cluster_rank", kind="stable", na_position="last")
        records = mine.to_dict("records")
        ws.write_string(top, 0, f"{cluster.name} ({len(records)} หน่วยงาน)", styles.section)
        ws.set_row(top, HEADER_PT + 4)
        block = [_unit_row(ctx, rec, BLOCK_COLUMNS) for rec in records]
        end = write_table(
            ws, styles, top + 1, f"cluster_{i}", BLOCK_COLUMNS, block,
            _band_styles(styles, records, 5), widths=False,
        )  # fmt: skip
        _data_bars(ws, top + 2, top + 1 + len(block), 4, ctx)
        top = end + 1
    ws.set_h_pagebreaks(breaks)
    print_setup(ws, page_title(ctx, "รายกลุ่ม"), repeat_header=False)


def _chart_sheet(wb: xlsxwriter.Workbook, ctx: RunRecord, styles: Styles) -> None:
    ws = wb.add_worksheet(CHART)
    ws.hide_gridlines(2)
    ranked = int(ctx.scored.unit_scores["rank"].notna().sum())
    if not ranked:
        big_note(ws, styles, 0, "ยังไม่มีหน่วยงานที่ได้รับคะแนน", "(no scored units)")
        print_setup(ws, page_title(ctx, "กราฟคะแนน"), repeat_header=False)
        return
    band_ids = [b.band_id for b in ordered_bands(ctx.framework.bands)]
    colours = dict(zip(band_ids, band_colours(len(band_ids)), strict=True))
    bands = ctx.scored.unit_scores["band"].tolist()[:ranked]
    fills = [colours[b][0] if b in colours else None for b in bands]
    top = _chart_legend(ws, styles, ctx, band_ids)
    chart = unit_chart(
        wb, (LEAGUE, 1, 2, ranked, 2), (LEAGUE, 1, 5, ranked, 5), ranked,
        ctx.framework.settings.top_point, styles.score_format, fills,
    )  # fmt: skip
    ws.insert_chart(top, 0, chart, {"x_offset": 4, "y_offset": 4})
    print_setup(ws, page_title(ctx, "กราฟคะแนน"), repeat_header=False)
    ws.fit_to_pages(1, 1)


def _chart_legend(ws: Worksheet, styles: Styles, ctx: RunRecord, band_ids: list[str]) -> int:
    """The band limits above the chart, each in its bar colour; returns the next free row."""
    names = {b.band_id: b.name for b in ctx.framework.bands}
    limits = {rec["band_id"]: rec for rec in ctx.scored.band_limits.to_dict("records")}
    d = ctx.framework.settings.decimals
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 30)
    ws.write_string(0, 0, "กลุ่มคะแนนและช่วงคะแนน (สีของแท่งกราฟ)", styles.section)
    ws.set_row(0, 27)
    for r, band in enumerate(band_ids, start=1):
        ws.write_string(r, 0, names[band], styles.bands[band])
        ws.write_string(r, 1, _range_text(limits.get(band), d), styles.text)
    return len(band_ids) + 2
