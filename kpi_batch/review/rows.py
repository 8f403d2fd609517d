"""What an owner's review workbook shows: one row per unit and KPI the owner answers for.

Pure: the run's `kpi_results.csv` rows (text, as written) and the framework in; rows out.
Stage `review` holds every unit with an accepted submission on each of the owner's KPIs;
stage `appeal` only the (unit, KPI) pairs under appeal, each with the unit's argument.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kpi_batch.model import Formula, Framework, Kpi, KpiType


@dataclass(frozen=True)
class ReviewRow:
    unit_id: str
    unit_name: str
    kpi: Kpi
    reported: Mapping[str, str]  # value, numerator, denominator, level, note (as text)
    score: str
    explanation: str
    days_late: str
    argument: str = ""  # the unit's appeal, stage appeal only
    status: str = ""  # kpi_results.csv's status; `not_applicable`: N/A, a decision awaited

    @property
    def awaits_decision(self) -> bool:
        """The unit marked the KPI N/A with a reason: the owner is asked to decide."""
        return self.status == "not_applicable"

    @property
    def inputs(self) -> tuple[str, ...]:
        """The owner's input columns that apply to this KPI (the others stay locked)."""
        return owner_inputs(self.kpi)


def owner_inputs(kpi: Kpi) -> tuple[str, ...]:
    """Which corrections make sense for a KPI (as the adjustments reader judges fields)."""
    if kpi.kpi_type is KpiType.MILESTONE:
        result: tuple[str, ...] = ("new_level",)
    elif kpi.formula is Formula.RATIO:
        result = ("new_numerator", "new_denominator")
    else:
        result = ("new_value",)
    return (*result, "new_score", "exempt", "reason", "reference")


Appeals = Mapping[tuple[str, str], str]  # (unit_id, kpi_id) -> the unit's argument


def review_rows(
    framework: Framework,
    owner_id: str,
    results: Sequence[Mapping[str, str]],
    appeals: Appeals | None = None,
) -> list[ReviewRow]:
    """The owner's rows, in framework order (units, then each agreement's KPI order).

    `results`: kpi_results.csv rows. With `appeals` (stage appeal), only those pairs."""
    by_key = {(r["unit_id"], r["kpi_id"]): r for r in results}
    rows = []
    for unit_id, kpi_id in framework.owned_by(owner_id):
        found = by_key.get((unit_id, kpi_id))
        if found is None:  # the unit has no accepted submission in this run
            continue
        if appeals is not None and (unit_id, kpi_id) not in appeals:
            continue
        rows.append(
            ReviewRow(
                unit_id=unit_id,
                unit_name=found["unit_name"],
                kpi=framework.kpis[unit_id][kpi_id],
                reported={
                    k: found[k] for k in ("value", "numerator", "denominator", "level", "note")
                },
                score=found["score"],
                explanation=found["explanation"],
                days_late=found["days_late"],
                argument="" if appeals is None else appeals[(unit_id, kpi_id)],
                status=found.get("status", ""),
            )
        )
    return rows
