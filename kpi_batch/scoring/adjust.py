"""Reviews and appeals applied to a round's results (DOMAIN §6, §3.7). Pure.

Adjustment rows are judged in one place, the reader (`adjustments.load_adjustments`, rules
in docs/adjustments.md). What comes here is its `schemas.adjustments.Adjustments` frame:
every row already checked against the framework, with `new_value` parsed into `new_number`
(Decimal) or `new_date` (date). This module applies the rows and judges only what the reader
cannot know: whether the unit has an accepted submission this round. An adjustment for a
unit that sent nothing, or whose file was rejected, has no result to change; it is reported
as a warning at its row (`adjustments!7:7`) and does not appear in `applied`.

Review rows apply first, then appeal rows, each stage in sheet order. The pre-appeal score is
the run with stages=("review",); the final score the run with ("review", "appeal"), both from
the same inputs. An appeal row replaces the review row for the same thing (the reader allows
one row per unit, KPI, stage and field).

Fields: value, numerator, denominator, level replace the reported number; score sets the KPI
score directly; exempt 1 drops the KPI (0 takes it back); submitted_on replaces the
received date whatever its source (`date_source` becomes `adjustment`); late_days (kpi_id
`*`) is one extra late item of that many days.

Working results frame (input of `score.score_kpis`): unit_id, kpi_id, value, numerator,
denominator, level (float64), not_applicable (bool: the unit marked the KPI N/A with a
reason; an exempt, a score or a result set here is the decision it waits for), exempt
(bool), score_set (Decimal or None), note (Thai text of what was changed, for the
explanation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pandera.typing import DataFrame

from kpi_batch.issues import Issue
from kpi_batch.model import Framework
from kpi_batch.schemas.adjustments import Adjustments
from kpi_batch.scoring.codes import ADJUSTMENT_UNIT_NOT_SCORED
from kpi_batch.scoring.rounding import as_decimal
from kpi_batch.scoring.score import KEY, NOT_APPLICABLE, RESULT_FIELDS
from kpi_batch.specs.adjustments import SHEET, STAGES, UNIT_FIELDS

STAGE_TH = {"review": "ทบทวน", "appeal": "อุทธรณ์"}
APPLIED_COLUMNS = [
    "stage",
    "unit_id",
    "kpi_id",
    "field",
    "old_value",
    "new_value",
    "reason",
    "reference",
    "row",
]
_SET = {"score": "score_set"}  # adjustment field -> working-frame column, where they differ


@dataclass(frozen=True)
class Adjusted:
    results: pd.DataFrame  # the working results frame (module docstring)
    submissions: pd.DataFrame  # unit_id, status, submitted_on, date_source, file (dates replaced)
    late_extra: pd.DataFrame  # unit_id, days, stage, reason, reference
    applied: pd.DataFrame  # APPLIED_COLUMNS, in the order applied
    issues: tuple[Issue, ...]


def _show(x: object) -> str:
    """An old value for the audit trail and the explanation, as the reader writes new ones."""
    if x is None or x is pd.NaT or (isinstance(x, float) and np.isnan(x)):
        return ""
    if isinstance(x, bool | np.bool_):
        return "1" if x else "0"
    if isinstance(x, float):
        return str(as_decimal(x))
    if isinstance(x, dt.datetime):
        return x.date().isoformat()
    if isinstance(x, dt.date):
        return x.isoformat()
    return str(x)


def _in_order(adjustments: pd.DataFrame | None, stages: Sequence[str]) -> list[Any]:
    """The rows of `stages` as named tuples: reviews, then appeals, each in sheet order."""
    if adjustments is None or adjustments.empty:
        return []
    rows = list(adjustments[adjustments["stage"].isin(list(stages))].itertuples(index=False))
    return sorted(rows, key=lambda r: STAGES.index(r.stage))


def _not_scored(r: Any) -> Issue:
    row = int(r.excel_row)
    return ADJUSTMENT_UNIT_NOT_SCORED.issue(
        sheet=SHEET,
        cell=f"{row}:{row}",
        value=str(r.new_value),
        unit_id=str(r.unit_id),
        kpi_id=str(r.kpi_id),
        field=r.field,
        row=row,
    )


def apply_adjustments(
    framework: Framework,
    results: pd.DataFrame,
    submissions: pd.DataFrame,
    adjustments: DataFrame[Adjustments] | None,
    stages: Sequence[str] = STAGES,
) -> Adjusted:
    """Apply the adjustments of `stages` (see the module docstring). Inputs are not changed.

    `adjustments` must have been read against this `framework`; a row for a KPI outside
    the unit's agreement is a programming error (ValueError), not an input problem."""
    work = results.reindex(columns=[*KEY, *RESULT_FIELDS, NOT_APPLICABLE]).reset_index(drop=True)
    for f in RESULT_FIELDS:
        work[f] = work[f].astype("float64")
    subs = submissions.reindex(columns=["unit_id", "status", "submitted_on", "date_source", "file"])
    subs = subs.reset_index(drop=True)
    subs["submitted_on"] = subs["submitted_on"].astype(object)
    for col in ("date_source", "file"):  # absent (all NaN) when the caller has no such column
        subs[col] = subs[col].astype(object).where(subs[col].notna(), "")
    accepted = set(subs.loc[subs["status"] == "accepted", "unit_id"])
    rows = _in_order(adjustments, stages)
    issues = [_not_scored(r) for r in rows if r.unit_id not in accepted]
    rows = [r for r in rows if r.unit_id in accepted]

    signed = {u: {a.kpi.kpi_id for a in items} for u, items in framework.agreements.items()}
    kpi_rows = [r for r in rows if r.field not in UNIT_FIELDS]
    for r in kpi_rows:
        if r.kpi_id not in signed.get(r.unit_id, ()):
            raise ValueError(
                f"adjustments row {r.excel_row}: {r.kpi_id!r} is not in the agreement of"
                f" {r.unit_id!r}; read adjustments with load_adjustments against this framework"
            )
    # A KPI the unit sent no row for starts from an empty (missing) result.
    have = set(zip(work["unit_id"], work["kpi_id"], strict=True))
    new_keys = [k for k in dict.fromkeys((r.unit_id, r.kpi_id) for r in kpi_rows) if k not in have]
    if new_keys:
        work = pd.concat([work, pd.DataFrame(new_keys, columns=KEY)], ignore_index=True)
    work[NOT_APPLICABLE] = work[NOT_APPLICABLE].astype("boolean").fillna(False).astype(bool)
    work["exempt"] = False
    work["score_set"] = pd.Series([None] * len(work), dtype=object)
    work["note"] = ""
    position = {k: i for i, k in enumerate(zip(work["unit_id"], work["kpi_id"], strict=True))}
    sub_pos = {u: i for i, u in enumerate(subs["unit_id"])}

    extra: dict[str, tuple[str, int, str, str, str]] = {}  # unit -> its late item
    applied: list[tuple[object, ...]] = []
    for r in rows:
        old: object
        if r.field == "late_days":
            old = extra[r.unit_id][1] if r.unit_id in extra else None
            extra[r.unit_id] = (r.unit_id, int(r.new_number), r.stage, r.reason, r.reference)
        elif r.field == "submitted_on":
            i = sub_pos[r.unit_id]
            old = subs.at[i, "submitted_on"]
            subs.at[i, "submitted_on"] = r.new_date
            subs.at[i, "date_source"] = "adjustment"  # overrides every other source
        else:
            i = position[(r.unit_id, r.kpi_id)]
            col = _SET.get(r.field, r.field)
            old = work.at[i, col]
            if r.field == "exempt":
                work.at[i, col] = r.new_number == 1
            elif r.field == "score":
                work.at[i, col] = r.new_number  # Decimal, rounded by score_kpis
            else:
                work.at[i, col] = float(r.new_number)  # results are float64
            change = f"{r.field} {_show(old) or '-'} → {r.new_value}"
            note = f"{STAGE_TH[r.stage]}: {change} ({r.reason})"
            prev = str(work.at[i, "note"])
            work.at[i, "note"] = f"{prev}; {note}" if prev else note
        applied.append(
            (
                r.stage,
                r.unit_id,
                r.kpi_id,
                r.field,
                _show(old),
                r.new_value,
                r.reason,
                r.reference,
                int(r.excel_row),
            )
        )
    late = pd.DataFrame(
        list(extra.values()), columns=["unit_id", "days", "stage", "reason", "reference"]
    )
    return Adjusted(
        results=work,
        submissions=subs,
        late_extra=late,
        applied=pd.DataFrame(applied, columns=APPLIED_COLUMNS),
        issues=tuple(issues),
    )
