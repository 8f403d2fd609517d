"""Thai text conventions: Thai digits, Buddhist-era dates, Thai month names.

Pure functions shared by the framework reader and intake. They return None when the text is
not what they parse, and leave it to the caller to report the cell.
"""

from __future__ import annotations

import datetime as dt
import re

BE_OFFSET = 543
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# Abbreviated and full month names, as Thai documents write them (with or without dots).
_MONTHS: dict[str, int] = {}
for _number, (_abbr, _full) in enumerate(
    [
        ("ม.ค.", "มกราคม"),
        ("ก.พ.", "กุมภาพันธ์"),
        ("มี.ค.", "มีนาคม"),
        ("เม.ย.", "เมษายน"),
        ("พ.ค.", "พฤษภาคม"),
        ("มิ.ย.", "มิถุนายน"),
        ("ก.ค.", "กรกฎาคม"),
        ("ส.ค.", "สิงหาคม"),
        ("ก.ย.", "กันยายน"),
        ("ต.ค.", "ตุลาคม"),
        ("พ.ย.", "พฤศจิกายน"),
        ("ธ.ค.", "ธันวาคม"),
    ],
    start=1,
):
    _MONTHS[_abbr] = _number
    _MONTHS[_abbr.replace(".", "")] = _number
    _MONTHS[_full] = _number

MONTH_ABBR = {n: a for a, n in _MONTHS.items() if a.endswith(".")}
MONTH_FULL = {n: a for a, n in _MONTHS.items() if len(a) > 4 and "." not in a}

_THAI_TEXT_DATE = re.compile(r"^(\d{1,2})\s*([^\d\s]+)\s*(\d{2,4})$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")


def arabic_digits(text: str) -> str:
    """'๒๕๖๗' -> '2567'; other characters unchanged."""
    return text.translate(THAI_DIGITS)


def ce_year(year: int) -> int:
    """A year as written -> Common Era. 2567 -> 2024, 67 -> 2024, 2024 -> 2024.

    Years above 2400 are Buddhist era (no Thai office document is dated CE 2400+); two-digit
    years are BE short years (67 = 2567), as Thai officers write them.
    """
    if year < 100:
        return year + 2500 - BE_OFFSET
    if year > 2400:
        return year - BE_OFFSET
    return year


def normalise_date(value: dt.date) -> dt.date:
    """An Excel date typed with a BE year (2567-03-06) -> the CE date."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if value.year > 2400:
        try:
            return value.replace(year=value.year - BE_OFFSET)
        except ValueError:  # 29 Feb in a BE year that is not leap in CE
            return None  # type: ignore[return-value]
    return value


def parse_date(value: object) -> dt.date | None:
    """Excel date, ISO text, d/m/yyyy text or Thai text ('6 มี.ค. 2567', '๖ มีนาคม ๖๗').

    Returns the CE date, or None when the value is empty or not a date.
    """
    if value is None:
        return None
    if isinstance(value, dt.date):
        return normalise_date(value)
    text = " ".join(arabic_digits(str(value)).split())
    if not text:
        return None
    try:
        if m := _ISO_DATE.match(text):
            return dt.date(ce_year(int(m[1])), int(m[2]), int(m[3]))
        if m := _NUMERIC_DATE.match(text):
            return dt.date(ce_year(int(m[3])), int(m[2]), int(m[1]))
        if m := _THAI_TEXT_DATE.match(text):
            month = _MONTHS.get(m[2]) or _MONTHS.get(m[2].replace(".", ""))
            if month is None:
                return None
            return dt.date(ce_year(int(m[3])), month, int(m[1]))
    except ValueError:  # 31 ก.พ. and the like
        return None
    return None


def format_date_th(day: dt.date, full_month: bool = False) -> str:
    """2024-03-06 -> '6 มี.ค. 2567' (what a Thai reader expects to see)."""
    month = (MONTH_FULL if full_month else MONTH_ABBR)[day.month]
    return f"{day.day} {month} {day.year + BE_OFFSET}"


def date_shown_th(value: object) -> object:
    """An ISO date ('2024-03-06', as adjustments keep dates) as a Thai reader reads it
    ('6 มี.ค. 2567'); any other value unchanged."""
    if isinstance(value, str) and (match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)):
        try:
            return format_date_th(dt.date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            return value
    return value
