"""Cell values as planning staff type them -> Python values.

calamine hands back `str`, `float`, `int`, `bool`, dates and times. Numbers and dates are read
by the one cell reader, `kpi_batch.cells` (docs/cells.md); this module adds what only the
framework reads: ids typed as numbers (`1.1`), keywords, names, e-mail lists. The helpers
are pure and return None for "not this kind of value", so the same function serves the
pandera checks (is this cell valid?) and the builders (what is its value?).
"""

from __future__ import annotations

import datetime as dt
import re

from kpi_batch import thai
from kpi_batch.addresses import ascii_address
from kpi_batch.cells import blank, clean_decimal, decimal_text, parse_date
from kpi_batch.cells import decimal as parse_decimal

__all__ = [
    "bad_emails",
    "blank",
    "clean_decimal",
    "decimal_text",
    "ident",
    "is_email",
    "keyword",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "split_emails",
    "strip",
    "text",
]

# Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is the mail
# server's business; this catches typos such as a missing @ or two addresses run together.


def strip(value: object) -> object:
    """Strip text; blank -> None; other values unchanged (line breaks inside are kept)."""
    if blank(value):
        return None
    if isinstance(value, str):
        return value.strip()
    return value


def parse_int(value: object) -> int | None:
    number = parse_decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


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
    # a Thai domain in IDNA form: what the SMTP server and the e-mail checks compare
    return tuple(ascii_address(p) or p.strip() for p in parts if p.strip())


def is_email(address: str) -> bool:
    """One address with an ASCII local part; a Thai (IDN) domain is fine (addresses.py)."""
    return ascii_address(address) is not None


def bad_emails(value: object) -> tuple[str, ...]:
    """The addresses in a cell that do not look like e-mail addresses."""
    return tuple(a for a in split_emails(value) if not is_email(a))
