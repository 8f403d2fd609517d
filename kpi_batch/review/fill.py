"""Fill a review workbook as a KPI owner would (for the demo, the tests and benchmarks).

openpyxl ignores the sheet protection, as an owner who unprotects the sheet would: `edits`
may write any column, locked ones included, so tests can show what the reader does then.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import openpyxl

from kpi_batch.intake.xlsx_parts import header_key

Edits = Mapping[tuple[str, str], Mapping[str, object]]  # (unit_id, kpi_id) -> key -> value


def fill_review(path: Path, edits: Edits, out: Path | None = None) -> Path:
    """Write `edits` into the rows of the `reviews` table; save to `out` (default: in place).
    A (unit, KPI) pair not in the workbook is an error of the caller (KeyError)."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header_row, cols = next(
        (row[0].row, {header_key(c.value): c.column for c in row if header_key(c.value)})
        for row in ws.iter_rows()
        if any(header_key(c.value) == "unit_id" for c in row)
    )
    rows: dict[tuple[str, str], int] = {}
    for r in range(header_row + 1, ws.max_row + 1):
        key = (str(ws.cell(r, cols["unit_id"]).value), str(ws.cell(r, cols["kpi_id"]).value))
        rows.setdefault(key, r)
    for key, values in edits.items():
        row = rows[key]
        for column, value in values.items():
            ws.cell(row, cols[column]).value = value
    target = out or path
    wb.save(target)
    return target
