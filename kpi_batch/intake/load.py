"""Read one checked workbook: its defined names and its `results` table, values as typed.

python-calamine gives no defined names, so where things are — which cell each defined name
points to, where the `results` table is, what its columns are — comes from the small XML
parts the safety pass kept (xlsx_parts.py). For an .xlsx, calamine reads the `results` table
through its table API and the named cells are read from the sheet XML the safety pass has
already inflated (cells.py): calamine's sheet read parses the sheet twice (its values, then
its merged cells), its table read once. When either cannot be done with certainty
(tables.py, cells.py), calamine reads the whole sheet, as it always does for .ods and .xls.
The Excel row and column of every value travel with it, so every issue can say `sheet!B14`.

Formats:
- .xlsx/.xlsm: defined names and the table as written (macros are never run; only values
  are read);
- .ods: named ranges and the `results` database range, as LibreOffice writes them;
- .xls: python-calamine cannot give the names nor the table, so the contract cells of
  template v1 (docs/template.md) are read, and the table is found by its header keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from typing import Any

import python_calamine as pc

from kpi_batch.intake.cells import named_values
from kpi_batch.intake.container import (
    Container,
    Rejection,
    error_cells,
    formula_cells,
    worksheet,
)
from kpi_batch.intake.xlsx_parts import (
    Layout,
    TableSpot,
    attrs,
    header_key,
    layout_of,
    split_ref,
)
from kpi_batch.issues import column_letter
from kpi_batch.specs.template import NAMED_CELLS, NAMES, TABLE

IDENTITY_NAMES = ("unit_id", "round_id")
_ODS_NAMED_RANGE = re.compile(rb"<table:named-range\b([^>]*)>")
_ODS_DATABASE_RANGE = re.compile(rb"<table:database-range\b([^>]*)>")


@dataclass
class Workbook:
    """One submission as read: raw values with their places."""

    sheet: str  # the sheet holding the `results` table
    names: dict[str, tuple[str, str, object]]  # name -> (sheet, cell, raw value)
    keys: list[str]  # table column keys, in column order ("kpi_id", "value", ...)
    columns: list[str]  # the column letter of each key
    header_row: int  # Excel row of the table header
    first_row: int  # Excel row of rows[0]
    rows: list[list[object]]  # raw values, aligned with keys (Excel errors as their text)
    missing_names: list[str] = field(default_factory=list)
    formulas: dict[str, str] = field(default_factory=dict)  # table sheet: cell -> formula


@dataclass
class Prepared:
    """An .xlsx's loading work that needs no calamine, done ahead: the layout, the table
    sheet's checks (kept in the container) and the named cells. run.py does it for a batch
    of files before their calamine reads, so that each step's code stays in the CPU caches
    (interleaved file by file, the steps evict each other: ~20 % slower)."""

    layout: Layout | Rejection | None = None
    named: dict[str, object] | None = None
    named_read: bool = False  # `named` was tried (None then means: read the sheet)


def prepare(container: Container) -> Prepared:
    if container.kind != "xlsx":
        return Prepared()
    layout = layout_of(container)
    prepared = Prepared(layout)
    if isinstance(layout, Rejection) or layout.spot is None:
        return prepared
    part = layout.sheet_parts.get(layout.spot.sheet)
    if part is None or any(where != layout.spot.sheet for where, _ in layout.names.values()):
        return prepared
    body = worksheet(container, part)  # checked now, kept for the loader
    if not isinstance(body, Rejection):
        prepared.named = named_values(container, body, layout.name_cells, layout.date1904)
        prepared.named_read = True
    return prepared


def load(
    data: bytes, container: Container, prepared: Prepared | None = None
) -> Workbook | Rejection:
    """One workbook's names and table; `prepared`: `prepare(container)`, if done ahead."""
    tables = container.kind == "xlsx"
    try:
        try:
            book = pc.CalamineWorkbook.from_filelike(BytesIO(data), load_tables=tables)
        except pc.CalamineError as exc:
            if not tables or isinstance(exc, pc.PasswordError):
                raise
            # a table part calamine cannot parse: read as before, through the sheet
            tables = False
            book = pc.CalamineWorkbook.from_filelike(BytesIO(data))
    except pc.PasswordError:
        return Rejection("file_encrypted", "password protected")
    except Exception as exc:  # calamine's errors: the file is damaged
        return Rejection("file_corrupt", f"{type(exc).__name__}: {exc}")
    except BaseException as exc:  # a Rust panic surfaces as pyo3's PanicException
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return Rejection("file_corrupt", f"reader failure: {exc}")
    with book:
        if not book.sheet_names:
            return Rejection("file_empty_workbook", "no sheets")
        sheets = _Sheets(book, container, tables)
        try:
            if container.kind == "xlsx":
                return _load_xlsx(sheets, container, prepared or Prepared())
            if container.kind == "ods":
                return _load_ods(sheets, container)
            return _load_by_layout(sheets, {})
        except _Refused as refused:
            return refused.rejection
        except pc.CalamineError as exc:
            return Rejection("file_corrupt", f"{type(exc).__name__}: {exc}")


