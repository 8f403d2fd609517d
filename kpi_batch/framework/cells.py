"""Cell values as planning staff type them -> Python values.

calamine hands back `str`, `float`, `int`, `bool`, dates and times. Planners type ids as
numbers (`1.1`), numbers as text with Thai digits (`๘๐`), dates as Excel dates or BE text.
These helpers are pure and return None for "not this kind of value", so the same function
serves the pandera checks (is this cell valid?) and the builders (what is its value?).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation

from kpi_batch import thai

_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
# Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is the mail
# server's business; this catches typos such as a missing @ or two addresses run together.
_EMAIL = re.compile(r"^[^@\s;,<>()]+@[^@\s;,<>()]+\.[^@\s;,<>().]+$")


def blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def strip(value: object) -> object:
    """Strip text; blank -> None; other values unchanged (line breaks inside are kept)."""
    if blank(value):
        return None
    if isinstance(value, str):
        return value.strip()
    return value


def clean_decimal(number: Decimal) -> Decimal:
    """96.0 -> 96, 0.050 -> 0.05, 100 stays 100 (not 1E+2)."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def decimal_text(number: Decimal) -> str:
    return format(clean_decimal(number), "f")


def parse_decimal(value: object) -> Decimal | None:
    """A number cell or number text (Thai digits, `1,250.5`) -> Decimal; else None.

    Floats go through `repr`, the shortest text that round-trips, so a cell holding 0.05
    becomes Decimal('0.05') and not 0.05000000000000000277.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return clean_decimal(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return clean_decimal(value) if value.is_finite() else None
    if not isinstance(value, str):
        return None
    text = thai.arabic_digits(value).strip().replace(" ", "")
    if _GROUPED_NUMBER.match(text):
        text = text.replace(",", "")
    if not _PLAIN_NUMBER.match(text):
        return None
    try:
        return clean_decimal(Decimal(text))
    except InvalidOperation:  # pragma: no cover - the pattern already rules this out
        return None


def parse_int(value: object) -> int | None:
    number = parse_decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def parse_date(value: object) -> dt.date | None:
    """Excel date or date text (ISO, d/m/yyyy, `6 มี.ค. 2567`, Thai digits) -> CE date."""
    if isinstance(value, dt.time | dt.timedelta | bool | int | float):
        return None
    return thai.parse_date(value)


def text(value: object) -> str | None:
    """Any cell as text: whitespace collapsed, numbers without a trailing `.0`, dates as ISO."""
    value = strip(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        number = parse_decimal(value)
        return decimal_text(number) if number is not None else str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def ident(value: object) -> str | None:
    """An id cell: `1.1` typed as a number stays `1.1`; Thai digits become Arabic."""
    raw = text(value)
    return thai.arabic_digits(raw) if raw is not None else None


def keyword(value: object) -> str | None:
    """An enumeration cell (`Higher `, `RATIO`) -> lower-case text."""
    raw = text(value)
    return raw.lower() if raw is not None else None


def split_emails(value: object) -> tuple[str, ...]:
    """`a@x.go.th; b@x.go.th` -> both addresses (`;` or line breaks separate them)."""
    raw = value if isinstance(value, str) else text(value)
    if raw is None:
        return ()
    parts = re.split(r"[;\n]", raw)
    return tuple(p.strip() for p in parts if p.strip())


def is_email(address: str) -> bool:
    return bool(_EMAIL.match(address))


def bad_emails(value: object) -> tuple[str, ...]:
    """The addresses in a cell that do not look like e-mail addresses."""
    return tuple(a for a in split_emails(value) if not is_email(a))
