"""The one way the tool writes a CSV file (scores.csv, kpi_scores.csv, outbox.csv,
delivery_log.csv, ...): UTF-8 with a BOM (Excel shows Thai text right only then), comma
separated, RFC 4180 quoting, and no cell Excel would run as a formula.

    write_csv(path, header, rows, crlf=True) -> path

A text cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` (OWASP's advice
against CSV injection): a file name such as `=HYPERLINK(...)+cmd|' -C calc'!A0.xlsx` or an
address from a framework stays text when someone double-clicks the file into Excel. Numbers
are not text: pass them as int or Decimal, or as `Verbatim` text already formatted (a
negative value, `-1.5000`, is written as is). No real id, name or address starts that way.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Verbatim(str):
    """Text the caller formatted itself (a number): written without the formula guard."""

    __slots__ = ()


def safe_cell(value: object) -> str:
    """One cell's text: None -> "", numbers as themselves, text guarded."""
    if value is None:
        return ""
    if isinstance(value, Verbatim):
        return str(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal):
        return f"{value:f}" if isinstance(value, Decimal) else str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[object]], crlf: bool = True
) -> Path:
    """Write `header` and `rows` to `path` (see the module docstring); returns `path`."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n" if crlf else "\n")
        writer.writerow([safe_cell(h) for h in header])
        writer.writerows([safe_cell(v) for v in row] for row in rows)
    return path
