"""One reading of a spreadsheet cell, for every workbook the tool reads (docs/cells.md).

A unit's reporter, a planning officer and a KPI owner type the same kind of value into
different workbooks (the template, the framework, the adjustments workbook, and the review
workbooks, receipts and `--as-of` dates that come later). A value must mean the same
thing whichever of them typed it, so every reader turns a cell into a number or a date here
and nowhere else. The rules, decided once:

- Thai digits read as Arabic; spaces (also NBSP, thin and zero-width spaces, as pasted from
  Word, the web or a PDF) are dropped inside a number; a trailing `%` is dropped (`85%` is
  85: the tool asks for percentages as numbers 0-100).
- Thousands separators only in groups of three (`1,234.5`); anything else with a comma
  (`1,2,3`, `1,23`, a decimal comma `85,5`) is refused: it is a slip, or a European decimal,
  and guessing would change a score.
- Exponent notation (`1e3`) is refused in a text cell: nobody reporting a KPI types a number
  that way, and `e` next to digits is more likely a typo than 1,000. A *number* cell that
  Excel shows as 1.00E+03 arrives as the float 1000.0 and is read as such.
- Excel error values (`#DIV/0!`, `#N/A`, LibreOffice's `Err:502`) are errors, never 0.
- `-`, dashes, `ไม่มีข้อมูล` and blank cells are empty.
- `ไม่มีผล (N/A)`, `ไม่มีผล`, `N/A`, `NA` and `ไม่มี` in a number cell are *not applicable*
  (`Kind.NOT_APPLICABLE`), not empty: a unit says the KPI had nothing to measure this round
  (DOMAIN §5), which a person must decide on, where an empty cell is a result not reported.
  Readers that only want a number (`decimal`, the framework's) see neither as a number; in a
  date cell the markers are empty.
- Dates: Excel dates (with a CE or Buddhist-era year), an Excel serial left in a General
  cell (20,000-80,000: 1954-2119), text as Thai writes it (`6 มี.ค. 2567`, `6/3/2567`,
  `2567-03-06`, with Thai digits).

A number typed as `85%` into a General or number cell is converted by Excel itself to the
number 0.85 (formatted as a percentage): the cell then holds 0.85, and that is what every
reader sees. Only a text cell keeps the `%` for us to drop.

Pure functions; `number_column` is the vectorised reading of many cells (intake reads one
column over thousands of files at once).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

import numpy as np

from kpi_batch.thai import arabic_digits, normalise_date
from kpi_batch.thai import parse_date as parse_date_text


class Kind(StrEnum):
    EMPTY = "empty"
    NUMBER = "number"
    DATE = "date"
    TEXT = "text"  # text (or a value of the wrong type) where a number or date was expected
    ERROR = "error"  # an Excel error value
    UNUSED = "unused"  # the sheet has no such column (`ABSENT` in `number_column`)
    # the unit marked the cell `ไม่มีผล (N/A)`; last, so the other kinds keep their codes
    NOT_APPLICABLE = "not_applicable"


# A kind as a small int, for frames over many cells (int comparisons cost less than str).
KIND_CODE = {kind: code for code, kind in enumerate(Kind)}


@dataclass(frozen=True, slots=True)
class Cell:
    value: float | dt.date | None
    original: str  # the cell as the person typed it, for messages and returned workbooks
    kind: Kind


EMPTY_MARKERS = frozenset({"", "-", "–", "—", "ไม่มีข้อมูล"})
# What the template offers (NOT_APPLICABLE_TEXT) and what people type for it.
NOT_APPLICABLE_TEXT = "ไม่มีผล (N/A)"
NOT_APPLICABLE_MARKERS = frozenset(
    {"ไม่มีผล (n/a)", "ไม่มีผล(n/a)", "ไม่มีผล", "n/a", "na", "ไม่มี", "(n/a)"}
)
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
_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f\u200b\u200c\u200d\ufeff]+")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
SERIAL_MIN, SERIAL_MAX = 20_000, 80_000  # Excel serials read as dates: 1954-10-03 .. 2119-01-08
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = _Absent()  # stands for a cell of a column the sheet does not have


def is_excel_error(text: str) -> bool:
    text = text.strip()
    return text.upper() in EXCEL_ERRORS or bool(_LIBREOFFICE_ERROR.match(text))


def is_empty_marker(text: str) -> bool:
    return " ".join(text.split()).casefold() in EMPTY_MARKERS


def is_not_applicable_marker(text: str) -> bool:
    return " ".join(text.split()).casefold() in NOT_APPLICABLE_MARKERS


def blank(value: object) -> bool:
    """Nothing in the cell: None, NaN, or only whitespace (an empty marker is not blank)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


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
    return str(raw)


def number_text(typed: str) -> str | None:
    """Number text as typed -> plain digits (`'๑,๒๓๔.๕ %'` -> `'1234.5'`); None if it is not
    a number by the rules above. Empty markers and error values are not numbers either."""
    text = _SPACES.sub("", arabic_digits(typed)).removesuffix("%")
    if _GROUPED.match(text):
        text = text.replace(",", "")
    return text if _PLAIN.match(text) else None


