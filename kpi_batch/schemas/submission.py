"""Contracts for unit submissions (DOMAIN.md §5) as intake validates them.

Both models are validated once per run over every file concatenated (lazily, so every
failure is collected), after normalisation and after the framework's expectations have been
merged in as context columns (`unit_known`, `expected_weight`, `pct`, ...). Each custom check
is named by the issue code it raises (kpi_batch/intake/codes.py), so `validate.py` turns
pandera's failure cases into `Issue`s without a translation table. A check returns True
where it does not apply, and so says `ignore_na=False`: it decides about missing values
itself (pandera would otherwise pass rows that are all NaN, which never occur here, at the
cost of an `isna()` of the whole frame per check).

- `SubmissionHeaders`: one row per readable file: the defined names.
- `SubmissionRows`: one row per row of a `results` table (blank rows dropped). For each input
  key (`value`, `numerator`, `denominator`, `level`, `weight`) the normalised number and its
  `<key>_kind` (`KIND` code: empty / number / text / error / unused: the column does not
  apply to this KPI).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from kpi_batch.cells import KIND_CODE, Kind
from kpi_batch.specs.template import FORMAT_VERSION as TEMPLATE_VERSION

KINDS = tuple(kind.value for kind in Kind)
# A table cell's kind as a small int in the row frame (comparisons on strings cost more).
KIND = {kind.value: code for kind, code in KIND_CODE.items()}
_TEXT, _ERROR, _EMPTY, _UNUSED = KIND["text"], KIND["error"], KIND["empty"], KIND["unused"]
_NUMBER, _NA = KIND["number"], KIND["not_applicable"]
INPUT_KEYS = ("value", "numerator", "denominator", "level")
NUMBER_KEYS = (*INPUT_KEYS, "weight")


class SubmissionHeaders(pa.DataFrameModel):
    file: Series[str] = pa.Field(unique=True)
    unit_id: Series[str]
    round_id: Series[str]
    fiscal_year: Series[str]
    template_version: Series[str]
    framework_fingerprint: Series[str]
    submitted_on: Series[object] = pa.Field(nullable=True)  # datetime.date (CE) or None
    submitted_on_kind: Series[str] = pa.Field(isin=list(KINDS))
    # context
    unit_known: Series[bool]
    run_round: Series[str]
    expected_year: Series[str]
    expected_fingerprint: Series[str]
    earliest: Series[object]  # the round's period start
    as_of: Series[object]

    @pa.dataframe_check(name="unit_unknown", ignore_na=False)
    def _unit_known(cls, df: pd.DataFrame) -> pd.Series:
        return df["unit_known"]

    @pa.dataframe_check(name="round_mismatch", ignore_na=False)
    def _round(cls, df: pd.DataFrame) -> pd.Series:
        return df["round_id"] == df["run_round"]

    @pa.dataframe_check(name="fiscal_year_mismatch", ignore_na=False)
    def _year(cls, df: pd.DataFrame) -> pd.Series:
        return df["fiscal_year"] == df["expected_year"]

    @pa.check("template_version", name="template_version_unsupported", ignore_na=False)
    def _version(cls, s: pd.Series) -> pd.Series:
        return s == TEMPLATE_VERSION

    @pa.dataframe_check(name="framework_fingerprint_differs", ignore_na=False)
    def _fingerprint(cls, df: pd.DataFrame) -> pd.Series:
        return df["framework_fingerprint"] == df["expected_fingerprint"]

    @pa.check("submitted_on_kind", name="submitted_on_missing", ignore_na=False)
    def _date_given(cls, s: pd.Series) -> pd.Series:
        return s != "empty"

    @pa.check("submitted_on_kind", name="submitted_on_invalid", ignore_na=False)
    def _date_valid(cls, s: pd.Series) -> pd.Series:
        return ~s.isin(["text", "error"])

    @pa.dataframe_check(name="submitted_on_implausible", ignore_na=False)
    def _date_plausible(cls, df: pd.DataFrame) -> pd.Series:
        dated = df["submitted_on_kind"] == "date"
        day = df["submitted_on"].where(dated, df["as_of"])
        return ~dated | ((day >= df["earliest"]) & (day <= df["as_of"]))

    class Config:
        strict = False


def _used(df: pd.DataFrame, key: str) -> pd.Series:
    return df[f"{key}_kind"] != _UNUSED


def _any_input(df: pd.DataFrame, kind: int) -> pd.Series:
    """Rows where one of the KPI's input cells (an unused column is never `kind`) is `kind`."""
    found = pd.Series(False, index=df.index)
    for key in INPUT_KEYS:
        found |= df[f"{key}_kind"] == kind
    return found


