"""`changes_<fy>_<round>.xlsx`: what changed since the previous run of the round, per unit.

One sheet `การเปลี่ยนแปลง`, table `changes`: one row per unit with the old and new final
score, the change, the old and new rank and band (Thai names) and the Thai reasons from
`history.diff` (docs/history.md). Written by `kpi-batch run` into its run folder when an
earlier run of the same fiscal year and round is in the history, and by
`kpi-batch diff --xlsx`. Scores and ranks are confidential, as in the HR workbook: ลับ on
the screen and on every printed page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from kpi_batch.history.changes import ChangeRow, status_text
from kpi_batch.reports.tables import Column, Styles, banner, confidential_print_setup, write_table
from kpi_batch.thai import format_date_th
from kpi_batch.workbook_style import HEADER_PT, PINNED_CREATED, text_lines, workbook_options

SHEET = "การเปลี่ยนแปลง"
REASON_LINE_PT = 24.0
TABLE = "changes"
TITLE = "การเปลี่ยนแปลงของผลคะแนนระหว่างการประมวลผลสองครั้ง"
COLUMNS = (
    Column("unit_id", "รหัสหน่วยงาน", 11),
    Column("unit_name", "ชื่อหน่วยงาน", 30, "wrap"),
    Column("score_a", "คะแนนครั้งก่อน", 12, "score_earlier"),
    Column("score_b", "คะแนนครั้งนี้", 12, "score"),
    Column("change", "เปลี่ยนแปลง", 12, "change"),
    Column("rank_a", "อันดับครั้งก่อน", 11, "int"),
    Column("rank_b", "อันดับครั้งนี้", 11, "int"),
    Column("band_a", "กลุ่มคะแนนครั้งก่อน", 16, "wrap"),
    Column("band_b", "กลุ่มคะแนนครั้งนี้", 16, "wrap"),
    Column("reasons", "เหตุผลที่เปลี่ยน", 62, "wrap"),
)


@dataclass(frozen=True)
class ChangesHeading:
    """What the printout says about the two runs compared."""

    fiscal_year: int
    round_label: str  # "รอบ 6 เดือน (…) (R1)", or the round id when only that is known
    run_a: str
    run_b: str
    as_of_a: dt.date
    as_of_b: dt.date
    decimals: int = 4


def write_changes_workbook(rows: Sequence[ChangeRow], heading: ChangesHeading, path: Path) -> Path:
    # Written in place, as the run's other workbooks are: inside the run's staging folder
    # the whole folder is what gets moved into place.
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {**workbook_options(), "in_memory": True})
    wb.set_properties(
        {
            "title": f"{TITLE} {heading.round_label}",
            "subject": "ลับ (confidential)",
            "author": "kpi_batch",
            "keywords": f"{heading.run_a} {heading.run_b}",
            "created": PINNED_CREATED,
        }
    )
    _sheet(wb, rows, heading)
    wb.close()
    return path


def _sheet(wb: xlsxwriter.Workbook, rows: Sequence[ChangeRow], h: ChangesHeading) -> None:
    styles = Styles(wb, h.decimals)
    ws = wb.add_worksheet(SHEET)
    changed = sum(1 for r in rows if r.changed)
    lines = [
        f"{h.round_label} ปีงบประมาณ {h.fiscal_year}",
        f"ครั้งก่อน: {h.run_a} (ข้อมูล ณ {format_date_th(h.as_of_a)})  →  "
        f"ครั้งนี้: {h.run_b} (ข้อมูล ณ {format_date_th(h.as_of_b)})",
        f"หน่วยงานที่เปลี่ยนแปลง {changed} จาก {len(rows)} หน่วยงาน (เรียงจากที่เปลี่ยนมากที่สุด"
        " แล้วตามด้วยหน่วยงานที่ไม่เปลี่ยนแปลง) คะแนน = คะแนนสุดท้ายหลังหักคะแนนส่งช้า",
    ]
    header_row = banner(ws, styles, [c.width for c in COLUMNS], TITLE, lines)
    values = [
        [
            r.unit_id,
            r.unit_name,
            r.score_a,
            r.score_b,
            r.change,
            r.rank_a,
            r.rank_b,
            r.band_a or _unscored(r.status_a),
            r.band_b or _unscored(r.status_b),
            "\n".join(r.reasons),
        ]
        for r in rows
    ]
    end = write_table(ws, styles, header_row, TABLE, COLUMNS, values)
    # Several reasons, one a line: LibreOffice's Laksaman (TH Sarabun's stand-in) sets a
    # 14 pt line about 23 pt apart, more than the house estimate; the last reason clipped.
    for i, row in enumerate(values):
        tallest = max(
            text_lines(str(v), c.width)
            for c, v in zip(COLUMNS, row, strict=True)
            if c.kind == "wrap" and v
        )
        ws.set_row(header_row + 1 + i, max(HEADER_PT, tallest * REASON_LINE_PT + 6))
    ws.freeze_panes(header_row + 1, 2)
    confidential_print_setup(
        ws,
        f"{TITLE} {h.round_label}",
        f"{h.run_a} → {h.run_b}",
        header_row=header_row,
        area=(1, 0, end - 1, len(COLUMNS) - 1),
    )


def _unscored(status: str | None) -> str | None:
    """A unit without a band says why (not in the run, missing, rejected)."""
    return None if status == "scored" else status_text(status)
