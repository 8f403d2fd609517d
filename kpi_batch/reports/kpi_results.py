"""`kpi_results.csv`: what each unit reported for each KPI, and what the run made of it.

One row per unit with an accepted submission and KPI of its agreement, for the tools that
work on a finished run without re-reading the inbox (the KPI owners' review workbooks,
`kpi-batch review-sheets`). The numbers a unit typed are written as typed (the decimal of
the float's shortest repr), never rounded; scores with `decimals` places, as in
kpi_scores.csv. Same CSV rules as scores.csv (reports/csv.py): UTF-8 with BOM, CRLF, text
that starts like a formula gets a leading `'`.

Columns: unit_id, unit_name, kpi_id, kpi_name, value, numerator, denominator, level, note
(reported), score, pre_appeal_score, status (scored/missing/not_applicable/exempt/set), explanation,
days_late and submitted_on (the unit's submission).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from kpi_batch.reports.csv import write_rows
from kpi_batch.run_layout import RunLayout
from kpi_batch.run_record import RunRecord
from kpi_batch.scoring.rounding import as_decimal

KPI_RESULTS_NAME = RunLayout.KPI_RESULTS  # when given a folder
REPORTED = ("value", "numerator", "denominator", "level")
KPI_RESULTS_COLUMNS = (
    "unit_id",
    "unit_name",
    "kpi_id",
    "kpi_name",
    *REPORTED,
    "note",
    "score",
    "pre_appeal_score",
    "status",
    "explanation",
    "days_late",
    "submitted_on",
)


def kpi_result_rows(
    ctx: RunRecord, results: pd.DataFrame, submissions: pd.DataFrame
) -> Iterator[tuple[Any, ...]]:
    """Rows in kpi_scores order; `results` and `submissions` are intake's frames."""
    # intake's frames, possibly empty without columns (no file at all)
    results = results.reindex(columns=["unit_id", "kpi_id", *REPORTED, "note"])
    submissions = submissions.reindex(columns=["unit_id", "submitted_on"])
    reported = {(str(r["unit_id"]), str(r["kpi_id"])): r for r in results.to_dict("records")}
    dates = {
        str(u): d for u, d in zip(submissions["unit_id"], submissions["submitted_on"], strict=True)
    }
    late_days: dict[str, Any] = dict(
        zip(ctx.scored.unit_scores["unit_id"], ctx.scored.unit_scores["days_late"], strict=True)
    )
    for k in ctx.scored.kpi_scores.to_dict("records"):
        unit_id, kpi_id = str(k["unit_id"]), str(k["kpi_id"])
        sent = reported.get((unit_id, kpi_id), {})
        day = dates.get(unit_id)
        late = late_days.get(unit_id)
        yield (
            unit_id,
            ctx.unit_name(unit_id),
            kpi_id,
            k["kpi_name"],
            *(as_decimal(sent.get(f)) for f in REPORTED),
            str(sent.get("note") or ""),
            k["score"],
            k["pre_appeal_score"],
            k["status"],
            k["explanation"],
            None if late is None or pd.isna(late) else int(late),
            None if day is None or pd.isna(day) else pd.Timestamp(day).date().isoformat(),
        )


def write_kpi_results_csv(
    ctx: RunRecord, results: pd.DataFrame, submissions: pd.DataFrame, path: Path
) -> Path:
    target = path / KPI_RESULTS_NAME if path.is_dir() else path
    rows = kpi_result_rows(ctx, results, submissions)
    return write_rows(target, KPI_RESULTS_COLUMNS, rows, ctx.framework.settings.decimals)
