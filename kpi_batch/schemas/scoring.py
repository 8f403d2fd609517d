"""Contracts of the scoring core: what intake hands in, what reports and history take out.

Inputs (coerced; extra columns are allowed and ignored):
- `Results`: one row per (unit_id, kpi_id) of each unit's agreement that the unit sent;
  `value`, `numerator`, `denominator`, `level` as float64, NaN when left empty. A float is
  read as the decimal its shortest repr shows (what the officer typed). A KPI with no row is
  treated as left empty (missing).
- `Submissions`: one row per unit: `status` accepted / missing / rejected, `submitted_on`
  (the received date that charges lateness, or empty), optional `date_source` (receipt /
  email / workbook / date_to_confirm) and `file`. A unit of the framework with no row is
  `missing`.
- Adjustments: `schemas.adjustments.Adjustments` (the adjustments reader's contract).

Outputs (every score-like column holds `decimal.Decimal` with exactly `decimals` places,
or None; write them with `str()` / `f"{x:f}"`, never through float arithmetic):
- `KpiScores`: DOMAIN §7 kpi_scores.csv columns first (unit_id, kpi_id, value, score, weight,
  weighted_score), then status, pre_appeal_score and the explanation fields.
- `UnitScores`: DOMAIN §7 scores.csv / HR columns first (`HR_COLUMNS`), then band_name,
  the totals before deduction, the pre-appeal deduction and KPI counts.
- `Subtotals`, `AppliedAdjustments`, `MissingKpis`, `LateItems`, `BandLimits`.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

HR_COLUMNS = (
    "unit_id",
    "unit_name",
    "cluster_id",
    "pre_appeal_score",
    "deduction",
    "final_score",
    "band",
    "rank",
    "cluster_rank",
    "days_late",
    "status",
    # v1.1: the final total before deductions, so total - deduction = final_score (floored
    # at 0); pre_appeal_score is a separate, earlier figure and not the left-hand side.
    "total_before_deduction",
    "received_on",
    "date_source",
)
# date_source of a unit scored without a date that may charge lateness (DOMAIN §3.6)
DATE_TO_CONFIRM = "date_to_confirm"
KPI_SCORE_COLUMNS = ("unit_id", "kpi_id", "value", "score", "weight", "weighted_score")
SUBMISSION_STATUSES = ("accepted", "missing", "rejected")
UNIT_STATUSES = ("scored", "missing", "rejected")
# not_applicable: marked N/A with a reason, waiting for an exempt or a score (no score yet)
KPI_STATUSES = ("scored", "missing", "not_applicable", "exempt", "set")


def _decimal_or_none(s: pd.Series) -> pd.Series:
    return s.map(type).isin([Decimal, type(None)])


class Results(pa.DataFrameModel):
    unit_id: Series[str]
    kpi_id: Series[str]
    value: Series[float] = pa.Field(nullable=True)
    numerator: Series[float] = pa.Field(nullable=True)
    denominator: Series[float] = pa.Field(nullable=True)
    level: Series[float] = pa.Field(nullable=True)

    class Config:
        coerce = True
        strict = False
        unique = ["unit_id", "kpi_id"]  # noqa: RUF012 (pandera reads it)


class Submissions(pa.DataFrameModel):
    unit_id: Series[str] = pa.Field(unique=True)
    status: Series[str] = pa.Field(isin=list(SUBMISSION_STATUSES))
    submitted_on: Series[pa.DateTime] = pa.Field(nullable=True)

    class Config:
        coerce = True
        strict = False


class KpiScores(pa.DataFrameModel):
    unit_id: Series[str]
    kpi_id: Series[str]
    value: Series[object] = pa.Field(nullable=True)
    score: Series[object] = pa.Field(nullable=True)  # None only when exempt
    weight: Series[object]
    weighted_score: Series[object] = pa.Field(nullable=True)
    status: Series[str] = pa.Field(isin=list(KPI_STATUSES))
    pre_appeal_score: Series[object] = pa.Field(nullable=True)
    kpi_name: Series[str]
    parent_id: Series[str]
    component: Series[str]
    rule: Series[str]
    lower_threshold: Series[object] = pa.Field(nullable=True)
    lower_point: Series[object] = pa.Field(nullable=True)
    upper_threshold: Series[object] = pa.Field(nullable=True)
    upper_point: Series[object] = pa.Field(nullable=True)
    explanation: Series[str]

    @pa.dataframe_check(name="decimals")
    def _decimals(cls, df: pd.DataFrame) -> pd.Series:
        ok = pd.Series(True, index=df.index)
        for col in ("value", "score", "weight", "weighted_score", "pre_appeal_score"):
            ok &= _decimal_or_none(df[col])
        return ok

    class Config:
        coerce = True
        unique = ["unit_id", "kpi_id"]  # noqa: RUF012 (pandera reads it)


class UnitScores(pa.DataFrameModel):
    unit_id: Series[str] = pa.Field(unique=True)
    unit_name: Series[str]
    cluster_id: Series[str]
    pre_appeal_score: Series[object] = pa.Field(nullable=True)
    deduction: Series[object] = pa.Field(nullable=True)
    final_score: Series[object] = pa.Field(nullable=True)
    band: Series[str] = pa.Field(nullable=True)
    rank: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    cluster_rank: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    days_late: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    status: Series[str] = pa.Field(isin=list(UNIT_STATUSES))
    total_before_deduction: Series[object] = pa.Field(nullable=True)
    received_on: Series[object] = pa.Field(nullable=True)  # datetime.date or None
    date_source: Series[str] = pa.Field(nullable=True)
    band_name: Series[str] = pa.Field(nullable=True)
    pre_appeal_total: Series[object] = pa.Field(nullable=True)
    pre_appeal_deduction: Series[object] = pa.Field(nullable=True)
    final_total: Series[object] = pa.Field(nullable=True)
    n_kpis: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    n_missing: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    n_exempt: Series[pd.Int64Dtype] = pa.Field(nullable=True)

    @pa.dataframe_check(name="unscored_are_empty")
    def _unscored_empty(cls, df: pd.DataFrame) -> pd.Series:
        return (df["status"] == "scored") | (df["final_score"].isna() & df["rank"].isna())

    class Config:
        coerce = True


class Subtotals(pa.DataFrameModel):
    unit_id: Series[str]
    level: Series[str] = pa.Field(isin=["parent", "component"])
    group_id: Series[str]
    weight: Series[object]
    score: Series[object] = pa.Field(nullable=True)
    n_kpis: Series[int]
    name: Series[str]

    class Config:
        coerce = True


class AppliedAdjustments(pa.DataFrameModel):
    stage: Series[str] = pa.Field(isin=["review", "appeal"])
    unit_id: Series[str]
    kpi_id: Series[str]
    field: Series[str]
    old_value: Series[str]
    new_value: Series[str]
    reason: Series[str]
    reference: Series[str]
    row: Series[object] = pa.Field(nullable=True)

    class Config:
        coerce = True


class MissingKpis(pa.DataFrameModel):
    unit_id: Series[str]
    kpi_id: Series[str]
    kpi_name: Series[str]
    weight: Series[object]

    class Config:
        coerce = True


class LateItems(pa.DataFrameModel):
    unit_id: Series[str]
    item: Series[str] = pa.Field(isin=["submission", "adjustment"])
    days: Series[int] = pa.Field(ge=0)
    penalty: Series[object]
    stage: Series[str]
    reason: Series[str]
    reference: Series[str]

    class Config:
        coerce = True


class BandLimits(pa.DataFrameModel):
    band_id: Series[str]
    name: Series[str]
    lower: Series[object] = pa.Field(nullable=True)
    upper: Series[object] = pa.Field(nullable=True)

    class Config:
        coerce = True
