"""Write a framework workbook (format v1) from plain rows.

Used to generate `input_templates/`, the demo, test fixtures and benchmarks, so that every
framework file the project ships is produced by code and can be checked against it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from kpi_batch.framework_spec import SHEETS

Rows = Mapping[str, Sequence[Mapping[str, Any]]]

# Pinned so the same rows give the same bytes (golden files, checksums).
_EPOCH = dt.datetime(2024, 1, 1)


def criteria_columns(scale: Sequence[str]) -> tuple[str, ...]:
    return (*SHEETS["criteria"], *scale)


def write_framework(rows: Rows, path: Path, scale: Sequence[str] = ("1", "2", "3", "4", "5")) -> Path:
    """Write `rows` (sheet -> list of {column: value}) as a framework workbook.

    Sheets are written in format order; a sheet missing from `rows` is written with its
    headers only, except the optional ones which are left out. Values are written as given
    (dates as dates, numbers as numbers, text as text: never as formulas).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_numbers": False}
    )
    workbook.set_properties({"created": _EPOCH})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    header_format = workbook.add_format({"bold": True})
    for sheet, default_columns in SHEETS.items():
        if sheet not in rows and sheet in ("recipients", "holidays"):
            continue
        columns = criteria_columns(scale) if sheet == "criteria" else default_columns
        ws = workbook.add_worksheet(sheet)
        for col, name in enumerate(columns):
            ws.write_string(0, col, name, header_format)
        for r, row in enumerate(rows.get(sheet, ()), start=1):
            for col, name in enumerate(columns):
                value = row.get(name)
                if value is None or value == "":
                    continue
                if hasattr(value, "year"):
                    ws.write_datetime(r, col, value, date_format)
                elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                    ws.write_number(r, col, float(value))
                else:
                    ws.write_string(r, col, str(value))
    workbook.close()
    return path
