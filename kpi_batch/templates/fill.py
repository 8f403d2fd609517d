"""Fill a generated template as a unit officer would (openpyxl, like Excel would save it).

`fill_template` is shared: intake tests, the demo and end-to-end tests use it to turn a
blank `write_unit_template` workbook into a submission.

    fill_template(path, {"1.1": 73, "1.2": (45, 50), "2.1": 3.5, "2.2": {"value": "๑๒"}},
                  submitted_on=dt.date(2024, 4, 3))

A value per KPI goes to the KPI's unlocked input cell: a number or text to `level` for
milestone KPIs and to `value` otherwise; a `(numerator, denominator)` pair to the ratio
cells; a dict sets named columns (any column, locked or not: `{"weight": 99}` simulates a
tampered file). `names` overwrites defined-name cells (`{"round_id": "R2"}`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from kpi_batch.specs.template import TABLE

_KEY = re.compile(r"\(([^()]*)\)\s*$")


def _named_cell(wb: openpyxl.Workbook, name: str) -> tuple[Worksheet, str]:
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet], ref.replace("$", "")


def table_cells(ws: Worksheet) -> tuple[dict[str, int], dict[str, int]]:
    """(key -> column number, kpi_id -> row number) of the `results` table."""
    table = ws.tables[TABLE]
    (first, *_), last = ws[table.ref][0], ws[table.ref][-1]
    columns: dict[str, int] = {}
    for cell in ws[first.row]:
        if cell.column >= first.column and isinstance(cell.value, str):
            m = _KEY.search(cell.value)
            if m:
                columns[m[1]] = cell.column
    rows = {
        str(ws.cell(r, columns["kpi_id"]).value): r for r in range(first.row + 1, last[0].row + 1)
    }
    return columns, rows


def fill_template(
    path: Path,
    values: Mapping[str, object] | None = None,
    *,
    submitted_on: dt.date | str | None = None,
    reporter: str | None = "นางสาวตัวอย่าง ทดสอบ",
    names: Mapping[str, object] | None = None,
    out: Path | None = None,
) -> Path:
    """Write the values into the template at `path`; save to `out` (default: in place)."""
    keep_vba = path.suffix.lower() == ".xlsm"
    wb = openpyxl.load_workbook(path, keep_vba=keep_vba)
    fields: dict[str, object] = {}
    if reporter is not None:
        fields["reporter"] = reporter
    if submitted_on is not None:
        fields["submitted_on"] = submitted_on
    fields.update(names or {})
    for name, value in fields.items():
        ws, ref = _named_cell(wb, name)
        ws[ref].value = value
        if isinstance(value, dt.date):
            ws[ref].number_format = "d/m/yyyy"
    report, _ = _named_cell(wb, "unit_id")
    columns, rows = table_cells(report)
    for kpi_id, given in (values or {}).items():
        row = rows[kpi_id]
        if isinstance(given, Mapping):
            cells = dict(given)
        elif isinstance(given, tuple):
            cells = {"numerator": given[0], "denominator": given[1]}
        else:
            level_cell = report.cell(row, columns["level"])
            key = "level" if not level_cell.protection.locked else "value"
            cells = {key: given}
        for key, value in cells.items():
            report.cell(row, columns[key]).value = value
    target = out or path
    wb.save(target)
    return target
