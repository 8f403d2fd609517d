"""Contracts for the adjustments workbook (DOMAIN.md §6): as typed, and as handed to scoring.

`AdjustmentRows` is the sheet as read, every cell as text and the Excel row as the index.
Its checks are named by the issue code they raise, so `adjustments.py` turns pandera's
failure cases into `Issue`s without a translation table.

`Adjustments` is what `load_adjustments` returns and the scoring core consumes: only rows
that passed every check, with `new_value` parsed into `new_number` or `new_date`.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from kpi_batch.specs.adjustments import FIELDS, STAGES


def _filled(series: pd.Series) -> pd.Series:
    return series.str.len() > 0


class AdjustmentRows(pa.DataFrameModel):
    """One row per non-empty sheet row; index = Excel row number; all cells as text."""

    unit_id: Series[str]
    kpi_id: Series[str]
    stage: Series[str]
    field: Series[str]
    new_value: Series[str]
    reason: Series[str]
    reference: Series[str]

    @pa.check("unit_id", name="adjustment_unit_missing")
    def _unit_filled(cls, s: pd.Series) -> pd.Series:
        return _filled(s)

    @pa.check("kpi_id", name="adjustment_kpi_missing")
    def _kpi_filled(cls, s: pd.Series) -> pd.Series:
        return _filled(s)

    @pa.check("stage", name="adjustment_bad_stage")
    def _stage_known(cls, s: pd.Series) -> pd.Series:
        return s.isin(STAGES)

    @pa.check("field", name="adjustment_bad_field")
    def _field_known(cls, s: pd.Series) -> pd.Series:
        return s.isin(FIELDS)

    @pa.check("new_value", name="adjustment_value_missing")
    def _value_filled(cls, s: pd.Series) -> pd.Series:
        return _filled(s)

    @pa.check("reason", name="adjustment_reason_missing")
    def _reason_filled(cls, s: pd.Series) -> pd.Series:
        return _filled(s)

    class Config:
        strict = True
        ordered = True


class Adjustments(pa.DataFrameModel):
    """Checked adjustments, in sheet order; index = Excel row number (also `excel_row`).

    `new_value` is the normalised text (`73.5`, `1`, `2024-03-06`, `3`) for reports and the
    audit trail. `new_number` holds a `decimal.Decimal` for value, numerator, denominator,
    level, score, exempt (1/0) and late_days; `new_date` a `datetime.date` (CE) for
    submitted_on. Exactly one of the two is set on each row.
    """

    unit_id: Series[str]
    kpi_id: Series[str]  # "*" for submitted_on and late_days
    stage: Series[str] = pa.Field(isin=list(STAGES))
    field: Series[str] = pa.Field(isin=list(FIELDS))
    new_value: Series[str]
    reason: Series[str] = pa.Field(str_length={"min_value": 1})
    reference: Series[str]
    excel_row: Series[int] = pa.Field(ge=2)
    new_number: Series[object] = pa.Field(nullable=True)
    new_date: Series[object] = pa.Field(nullable=True)

    @pa.dataframe_check(name="one_typed_value")
    def _one_typed_value(cls, df: pd.DataFrame) -> pd.Series:
        return df["new_number"].isna() != df["new_date"].isna()

    class Config:
        strict = True
        ordered = True
