"""Read one returned review workbook: its defined names and its `reviews` table, as typed.

A review workbook comes back from outside, so it is read the way intake reads a unit's
file: the size is bounded before anything is read, the zip is checked by the intake safety
pass (`intake.container.inspect`: bombs, encryption, DOCTYPE/ENTITY, members) and the sheet's
rows and extent before python-calamine sees it (`container.worksheet`). Anything that goes
wrong is that file's rejection (`ReviewRejected`), never an exception out of the batch.

Identity is taken from the defined names only (specs.review.NAMES), never the file name.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from kpi_batch.intake.container import Container, Limits, Rejection, inspect, worksheet
from kpi_batch.intake.xlsx_parts import defined_names, header_key, layout_of, split_ref
from kpi_batch.specs.review import NAMES, SHEET

# 15 KPIs x 10,000 units would be 150,000 rows; one owner rarely has a tenth of that.
LIMITS = Limits(
    max_file_bytes=40 * 1024 * 1024,
    max_uncompressed_bytes=400 * 1024 * 1024,
    max_rows=200_000,
    max_cells=200_000 * 64,
)


@dataclass(frozen=True)
class ReviewRejected:
    file: str
    code: str  # review_file_unreadable / review_not_review_workbook
    detail: str


@dataclass(frozen=True)
class ReviewBook:
    file: str
    sheet: str
    names: Mapping[str, object]  # defined name -> its cell's value (None when empty)
    name_cells: Mapping[str, str]  # defined name -> "B4"
    header_row: int  # 1-based Excel row of the table header
    columns: Mapping[str, int]  # header key -> 0-based column
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (Excel row, cells)

    def value(self, cells: list[Any], key: str) -> object:
        col = self.columns.get(key)
        return cells[col] if col is not None and col < len(cells) else None


def read_review(path: Path) -> ReviewBook | ReviewRejected:
    file = str(path)
    try:
        size = path.stat().st_size
        if size > LIMITS.max_file_bytes:
            return ReviewRejected(file, "review_file_unreadable", f"{size} bytes")
        data = path.read_bytes()
        container = inspect(data, path.suffix.lower() or ".xlsx", LIMITS)
        if isinstance(container, Rejection):
            return ReviewRejected(file, "review_file_unreadable", container.detail)
        if container.kind != "xlsx":
            return ReviewRejected(file, "review_not_review_workbook", container.kind)
        return _read(file, data, container)
    except Exception as exc:
        return ReviewRejected(file, "review_file_unreadable", f"{type(exc).__name__}: {exc}")


def _read(file: str, data: bytes, container: Container) -> ReviewBook | ReviewRejected:
    workbook_xml = container.inflate_part("xl/workbook.xml")
    if isinstance(workbook_xml, Rejection):
        return ReviewRejected(file, "review_file_unreadable", workbook_xml.detail)
    names = defined_names(workbook_xml, NAMES)
    layout = layout_of(container)
    if isinstance(layout, Rejection):
        return ReviewRejected(file, "review_file_unreadable", layout.detail)
    sheets = {sheet for sheet, _ in names.values()}
    if len(names) < len(NAMES) or len(sheets) != 1:
        missing = ", ".join(n for n in NAMES if n not in names) or "-"
        return ReviewRejected(file, "review_not_review_workbook", f"defined names: {missing}")
    sheet = sheets.pop()
    part = layout.sheet_parts.get(sheet)
    if part is None:
        return ReviewRejected(file, "review_not_review_workbook", f"no sheet {sheet}")
    checked = worksheet(container, part)  # rows and extent, before calamine allocates
    if isinstance(checked, Rejection):
        return ReviewRejected(file, "review_file_unreadable", checked.detail)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    cells = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    values: dict[str, object] = {}
    for name, (_, ref) in names.items():
        spot = split_ref(ref)
        assert spot is not None  # defined_names keeps only cell references
        row, col = spot
        line = cells[row - 1] if row - 1 < len(cells) else []
        value = line[col] if col < len(line) else None
        values[name] = None if value == "" else value
    header_row, columns = _header(cells)
    if header_row is None:
        return ReviewRejected(file, "review_not_review_workbook", "no reviews table header")
    rows = [
        (i + 1, list(cells[i]))
        for i in range(header_row, len(cells))
        if any(v not in (None, "") for v in cells[i])
    ]
    return ReviewBook(
        file=file,
        sheet=sheet if sheet else SHEET,
        names=values,
        name_cells={n: ref for n, (_, ref) in names.items()},
        header_row=header_row,
        columns=columns,
        rows=rows,
    )


def _header(cells: list[list[Any]]) -> tuple[int | None, dict[str, int]]:
    """The first row whose cells name `unit_id` and `kpi_id` as `Thai label (key)`."""
    for i, line in enumerate(cells):
        keys = {header_key(v): c for c, v in reversed(list(enumerate(line))) if header_key(v)}
        if "unit_id" in keys and "kpi_id" in keys:
            return i + 1, keys
    return None, {}
