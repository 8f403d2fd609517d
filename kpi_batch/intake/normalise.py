"""Cell normalisation: what a unit typed -> what we validate, keeping what it typed.

Pure functions, one cell at a time. Each returns a `Cell`: the normalised value, the
original text (for the report and the returned workbook) and the kind of cell, so that the
validator can tell "left empty" from "typed text in a number cell" from "an Excel error".

Rules (issue 3, item 3):
- Thai digits -> Arabic; spaces, non-breaking and zero-width spaces removed inside numbers;
  thousands separators (`1,234.5`) removed; a trailing `%` dropped (`85%` -> 85, the template
  asks for percentages as numbers 0-100).
- `-`, dashes, `N/A`, `NA`, `ไม่มี` (and nothing at all) mean empty.
- Excel error values (`#DIV/0!`, `#N/A`, ... and LibreOffice's `Err:502`) are errors, never 0.
  python-calamine 0.9 reads error cells as `""`, so the loader finds them in the sheet XML and
  passes the error text here instead.
- Dates: Excel dates with a Buddhist-era year (2567-03-06), BE text (`6 มี.ค. 2567`,
  `6/3/2567`), or an Excel date serial left as a number.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from enum import StrEnum

from kpi_batch.thai import arabic_digits, normalise_date, parse_date


class Kind(StrEnum):
    EMPTY = "empty"
    NUMBER = "number"
    DATE = "date"
    TEXT = "text"  # text where a number or date was expected
    ERROR = "error"  # an Excel error value


@dataclass(frozen=True, slots=True)
class Cell:
    value: float | dt.date | None
    original: str
    kind: Kind


EMPTY_MARKERS = frozenset({"", "-", "–", "—", "n/a", "na", "ไม่มี", "ไม่มีข้อมูล"})
EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#PYTHON!",
    }
)
_LIBREOFFICE_ERROR = re.compile(r"^Err:\d{3}$")
# Spaces a number may carry when pasted from Word, the web or a PDF.
_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f\u200b\u200c\u200d\ufeff]+")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
# Excel serials that are dates between 1954 and 2119: a date typed into a General cell.
_SERIAL_MIN, _SERIAL_MAX = 20_000, 80_000
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def original_text(raw: object) -> str:
    """The cell as a person would read it back: 12.0 -> '12', dates as ISO."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        if math.isfinite(raw) and raw.is_integer() and abs(raw) < 1e15:
            return str(int(raw))
        return repr(raw)
    if isinstance(raw, dt.datetime):
        return raw.isoformat(sep=" ") if raw.time() != dt.time() else raw.date().isoformat()
    if isinstance(raw, dt.date | dt.time | dt.timedelta | int):
        return str(raw)
    return str(raw)


def is_excel_error(text: str) -> bool:
    text = text.strip()
    return text.upper() in EXCEL_ERRORS or bool(_LIBREOFFICE_ERROR.match(text))


def _is_empty_marker(text: str) -> bool:
    return " ".join(text.split()).casefold() in EMPTY_MARKERS


def number(raw: object) -> Cell:
    """A number cell (value, numerator, denominator, level, weight, criteria)."""
    if raw is None or raw == "":
        return Cell(None, "", Kind.EMPTY)
    if isinstance(raw, bool):  # a TRUE/FALSE typed over the cell
        return Cell(None, original_text(raw), Kind.TEXT)
    if isinstance(raw, int | float):
        value = float(raw)
        if not math.isfinite(value):
            return Cell(None, original_text(raw), Kind.TEXT)
        return Cell(value, original_text(raw), Kind.NUMBER)
    original = original_text(raw)
    if not isinstance(raw, str):  # a date or time in a number cell
        return Cell(None, original, Kind.TEXT)
    if is_excel_error(raw):
        return Cell(None, original, Kind.ERROR)
    if _is_empty_marker(raw):
        return Cell(None, original, Kind.EMPTY)
    text = _SPACES.sub("", arabic_digits(raw))
    if text.endswith("%"):
        text = text[:-1]
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        return Cell(None, original, Kind.TEXT)
    value = float(text)
    if not math.isfinite(value):
        return Cell(None, original, Kind.TEXT)
    return Cell(value, original, Kind.NUMBER)


def text(raw: object) -> str:
    """An identifier or free-text cell: trimmed, NBSP and Thai digits kept as typed.

    Identifiers are written as text by the template; a number that slipped in (1.0 for "1")
    reads back as its shortest form.
    """
    if raw is None:
        return ""
    if isinstance(raw, str):
        return " ".join(raw.replace("\u00a0", " ").split())
    return original_text(raw)


def date(raw: object) -> Cell:
    """A date cell (submitted_on): Excel date (CE or BE year), Thai/ISO text or a serial."""
    if raw is None or raw == "":
        return Cell(None, "", Kind.EMPTY)
    original = original_text(raw)
    day: dt.date | None
    if isinstance(raw, dt.date):  # datetime is a date too
        day = normalise_date(raw)
        return Cell(day, original, Kind.DATE) if day else Cell(None, original, Kind.TEXT)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if _SERIAL_MIN <= raw <= _SERIAL_MAX:
            day = normalise_date(_EXCEL_EPOCH + dt.timedelta(days=int(raw)))
            return Cell(day, original, Kind.DATE)
        return Cell(None, original, Kind.TEXT)
    if isinstance(raw, str):
        if is_excel_error(raw):
            return Cell(None, original, Kind.ERROR)
        if _is_empty_marker(raw):
            return Cell(None, original, Kind.EMPTY)
        day = parse_date(raw)
        if day is not None:
            return Cell(day, original, Kind.DATE)
    return Cell(None, original, Kind.TEXT)
