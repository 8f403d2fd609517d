"""Cells and tables shared by the HR and unit result workbooks (xlsxwriter).

- `Column`: a table column: key, Thai heading, width and how its values are shown. The
  header cell is `Thai label (key)`, as in the submission template.
- `Styles`: the formats of one workbook, made once and cached (xlsxwriter keeps every
  format it is given, so making them per cell bloats the file).
- `write_table`: header + rows as an Excel table with filters; values written by type:
  `Decimal` and int as numbers (converted with float() only here, at the cell), text always
  with `write_string`, so a name like `=HYPERLINK(...)` stays text; None and NA blank.
- `banner` and `confidential_print_setup`: the ลับ (confidential) marking on screen and on
  every printed page (top and bottom centre, as Thai official documents carry it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from kpi_batch.reports.palette import band_colour
from kpi_batch.scoring.appeal_state import MARK_TH
from kpi_batch.workbook_style import FONT, FONT_SIZE, HEADER_PT, fmt, print_setup, row_height

CONFIDENTIAL = "ลับ"
_MARKS = tuple(MARK_TH.values())
CONFIDENTIAL_RED = "#C00000"
HEADER_FONT_SIZE = 12

# Number formats. Scores show exactly 4 places here because the default `decimals` is 4;
# `score_format(decimals)` gives the one for the framework's setting.
INT_FORMAT = "0"
CHANGE_SIGN = "+{0};-{0};{0}"  # +0.1000 / -0.1000 / 0.0000

# How a unit's status reads; the cell keeps the key (the contract), the number format adds
# the Thai label: `;;;"label ("@")"` shows text through a format, the value stays `missing`.
UNIT_STATUS_TH = {
    "scored": "ได้คะแนน",
    "missing": "ไม่ได้ส่ง",
    "rejected": "ไฟล์ไม่ผ่าน",
}
KPI_STATUS_TH = {
    "scored": "คิดคะแนน",
    "missing": "ไม่รายงานผล",
    "not_applicable": "N/A รอพิจารณา",
    "exempt": "ยกเว้น",
    "set": "กำหนดคะแนน",
}


@lru_cache(maxsize=1 << 16)
def _cell_height(text: str, width: float, size: float) -> float:
    return row_height([(text, width)], size)


def fast_row_height(cells: Iterable[tuple[str, float]], size: float = FONT_SIZE) -> float:
    """`layout.row_height`, cached per cell: unit workbooks repeat the same KPI names and
    notes thousands of times. The same result, since a row is as tall as its tallest cell."""
    heights = [_cell_height(text, width, size) for text, width in cells]
    return max(heights) if heights else row_height([], size)


def score_format(decimals: int) -> str:
    return "0." + "0" * decimals if decimals > 0 else "0"


def text_format(labels: dict[str, str], value: str) -> str | None:
    """A number format that shows `label (value)` for a known text value."""
    label = labels.get(value)
    if label is None:
        return None
    return ';;;"' + label.replace('"', "") + ' ("@")"'


@dataclass(frozen=True)
class Column:
    key: str
    heading_th: str
    width: float
    # text | wrap | centre | score | score_earlier | score_left | change | int | number | ranking |
    # status | kpi_status (text keys shown with a Thai label)
    kind: str = "text"
    band: bool = False  # filled with the row's band colour

    @property
    def heading(self) -> str:
        return f"{self.heading_th} ({self.key})"


class Styles:
    """Formats of one workbook, by (kind, band index, extra number format)."""

    def __init__(self, wb: xlsxwriter.Workbook, decimals: int, band_count: int = 5) -> None:
        self.wb = wb
        self.decimals = decimals
        self.band_count = band_count  # bands of the framework: their colours (palette.py)
        self._cache: dict[tuple[Any, ...], Format] = {}
        # 12 pt: the keys in brackets decide the column widths, and so the print scale
        self.header = wb.add_format(
            fmt(bold=True, text_wrap=True, font_size=HEADER_FONT_SIZE, bg_color="#1F4E78",
                font_color="#FFFFFF")
        )  # fmt: skip
        self.title = wb.add_format(fmt(bold=True, font_size=18))
        self.subtitle = wb.add_format(fmt(num_format="@", text_wrap=True))
        self.section = wb.add_format(fmt(bold=True, font_size=16, font_color="#1F4E78"))
        self.label = wb.add_format(fmt(bold=True, num_format="@", text_wrap=True))
        self.note = wb.add_format(
            fmt(num_format="@", text_wrap=True, font_color="#404040", align="left", indent=1)
        )
        # the pre/post-appeal mark: the first thing a reader must not miss
        self.state = wb.add_format(fmt(bold=True, num_format="@", font_color=CONFIDENTIAL_RED))
        self.confidential = wb.add_format(
            fmt(bold=True, font_size=20, font_color=CONFIDENTIAL_RED, align="center")
        )

    def custom(self, key: Any, **props: Any) -> Format:
        """A one-off format (cached by `key`) on top of the house font."""
        found = self._cache.get(("custom", key))
        if found is None:
            found = self._cache[("custom", key)] = self.wb.add_format(fmt(**props))
        return found

    def cell(self, kind: str, band: int | None = None, num_format: str | None = None) -> Format:
        key = (kind, band, num_format)
        found = self._cache.get(key)
        if found is not None:
            return found
        props: dict[str, Any] = {}
        # an indent keeps text off a right-aligned number in the next column; it only
        # takes effect with an explicit left alignment
        if kind in ("text", "status", "kpi_status"):
            props.update(num_format="@", align="left", indent=1)
        elif kind == "wrap":
            props.update(num_format="@", text_wrap=True, align="left", indent=1)
        elif kind == "centre":
            props.update(num_format="@", text_wrap=True, align="center")
        elif kind == "score":
            props.update(num_format=score_format(self.decimals), align="right")
        elif kind in ("score_earlier", "score_earlier_left"):  # an earlier figure: greyed
            align = "left" if kind.endswith("_left") else "right"
            props.update(num_format=score_format(self.decimals), align=align,
                         font_color="#7F7F7F", italic=True)  # fmt: skip
        elif kind == "score_left":
            props.update(num_format=score_format(self.decimals), align="left")
        elif kind == "change":
            props.update(num_format=CHANGE_SIGN.format(score_format(self.decimals)), align="right")
        elif kind == "int":
            props.update(num_format=INT_FORMAT, align="center")
        elif kind == "ranking":
            props.update(align="left")
        elif kind == "number":
            props.update(num_format="General", align="right")
        if num_format is not None:
            props["num_format"] = num_format
        if band is not None:
            bg, fg = band_colour(band, self.band_count)
            props.update(bg_color=bg, font_color=fg, bold=True)
            if kind not in ("score", "score_left"):
                props.update(align="left", indent=1)
        made = self.wb.add_format(fmt(**props))
        self._cache[key] = made
        return made


def is_blank(value: Any) -> bool:
    """None, NaN, pd.NA, NaT and empty text: an empty cell."""
    if value is None:
        return True
    if isinstance(value, str):
        return value == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def plain(value: Any) -> Any:
    """A frame value as a plain Python one: NA / NaN -> None, numpy scalars -> int / float,
    Decimals and text unchanged."""
    if is_blank(value):
        return None
    if hasattr(value, "item") and not isinstance(value, Decimal):
        return value.item()
    return value


def write_value(
    ws: Worksheet, row: int, col: int, value: Any, style: Format, blank_style: Format | None = None
) -> None:
    """One cell by type; text is always text (never a formula, number or link)."""
    if is_blank(value):
        ws.write_blank(row, col, None, blank_style or style)
    elif isinstance(value, bool):
        ws.write_string(row, col, str(value), style)
    elif isinstance(value, Decimal | int | float) or hasattr(value, "__index__"):
        ws.write_number(row, col, float(value), style)  # the one float(): at the cell
    else:
        ws.write_string(row, col, str(value), style)


def write_table(
    ws: Worksheet,
    styles: Styles,
    first_row: int,
    name: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    bands: Sequence[int | None] | None = None,
    cell_formats: Sequence[dict[int, Format]] | None = None,
    set_widths: bool = True,
) -> int:
    """Write a table with its header at `first_row`; returns the row after the last.

    `bands[i]` is row i's band index (None: no fill) for the columns marked `band`;
    `cell_formats[i]` maps a column index to the format of that one cell.
    """
    data = list(rows) or [["ไม่มีรายการ (none)"] + [None] * (len(columns) - 1)]
    if set_widths:
        for col, column in enumerate(columns):
            ws.set_column(col, col, column.width)
    ws.add_table(
        first_row,
        0,
        first_row + len(data),
        len(columns) - 1,
        {
            "name": name,
            "style": "Table Style Light 1",
            "columns": [{"header": c.heading, "header_format": styles.header} for c in columns],
        },
    )
    heading_pt = fast_row_height(
        ((c.heading, c.width * FONT_SIZE / HEADER_FONT_SIZE) for c in columns), HEADER_FONT_SIZE
    )
    ws.set_row(first_row, max(heading_pt + 4, HEADER_PT))
    for i, values in enumerate(data):
        r = first_row + 1 + i
        band = bands[i] if bands is not None and rows else None
        extra = cell_formats[i] if cell_formats is not None and rows else {}
        for col, (column, value) in enumerate(zip(columns, values, strict=True)):
            style = extra.get(col)
            if style is None:
                num_format = None
                if column.kind in ("status", "kpi_status") and isinstance(value, str):
                    labels = UNIT_STATUS_TH if column.kind == "status" else KPI_STATUS_TH
                    num_format = text_format(labels, value)
                style = styles.cell(column.kind, band if column.band else None, num_format)
            write_value(ws, r, col, value, style)
        wrapped = [
            (str(v), c.width)
            for c, v in zip(columns, values, strict=True)
            if c.kind in ("wrap", "centre") and isinstance(v, str)
        ]
        ws.set_row(r, max(fast_row_height(wrapped), HEADER_PT))
    return first_row + 1 + len(data)


def banner(
    ws: Worksheet, styles: Styles, widths: Sequence[float], title: str, lines: Sequence[str]
) -> int:
    """ลับ, the title and a few wrapped lines across the columns of `widths` (the sheet's
    column widths); returns the next free row. Row 0 (ลับ) is for the screen: the printed
    page carries ลับ in its header and footer, so print areas start at row 1."""
    last_col = len(widths) - 1
    ws.merge_range(0, 0, 0, last_col, CONFIDENTIAL, styles.confidential)
    ws.set_row(0, 30)
    ws.merge_range(1, 0, 1, last_col, "", styles.title)
    ws.write_string(1, 0, title, styles.title)
    ws.set_row(1, 27)
    total = sum(widths)
    for i, line in enumerate(lines, start=2):
        style = styles.state if line.startswith(_MARKS) else styles.subtitle
        ws.merge_range(i, 0, i, last_col, "", style)
        ws.write_string(i, 0, line, style)
        ws.set_row(i, fast_row_height([(line, total)]))
    return 2 + len(lines)


def confidential_print_setup(
    ws: Worksheet,
    title: str,
    footer_left: str,
    header_row: int | None = None,
    area: tuple[int, int, int, int] | None = None,
) -> None:
    """layout.print_setup, plus ลับ at the top and bottom centre of every page, the table's
    header row repeated (when given), the run id bottom left and a print area that leaves
    out the on-screen ลับ row (`area` = first row, first col, last row, last col)."""
    print_setup(ws, title, repeat_header=False)
    if header_row is not None:
        ws.repeat_rows(header_row)
    if area is not None:
        ws.print_area(*area)
    mark = f'&"{FONT},Bold"&18&K{CONFIDENTIAL_RED[1:]}{CONFIDENTIAL}'
    ws.set_header(f'&L&"{FONT},Bold"&14 {_escape(title)}&C{mark}', {"margin": 0.3})
    ws.set_footer(f'&L&"{FONT}"&11 {_escape(footer_left)}&C{mark}&R&"{FONT}"&12หน้า &P / &N')


def _escape(text: str) -> str:
    return text.replace("&", "&&")
