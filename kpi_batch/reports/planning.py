"""The planning office's workbook beside a round's unit templates: `planning_<fy>_<round>.xlsx`.

Its sheet `เกณฑ์ที่คำนวณ` lists every threshold the 6-month rule derived for the round
(DOMAIN §3.10: "the derived thresholds must be shown to users"), one row per unit and KPI
with the numbers for each scale point, so planning staff can check them before the
templates go out. The unit templates themselves stay as DOMAIN §5 describes them (they show
the same numbers, marked `*`); this file is for the office, not for units.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from kpi_batch import fsutil
from kpi_batch.framework.summary import DerivedRow, derived_thresholds
from kpi_batch.model import Framework
from kpi_batch.reports.tables import Column, Styles, fast_row_height, write_table
from kpi_batch.safe_names import safe_name
from kpi_batch.specs.template import point_text
from kpi_batch.templates.workbook import CREATED
from kpi_batch.workbook_style import print_setup, workbook_options

SHEET = "เกณฑ์ที่คำนวณ"
TABLE = "derived_criteria"
_LEADING = (
    Column("unit_id", "รหัสหน่วยงาน", 11),
    Column("unit_name", "ชื่อหน่วยงาน", 30, "wrap"),
    Column("kpi_id", "ตัวชี้วัด", 9),
    # wide: the row height estimate counts characters, and long KPI names must not clip
    Column("kpi_name", "ชื่อตัวชี้วัด", 60, "wrap"),
    Column("round_id", "รอบ", 11),
    Column("derived_from", "คำนวณจากรอบ", 15),
)


def planning_file_name(fw: Framework, round_id: str) -> str:
    return f"planning_{fw.settings.fiscal_year}_{safe_name(round_id)}.xlsx"


def write_planning_workbook(fw: Framework, round_id: str, out_dir: Path) -> Path:
    """Write the round's planning workbook into `out_dir` (replacing an earlier one)."""
    rnd = fw.round(round_id)
    rows = [r for r in derived_thresholds(fw) if r.round_id == rnd.round_id]
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / planning_file_name(fw, round_id)

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp), {**workbook_options(), "in_memory": True})
        wb.set_properties(
            {
                "title": f"เกณฑ์ที่คำนวณตามกฎ 6 เดือน {rnd.name}",
                "author": fw.settings.organisation,
                "comments": "kpi_batch planning workbook",
                "created": CREATED,
            }
        )
        _write_sheet(wb, fw, rnd.round_id, rnd.name, rows)
        wb.close()

    return fsutil.write_with(path, write)


def _write_sheet(
    wb: xlsxwriter.Workbook, fw: Framework, round_id: str, round_name: str, rows: list[DerivedRow]
) -> None:
    styles = Styles(wb, fw.settings.decimals)
    ws = wb.add_worksheet(SHEET)
    points = [
        Column(f"criteria_{point_text(p)}", f"เกณฑ์ระดับ {point_text(p)}", 12, "number")
        for p in fw.settings.scale
    ]
    columns = [*_LEADING, *points]
    widths = [c.width for c in columns]
    title = f"เกณฑ์ที่คำนวณตามกฎ 6 เดือน — {round_name} ({round_id})"
    lines = [
        f"{fw.settings.organisation} ปีงบประมาณ {fw.settings.fiscal_year}",
        "ระดับ 3 = ค่าเกณฑ์ระดับ 5 ของรอบที่ครอบคลุมทั้งปีงบประมาณ ÷ 2 และช่วงห่างระหว่างระดับเท่าเดิม"
        " (คู่มือฯ กฎเกณฑ์ 6 เดือน) แบบรายงานของหน่วยงานแสดงค่าเหล่านี้พร้อมเครื่องหมาย *"
        " โปรดตรวจก่อนส่งแบบรายงาน / derived 6-month criteria: level 3 = the full-year level 5 ÷ 2,"
        " same interval",
    ]
    if not rows:
        lines.append("รอบนี้ไม่มีเกณฑ์ที่คำนวณตามกฎ 6 เดือน / no derived criteria in this round")
    ws.merge_range(0, 0, 0, len(columns) - 1, "", styles.title)
    ws.write_string(0, 0, title, styles.title)
    ws.set_row(0, 27)
    for i, line in enumerate(lines, start=1):
        ws.merge_range(i, 0, i, len(columns) - 1, "", styles.subtitle)
        ws.write_string(i, 0, line, styles.subtitle)
        ws.set_row(i, fast_row_height([(line, sum(widths))]))
    header = len(lines) + 1
    data = [
        [
            r.unit_id,
            r.unit_name,
            r.kpi_id,
            r.kpi_name,
            r.round_id,
            r.derived_from,
            *(None if t is None else t for t in r.thresholds),
        ]
        for r in rows
    ]
    write_table(ws, styles, header, TABLE, columns, data)
    ws.freeze_panes(header + 1, 0)
    print_setup(ws, title, repeat_header=False)
    ws.repeat_rows(header)
