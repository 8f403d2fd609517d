"""Does every printed cell show all its text? Measured with the font LibreOffice renders.

A cell's text is measured with the advance widths of the font file fontconfig substitutes
for the cell's font (TH Sarabun New -> Laksaman from fonts-thai-tlwg, the font the PDF is
drawn with; fontTools reads its metrics, Thai vowel and tone marks have zero advance). The
numbers below were measured on LibreOffice's own PDF of a calibration sheet (14 pt, rows of
14 to 48 pt): a column of stored width w is w digit widths of the workbook's default font
wide, a wrapped line takes 1.657 em, and the last line needs 1.45 em so that the marks below
ญ ฐ ู are not clipped (a 14 pt line needs a 20.3 pt row; 18 pt clips it, 20 does not).

Wrapping is measured as a lower bound: a line may break at any space, after `/` or `-`,
and between any two Thai characters (LibreOffice breaks Thai only between words, so it
never needs fewer lines than this). A cell this check calls cut is cut on paper.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.utils import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

LINE_EM = 1.657  # one wrapped line, measured on the calibration render
LAST_LINE_EM = 1.45  # the last line's own height, marks below included
ONE_LINE_EM = 1.15  # an unwrapped line: LibreOffice lets its marks run over the row edges
PADDING_PT = 2.0  # LibreOffice keeps about 1 pt free at each side of a cell
SLACK_PT = 0.5
DEFAULT_ROW_PT = 15.0  # Excel's default when a sheet names none
THAI_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


@dataclass(frozen=True)
class Cut:
    sheet: str
    cell: str
    text: str
    reason: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}: {self.reason}: {self.text[:60]!r}"


class FontMetrics:
    """Advance widths of one font file, in em."""

    def __init__(self, path: str) -> None:
        from fontTools.ttLib import TTFont  # a dev dependency, imported where it is used

        font = TTFont(path, lazy=True)
        upm = font["head"].unitsPerEm
        cmap = font.getBestCmap()
        hmtx = font["hmtx"]
        self._em = {cp: hmtx[name][0] / upm for cp, name in cmap.items()}
        self._fallback = self._em.get(ord("W"), 0.9)

    def advance(self, ch: str) -> float:
        return self._em.get(ord(ch), self._fallback)

    def width(self, text: str, size: float) -> float:
        return sum(self.advance(ch) for ch in text) * size


@functools.cache
def font_file(name: str, bold: bool) -> str:
    """The file fontconfig (and so LibreOffice) draws `name` with."""
    fc_match = shutil.which("fc-match")
    assert fc_match, "fc-match (fontconfig) is needed to find the rendered font"
    pattern = f"{name}:bold" if bold else name
    out = subprocess.run(
        [fc_match, "-f", "%{file}", pattern], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


@functools.cache
def metrics(name: str, bold: bool) -> FontMetrics:
    return FontMetrics(font_file(name, bold))


def wrapped_lines(text: str, avail_pt: float, font: FontMetrics, size: float) -> int:
    """The fewest lines `text` can take in `avail_pt` (a lower bound; see the module doc)."""
    total = 0
    for paragraph in text.split("\n"):
        total += _paragraph_lines(paragraph, avail_pt, font, size)
    return total


def _segments(text: str) -> list[tuple[str, str]]:
    """(unbreakable run, the spaces after it): a break may follow each run."""
    runs: list[tuple[str, str]] = []
    word, spaces = "", ""
    for ch in text:
        thai_base = "\u0e01" <= ch <= "\u0e5b" and not THAI_MARKS.match(ch)
        if ch == " ":
            spaces += ch
            continue
        if spaces or (thai_base and word):
            runs.append((word, spaces))
            word, spaces = "", ""
        word += ch
        if ch in "/-":
            runs.append((word, ""))
            word = ""
    runs.append((word, spaces))
    return runs


def _paragraph_lines(text: str, avail: float, font: FontMetrics, size: float) -> int:
    lines, line, gap = 1, 0.0, 0.0
    for word, spaces in _segments(text):
        w = font.width(word, size)
        if line and line + gap + w > avail:
            lines += 1
            line, gap = 0.0, 0.0
        if not line:
            while w > avail and len(word) > 1:  # a run longer than a line breaks anywhere
                fit = 1
                while font.width(word[: fit + 1], size) <= avail:
                    fit += 1
                word = word[fit:]
                w = font.width(word, size)
                lines += 1
        line += gap + w
        gap = font.width(spaces, size)
    return lines


def needed_height(lines: int, size: float) -> float:
    return ((lines - 1) * LINE_EM + LAST_LINE_EM) * size


def displayed_text(cell: Cell) -> str | None:
    """What the cell shows, near enough to measure; None for empty and formula cells."""
    value = cell.value
    if value is None or value == "" or cell.data_type == "f":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date):
        return "00 มี.ค. 0000"
    fmt = cell.number_format or "General"
    number = float(value)
    percent = "%" in fmt
    if percent:
        number *= 100
    decimals = re.search(r"0\.(0+)", fmt)
    if decimals:
        text = f"{number:,.{len(decimals[1])}f}" if "," in fmt else f"{number:.{len(decimals[1])}f}"
    elif fmt == "General":
        text = f"{value}"
    else:
        text = f"{number:,.0f}" if "," in fmt else f"{number:.0f}"
    if "+" in fmt and number > 0:
        text = "+" + text
    return text + ("%" if percent else "")


class SheetGeometry:
    """Column widths and row heights in points, as LibreOffice lays the sheet out."""

    def __init__(self, ws: Worksheet, digit_pt: float) -> None:
        self.ws = ws
        self.digit_pt = digit_pt
        fmt = ws.sheet_format
        self.default_col = float(fmt.defaultColWidth or (fmt.baseColWidth or 8) + 0.71)
        self.default_row = float(fmt.defaultRowHeight or DEFAULT_ROW_PT)
        self._cols: dict[int, tuple[float, bool]] = {}
        for dim in ws.column_dimensions.values():
            if dim.min is None:
                continue
            for col in range(dim.min, dim.max + 1):
                width = dim.width if dim.customWidth or dim.width else self.default_col
                self._cols[col] = (float(width or self.default_col), bool(dim.hidden))

    def col_pt(self, col: int) -> float:
        width, hidden = self._cols.get(col, (self.default_col, False))
        return 0.0 if hidden else width * self.digit_pt

    def col_hidden(self, col: int) -> bool:
        return self._cols.get(col, (0.0, False))[1]

    def row_pt(self, row: int) -> float:
        dim = self.ws.row_dimensions.get(row)
        if dim is not None and dim.hidden:
            return 0.0
        if dim is not None and dim.ht is not None:
            return float(dim.ht)
        return self.default_row

    def row_hidden(self, row: int) -> bool:
        dim = self.ws.row_dimensions.get(row)
        return bool(dim is not None and dim.hidden)


def print_bounds(ws: Worksheet) -> tuple[int, int, int, int]:
    """(min_col, min_row, max_col, max_row) printed: the print area, else the used range."""
    area = ws.print_area
    if area:
        ref = area.split(",")[0].split("!")[-1].replace("$", "")
        bounds = range_boundaries(ref)
        return tuple(int(b) for b in bounds)  # type: ignore[return-value]
    return 1, 1, ws.max_column, ws.max_row


def printed_sheets(wb: openpyxl.Workbook) -> Iterator[Worksheet]:
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            yield ws


def cuts_in_sheet(ws: Worksheet, digit_pt: float) -> list[Cut]:
    """Every printed cell whose text does not fit where it is printed."""
    geo = SheetGeometry(ws, digit_pt)
    min_col, min_row, max_col, max_row = print_bounds(ws)
    merged = {}
    covered = set()
    for rng in ws.merged_cells.ranges:
        merged[(rng.min_row, rng.min_col)] = rng
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                covered.add((row, col))
    found = []
    for row in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col):
        for cell in row:
            text = displayed_text(cell)
            if text is None or geo.row_hidden(cell.row) or geo.col_hidden(cell.column):
                continue
            rng = merged.get((cell.row, cell.column))
            if rng is None and (cell.row, cell.column) in covered:
                continue  # hidden under a merged range
            if ws.protection.sheet and not cell.protection.locked:
                continue  # a unit's own entry in an input cell: theirs to write as they like
            cut = _cell_cut(ws, cell, text, geo, rng, max_col)
            if cut:
                found.append(Cut(ws.title, cell.coordinate, text, cut))
    return found


def _cell_cut(ws: Worksheet, cell: Cell, text: str, geo: SheetGeometry, rng, max_col: int):
    font = cell.font
    size = float(font.sz or 11)
    face = metrics(font.name or "Calibri", bool(font.b))
    last_col = rng.max_col if rng else cell.column
    last_row = rng.max_row if rng else cell.row
    width = sum(geo.col_pt(c) for c in range(cell.column, last_col + 1)) - PADDING_PT
    height = sum(geo.row_pt(r) for r in range(cell.row, last_row + 1))
    align = cell.alignment
    if align.wrap_text:
        lines = wrapped_lines(text, width, face, size)
        need = needed_height(lines, size)
        if need > height + SLACK_PT:
            return f"{lines} lines need {need:.1f} pt, the row gives {height:.1f} pt"
        return None
    lines = text.count("\n") + 1
    widest = max(face.width(part, size) for part in text.split("\n"))
    # One line of unwrapped text is not clipped at the row's edges, only cut by a row
    # too low for its letters.
    need = needed_height(lines, size) if lines > 1 else ONE_LINE_EM * size
    if need > height + SLACK_PT:
        return f"{lines} line(s) need {need:.1f} pt, the row gives {height:.1f} pt"
    if widest <= width + SLACK_PT:
        return None
    if not isinstance(cell.value, str) or (align.horizontal or "general") not in (
        "general",
        "left",
    ):
        return f"{widest:.0f} pt wide in {width:.0f} pt (a number or centred text is cut)"
    # Left-aligned text runs on over empty cells to its right, up to the print edge.
    room, col = width, last_col + 1
    while room + SLACK_PT < widest:
        if col > max_col:
            return f"{widest:.0f} pt wide, runs past the printed columns"
        neighbour = ws.cell(row=cell.row, column=col).value
        if neighbour not in (None, ""):
            return f"{widest:.0f} pt wide in {room:.0f} pt: overwritten by the next cell"
        room += geo.col_pt(col)
        col += 1
    return None


def default_digit_pt(wb: openpyxl.Workbook) -> float:
    """Width of '0' in the workbook's default font: the unit of column widths."""
    base = wb._fonts[0]  # the Normal style's font
    size = float(base.sz or 11)
    return metrics(base.name or "Calibri", False).advance("0") * size


def cuts_in_workbook(path: Path) -> list[Cut]:
    wb = openpyxl.load_workbook(path)
    digit = default_digit_pt(wb)
    found: list[Cut] = []
    for ws in printed_sheets(wb):
        found.extend(cuts_in_sheet(ws, digit))
    return found