class _Refused(Exception):
    def __init__(self, rejection: Rejection) -> None:
        self.rejection = rejection


class _Sheets:
    """calamine sheet reads, each allowed only after the sheet's XML passed the checks."""

    def __init__(self, book: pc.CalamineWorkbook, container: Container, tables: bool) -> None:
        self.book = book
        self.container = container
        self.tables = tables  # calamine loaded the table parts (xlsx)
        self.names = book.sheet_names
        self.parts: dict[str, str] = {}  # sheet name -> worksheet part (xlsx)
        self.errors: dict[str, dict[str, str]] = {}  # sheet name -> cell -> Excel error
        self.formulas: dict[str, dict[str, str]] = {}  # sheet name -> cell -> formula (xlsx)
        self.date1904 = False

    def checked(self, sheet: str) -> bytes:
        """An .xlsx sheet's XML, checked (rows, extent) before calamine may read it."""
        part = self.parts.get(sheet)
        if part is None:
            raise _Refused(Rejection("file_corrupt", f"sheet {sheet} has no part"))
        body = worksheet(self.container, part)
        if isinstance(body, Rejection):
            raise _Refused(body)
        self.errors[sheet] = error_cells(body)
        self.formulas[sheet] = formula_cells(body)
        return body

    def rows(self, sheet: str, nrows: int | None = None) -> list[list[Any]]:
        if self.container.kind == "xlsx":
            self.checked(sheet)
        return self.book.get_sheet_by_name(sheet).to_python(skip_empty_area=False, nrows=nrows)


# -- xlsx -----------------------------------------------------------------------------------


def _load_xlsx(sheets: _Sheets, container: Container, prepared: Prepared) -> Workbook | Rejection:
    layout = prepared.layout or layout_of(container)
    if isinstance(layout, Rejection):
        return layout
    sheets.parts = layout.sheet_parts
    sheets.date1904 = layout.date1904
    spot = layout.spot
    if spot is None:
        return _no_table(sheets, layout.names)
    # The table's own extent, like a sheet's: every row of it becomes a list of its width.
    limits = container.limits
    height, width = spot.bottom - spot.top, len(spot.headers)
    if height > limits.max_rows:
        return Rejection(
            "file_too_many_rows",
            f"table {spot.name}: {height} rows",
            value=str(height),
            limit=str(limits.max_rows),
        )
    if height * max(width, 1) > limits.max_cells:
        return Rejection("file_zip_bomb", f"table {spot.name}: {height} rows x {width} columns")
    if spot.sheet in sheets.names:
        fast = _read_table(sheets, spot, layout, prepared)
        if fast is not None:
            return fast
    return _read(sheets, spot, layout.names)


