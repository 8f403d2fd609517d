"""One reading of a cell for every reader (docs/cells.md): the framework, intake and the
adjustments workbook read each value typed below the same way.

Each case goes through what each reader actually calls: the framework's `parse_decimal` /
`parse_date`, intake's vectorised column reader (`number_column`, as `frames.build` calls it)
and its `date`, and the adjustments reader end to end (the value written into an adjustments
workbook, read back by `load_adjustments`).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_batch import cells
from kpi_batch.adjustments.load import load_adjustments
from kpi_batch.framework import cells as framework_cells
from kpi_batch.intake import normalise as intake_cells
from tests.adjustment_factories import tiny_framework, write_adjustment_rows

D = Decimal
NUMBERS: list[tuple[object, Decimal | None]] = [
    (73.0, D(73)),
    (5, D(5)),
    (0.05, D("0.05")),
    (0.85, D("0.85")),  # a cell Excel formats as 85%: it holds 0.85, and 0.85 is read
    (1000.0, D(1000)),  # a number cell Excel shows as 1.00E+03
    ("๘๕.๕", D("85.5")),
    ("1,234.50", D("1234.5")),
    ("1,234", D(1234)),
    ("12,345,678", D(12345678)),
    ("85%", D(85)),  # text: the template asks for percentages as 0-100
    (" 85 % ", D(85)),
    ("๘๕ %", D(85)),
    ("\u00a012.5\u00a0", D("12.5")),
    ("1 234", D(1234)),
    ("1\u202f234", D(1234)),
    ("+5", D(5)),
    ("-3.5", D("-3.5")),
    (".5", D("0.5")),
    ("1e3", None),  # exponent notation in a text cell: a typo, not 1,000
    ("1E+03", None),
    ("1,2,3", None),  # separators only in groups of three
    ("1,23", None),
    ("85,5", None),  # a decimal comma: ambiguous
    ("12.5.1", None),
    ("%85", None),
    ("ร้อยละ 80", None),
    ("-", None),
    ("N/A", None),
    ("ไม่มี", None),
    ("#DIV/0!", None),
    ("#N/A", None),
    ("Err:502", None),
    ("inf", None),
    ("nan", None),
    (True, None),
    (dt.date(2024, 1, 1), None),
    (float("nan"), None),
    (float("inf"), None),
]

DATES: list[tuple[object, dt.date | None]] = [
    (dt.date(2567, 4, 3), dt.date(2024, 4, 3)),  # an Excel date typed with a BE year
    (dt.date(2024, 4, 3), dt.date(2024, 4, 3)),
    (dt.datetime(2024, 4, 3, 10, 30), dt.date(2024, 4, 3)),
    (45385.0, dt.date(2024, 4, 3)),  # an Excel serial left in a General cell
    ("3 เม.ย. 2567", dt.date(2024, 4, 3)),
    ("6 มี.ค. 2567", dt.date(2024, 3, 6)),
    ("๖ มีนาคม ๒๕๖๗", dt.date(2024, 3, 6)),
    ("15/3/2567", dt.date(2024, 3, 15)),
    ("๓/๔/๒๕๖๗", dt.date(2024, 4, 3)),
    ("2567-03-15", dt.date(2024, 3, 15)),
    ("2024-03-15", dt.date(2024, 3, 15)),
    ("31 ก.พ. 2567", None),
    ("เมื่อวาน", None),
    (7.0, None),
    ("#REF!", None),
    ("-", None),
]

_WRITABLE = (str, float, int, dt.date)


def _writable(raw: object) -> bool:
    """Values an .xlsx cell can hold as written here (NaN, infinity and booleans cannot)."""
    if isinstance(raw, bool) or not isinstance(raw, _WRITABLE):
        return False
    return not isinstance(raw, float) or math.isfinite(raw)


def _adjustments_reading(tmp_path: Path, field: str, raw: object) -> object:
    """new_value read by `load_adjustments` (None when it refused the row)."""
    kpi = "*" if field == "submitted_on" else "1.1.1"
    path = write_adjustment_rows(
        tmp_path / "adjustments.xlsx", [("U01", kpi, "review", field, raw, "ตรวจทาน")]
    )
    frame, _ = load_adjustments(path, tiny_framework())
    if frame.empty:
        return None
    return frame.iloc[0]["new_date" if field == "submitted_on" else "new_number"]


@pytest.mark.parametrize(("raw", "expected"), NUMBERS, ids=repr)
def test_every_reader_reads_a_number_alike(
    tmp_path: Path, raw: object, expected: Decimal | None
) -> None:
    values, kinds = intake_cells.number_column([raw])
    number = kinds[0] == cells.KIND_CODE[cells.Kind.NUMBER]
    intake = D(repr(float(values[0]))) if number else None  # a number kind is a finite float
    readings = {
        "framework": framework_cells.parse_decimal(raw),
        "intake": intake,
        "intake, one cell": cells.decimal(intake_cells.number(raw).value),
    }
    if _writable(raw):
        readings["adjustments"] = _adjustments_reading(tmp_path, "value", raw)
    assert readings == dict.fromkeys(readings, expected)


@pytest.mark.parametrize(("raw", "expected"), DATES, ids=repr)
def test_every_reader_reads_a_date_alike(
    tmp_path: Path, raw: object, expected: dt.date | None
) -> None:
    readings = {
        "framework": framework_cells.parse_date(raw),
        "intake": intake_cells.date(raw).value,
    }
    if _writable(raw):
        readings["adjustments"] = _adjustments_reading(tmp_path, "submitted_on", raw)
    assert readings == dict.fromkeys(readings, expected)


def test_kinds_say_why_a_cell_is_not_a_number() -> None:
    values, kinds = cells.number_column(["", None, "-", "#DIV/0!", "1e3", cells.ABSENT, 2.0])
    names = [list(cells.Kind)[k] for k in kinds]
    assert names == ["empty", "empty", "empty", "error", "text", "unused", "number"]
    assert values[-1] == 2.0


@given(
    st.lists(
        st.one_of(st.text(max_size=12), st.floats(), st.integers(-(10**6), 10**6), st.none()),
        max_size=20,
    )
)
def test_the_column_reader_is_the_cell_reader(raw: list[object]) -> None:
    """The vectorised path gives what `number` gives, cell by cell."""
    values, kinds = cells.number_column(raw)
    for v, value, kind in zip(raw, values.tolist(), kinds.tolist(), strict=True):
        cell = cells.number(v)
        assert list(cells.Kind)[kind] is cell.kind, v
        assert (value == value) is (cell.value is not None)
        if cell.value is not None:
            assert value == cell.value
