"""Loaded workbooks -> two frames over all files, normalised; the typed text stays findable.

`headers`: one row per file (the defined names, normalised). `rows`: one row per non-blank
row of every `results` table, in file order, with `excel_row`. For each number column the
normalised float (NaN when empty or not a number) and `<key>_kind`, a small int code
(`schemas.submission.KIND`: empty, number, text, error, ...). The text as typed is not copied
into the frames: `Place.typed` reads it back from the loaded workbook when an issue needs it,
and `Place.cell` gives the cell, so nothing per cell is carried that only issues use.

This is intake's only per-cell Python loop; floats and empty cells (nearly all cells) take
the fast path.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np
import pandas as pd

from kpi_batch.intake import normalise as norm
from kpi_batch.intake.load import NAMES, Workbook
from kpi_batch.schemas.submission import KIND, NUMBER_KEYS
from kpi_batch.thai import arabic_digits

_NAN = math.nan
_NUMBER, _EMPTY, _UNUSED = KIND["number"], KIND["empty"], KIND["unused"]


@dataclass(frozen=True)
class Place:
    """Where one file keeps what: cells for issues, the typed values for their text."""

    sheet: str  # the sheet of the results table
    names: dict[str, tuple[str, str]]  # defined name -> (sheet, cell)
    letters: dict[str, str]  # table key -> column letter
    header_row: int
    book: Workbook

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


def _numbers(raw: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    values: list[float] = []
    kinds: list[int] = []
    put_value, put_kind = values.append, kinds.append
    for v in raw:
        if type(v) is float:
            put_value(v)
            put_kind(_NUMBER)
        elif v == "" or v is None:
            put_value(_NAN)
            put_kind(_EMPTY)
        elif v is _ABSENT:
            put_value(_NAN)
            put_kind(_UNUSED)
        else:
            cell = norm.number(v)
            put_value(_NAN if cell.value is None else cell.value)  # type: ignore[arg-type]
            put_kind(KIND[cell.kind.value])
    return np.array(values, dtype=np.float64), np.array(kinds, dtype=np.int8)


_ABSENT = object()  # the table has no such column


def build(
    loaded: Sequence[Loaded], criteria_keys: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Place]]:
    places: dict[str, Place] = {}
    numbers = (*NUMBER_KEYS, *criteria_keys)
    picked: list[tuple[object, ...]] = []
    files: list[str] = []
    sheets: list[str] = []
    excel_rows: list[int] = []
    kpi_ids: list[str] = []
    notes: list[str] = []
    for item in loaded:
        wb = item.book
        places[item.file] = Place(
            wb.sheet,
            {n: (s, c) for n, (s, c, _) in wb.names.items()},
            dict(zip(wb.keys, wb.columns, strict=True)),
            wb.header_row,
            wb,
        )
        index = {k: i for i, k in enumerate(wb.keys) if k}
        width = len(wb.keys)  # a missing column reads the _ABSENT put after the row
        pick = itemgetter(*[index.get(k, width) for k in numbers])
        kpi_at, note_at = index["kpi_id"], index.get("note")
        for offset, row in enumerate(wb.rows):
            if all(v == "" or v is None for v in row):
                continue
            files.append(item.file)
            sheets.append(wb.sheet)
            excel_rows.append(wb.first_row + offset)
            kpi_ids.append(_identifier(row[kpi_at]))
            note = row[note_at] if note_at is not None else ""
            notes.append(note if note == "" else norm.text(note))
            picked.append(pick([*row, _ABSENT]))
    columns: dict[str, object] = {
        "file": files,
        "sheet": sheets,
        "excel_row": np.array(excel_rows, dtype=np.int64),
        "kpi_id": kpi_ids,
        "note": notes,
    }
    by_key = list(zip(*picked, strict=True)) if picked else [() for _ in numbers]
    for key, raw in zip(numbers, by_key, strict=True):
        columns[key], columns[f"{key}_kind"] = _numbers(raw)
    rows = pd.DataFrame(columns).astype({"file": str, "sheet": str, "kpi_id": str, "note": str})
    headers = pd.DataFrame([_header(item) for item in loaded], columns=_HEADER_COLUMNS)
    text = [c for c in _HEADER_COLUMNS if c not in ("modified", "submitted_on")]
    return headers.astype(dict.fromkeys(text, str)), rows, places


_HEADER_COLUMNS = ["file", "sheet", "modified", *NAMES, "submitted_on_kind", "submitted_on_text"]


def _header(item: Loaded) -> dict[str, object]:
    wb = item.book
    record: dict[str, object] = {"file": item.file, "sheet": wb.sheet, "modified": item.modified}
    for name in NAMES:
        value = wb.names[name][2] if name in wb.names else ""
        text = norm.text(value)
        record[name] = arabic_digits(text) if name in ("fiscal_year", "template_version") else text
    when = norm.date(wb.names["submitted_on"][2] if "submitted_on" in wb.names else "")
    record["submitted_on"] = when.value
    record["submitted_on_kind"] = when.kind.value
    record["submitted_on_text"] = when.original
    return record
