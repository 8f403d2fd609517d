"""Loaded workbooks -> two frames over all files, normalised; the typed text stays findable.

`headers`: one row per file (the defined names, normalised). `rows`: one row per non-blank
row of every `results` table, in file order, with `excel_row`. For each number column the
normalised float (NaN when empty or not a number) and `<key>_kind`, a small int code
(`schemas.submission.KIND`: empty, number, text, error, ...). The text as typed is not copied
into the frames: `Place.typed` reads it back from the loaded workbook when an issue needs it,
and `Place.cell` gives the cell, so nothing per cell is carried that only issues use.

Number columns are read by `kpi_batch.cells.number_column` (the one cell reader, vectorised:
floats and empty cells, nearly all cells, never reach a per-cell Python step).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from kpi_batch.cells import ABSENT
from kpi_batch.intake import normalise as norm
from kpi_batch.intake.load import Workbook
from kpi_batch.schemas.submission import NUMBER_KEYS
from kpi_batch.specs.template import NAMES
from kpi_batch.thai import arabic_digits


@dataclass(frozen=True)
class Place:
    """Where one file keeps what: cells for issues, the typed values for their text."""

    sheet: str  # the sheet of the results table
    letters: dict[str, str]  # table key -> column letter
    header_row: int
    book: Workbook

    def name_cell(self, name: str) -> tuple[str, str]:
        """(sheet, cell) of a defined name; the table's sheet and no cell when it has none."""
        found = self.book.names.get(name)
        return (found[0], found[1]) if found else (self.sheet, "")

    def cell(self, key: str, row: int) -> str:
        letter = self.letters.get(key) or self.letters.get("kpi_id", "")
        return f"{letter}{row}" if letter else ""

    def typed(self, key: str, row: int) -> str:
        """The cell as the unit typed it ('๘๕ %', '#DIV/0!', '12')."""
        book = self.book
        if key not in book.keys or not 0 <= row - book.first_row < len(book.rows):
            return ""
        return norm.original_text(book.rows[row - book.first_row][book.keys.index(key)])


@dataclass(frozen=True)
class Loaded:
    file: str  # path relative to the inbox
    modified: dt.datetime
    book: Workbook


def _identifier(raw: object) -> str:
    if type(raw) is str and raw.isascii() and raw == raw.strip() and " " not in raw:
        return raw  # "1.1", as the template writes it
    return norm.text(arabic_digits(raw) if isinstance(raw, str) else raw)


def _blank(row: list[object]) -> bool:
    # `any` settles nearly every row at its first cell (the kpi id)
    return not any(row) and row.count("") + row.count(None) == len(row)


def build(
    loaded: Sequence[Loaded], criteria_keys: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Place]]:
    """Column lists are filled file by file (one transpose per file), then each column is
    normalised once over all files."""
    places: dict[str, Place] = {}
    numbers = (*NUMBER_KEYS, *criteria_keys)
    raw: dict[str, list[object]] = {k: [] for k in numbers}
    files: list[str] = []
    sheets: list[str] = []
    excel_rows: list[int] = []
    kpi_raw: list[object] = []
    note_raw: list[object] = []
    # per table layout (every file of one template shares it): where each column goes
    plans: dict[tuple[str, ...], tuple[dict[str, str], list[tuple[list[object], int]]]] = {}
    for item in loaded:
        wb = item.book
        keys = tuple(wb.keys)
        plan = plans.get(keys)
        if plan is None:
            index = {k: i for i, k in enumerate(keys) if k}
            targets = [(kpi_raw, index["kpi_id"]), (note_raw, index.get("note", -1))]
            targets += [(raw[key], index.get(key, -2)) for key in numbers]
            plan = plans[keys] = (dict(zip(keys, wb.columns, strict=True)), targets)
        places[item.file] = Place(wb.sheet, plan[0], wb.header_row, wb)
        rows = wb.rows
        if not all(map(any, rows)) and any(map(_blank, rows)):  # `any`: a truthy cell
            kept = [o for o, row in enumerate(rows) if not _blank(row)]
            rows = [rows[o] for o in kept]
            excel_rows.extend(wb.first_row + o for o in kept)
        else:
            excel_rows.extend(range(wb.first_row, wb.first_row + len(rows)))
        n = len(rows)
        if not n:
            continue
        columns = list(zip(*rows, strict=True))
        files.extend([item.file] * n)
        sheets.extend([wb.sheet] * n)
        for target, at in plan[1]:
            # -1: no note column (empty notes); -2: no such number column
            target.extend(columns[at] if at >= 0 else [ABSENT if at == -2 else ""] * n)
    frame: dict[str, object] = {
        "file": files,
        "sheet": sheets,
        "excel_row": np.array(excel_rows, dtype=np.int64),
        "kpi_id": _each_once(_identifier, kpi_raw),  # kpi ids repeat in every file
        "note": [v if v == "" else norm.text(v) for v in note_raw],
    }
    for key in numbers:
        frame[key], frame[f"{key}_kind"] = norm.number_column(raw[key])
    rows_frame = pd.DataFrame(frame).astype({"file": str, "sheet": str, "kpi_id": str, "note": str})
    headers = _headers(loaded)
    text = [c for c in _HEADER_COLUMNS if c not in ("modified", "submitted_on")]
    return headers.astype(dict.fromkeys(text, str)), rows_frame, places


_HEADER_COLUMNS = ["file", "sheet", "modified", *NAMES, "submitted_on_kind", "submitted_on_text"]


def _headers(loaded: Sequence[Loaded]) -> pd.DataFrame:
    """One row per file, built column by column."""
    columns: dict[str, list[object]] = {
        "file": [item.file for item in loaded],
        "sheet": [item.book.sheet for item in loaded],
        "modified": [item.modified for item in loaded],
    }
    for name in NAMES:
        texts = _each_once(norm.text, [_named(item.book, name) for item in loaded])
        digits = name in ("fiscal_year", "template_version")
        columns[name] = [arabic_digits(t) if digits else t for t in texts]
    dates = _each_once(norm.date, [_named(item.book, "submitted_on") for item in loaded])
    columns["submitted_on"] = [d.value for d in dates]
    columns["submitted_on_kind"] = [d.kind.value for d in dates]
    columns["submitted_on_text"] = [d.original for d in dates]
    return pd.DataFrame(columns, columns=_HEADER_COLUMNS)


_MISSING = object()
_T = TypeVar("_T")


def _each_once(fn: Callable[[object], _T], raw: list[object]) -> list[_T]:
    """`fn` of each value, computed once per distinct value: most defined names hold the
    same few values in every file (the round, the template version, a handful of dates; the
    KPI ids). A text is its own key; any other value is keyed with its type, since
    1 == 1.0 == True."""
    seen: dict[object, _T] = {}
    out: list[_T] = []
    for v in raw:
        key = v if type(v) is str else (type(v), v)
        found = seen.get(key, _MISSING)
        if found is _MISSING:
            found = seen[key] = fn(v)
        out.append(found)  # type: ignore[arg-type]
    return out


def _named(wb: Workbook, name: str) -> object:
    place = wb.names.get(name)
    return place[2] if place else ""