def not_applicable_rows(df: pd.DataFrame) -> pd.Series:
    """Rows the unit marked `ไม่มีผล (N/A)` (in any input cell of the KPI) with no number."""
    return _any_input(df, _NA) & ~_any_input(df, _NUMBER)


class SubmissionRows(pa.DataFrameModel):
    excel_row: Series[int] = pa.Field(ge=1)
    value: Series[float] = pa.Field(nullable=True)
    numerator: Series[float] = pa.Field(nullable=True)
    denominator: Series[float] = pa.Field(nullable=True)
    level: Series[float] = pa.Field(nullable=True)
    weight: Series[float] = pa.Field(nullable=True)
    value_kind: Series[np.int8] = pa.Field(isin=list(KIND.values()))
    numerator_kind: Series[np.int8] = pa.Field(isin=list(KIND.values()))
    denominator_kind: Series[np.int8] = pa.Field(isin=list(KIND.values()))
    level_kind: Series[np.int8] = pa.Field(isin=list(KIND.values()))
    weight_kind: Series[np.int8] = pa.Field(isin=list(KIND.values()))
    # context from the framework (NaN / False where the row is not in the agreement)
    checked: Series[bool]  # the file's unit and round are right: compare with the agreement
    in_agreement: Series[bool]
    duplicate: Series[bool]
    expected_weight: Series[float] = pa.Field(nullable=True)
    criteria_same: Series[bool]
    pct: Series[bool]  # a percentage: 0-100 ...
    allows_more: Series[bool]  # ... unless a threshold of this round is above 100
    min_threshold: Series[float] = pa.Field(nullable=True)
    level_max: Series[float]  # a milestone's last step in this round
    note_given: Series[bool]  # the note says something (a reason), not blank or `-`

    @pa.dataframe_check(name="kpi_extra", ignore_na=False)
    def _in_agreement(cls, df: pd.DataFrame) -> pd.Series:
        return ~df["checked"] | df["in_agreement"]

    @pa.dataframe_check(name="kpi_duplicate", ignore_na=False)
    def _unique(cls, df: pd.DataFrame) -> pd.Series:
        return ~df["duplicate"]

    @pa.check(
        r"^(value|numerator|denominator|level)_kind$",
        regex=True,
        name="cell_excel_error",
        ignore_na=False,
    )
    def _no_error(cls, s: pd.Series) -> pd.Series:
        return s != _ERROR

    @pa.check(
        r"^(value|numerator|denominator|level)_kind$",
        regex=True,
        name="cell_not_number",
        ignore_na=False,
    )
    def _number(cls, s: pd.Series) -> pd.Series:
        return s != _TEXT

    @pa.dataframe_check(name="value_out_of_range", ignore_na=False)
    def _value_range(cls, df: pd.DataFrame) -> pd.Series:
        v = df["value"]
        high = df["pct"] & ~df["allows_more"] & (v > 100)
        return ~_used(df, "value") | v.isna() | ((v >= 0) & ~high)

    @pa.dataframe_check(name="value_looks_fraction", ignore_na=False)
    def _value_fraction(cls, df: pd.DataFrame) -> pd.Series:
        v = df["value"]
        odd = df["pct"] & (v > 0) & (v <= 1) & (df["min_threshold"] > 1)
        return ~_used(df, "value") | ~odd.fillna(False)

    @pa.dataframe_check(name="level_out_of_range", ignore_na=False)
    def _level_range(cls, df: pd.DataFrame) -> pd.Series:
        return ~_used(df, "level") | ~(df["level"] < 0)

    @pa.dataframe_check(name="level_above_last_step", ignore_na=False)
    def _level_last_step(cls, df: pd.DataFrame) -> pd.Series:
        # level_max: the last step the round defines; beyond it the KPI would silently
        # score the top point (DOMAIN §5)
        return ~_used(df, "level") | ~(df["level"] > df["level_max"])

    @pa.dataframe_check(name="numerator_negative", ignore_na=False)
    def _numerator(cls, df: pd.DataFrame) -> pd.Series:
        return ~_used(df, "numerator") | ~(df["numerator"] < 0)

    @pa.dataframe_check(name="denominator_not_positive", ignore_na=False)
    def _denominator(cls, df: pd.DataFrame) -> pd.Series:
        return ~_used(df, "denominator") | ~(df["denominator"] <= 0)

    @pa.dataframe_check(name="numerator_exceeds_denominator", ignore_na=False)
    def _ratio(cls, df: pd.DataFrame) -> pd.Series:
        over = (df["numerator"] > df["denominator"]) & (df["denominator"] > 0)
        return ~_used(df, "numerator") | df["allows_more"] | ~over

    @pa.dataframe_check(name="ratio_incomplete", ignore_na=False)
    def _ratio_complete(cls, df: pd.DataFrame) -> pd.Series:
        num, den = df["numerator_kind"] == _EMPTY, df["denominator_kind"] == _EMPTY
        return ~_used(df, "numerator") | (num == den) | _any_input(df, _NA)

    @pa.dataframe_check(name="result_empty", ignore_na=False)
    def _result_given(cls, df: pd.DataFrame) -> pd.Series:
        empty = pd.Series(True, index=df.index)
        any_used = pd.Series(False, index=df.index)
        for key in ("value", "numerator", "denominator", "level"):
            used = _used(df, key)
            any_used |= used
            empty &= ~used | (df[f"{key}_kind"] == _EMPTY)
        return ~df["in_agreement"] | df["duplicate"] | ~any_used | ~empty

    # N/A is not empty (DOMAIN §5): with a reason it waits for a person's decision; without
    # one, or beside a number, the unit is asked to fix it.
    @pa.dataframe_check(name="result_not_applicable_mixed", ignore_na=False)
    def _na_alone(cls, df: pd.DataFrame) -> pd.Series:
        skip = ~df["in_agreement"] | df["duplicate"]
        return skip | ~(_any_input(df, _NA) & _any_input(df, _NUMBER))

    @pa.dataframe_check(name="result_not_applicable_no_reason", ignore_na=False)
    def _na_reason(cls, df: pd.DataFrame) -> pd.Series:
        skip = ~df["in_agreement"] | df["duplicate"]
        return skip | ~not_applicable_rows(df) | df["note_given"]

    @pa.dataframe_check(name="result_not_applicable", ignore_na=False)
    def _na_flag(cls, df: pd.DataFrame) -> pd.Series:
        skip = ~df["in_agreement"] | df["duplicate"] | ~df["note_given"]
        return skip | ~not_applicable_rows(df)

    @pa.dataframe_check(name="weight_changed", ignore_na=False)
    def _weight(cls, df: pd.DataFrame) -> pd.Series:
        same = np.isclose(df["weight"], df["expected_weight"], rtol=0, atol=1e-9)
        skip = ~df["in_agreement"] | df["duplicate"] | (df["weight_kind"] == _UNUSED)
        return skip | pd.Series(same, df.index)

    @pa.dataframe_check(name="criteria_changed", ignore_na=False)
    def _criteria(cls, df: pd.DataFrame) -> pd.Series:
        return ~df["in_agreement"] | df["duplicate"] | df["criteria_same"]

    class Config:
        strict = False
