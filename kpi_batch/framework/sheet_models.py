"""Contracts for the framework workbook's sheets (DOMAIN.md §4), one pandera model per sheet.

Each model checks what can be seen one sheet at a time: columns present, required cells
filled, enumerations, and that dates, numbers and e-mail addresses parse. Custom checks are
named by the issue code they raise, so `sheet_issues` turns pandera's failure cases into
`Issue`s with cells without a translation table. Rules that need more than one cell or
sheet (duplicates, references, criteria order, the 6-month rule) are plain Python in
`framework_checks.py` and `framework_criteria.py`.

Frames are validated after `prepare`: ids and keywords normalised to text, names collapsed,
dates, numbers and e-mail cells left as typed. The index is the Excel row number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from kpi_batch.framework import cells as cells
from kpi_batch.framework.codes import fw_issue
from kpi_batch.framework.read import Sheet
from kpi_batch.issues import Issue
from kpi_batch.specs.framework import DERIVE, RECIPIENT_ROLES, SheetName

ENUMS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "kpi_type": ("quantitative", "milestone"),
        "direction": ("higher", "lower"),
        "formula": ("ratio", "value"),
        "method": ("linear", "step"),
        "role": RECIPIENT_ROLES,
    }
)

# How each column is normalised before validation; anything not listed is kept as typed.
_IDS = frozenset(
    {"unit_id", "kpi_id", "parent_id", "round_id", "cluster_id", "band_id", "owner_id"}
)
_KEYWORDS = frozenset({"key", *ENUMS})
_TEXTS = frozenset({"name", "component", "measure_unit"})


def prepare(sheet: Sheet) -> Sheet:
    """Ids and keywords as text (`1.1` typed as a number stays `1.1`), names collapsed."""
    frame = sheet.frame.copy()
    for column in frame.columns:
        convert: Callable[[object], object] | None = (
            cells.ident
            if column in _IDS
            else cells.keyword
            if column in _KEYWORDS
            else cells.text
            if column in _TEXTS
            else None
        )
        if convert is not None:
            frame[column] = frame[column].map(convert).astype(object)
    return Sheet(sheet.name, frame, sheet.columns, sheet.header_row)


def _is_date(value: object) -> bool:
    return cells.parse_date(value) is not None


def _is_number(value: object) -> bool:
    return cells.parse_decimal(value) is not None


def _is_positive_or_not_a_number(value: object) -> bool:
    number = cells.parse_decimal(value)
    return number is None or number > 0


def _emails_ok(value: object) -> bool:
    return not cells.bad_emails(value)


def is_threshold(value: object) -> bool:
    return _is_number(value) or cells.keyword(value) == DERIVE


class _Sheet(pa.DataFrameModel):
    class Config:
        strict = False  # extra columns (notes, Thai labels) are the planner's business
        coerce = False


class SettingsSheet(_Sheet):
    key: Series[object] = pa.Field(nullable=False)
    value: Series[object] = pa.Field(nullable=True)


class RoundsSheet(_Sheet):
    round_id: Series[object] = pa.Field(nullable=False)
    name: Series[object] = pa.Field(nullable=False)
    period_start: Series[object] = pa.Field(nullable=False)
    period_end: Series[object] = pa.Field(nullable=False)
    data_cutoff: Series[object] = pa.Field(nullable=False)
    due_date: Series[object] = pa.Field(nullable=False)

    @pa.check(
        "period_start",
        "period_end",
        "data_cutoff",
        "due_date",
        element_wise=True,
        name="FW_BAD_DATE",
    )
    def _dates(cls, value: Any) -> bool:
        return _is_date(value)


class ClustersSheet(_Sheet):
    cluster_id: Series[object] = pa.Field(nullable=False)
    name: Series[object] = pa.Field(nullable=False)


class UnitsSheet(_Sheet):
    unit_id: Series[object] = pa.Field(nullable=False)
    name: Series[object] = pa.Field(nullable=False)
    cluster_id: Series[object] = pa.Field(nullable=False)
    email: Series[object] = pa.Field(nullable=True)

    @pa.check("email", element_wise=True, name="FW_BAD_EMAIL")
    def _email(cls, value: Any) -> bool:
        return _emails_ok(value)


class KpisSheet(_Sheet):
    unit_id: Series[object] = pa.Field(nullable=False)
    kpi_id: Series[object] = pa.Field(nullable=False)
    parent_id: Series[object] = pa.Field(nullable=True)
    name: Series[object] = pa.Field(nullable=False)
    component: Series[object] = pa.Field(nullable=True)
    kpi_type: Series[object] = pa.Field(nullable=True, isin=ENUMS["kpi_type"])
    direction: Series[object] = pa.Field(nullable=True, isin=ENUMS["direction"])
    measure_unit: Series[object] = pa.Field(nullable=True)
    formula: Series[object] = pa.Field(nullable=True, isin=ENUMS["formula"])
    method: Series[object] = pa.Field(nullable=True, isin=ENUMS["method"])
    # optional column (spec.OPTIONAL_COLUMNS): frameworks without KPI owners leave it out
    owner_id: Series[object] | None = pa.Field(nullable=True)


class CriteriaSheet(_Sheet):
    """The fixed columns; `criteria_schema` adds one column per scale point."""

    unit_id: Series[object] = pa.Field(nullable=False)
    kpi_id: Series[object] = pa.Field(nullable=False)
    round_id: Series[object] = pa.Field(nullable=False)


class WeightsSheet(_Sheet):
    unit_id: Series[object] = pa.Field(nullable=False)
    kpi_id: Series[object] = pa.Field(nullable=False)
    weight: Series[object] = pa.Field(nullable=False)

    @pa.check("weight", element_wise=True, name="FW_BAD_NUMBER")
    def _number(cls, value: Any) -> bool:
        return _is_number(value)

    @pa.check("weight", element_wise=True, name="FW_WEIGHT_NOT_POSITIVE")
    def _positive(cls, value: Any) -> bool:
        return _is_positive_or_not_a_number(value)


class BandsSheet(_Sheet):
    band_id: Series[object] = pa.Field(nullable=False)
    name: Series[object] = pa.Field(nullable=False)
    min_score: Series[object] = pa.Field(nullable=False)

    @pa.check("min_score", element_wise=True, name="FW_BAD_NUMBER")
    def _number(cls, value: Any) -> bool:
        return _is_number(value)


class RecipientsSheet(_Sheet):
    role: Series[object] = pa.Field(nullable=False, isin=ENUMS["role"])
    name: Series[object] = pa.Field(nullable=False)
    email: Series[object] = pa.Field(nullable=False)

    @pa.check("email", element_wise=True, name="FW_BAD_EMAIL")
    def _email(cls, value: Any) -> bool:
        return _emails_ok(value)


class HolidaysSheet(_Sheet):
    date: Series[object] = pa.Field(nullable=False)
    name: Series[object] = pa.Field(nullable=True)

    @pa.check("date", element_wise=True, name="FW_BAD_DATE")
    def _date(cls, value: Any) -> bool:
        return _is_date(value)


class OwnersSheet(_Sheet):
    owner_id: Series[object] = pa.Field(nullable=False)
    name: Series[object] = pa.Field(nullable=False)
    email: Series[object] = pa.Field(nullable=True)  # blank: FW_OWNER_NO_EMAIL (checks.py)

    @pa.check("email", element_wise=True, name="FW_BAD_EMAIL")
    def _email(cls, value: Any) -> bool:
        return _emails_ok(value)


MODELS: Mapping[str, type[_Sheet]] = MappingProxyType(
    {
        SheetName.SETTINGS: SettingsSheet,
        SheetName.ROUNDS: RoundsSheet,
        SheetName.CLUSTERS: ClustersSheet,
        SheetName.UNITS: UnitsSheet,
        SheetName.KPIS: KpisSheet,
        SheetName.CRITERIA: CriteriaSheet,
        SheetName.WEIGHTS: WeightsSheet,
        SheetName.BANDS: BandsSheet,
        SheetName.RECIPIENTS: RecipientsSheet,
        SheetName.HOLIDAYS: HolidaysSheet,
        SheetName.OWNERS: OwnersSheet,
    }
)


def criteria_schema(point_columns: Iterable[str]) -> pa.DataFrameSchema:
    """The criteria sheet's schema for this framework's scale: one optional column per
    point (header keys as typed), each cell blank, a number, or `derive`."""
    threshold = pa.Check(is_threshold, element_wise=True, name="FW_BAD_NUMBER")
    return CriteriaSheet.to_schema().add_columns(
        {c: pa.Column(object, checks=threshold, nullable=True) for c in point_columns}
    )


def schema_for(sheet: str, point_columns: Iterable[str] = ()) -> pa.DataFrameSchema:
    if sheet == SheetName.CRITERIA:
        return criteria_schema(point_columns)
    return MODELS[sheet].to_schema()


def sheet_issues(sheet: Sheet, schema: pa.DataFrameSchema) -> list[Issue]:
    """Validate lazily and turn every failure case into an `Issue` naming its cell."""
    try:
        schema.validate(sheet.frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return [_to_issue(sheet, case) for case in exc.failure_cases.to_dict("records")]
    return []


def _to_issue(sheet: Sheet, case: Mapping[str, Any]) -> Issue:
    check = str(case["check"])
    column = str(case["column"])
    row = case["index"]
    value = case["failure_case"]
    if check == "column_in_dataframe":
        name = str(value)
        return fw_issue("FW_MISSING_COLUMN", sheet.name, sheet.header_cell(name), column=name)
    cell = sheet.cell(column, int(row)) if row is not None and not pd.isna(row) else ""
    if check == "not_nullable":
        return fw_issue("FW_REQUIRED_VALUE", sheet.name, cell, column=column)
    if check.startswith("isin"):
        allowed = ", ".join(ENUMS.get(column, ()))
        return fw_issue("FW_BAD_ENUM", sheet.name, cell, value, column=column, allowed=allowed)
    if check == "FW_BAD_EMAIL":
        value = "; ".join(cells.bad_emails(value)) or value
        unit_id = ""
        if "unit_id" in sheet.columns and row is not None and not pd.isna(row):
            unit_id = cells.text(sheet.value(int(row), "unit_id")) or ""
        return fw_issue(
            check,
            sheet.name,
            cell,
            cells.text(value),
            unit_th=f" ของหน่วยงาน {unit_id}" if unit_id else "",
            unit_en=f" (unit {unit_id})" if unit_id else "",
        )
    if check.startswith("FW_"):
        return fw_issue(check, sheet.name, cell, cells.text(value))
    # A pandera check we did not name (e.g. a dtype check): report it as a bad value.
    return fw_issue("FW_BAD_ENUM", sheet.name, cell, value, column=column, allowed=check)
