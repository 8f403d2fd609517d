"""The executive workbook's formats, band colours and one table writer shared by its sheets.

Cells are written by type: scores (`Decimal`) as numbers shown to the framework's decimals,
counts as integers, and every text, above all text from inputs (unit, cluster and KPI
names, appeal reasons, file names), with `write_string`, so `=HYPERLINK(...)` stays text.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from kpi_batch.reports.palette import band_colour
from kpi_batch.run_record import RunRecord
from kpi_batch.thai import format_date_th
from kpi_batch.workbook_style import HEADER_PT, fmt, row_height

TITLE = "สรุปผลการประเมินผลการปฏิบัติราชการสำหรับผู้บริหาร"
HEADER_BG = "#1F4E78"
# The heatmap's three-colour scale and the data bars.
SCALE_LOW, SCALE_MID, SCALE_HIGH = "#F8696B", "#FFEB84", "#63BE7B"
BAR_COLOUR = "#5B9BD5"

STATUS_TH = {
    "scored": "ได้รับคะแนน (scored)",
    "missing": "ไม่ได้ส่ง (missing)",
    "rejected": "ไฟล์ไม่ผ่านการตรวจสอบ (rejected)",
    "late": "ส่งล่าช้า (late)",
}
FILE_STATUS_TH = {
    "accepted": "รับแล้ว",
    "accepted_with_warnings": "รับแล้ว มีคำเตือน",
    "rejected": "ไม่รับ",
    "superseded": "มีฉบับใหม่กว่า",
    "ignored": "ไม่เกี่ยวข้อง",
    "opened": "อีเมล เปิดไฟล์แนบแล้ว",
}


@dataclass(frozen=True)
class Col:
    key: str
    heading_th: str
    width: float
    kind: str = "text"  # text, wrap, score, count, change, share, heat

    @property
    def heading(self) -> str:
        """`หน่วยงาน (unit_id)`; a column without a Thai heading (a KPI id) shows its key."""
        return f"{self.heading_th} ({self.key})" if self.heading_th else self.key


class Styles:
    def __init__(self, wb: xlsxwriter.Workbook, decimals: int, band_ids: Sequence[str]) -> None:
        score = "0." + "0" * decimals if decimals else "0"
        self.score_format = score
        add = wb.add_format
        self.title = add(fmt(bold=True, font_size=22, valign="vcenter"))
        self.subtitle = add(fmt(font_size=16, font_color="#404040", valign="vcenter"))
        self.section = add(fmt(bold=True, font_size=16, font_color=HEADER_BG, valign="vcenter"))
        self.note = add(fmt(italic=True, font_color="#595959"))  # runs on over empty cells
        self.state = add(fmt(bold=True, font_size=16, font_color="#C00000", valign="vcenter"))
        self.sign_label = add(fmt(bold=True, align="center"))
        self.sign_line = add(fmt(align="center", font_color="#404040"))
        self.big_note = add(fmt(bold=True, font_size=18, font_color="#595959", valign="vcenter"))
        self.header = add(fmt(bold=True, text_wrap=True, bg_color=HEADER_BG, font_color="#FFFFFF"))
        self.card_label = add(
            fmt(text_wrap=True, align="center", valign="vcenter", font_color="#404040",
                bg_color="#F2F2F2", top=1, left=1, right=1, border_color="#BFBFBF")
        )  # fmt: skip
        card = {"bold": True, "align": "center", "valign": "vcenter", "font_size": 30,
                "bg_color": "#F2F2F2", "bottom": 1, "left": 1, "right": 1,
                "border_color": "#BFBFBF", "font_color": HEADER_BG}  # fmt: skip
        self.card_count = add(fmt(**card, num_format="#,##0"))
        self.card_score = add(fmt(**card, num_format=score))
        self.card_share = add(fmt(**card, num_format="0.00%"))
        self.card_text = add(fmt(**card))
        self.text = add(fmt(num_format="@"))
        self.wrap = add(fmt(num_format="@", text_wrap=True))
        self.score = add(fmt(num_format=score, align="right"))
        self.count = add(fmt(num_format="#,##0", align="center"))
        self.figure_count = add(fmt(num_format="0", align="left"))
        self.figure_score = add(fmt(num_format=score, align="left"))
        self.figure_share = add(fmt(num_format="0.00%", align="left"))
        self.change = add(fmt(num_format=f"+{score};-{score};{score}", align="right"))
        self.share = add(fmt(num_format="0.00%", align="right"))
        self.heat = add(fmt(num_format=score, align="center"))
        self.heat_exempt = add(fmt(num_format="@", align="center", font_color="#7F7F7F",
                                   italic=True, font_size=11))  # fmt: skip
        self.late = add(fmt(num_format="@", bold=True, font_color="#9C0006"))
        self.bands: dict[str, Format] = {}
        for i, band_id in enumerate(band_ids):
            bg, fg = band_colour(i, len(band_ids))
            self.bands[band_id] = add(fmt(num_format="@", bg_color=bg, font_color=fg, bold=True))

    def cell(self, col: Col) -> Format:
        kinds = {"wrap": self.wrap, "score": self.score, "count": self.count,
                 "change": self.change, "share": self.share, "heat": self.heat}  # fmt: skip
        return kinds.get(col.kind, self.text)


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def text(value: Any) -> str:
    """A value as text for a text cell: blanks (None, NaN, NA) empty, lists joined."""
    if isinstance(value, (list, tuple, set)):
        return "; ".join(text(v) for v in value)
    if is_blank(value):
        return ""
    if isinstance(value, dt.date):
        return format_date_th(value)
    return str(value)


def write(ws: Worksheet, row: int, col: int, value: Any, style: Format | None) -> None:
    """Numbers as numbers (Decimal converted only here), dates as Thai text, the rest text."""
    if isinstance(value, bool) or is_blank(value):
        ws.write_blank(row, col, None, style)
    elif isinstance(value, numbers.Number):  # Decimal, int, float and numpy numbers
        ws.write_number(row, col, float(value), style)  # type: ignore[arg-type]
    elif isinstance(value, str) and not value:
        ws.write_blank(row, col, None, style)
    else:
        ws.write_string(row, col, text(value), style)


def write_table(
    ws: Worksheet,
    styles: Styles,
    top: int,
    name: str,
    columns: Sequence[Col],
    rows: Sequence[Sequence[Any]],
    row_styles: dict[tuple[int, int], Format] | None = None,
    widths: bool = True,
) -> int:
    """An Excel table (header + rows, filters) at `top`; returns the row after it.

    `row_styles` overrides the format of single cells, keyed by (row index, column index);
    `widths=False` leaves the column widths to the caller (a sheet with other blocks).
    """
    row_styles = row_styles or {}
    if widths:
        for c, col in enumerate(columns):
            ws.set_column(c, c, col.width)
    ws.add_table(
        top, 0, top + max(len(rows), 1), len(columns) - 1,
        {"name": name, "style": "Table Style Light 1",
         "columns": [{"header": col.heading, "header_format": styles.header,
                      "format": styles.cell(col)} for col in columns]},
    )  # fmt: skip
    ws.set_row(top, row_height((c.heading, c.width) for c in columns) + 2)
    for r, values in enumerate(rows):
        for c, (col, value) in enumerate(zip(columns, values, strict=True)):
            write(ws, top + 1 + r, c, value, row_styles.get((r, c), styles.cell(col)))
        wrapped = [(text(v), col.width) for col, v in zip(columns, values, strict=True)
                   if col.kind == "wrap"]  # fmt: skip
        if wrapped:
            ws.set_row(top + 1 + r, max(row_height(wrapped), HEADER_PT))
    return top + 1 + max(len(rows), 1)


def big_note(ws: Worksheet, styles: Styles, row: int, thai: str, english: str = "") -> None:
    """A sheet's message in place of a table: large Thai text, the English under it."""
    ws.set_row(row, 32)
    ws.write_string(row, 0, thai, styles.big_note)
    if english:
        ws.write_string(row + 1, 0, english, styles.note)


def page_title(ctx: RunRecord, sheet: str) -> str:
    """The printed page header: what, which sheet, which round and run. Short: at full
    length a long sheet name wrapped it and split the run id over two lines."""
    return f"สรุปผลสำหรับผู้บริหาร — {sheet} — {ctx.round.name} — {ctx.run_id}"


def status_th(status: str, days_late: Any = None) -> str:
    if status == "scored" and not is_blank(days_late) and int(days_late) > 0:
        return f"{STATUS_TH['late']} {int(days_late)} วัน"
    return STATUS_TH.get(status, status)
