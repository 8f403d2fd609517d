"""The house style of every workbook we write: Thai government font, A4 landscape, pinned bytes.

Input workbooks (framework, unit templates, adjustments, review workbooks) and reports share
it, so it sits below all of them (tests/test_layers_contract.py); report-only colours are in
`reports/palette.py`.

TH Sarabun New is the font Thai government documents use; LibreOffice substitutes its metric
twin Laksaman (fonts-thai-tlwg), so a PDF rendered in CI has the line breaks Excel shows.
Neither Excel nor xlsxwriter sizes rows to wrapped Thai text, so `row_height` estimates it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from xlsxwriter.worksheet import Worksheet

FONT = "TH Sarabun New"
FONT_SIZE = 14
LINE_PT = 21.0  # one line of 14 pt TH Sarabun New, with its tall Thai vowels and marks
HEADER_PT = 24.0  # set on header rows: auto height clips Thai marks and underscores
# Pinned document times: the same input gives the same bytes (golden files, checksums).
PINNED_CREATED = dt.datetime(2024, 1, 1)


def workbook_options() -> dict[str, Any]:
    """Options for `xlsxwriter.Workbook`, a fresh dict each call (xlsxwriter writes into it).

    `font_scheme: none` matters: without it xlsxwriter marks every font that equals the
    default font as the theme's minor font, and the theme's minor font is Calibri, so Excel
    would show Calibri instead of TH Sarabun New (LibreOffice ignores the mark, so a PDF
    render does not show the problem).
    """
    return {
        # Text from inputs is data, never a formula, number or link: `=HYPERLINK(...)` stays text.
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
        "default_format_properties": {
            "font_name": FONT,
            "font_size": FONT_SIZE,
            "font_scheme": "none",
        },
        "default_row_height": 28,  # pixels: 21 pt, one line of Thai text
    }


def fmt(**props: Any) -> dict[str, Any]:
    """Format properties on top of the house font."""
    return {"font_name": FONT, "font_size": FONT_SIZE, "valign": "top", **props}


def print_setup(ws: Worksheet, title: str = "", repeat_header: bool = True) -> None:
    """A4 landscape, one page wide, header row repeated, page numbers in Thai."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    ws.fit_to_pages(1, 0)
    if repeat_header:
        ws.repeat_rows(0)
    if title:
        # A title starting with a digit would be read as part of the font size code (&14).
        text = _escape(title)
        gap = " " if text[:1].isdigit() else ""
        ws.set_header(f'&L&"{FONT},Bold"&14{gap}{text}', {"margin": 0.3})
    ws.set_footer(f'&C&"{FONT}"&12หน้า &P / &N')


def _escape(text: str) -> str:
    return text.replace("&", "&&")


def visible_length(text: str) -> int:
    """Characters that take width: Thai vowel and tone marks above or below take none."""
    return sum(1 for ch in text if not _is_thai_mark(ch))


def _is_thai_mark(ch: str) -> bool:
    return ch == "\u0e31" or "\u0e34" <= ch <= "\u0e3a" or "\u0e47" <= ch <= "\u0e4e"


def text_lines(text: str, width: float) -> int:
    """Lines `text` takes when wrapped in a column `width` characters wide (an estimate)."""
    per_line = max(1, int(width * 0.95))  # a little short: a clipped line is worse
    return sum(max(1, -(-visible_length(part) // per_line)) for part in text.split("\n"))


def row_height(cells: Iterable[tuple[str, float]], size: float = FONT_SIZE) -> float:
    """Points for a row whose wrapped cells are (text, column width) pairs."""
    lines = max((text_lines(text, width) for text, width in cells), default=1)
    return round(lines * LINE_PT * size / FONT_SIZE + 2, 1)
