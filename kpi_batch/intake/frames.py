"""Loaded workbooks -> two frames over all files, normalised, with the original text kept.

`headers`: one row per file (the defined names); `rows`: one row per non-blank row of every
`results` table, in file order, with the Excel row number. For each number column the
normalised float, its kind (empty / number / text / error) and the text as typed (see
`normalise.py`). `Place` remembers where each file keeps what, so an issue can name its cell
without carrying a cell reference for every value through the frames.

This is the only per-cell Python loop of intake; floats and empty cells (nearly all of them)
take a fast path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from kpi_batch.intake import normalise as norm
from kpi_batch.intake.load import NAMES, Workbook
from kpi_batch.schemas.submission import NUMBER_KEYS
from kpi_batch.thai import arabic_digits


@dataclass(frozen=True)
class Place:
    sheet: str  # the sheet of the results table
    names: dict[str, tuple[str, str]]  # defined name -> (sheet, cell)
    letters: dict[str, str]  # table key -> column letter
    header_row: int

    def cell(self, key: str, row: int) -> str:
        letter = self.letters.get(key) or self.letters.get("kpi_id", "")
        return f"{letter}{row}" if letter else ""


@dataclass(frozen=True)
class Loaded:
    file: str  # path relative to the inbox
    modified: dt.datetime
    book: Workbook


_EMPTY = norm.Cell(None, "", norm.Kind.EMPTY)


def _number(raw: object) -> norm.Cell:
    if type(raw) is float:
        return norm.Cell(raw, "", norm.Kind.NUMBER)  # original filled in lazily
    if raw == "":
        return _EMPTY
    return norm.number(raw)


def build(
    loaded: Sequence[Loaded], criteria_keys: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Place]]:
    places: dict[str, Place] = {}
    header_records: list[dict[str, object]] = []
    cols: dict[str, list[object]] = {
        k: [] for k in ("file", "sheet", "excel_row", "kpi_id", "kpi_id_text", "note")
    }
    numbers = (*NUMBER_KEYS, *criteria_keys)
    for key in numbers:
        cols[key], cols[f"{key}_kind"], cols[f"{key}_text"] = [], [], []
    for item in loaded:
        wb = item.book
        letters = dict(zip(wb.keys, wb.columns, strict=True))
        places[item.file] = Place(
            wb.sheet, {n: (s, c) for n, (s, c, _) in wb.names.items()}, letters, wb.header_row
        )
        header_records.append(_header(item))
        index = {k: i for i, k in enumerate(wb.keys) if k}
        errors = wb.errors
        for offset, raw_row in enumerate(wb.rows):
            if all(v == "" or v is None for v in raw_row):
                continue
            excel_row = wb.first_row + offset
            if errors:
                raw_row = [
                    errors.get(f"{letter}{excel_row}", v) if v == "" else v
                    for letter, v in zip(wb.columns, raw_row, strict=True)
                ]
            cols["file"].append(item.file)
            cols["sheet"].append(wb.sheet)
            cols["excel_row"].append(excel_row)
            kpi_raw = raw_row[index["kpi_id"]]
            cols["kpi_id"].append(
                norm.text(arabic_digits(kpi_raw) if isinstance(kpi_raw, str) else kpi_raw)
            )
            cols["kpi_id_text"].append(norm.original_text(kpi_raw))
            note = raw_row[index["note"]] if "note" in index else ""
            cols["note"].append(norm.text(note))
            for key in numbers:
                i = index.get(key)
                if i is None:
                    cols[key].append(None)
                    cols[f"{key}_kind"].append("unused")
                    cols[f"{key}_text"].append("")
                    continue
                raw = raw_row[i]
                cell = _number(raw)
                cols[key].append(cell.value)
                cols[f"{key}_kind"].append(cell.kind.value)
                cols[f"{key}_text"].append(cell.original or norm.original_text(raw))
    rows = pd.DataFrame(cols)
    for key in numbers:
        rows[key] = pd.to_numeric(rows[key], errors="coerce").astype("float64")
    rows["excel_row"] = rows["excel_row"].astype("int64")
    headers = pd.DataFrame(header_records, columns=_HEADER_COLUMNS)
    return headers, rows, places


_HEADER_COLUMNS = [
    "file",
    "sheet",
    "modified",
    *NAMES,
    "submitted_on_kind",
    "submitted_on_text",
]


def _header(item: Loaded) -> dict[str, object]:
    wb = item.book
    raw: dict[str, object] = {}
    for name in NAMES:
        sheet, cell, value = wb.names.get(name, ("", "", ""))
        if value == "" and sheet == wb.sheet:
            value = wb.errors.get(cell, "")  # an Excel error, read by calamine as ""
        raw[name] = value
    when = norm.date(raw["submitted_on"])
    record: dict[str, object] = {"file": item.file, "sheet": wb.sheet, "modified": item.modified}
    for name in NAMES:
        value = raw[name]
        text = norm.text(value)
        if name in ("fiscal_year", "template_version"):
            text = arabic_digits(text)
        record[name] = text
    record["submitted_on"] = when.value
    record["submitted_on_kind"] = when.kind.value
    record["submitted_on_text"] = when.original
    return record
