"""The adjustments reader: every rule fails with its code at its cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from kpi_batch.adjustments.load import load_adjustments
from kpi_batch.issues import Issue, Severity
from kpi_batch.schemas.adjustments import Adjustments
from tests.adjustment_factories import HEADER
from tests.adjustment_factories import tiny_framework as _framework
from tests.adjustment_factories import write_adjustment_rows as _workbook


def _row(unit="U01", kpi="1.1.1", stage="review", field="value", new="73.5",
         reason="เจ้าภาพตรวจสอบหลักฐานแล้ว", reference="บันทึก 12/2567"):  # fmt: skip
    return [unit, kpi, stage, field, new, reason, reference]


def _load(tmp_path: Path, *rows: Sequence[object]) -> tuple[pd.DataFrame, list[Issue]]:
    return load_adjustments(_workbook(tmp_path / "adj.xlsx", rows), _framework())


def _codes(issues: list[Issue]) -> list[tuple[str, str]]:
    return [(i.code, i.where) for i in issues]


def test_valid_rows_are_parsed_and_typed(tmp_path: Path) -> None:
    frame, issues = _load(
        tmp_path,
        _row(),
        _row(kpi="1.1.2", field="numerator", new="๑,๒๓๔"),
        _row(kpi="1.1.2", field="denominator", new=2000),
        _row(kpi="2", field="level", new=3.5, stage="appeal"),
        _row(kpi="1.1.1", field="score", new="4.25", stage="appeal"),
        _row(unit="U02", field="exempt", new=1),
        _row(kpi="*", field="submitted_on", new="6 มี.ค. 2567"),
        _row(kpi="*", field="late_days", new="3", stage="appeal", reference=None),
        _row(unit="U02", kpi="*", field="submitted_on", new=dt.date(2024, 3, 7)),
    )
    assert issues == []
    Adjustments.validate(frame)
    assert list(frame.index) == list(range(2, 11))
    assert list(frame["excel_row"]) == list(range(2, 11))
    assert list(frame["new_value"]) == [
        "73.5", "1234", "2000", "3.5", "4.25", "1", "2024-03-06", "3", "2024-03-07",
    ]  # fmt: skip
    assert frame.loc[2, "new_number"] == Decimal("73.5")
    assert frame.loc[5, "new_number"] == Decimal("3.5")
    assert frame.loc[8, "new_date"] == dt.date(2024, 3, 6)
    assert pd.isna(frame.loc[8, "new_number"])
    assert frame.loc[9, "reference"] == ""


def test_unknown_unit_and_kpi_are_errors_at_their_cell(tmp_path: Path) -> None:
    frame, issues = _load(
        tmp_path,
        _row(unit="U99"),
        _row(unit="U02", kpi="1.1.2"),  # exists, but not in U02's agreement
        _row(kpi="1.1"),  # a parent: not scored itself
    )
    assert frame.empty
    assert _codes(issues) == [
        ("adjustment_unknown_unit", "adjustments!A2"),
        ("adjustment_unknown_kpi", "adjustments!B3"),
        ("adjustment_unknown_kpi", "adjustments!B4"),
    ]
    assert all(i.severity is Severity.ERROR for i in issues)
    assert issues[0].value == "U99"
    assert issues[1].unit_id == "U02" and issues[1].kpi_id == "1.1.2"


def test_whole_unit_star_only_for_unit_fields(tmp_path: Path) -> None:
    _, issues = _load(
        tmp_path,
        _row(kpi="*", field="value"),
        _row(kpi="1.1.1", field="late_days", new="2"),
        _row(kpi="1.1.1", field="submitted_on", new="6/3/2567"),
    )
    assert _codes(issues) == [
        ("adjustment_whole_unit_not_allowed", "adjustments!B2"),
        ("adjustment_needs_whole_unit", "adjustments!B3"),
        ("adjustment_needs_whole_unit", "adjustments!B4"),
    ]


def test_field_must_fit_the_kpi(tmp_path: Path) -> None:
    _, issues = _load(
        tmp_path,
        _row(kpi="1.1.1", field="numerator", new="5"),  # not a ratio KPI
        _row(kpi="1.1.1", field="level", new="3"),  # quantitative
        _row(kpi="2", field="value", new="3"),  # milestone
    )
    assert _codes(issues) == [
        ("adjustment_field_not_for_kpi", f"adjustments!D{r}") for r in (2, 3, 4)
    ]


def test_bad_stage_and_field(tmp_path: Path) -> None:
    frame, issues = _load(
        tmp_path,
        _row(stage="อุทธรณ์"),
        _row(field="weight"),
        _row(stage=" Appeal ", field="VALUE"),  # case and spaces are forgiven
    )
    assert _codes(issues) == [
        ("adjustment_bad_stage", "adjustments!C2"),
        ("adjustment_bad_field", "adjustments!D3"),
    ]
    assert list(frame.index) == [4]
    assert frame.loc[4, "stage"] == "appeal"


@pytest.mark.parametrize(
    ("field", "kpi", "new", "code"),
    [
        ("value", "1.1.1", "สามสิบ", "adjustment_bad_number"),
        ("value", "1.1.1", "1.2.3", "adjustment_bad_number"),
        ("denominator", "1.1.2", "0", "adjustment_bad_number"),
        ("numerator", "1.1.2", "-4", "adjustment_bad_number"),
        ("level", "2", "-1", "adjustment_bad_number"),
        ("score", "1.1.1", "5.5", "adjustment_score_out_of_range"),
        ("score", "1.1.1", "-0.1", "adjustment_score_out_of_range"),
        ("exempt", "1.1.1", "2", "adjustment_bad_exempt"),
        ("exempt", "1.1.1", "ใช่", "adjustment_bad_number"),
        ("submitted_on", "*", "31 ก.พ. 2567", "adjustment_bad_date"),
        ("submitted_on", "*", "พรุ่งนี้", "adjustment_bad_date"),
        ("late_days", "*", "2.5", "adjustment_bad_late_days"),
        ("late_days", "*", "-1", "adjustment_bad_late_days"),
    ],
)
def test_new_value_must_parse_for_its_field(
    tmp_path: Path, field: str, kpi: str, new: str, code: str
) -> None:
    frame, issues = _load(tmp_path, _row(kpi=kpi, field=field, new=new))
    assert frame.empty
    assert _codes(issues) == [(code, "adjustments!E2")]
    assert issues[0].value == new


def test_score_limit_follows_the_scale(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "adj.xlsx", [_row(field="score", new="๙๕")])
    frame, issues = load_adjustments(path, _framework(scale=("50", "75", "100")))
    assert issues == []
    assert frame.loc[2, "new_number"] == Decimal(95)


def test_date_outside_the_fiscal_year_is_a_warning(tmp_path: Path) -> None:
    frame, issues = _load(tmp_path, _row(kpi="*", field="submitted_on", new="6/3/2024 "))
    assert issues == []  # CE typed: still the right day
    frame, issues = _load(
        tmp_path, _row(kpi="*", field="submitted_on", new="6 มี.ค. 2566")
    )  # a year early
    assert _codes(issues) == [("adjustment_date_unusual", "adjustments!E2")]
    assert issues[0].severity is Severity.WARNING
    assert list(frame.index) == [2]  # applied all the same


def test_missing_values_and_reason_are_errors(tmp_path: Path) -> None:
    frame, issues = _load(
        tmp_path,
        _row(new=None),
        _row(reason=None, stage="appeal"),
        _row(unit=None, kpi=None),
    )
    assert frame.empty
    assert _codes(issues) == [
        ("adjustment_value_missing", "adjustments!E2"),
        ("adjustment_reason_missing", "adjustments!F3"),
        ("adjustment_unit_missing", "adjustments!A4"),
        ("adjustment_kpi_missing", "adjustments!B4"),
    ]


def test_duplicates_name_both_rows_and_neither_is_applied(tmp_path: Path) -> None:
    frame, issues = _load(
        tmp_path,
        _row(new="70"),
        _row(stage="appeal", new="75"),  # an appeal of the same value is not a duplicate
        _row(new="72"),
        _row(new="71"),
    )
    assert list(frame.index) == [3]
    assert _codes(issues) == [("adjustment_duplicate", f"adjustments!A{r}") for r in (2, 4, 5)]
    assert "2" in issues[1].message_th and "4" in issues[1].message_th
    assert "rows 2 and 4" in issues[1].message_en


def test_blank_rows_are_skipped_and_rows_keep_their_excel_number(tmp_path: Path) -> None:
    frame, issues = _load(tmp_path, _row(), [None] * 7, [None] * 7, _row(unit="U02"))
    assert issues == []
    assert list(frame["excel_row"]) == [2, 5]


def test_numeric_ids_and_extra_columns(tmp_path: Path) -> None:
    header = [*HEADER, "หมายเหตุ"]
    rows = [["U01", 2, "review", "level", 4, "ok", "", "note"]]
    frame, issues = load_adjustments(_workbook(tmp_path / "a.xlsx", rows, header), _framework())
    assert issues == []
    assert frame.loc[2, "kpi_id"] == "2"


def test_missing_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "a.xlsx", [_row()], sheet="Sheet1")
    frame, issues = load_adjustments(path, _framework())
    assert frame.empty
    assert [(i.code, i.file) for i in issues] == [("adjustment_sheet_missing", str(path))]
    assert "Sheet1" in issues[0].message_th


def test_missing_and_duplicate_columns(tmp_path: Path) -> None:
    header = ["unit_id", "kpi_id", "stage", "field", "new_value", "reference", "unit_id"]
    frame, issues = load_adjustments(_workbook(tmp_path / "a.xlsx", [], header), _framework())
    assert frame.empty
    assert _codes(issues) == [
        ("adjustment_column_duplicate", "adjustments!G1"),
        ("adjustment_column_missing", "adjustments"),
    ]
    assert "reason" in issues[1].message_th


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "adj.xlsx"
    path.write_text("not a workbook")
    frame, issues = load_adjustments(path, _framework())
    assert frame.empty
    assert [i.code for i in issues] == ["adjustment_file_unreadable"]


def test_empty_sheet_is_no_adjustments(tmp_path: Path) -> None:
    frame, issues = _load(tmp_path)
    assert issues == []
    assert frame.empty
    Adjustments.validate(frame)
