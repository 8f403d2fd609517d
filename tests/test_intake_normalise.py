"""Cell normalisation: what a unit typed -> number/date/empty/error, original text kept."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_batch.intake.normalise import Kind, date, number, text


@pytest.mark.parametrize(
    ("raw", "value", "kind"),
    [
        (73.0, 73.0, Kind.NUMBER),
        (5, 5.0, Kind.NUMBER),
        ("", None, Kind.EMPTY),
        (None, None, Kind.EMPTY),
        ("๘๕.๕", 85.5, Kind.NUMBER),
        ("1,234.50", 1234.5, Kind.NUMBER),
        ("85%", 85.0, Kind.NUMBER),
        (" 85 % ", 85.0, Kind.NUMBER),
        ("\u00a012.5\u00a0", 12.5, Kind.NUMBER),
        ("1 234", 1234.0, Kind.NUMBER),
        ("-", None, Kind.EMPTY),
        ("–", None, Kind.EMPTY),
        ("N/A", None, Kind.NOT_APPLICABLE),
        ("n/a", None, Kind.NOT_APPLICABLE),
        ("ไม่มี", None, Kind.NOT_APPLICABLE),
        ("#DIV/0!", None, Kind.ERROR),
        ("#N/A", None, Kind.ERROR),
        ("#VALUE!", None, Kind.ERROR),
        ("Err:502", None, Kind.ERROR),
        ("ร้อยละ 80", None, Kind.TEXT),
        ("1,23", None, Kind.TEXT),  # not a thousands separator: ambiguous, refused
        ("12.5.1", None, Kind.TEXT),
        (True, None, Kind.TEXT),
        (dt.date(2024, 1, 1), None, Kind.TEXT),
        (float("nan"), None, Kind.TEXT),
        ("inf", None, Kind.TEXT),
    ],
)
def test_number(raw: object, value: float | None, kind: Kind) -> None:
    cell = number(raw)
    assert (cell.value, cell.kind) == (value, kind)


def test_number_keeps_the_original_text() -> None:
    assert number("๘๕ %").original == "๘๕ %"
    assert number(12.0).original == "12"
    assert number("#DIV/0!").original == "#DIV/0!"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.date(2567, 4, 3), dt.date(2024, 4, 3)),  # Excel date typed with a BE year
        (dt.datetime(2024, 4, 3, 10, 30), dt.date(2024, 4, 3)),
        ("3 เม.ย. 2567", dt.date(2024, 4, 3)),
        ("๓/๔/๒๕๖๗", dt.date(2024, 4, 3)),
        ("3/4/2567", dt.date(2024, 4, 3)),
        ("2024-04-03", dt.date(2024, 4, 3)),
        (45385.0, dt.date(2024, 4, 3)),  # an Excel serial left in a General cell
    ],
)
def test_date(raw: object, expected: dt.date) -> None:
    cell = date(raw)
    assert (cell.value, cell.kind) == (expected, Kind.DATE)


@pytest.mark.parametrize(
    ("raw", "kind"),
    [("", Kind.EMPTY), ("-", Kind.EMPTY), ("เมื่อวาน", Kind.TEXT), (7.0, Kind.TEXT),
     ("#REF!", Kind.ERROR), ("31 ก.พ. 2567", Kind.TEXT)],
)  # fmt: skip
def test_date_not_a_date(raw: object, kind: Kind) -> None:
    assert date(raw).kind is kind
    assert date(raw).value is None


def test_text_ids() -> None:
    assert text(" 1.1\u00a0") == "1.1"
    assert text(2.0) == "2"
    assert text(None) == ""


@given(st.one_of(st.text(max_size=20), st.floats(), st.integers(), st.none(), st.booleans()))
def test_number_never_raises_and_errors_never_become_numbers(raw: object) -> None:
    cell = number(raw)
    assert cell.kind in Kind
    if cell.kind is Kind.NUMBER:
        assert isinstance(cell.value, float)
    else:
        assert cell.value is None
    if isinstance(raw, str) and raw.strip().startswith("#"):
        assert cell.kind is not Kind.NUMBER