def _read_table(
    sheets: _Sheets, spot: TableSpot, layout: Layout, prepared: Prepared
) -> Workbook | None:
    """The table through calamine's table API, the named cells from the sheet's XML
    (cells.py): calamine parses the sheet once instead of twice. None when this cannot be
    done with certainty: the caller then reads the whole sheet, with the same result."""
    names = layout.names
    reach = layout.table_reach
    limits = sheets.container.limits
    if not (
        sheets.tables
        and spot.name
        and spot.headers
        and spot.bottom > spot.top  # calamine panics on a table without data rows
        and reach is not None  # every table calamine may allocate is known and bounded
        and reach[0] <= limits.max_rows
        and reach[1] <= limits.max_cells
        and all(where == spot.sheet for where, _ in names.values())
        and (sheets.book.table_names or []).count(spot.name) == 1
    ):
        return None
    body = sheets.checked(spot.sheet)
    width = len(spot.headers)
    try:
        table = sheets.book.get_table_by_name(spot.name)
        found = (table.sheet, table.start, table.end)
        if found != (spot.sheet, (spot.top, spot.left), (spot.bottom - 1, spot.left + width - 1)):
            return None
        rows: list[list[Any]] = table.to_python()
    except pc.CalamineError:
        return None
    except BaseException as exc:  # a Rust panic surfaces as pyo3's PanicException
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return None
    if prepared.named_read:
        cells = prepared.named
    else:
        cells = named_values(sheets.container, body, layout.name_cells, layout.date1904)
    if cells is None:
        return None
    errors = sheets.errors[spot.sheet]
    columns = _letters(spot.left, width)
    if errors:  # calamine reads an Excel error as ""
        rows = [
            [errors.get(f"{c}{r}", v) if v == "" else v for c, v in zip(columns, row, strict=True)]
            for r, row in enumerate(rows, start=spot.top + 1)
        ]
    named: dict[str, tuple[str, str, object]] = {}
    for name, (where, cell) in names.items():
        value = cells[cell]
        named[name] = (where, cell, errors.get(cell, "") if value == "" else value)
    return Workbook(
        sheet=spot.sheet,
        names=named,
        keys=[header_key(h) for h in spot.headers],
        columns=columns,
        header_row=spot.top,
        first_row=spot.top + 1,
        rows=rows,
        missing_names=[n for n in IDENTITY_NAMES if n not in named],
        formulas=sheets.formulas.get(spot.sheet, {}),
    )


# -- ods ------------------------------------------------------------------------------------


def _ods_address(address: str) -> tuple[str, str] | None:
    """'$รายงานผล.$B$5' or "$'my sheet'.$B$5" -> (sheet, 'B5')."""
    sheet, _, cell = address.partition(":")[0].rpartition(".")
    sheet = sheet.lstrip("$")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return (sheet, cell.replace("$", "")) if sheet and split_ref(cell) else None


def _load_ods(sheets: _Sheets, container: Container) -> Workbook | Rejection:
    content = container.parts.get("content.xml", b"")
    names: dict[str, tuple[str, str]] = {}
    for raw in _ODS_NAMED_RANGE.findall(content):
        a = attrs(raw)
        if a.get("table:name") in NAMES:
            place = _ods_address(a.get("table:cell-range-address", ""))
            if place:
                names[a["table:name"]] = place
    for raw in _ODS_DATABASE_RANGE.findall(content):
        a = attrs(raw)
        if a.get("table:name", "").lower() != TABLE:
            continue
        start, _, end = a.get("table:target-range-address", "").partition(":")
        first, last = _ods_address(start), _ods_address(end)
        if first and last:
            top, bottom = split_ref(first[1]), split_ref(last[1])
            if top and bottom:
                spot = TableSpot(first[0], top[0], top[1], bottom[0], [])
                sheets.errors[spot.sheet] = _ods_errors(content, spot.sheet)
                return _read(sheets, spot, names)
    return _load_by_layout(sheets, names)


_ODS_TOKEN = re.compile(
    rb"<(table:table|table:table-row|table:table-cell|table:covered-table-cell)(?=[\s/>])"
    rb"([^>]*?)(/?)>"
)
_ODS_ERROR_TEXT = re.compile(rb"<text:p>([^<]*)</text:p>")


def _ods_errors(content: bytes, sheet: str) -> dict[str, str]:
    """Cells LibreOffice marks `calcext:value-type="error"`, by Excel reference."""
    if b'value-type="error"' not in content:
        return {}
    found: dict[str, str] = {}
    current, rows, row, col = "", 0, 0, 0
    for m in _ODS_TOKEN.finditer(content):
        tag, raw, empty = m[1], m[2], m[3]
        a = attrs(raw)
        if tag == b"table:table":
            current, rows = a.get("table:name", ""), 0
        elif tag == b"table:table-row":
            row = rows + 1
            rows += int(a.get("table:number-rows-repeated", "1") or 1)
            col = 0
        else:
            if current == sheet and a.get("calcext:value-type") == "error" and not empty:
                text = _ODS_ERROR_TEXT.search(content, m.end(), m.end() + 400)
                found[f"{column_letter(col)}{row}"] = text[1].decode() if text else "#ERROR"
            col += int(a.get("table:number-columns-repeated", "1") or 1)
    return found