def number(raw: object) -> Cell:
    """Any cell read as a number: `value` a float, or None with the kind saying why."""
    if raw is None or raw == "":
        return Cell(None, "", Kind.EMPTY)
    if isinstance(raw, bool):  # a TRUE/FALSE typed over the cell
        return Cell(None, original_text(raw), Kind.TEXT)
    if isinstance(raw, int | float | Decimal):
        value = float(raw)
        if not math.isfinite(value):
            return Cell(None, original_text(raw), Kind.TEXT)
        return Cell(value, original_text(raw), Kind.NUMBER)
    original = original_text(raw)
    if not isinstance(raw, str):  # a date or time in a number cell
        return Cell(None, original, Kind.TEXT)
    if is_excel_error(raw):
        return Cell(None, original, Kind.ERROR)
    if is_empty_marker(raw):
        return Cell(None, original, Kind.EMPTY)
    if is_not_applicable_marker(raw):
        return Cell(None, original, Kind.NOT_APPLICABLE)
    text = number_text(raw)
    if text is None:
        return Cell(None, original, Kind.TEXT)
    return Cell(float(text), original, Kind.NUMBER)


def clean_decimal(value: Decimal) -> Decimal:
    """96.0 -> 96, 0.050 -> 0.05, 100 stays 100 (not 1E+2)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def decimal_text(value: Decimal) -> str:
    """Decimal -> '73.5', '100', '0.25' (never exponent notation, never '-0')."""
    text = format(clean_decimal(value), "f")
    return "0" if text == "-0" else text


def decimal(raw: object) -> Decimal | None:
    """Any cell read as an exact number (for thresholds, weights, corrections); else None.

    Floats go through `repr`, the shortest text that round-trips, so a cell holding 0.05
    becomes Decimal('0.05') and not 0.05000000000000000277.
    """
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return clean_decimal(Decimal(repr(raw))) if math.isfinite(raw) else None
    if isinstance(raw, Decimal):
        return clean_decimal(raw) if raw.is_finite() else None
    if not isinstance(raw, str):
        return None
    text = number_text(raw)
    return clean_decimal(Decimal(text)) if text is not None else None


def date(raw: object) -> Cell:
    """Any cell read as a date: `value` the CE date, or None with the kind saying why."""
    if raw is None or raw == "":
        return Cell(None, "", Kind.EMPTY)
    original = original_text(raw)
    day: dt.date | None
    if isinstance(raw, dt.date):  # datetime is a date too
        day = normalise_date(raw)
        return Cell(day, original, Kind.DATE) if day else Cell(None, original, Kind.TEXT)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if SERIAL_MIN <= raw <= SERIAL_MAX:
            day = normalise_date(_EXCEL_EPOCH + dt.timedelta(days=int(raw)))
            return Cell(day, original, Kind.DATE)
        return Cell(None, original, Kind.TEXT)
    if isinstance(raw, str):
        if is_excel_error(raw):
            return Cell(None, original, Kind.ERROR)
        if is_empty_marker(raw) or is_not_applicable_marker(raw):
            return Cell(None, original, Kind.EMPTY)
        day = parse_date_text(raw)
        if day is not None:
            return Cell(day, original, Kind.DATE)
    return Cell(None, original, Kind.TEXT)


def parse_date(raw: object) -> dt.date | None:
    """Any cell read as a CE date, or None."""
    found = date(raw).value
    return found if isinstance(found, dt.date) else None


_NUMBER_CODE = KIND_CODE[Kind.NUMBER]
_EMPTY_CODE = KIND_CODE[Kind.EMPTY]
_UNUSED_CODE = KIND_CODE[Kind.UNUSED]


def number_column(raw: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    """`number` of many cells at once: float64 values (NaN when not a number) and int8
    `KIND_CODE`s. Nearly every cell is a float or empty: numpy sorts those out; only the rest
    (typed text, errors, booleans, dates, `ABSENT`) goes through `number` one by one."""
    n = len(raw)
    cells = np.empty(n, dtype=object)
    cells[:] = raw
    types = np.fromiter(map(type, raw), dtype=object, count=n)
    floats = types == float  # noqa: E721 (element-wise: which cells are floats)
    values = np.full(n, math.nan)
    values[floats] = cells[floats].astype(np.float64)
    kinds = np.where(floats, _NUMBER_CODE, _EMPTY_CODE).astype(np.int8)
    odd = floats & ~np.isfinite(values)  # NaN or infinity: not a number anyone typed
    if odd.any():
        values[odd], kinds[odd] = math.nan, KIND_CODE[Kind.TEXT]
    for i in np.flatnonzero(~floats & (cells != "")).tolist():
        v = raw[i]
        if v is None:
            continue
        if v is ABSENT:
            kinds[i] = _UNUSED_CODE
            continue
        cell = number(v)
        if cell.value is not None:
            values[i] = cell.value
        kinds[i] = KIND_CODE[cell.kind]
    return values, kinds
