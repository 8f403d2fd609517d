"""Read the framework workbook's sheets with calamine, keeping every value's Excel row.

The only module of the framework reader that touches the disk. A sheet becomes a `Sheet`: a
DataFrame of raw cell values (text stripped, blanks as None) whose index is the Excel row
number, plus where each column sits, so any check can name `sheet!B7`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from kpi_batch.framework import cells as cells
from kpi_batch.framework.codes import fw_issue
from kpi_batch.issues import Issue, cell_ref
from kpi_batch.specs.framework import SHEETS


@dataclass(frozen=True)
class Sheet:
    name: str
    frame: pd.DataFrame  # index: Excel row number; columns: header keys; values: raw cells
    columns: Mapping[str, int]  # header key -> 0-based column index
    header_row: int = 1

    def cell(self, column: str, row: int) -> str:
        """`B7` for a column key and Excel row; the next free header cell if the column is
        missing (where the planner would add it)."""
        return cell_ref(row, self.columns.get(column, self.free_column))

    @property
    def free_column(self) -> int:
        return max(self.columns.values(), default=-1) + 1

    def header_cell(self, column: str) -> str:
        return self.cell(column, self.header_row)

    def value(self, row: int, column: str) -> object:
        cached = self._cells.get(column)
        if cached is not None:
            value = cached[row]
        elif column in self.frame.columns:
            value = self.frame.at[row, column]
        else:
            return None
        return None if cells.blank(value) else value

    @cached_property
    def _cells(self) -> dict[str, dict[int, object]]:
        """Object columns as {Excel row: value}: the checks ask for one cell at a time,
        150,000 weight rows for 10,000 units, and `frame.at` costs ~20 µs a call."""
        frame = self.frame
        rows = frame.index.tolist()
        return {
            str(c): dict(zip(rows, frame[c].tolist(), strict=True))
            for c in frame.columns
            if frame[c].dtype == object
        }

    def rows(self) -> list[int]:
        return [int(r) for r in self.frame.index]


def sheet_from_rows(name: str, rows: Sequence[Sequence[object]]) -> tuple[Sheet, list[Issue]]:
    """Values as calamine gives them (row 0 = Excel row 1) -> `Sheet`.

    The header is the first non-blank row, so a title row above it does no harm. Columns
    with a blank header are ignored; a repeated header is reported and its copy ignored.
    """
    issues: list[Issue] = []
    header_index = next(
        (i for i, r in enumerate(rows) if any(not cells.blank(v) for v in r)), len(rows)
    )
    header_row = header_index + 1
    columns: dict[str, int] = {}
    for col, raw in enumerate(rows[header_index] if header_index < len(rows) else []):
        key = cells.keyword(raw)
        if key is None:
            continue
        if key in columns:
            issues.append(
                fw_issue(
                    "FW_DUPLICATE_COLUMN",
                    name,
                    cell_ref(header_row, col),
                    key,
                    column=key,
                    first=cell_ref(header_row, columns[key]),
                )
            )
            continue
        columns[key] = col
    records: list[list[object]] = []
    index: list[int] = []
    for i in range(header_index + 1, len(rows)):
        values = [cells.strip(v) for v in rows[i]]
        if all(v is None for v in values):
            continue
        records.append([values[c] if c < len(values) else None for c in columns.values()])
        index.append(i + 1)
    frame = pd.DataFrame(
        records,
        index=pd.Index(index, name="row", dtype="int64"),
        columns=list(columns),
        dtype=object,
    )
    return Sheet(name, frame, columns, header_row), issues


def read_sheets(path: Path) -> tuple[dict[str, Sheet], list[Issue]]:
    """Every framework sheet found in the workbook (by lower-case name), and problems with
    the file itself or its header rows."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        return {}, [fw_issue("FW_FILE_UNREADABLE", reason=f"{type(exc).__name__}: {exc}")]
    issues: list[Issue] = []
    sheets: dict[str, Sheet] = {}
    with workbook:
        names = {n.strip().lower(): n for n in reversed(workbook.sheet_names)}
        for key in SHEETS:
            if key not in names:
                continue  # a missing sheet is reported by the checker
            rows = workbook.get_sheet_by_name(names[key]).to_python(skip_empty_area=False)
            sheet, found = sheet_from_rows(key, rows)
            sheets[key] = sheet
            issues.extend(found)
    return sheets, issues