# -- shared ---------------------------------------------------------------------------------


def _cell(rows: list[list[Any]], row: int, col: int) -> object:
    if 0 < row <= len(rows) and 0 <= col < len(rows[row - 1]):
        return rows[row - 1][col]
    return ""


def _read(
    sheets: _Sheets, spot: TableSpot, names: dict[str, tuple[str, str]]
) -> Workbook | Rejection:
    if spot.sheet not in sheets.names:
        return Rejection("results_table_missing", f"sheet {spot.sheet} not found")
    places = [split_ref(cell) for where, cell in names.values() if where == spot.sheet]
    needed = max([spot.bottom, *(p[0] for p in places if p)])
    rows = sheets.rows(spot.sheet, nrows=needed)
    errors = sheets.errors.get(spot.sheet, {})
    headers = spot.headers or [str(v) for v in _row_values(rows, spot.top, spot.left, None)]
    width = len(headers)
    columns = _letters(spot.left, width)
    data = []
    for r in range(spot.top + 1, spot.bottom + 1):
        values = _row_values(rows, r, spot.left, width)
        if errors:  # calamine reads an Excel error as ""
            values = [
                errors.get(f"{c}{r}", v) if v == "" else v
                for c, v in zip(columns, values, strict=True)
            ]
        data.append(values)
    named: dict[str, tuple[str, str, object]] = {}
    others: dict[str, list[list[Any]]] = {spot.sheet: rows}
    for name, (where, cell) in names.items():
        if where not in others:
            if where not in sheets.names:
                continue  # the name points at a deleted sheet
            others[where] = sheets.rows(where)
        place = split_ref(cell)
        if place:
            value = _cell(others[where], *place)
            if value == "":
                value = sheets.errors.get(where, {}).get(cell, "")
            named[name] = (where, cell, value)
    return Workbook(
        sheet=spot.sheet,
        names=named,
        keys=[header_key(h) for h in headers],  # cached: every file has the same headers
        columns=columns,
        header_row=spot.top,
        first_row=spot.top + 1,
        rows=data,
        missing_names=[n for n in IDENTITY_NAMES if n not in named],
        formulas=sheets.formulas.get(spot.sheet, {}),
    )


@lru_cache(maxsize=256)
def _letters_cached(left: int, width: int) -> tuple[str, ...]:
    return tuple(column_letter(left + i) for i in range(width))


def _letters(left: int, width: int) -> list[str]:
    return list(_letters_cached(left, width))


def _row_values(rows: list[list[Any]], row: int, left: int, width: int | None) -> list[object]:
    if not 0 < row <= len(rows):
        return [""] * (width or 0)
    values = rows[row - 1][left:] if width is None else rows[row - 1][left : left + width]
    if width is not None and len(values) < width:
        values = [*values, *[""] * (width - len(values))]
    return values


def _no_table(sheets: _Sheets, names: dict[str, tuple[str, str]]) -> Rejection:
    if not any(sheets.rows(s, nrows=1) for s in sheets.names):
        return Rejection("file_empty_workbook", "every sheet is empty")
    if not names:
        return Rejection("file_not_template", "no defined names, no results table")
    return Rejection("results_table_missing", "no table named results")


def _load_by_layout(sheets: _Sheets, names: dict[str, tuple[str, str]]) -> Workbook | Rejection:
    """No table metadata (.xls, or an .ods without the database range): find the header."""
    for sheet in sheets.names:
        rows = sheets.rows(sheet)
        for r, values in enumerate(rows, start=1):
            left = next((c for c, v in enumerate(values) if header_key(v) == "kpi_id"), None)
            if left is None:
                continue
            headers = [str(v) for v in values[left:]]
            while headers and not header_key(headers[-1]):
                headers.pop()
            bottom = r
            while bottom < len(rows) and any(
                v not in ("", None) for v in rows[bottom][left : left + len(headers)]
            ):
                bottom += 1
            spot = TableSpot(sheet, r, left, bottom, headers)
            if not names:
                names = {name: (sheet, cell) for name, cell in NAMED_CELLS.items()}
            return _read(sheets, spot, names)
    return _no_table(sheets, names)
