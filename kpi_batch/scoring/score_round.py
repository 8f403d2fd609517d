"""`score_round`: one round's results -> KPI scores, unit scores, ranks and bands. Pure.

The stages, each a module: `adjust` (reviews, appeals) -> `score` (KPI scores, unit totals,
subtotals) -> `deductions` (late items) -> `rank` (ranks, bands). The frames and their
columns are in `schemas/scoring.py`.

Two runs of the same stages make the two published scores (DOMAIN §3.7):
- pre_appeal_score = (total with review adjustments) - (deductions with review
  adjustments), floored at 0 and rounded: the score published before appeals, so it already
  carries the late-submission deductions a unit would appeal against;
- final_score = the same with review and appeal adjustments. Ranks and bands use it.
When there is no appeal row the final run is the pre-appeal run.

Only units with an accepted submission are scored; the others are in `unit_scores` with
status missing / rejected and empty scores, and have no KPI rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

import pandas as pd
from pandera.typing import DataFrame

from kpi_batch.errors import UsageError
from kpi_batch.issues import Issue
from kpi_batch.model import Framework
from kpi_batch.schemas.adjustments import Adjustments
from kpi_batch.schemas.scoring import (
    DATE_TO_CONFIRM,
    HR_COLUMNS,
    AppliedAdjustments,
    BandLimits,
    KpiScores,
    LateItems,
    MissingKpis,
    Results,
    Submissions,
    Subtotals,
    UnitScores,
)
from kpi_batch.scoring.adjust import Adjusted, apply_adjustments
from kpi_batch.scoring.codes import DATE_NOT_CONFIRMED, SUBMISSION_UNKNOWN_UNIT
from kpi_batch.scoring.deductions import deduct, late_items, unit_deductions
from kpi_batch.scoring.rank import assign_bands, band_limits, order_units, rank_units
from kpi_batch.scoring.rounding import pad, to_units
from kpi_batch.scoring.score import AgreementSpecs, build_plan, score_kpis, subtotals, unit_totals
from kpi_batch.specs.adjustments import STAGES

KPI_COLUMNS = [
    "unit_id",
    "kpi_id",
    "value",
    "score",
    "weight",
    "weighted_score",
    "status",
    "pre_appeal_score",
    "kpi_name",
    "parent_id",
    "component",
    "kpi_type",
    "direction",
    "formula",
    "method",
    "rule",
    "lower_threshold",
    "lower_point",
    "upper_threshold",
    "upper_point",
    "explanation",
]


@dataclass(frozen=True)
class ScoredRound:
    round_id: str
    kpi_scores: DataFrame[KpiScores]
    unit_scores: DataFrame[UnitScores]  # ranked units first, in rank order
    subtotals: DataFrame[Subtotals]
    adjustments: DataFrame[AppliedAdjustments]  # every applied row, both stages
    missing: DataFrame[MissingKpis]
    late_items: DataFrame[LateItems]  # final run
    band_limits: DataFrame[BandLimits]
    issues: tuple[Issue, ...]


@dataclass(frozen=True)
class _Stage:
    adjusted: Adjusted
    kpis: pd.DataFrame
    totals: pd.DataFrame
    items: pd.DataFrame
    deductions: pd.DataFrame
    issues: list[Issue]


def _run(
    framework: Framework,
    round_id: str,
    plan: AgreementSpecs,
    results: pd.DataFrame,
    submissions: pd.DataFrame,
    adjustments: DataFrame[Adjustments] | None,
    stages: Sequence[str],
) -> _Stage:
    adjusted = apply_adjustments(framework, results, submissions, adjustments, stages)
    kpis, issues = score_kpis(framework, plan, adjusted.results)
    totals, kpis = unit_totals(framework, plan, kpis)
    items = late_items(framework, round_id, adjusted.submissions, adjusted.late_extra)
    return _Stage(adjusted, kpis, totals, items, unit_deductions(items), issues)


def _dates_to_confirm(submissions: pd.DataFrame) -> list[Issue]:
    """`date_to_confirm` for each accepted unit still without a date that may charge
    lateness after the adjustments (the file's modification date never does)."""
    undated = submissions[
        (submissions["status"] == "accepted") & submissions["submitted_on"].isna()
    ]
    return [
        DATE_NOT_CONFIRMED.issue(unit_id=str(u), file=str(f or ""))
        for u, f in sorted(zip(undated["unit_id"], undated["file"], strict=True))
    ]


def _unit_scores(
    framework: Framework, submissions: pd.DataFrame, pre: _Stage, final: _Stage
) -> pd.DataFrame:
    settings = framework.settings
    d, mode = settings.decimals, settings.rounding
    status_of = dict(zip(submissions["unit_id"], submissions["status"], strict=True))

    def by_unit(frame: pd.DataFrame, col: str) -> dict[str, object]:
        return dict(zip(frame["unit_id"], frame[col], strict=True))

    pre_total, fin_total = by_unit(pre.totals, "total"), by_unit(final.totals, "total")
    pre_ded, fin_ded = by_unit(pre.deductions, "deduction"), by_unit(final.deductions, "deduction")
    late = by_unit(final.deductions, "days_late")
    received = by_unit(final.adjusted.submissions, "submitted_on")
    source = by_unit(final.adjusted.submissions, "date_source")
    counts = final.totals.set_index("unit_id")[["n_kpis", "n_missing", "n_exempt"]]
    rows = []
    for unit in framework.units:
        u = unit.unit_id
        accepted = status_of.get(u) == "accepted"
        pt, ft = pre_total.get(u), fin_total.get(u)
        pd_ = pad(pre_ded.get(u, Decimal(0)), d)  # type: ignore[arg-type]
        fd = pad(fin_ded.get(u, Decimal(0)), d)  # type: ignore[arg-type]
        pre_score = deduct(pt, pd_, d, mode) if accepted and pt is not None else None  # type: ignore[arg-type]
        fin_score = deduct(ft, fd, d, mode) if accepted and ft is not None else None  # type: ignore[arg-type]
        rows.append(
            {
                "unit_id": u,
                "unit_name": unit.name,
                "cluster_id": unit.cluster_id,
                "pre_appeal_score": pre_score,
                "deduction": fd if accepted else None,
                "final_score": fin_score,
                "days_late": late.get(u) if accepted else None,
                "status": "scored" if accepted else status_of.get(u, "missing"),
                "total_before_deduction": ft if accepted else None,
                "received_on": _day(received.get(u)) if accepted else None,
                "date_source": _source(_day(received.get(u)), source.get(u)) if accepted else None,
                "pre_appeal_total": pt if accepted else None,
                "pre_appeal_deduction": pd_ if accepted else None,
                "final_total": ft if accepted else None,
                "final_units": None if fin_score is None else to_units(fin_score, d),
            }
        )
    out = pd.DataFrame(rows)
    for col in ("days_late", "final_units"):
        out[col] = out[col].astype("Int64")
    out = out.merge(counts, left_on="unit_id", right_index=True, how="left")
    for col in ("n_kpis", "n_missing", "n_exempt"):
        out[col] = out[col].astype("Int64")
    return out


def _day(value: object) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _source(received: dt.date | None, source: object) -> str | None:
    if received is None:
        return DATE_TO_CONFIRM
    return str(source) if isinstance(source, str) and source else None


def score_round(
    framework: Framework,
    round_id: str,
    results: pd.DataFrame,
    submissions: pd.DataFrame,
    adjustments: DataFrame[Adjustments] | None = None,
) -> ScoredRound:
    """Score, deduct, rank and band one round (see the module docstring).

    `adjustments` is the frame `adjustments.load_adjustments` returns for this framework:
    the rows it accepted, already judged and typed."""
    try:
        framework.round(round_id)
    except KeyError as exc:
        raise UsageError(f"unknown round {round_id!r}") from exc
    results = Results.validate(results)
    submissions = Submissions.validate(submissions)
    if adjustments is not None:
        adjustments = Adjustments.validate(adjustments)
    issues: list[Issue] = []
    known = {u.unit_id for u in framework.units}
    for u in sorted(set(submissions["unit_id"]) - known):
        issues.append(SUBMISSION_UNKNOWN_UNIT.issue(unit_id=u))
    accepted = set(submissions.loc[submissions["status"] == "accepted", "unit_id"])
    plan = build_plan(framework, round_id)
    plan = replace(
        plan, frame=plan.frame[plan.frame["unit_id"].isin(accepted)].reset_index(drop=True)
    )
    results = results[results["unit_id"].isin(accepted)]
    pre = _run(framework, round_id, plan, results, submissions, adjustments, ("review",))
    has_appeal = adjustments is not None and bool((adjustments["stage"] == "appeal").any())
    final = (
        _run(framework, round_id, plan, results, submissions, adjustments, STAGES)
        if has_appeal
        else pre
    )
    issues += pre.issues + final.issues + list(pre.adjusted.issues + final.adjusted.issues)
    issues += _dates_to_confirm(final.adjusted.submissions)

    kpis = final.kpis.assign(pre_appeal_score=pre.kpis["score"].to_numpy())
    units = _unit_scores(framework, submissions, pre, final)
    scores = units["final_score"].tolist()
    settings = framework.settings
    bands = assign_bands(scores, framework.bands, settings.band_method)
    units["band"] = [None if b is None else b.band_id for b in bands]
    units["band_name"] = [None if b is None else b.name for b in bands]
    units = order_units(rank_units(units))
    units = units[[*HR_COLUMNS, *(c for c in units.columns if c not in HR_COLUMNS)]]
    units = units.drop(columns="final_units")
    missing = kpis.loc[kpis["status"] == "missing", ["unit_id", "kpi_id", "kpi_name", "weight"]]
    applied = pd.concat(
        [pre.adjusted.applied, final.adjusted.applied[final.adjusted.applied["stage"] == "appeal"]]
        if has_appeal
        else [pre.adjusted.applied],
        ignore_index=True,
    )
    return ScoredRound(
        round_id=round_id,
        kpi_scores=KpiScores.validate(kpis[KPI_COLUMNS].reset_index(drop=True)),
        unit_scores=UnitScores.validate(units),
        subtotals=Subtotals.validate(subtotals(framework, plan, final.kpis)),
        adjustments=AppliedAdjustments.validate(applied),
        missing=MissingKpis.validate(missing.reset_index(drop=True)),
        late_items=LateItems.validate(final.items),
        band_limits=BandLimits.validate(
            band_limits(
                scores, framework.bands, settings.band_method, settings.decimals, settings.rounding
            )
        ),
        issues=tuple(dict.fromkeys(issues)),
    )
