"""Read the receipts register (`--receipts FILE`, docs/receipts.md): the office's own record of
when each unit's file arrived (เลขรับ from e-saraban or the paper register book).

`load_receipts(path, framework)` returns `(receipts, issues)`. The receipts are the rows that
passed every check; a row that breaks a rule is left out *and* reported as an ERROR at its
cell (`receipts!C4`, or `C4` in a CSV), because a receipt decides a late deduction and a
wrong one must never charge anybody quietly. Rules:

- the header row holds the keys (`unit_id`, `file`, `received_on`, `reference`) or their
  Thai headings (`รหัสหน่วยงาน`, `ชื่อไฟล์`, `วันที่รับ`, `เลขรับ`); other columns are ignored;
- every row names `unit_id` or `file` (or both), and a `received_on` read by kpi_batch/cells.py
  (Excel dates, `7/3/2567`, `7 มี.ค. 2567`, Thai digits, BE or CE);
- `unit_id` is a unit of the framework (ids with invisible characters are shown as
  `<U+200B>` and refused);
- two rows for the same file with different dates cannot both hold: both are refused (we
  will not guess which one the office meant). Several rows for one unit without a file are
  allowed: the latest date is the unit's receipt (the register keeps each arrival).

An xlsx/xls/ods register is read from the sheet `receipts` (or its only sheet); a CSV in any
encoding a Thai PC writes (kpi_batch/textfiles.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

import python_calamine

from kpi_batch import cells
from kpi_batch.issues import Issue, cell_ref
from kpi_batch.model import Framework
from kpi_batch.receipts import codes
from kpi_batch.receipts.spec import COLUMN_TH, COLUMNS, SHEET, Receipt
from kpi_batch.textfiles import decode
from kpi_batch.thai import arabic_digits, format_date_th
from kpi_batch.visible import has_invisible, visible

_HEADINGS = {**{key: key for key in COLUMNS}, **{th: key for key, th in COLUMN_TH.items()}}
_SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")


def load_receipts(path: Path, framework: Framework) -> tuple[list[Receipt], list[Issue]]:
    """The checked rows of the register at `path` and every problem found, by cell."""
    file = str(path)
    grid, sheet, issues = _read_grid(path, file)
    if grid is None:
        return [], issues
    header_at = next((i for i, row in enumerate(grid) if any(_text(v) for v in row)), None)
    if header_at is None:
        return [], [*issues, codes.REGISTER_EMPTY.issue(file=file, sheet=sheet)]
    columns: dict[str, int] = {}
    for col, value in enumerate(grid[header_at]):
        key = _HEADINGS.get(" ".join(_text(value).split()).casefold(), "")
        if key and key not in columns:
            columns[key] = col
    if "received_on" not in columns or not ({"unit_id", "file"} & set(columns)):
        keys = ", ".join(f"{key} ({COLUMN_TH[key]})" for key in COLUMNS)
        at = header_at + 1
        header = codes.COLUMNS_MISSING.issue(
            file=file, sheet=sheet, cell=f"A{at}", row=at, keys=keys
        )
        return [], [*issues, header]

    units = {u.unit_id for u in framework.units}
    receipts: list[Receipt] = []
    for i in range(header_at + 1, len(grid)):
        row = grid[i]

        def raw(key: str, row: Sequence[object] = row) -> object:
            col = columns.get(key)
            return row[col] if col is not None and col < len(row) else None

        texts = {key: _text(raw(key)) for key in COLUMNS}
        if not any(texts.values()):
            continue
        excel_row = i + 1

        def where(key: str, excel_row: int = excel_row) -> str:
            return cell_ref(excel_row, columns.get(key, columns["received_on"]))

        row_issues: list[Issue] = []
        unit_id = arabic_digits(texts["unit_id"])
        if not unit_id and not texts["file"]:
            row_issues.append(
                codes.ROW_NO_TARGET.issue(file=file, sheet=sheet, cell=where("unit_id"))
            )
        elif unit_id and (has_invisible(unit_id) or unit_id not in units):
            row_issues.append(
                codes.UNIT_UNKNOWN.issue(
                    file=file, sheet=sheet, cell=where("unit_id"), value=visible(unit_id)
                )
            )
        received = cells.date(raw("received_on"))
        if not isinstance(received.value, dt.date):
            kind = codes.DATE_MISSING if received.kind is cells.Kind.EMPTY else codes.DATE_INVALID
            row_issues.append(
                kind.issue(
                    file=file,
                    sheet=sheet,
                    cell=where("received_on"),
                    unit_id=unit_id,
                    value=visible(received.original),
                )
            )
        if row_issues:
            issues += row_issues
            continue
        assert isinstance(received.value, dt.date)
        receipts.append(
            Receipt(
                unit_id=unit_id,
                file=texts["file"],
                received_on=received.value,
                reference=texts["reference"],
                where=f"{sheet}!{where('received_on')}" if sheet else where("received_on"),
                source=file,
            )
        )
    kept, clashes = _without_clashes(receipts, file, sheet)
    return kept, issues + clashes


def _read_grid(path: Path, file: str) -> tuple[list[list[object]] | None, str, list[Issue]]:
    """The register's cells (rows of values) and its sheet name ("" for a CSV)."""
    try:
        if path.suffix.lower() in _SPREADSHEETS:
            book = python_calamine.CalamineWorkbook.from_path(str(path))
            names = book.sheet_names
            if SHEET in names:
                name = SHEET
            elif len(names) == 1:
                name = names[0]
            else:
                found = ", ".join(names)
                return None, "", [codes.SHEET_MISSING.issue(file=file, found=found)]
            grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            return [list(row) for row in grid], name, []
        decoded = decode(path.read_bytes(), file)
        rows: list[list[object]] = [list(r) for r in csv.reader(io.StringIO(decoded.text))]
        notes = [codes.ENCODING_GUESSED.issue(file=file)] if decoded.warning else []
        return rows, "", notes
    except (
        OSError,
        UnicodeDecodeError,
        csv.Error,
        python_calamine.CalamineError,
        ValueError,
    ) as exc:
        return None, "", [codes.FILE_UNREADABLE.issue(file=file, detail=str(exc))]


def _without_clashes(
    receipts: list[Receipt], file: str, sheet: str
) -> tuple[list[Receipt], list[Issue]]:
    """Refuse every row of a file named twice with different dates."""
    by_file: dict[str, list[Receipt]] = {}
    for r in receipts:
        if r.file:
            by_file.setdefault(r.file.casefold(), []).append(r)
    refused: set[int] = set()
    issues: list[Issue] = []
    for rows in by_file.values():
        if len({r.received_on for r in rows}) < 2:
            continue
        places = ", ".join(r.where for r in rows)
        for r in rows:
            refused.add(id(r))
            issues.append(
                codes.FILE_TWICE.issue(
                    file=file,
                    sheet=sheet,
                    cell=r.where.rpartition("!")[2],
                    unit_id=r.unit_id,
                    value=format_date_th(r.received_on),
                    file_name=r.file,
                    places=places,
                )
            )
    return [r for r in receipts if id(r) not in refused], issues


def _text(value: object) -> str:
    return "" if cells.blank(value) else " ".join(cells.original_text(value).split())
