"""Summary figures of a run for the executive workbook. Pure: frames in, values out.

Every figure an executive reads to 4 decimals is computed exactly (`Fraction`) and rounded
once with the framework's rounding, so a planning officer's calculator agrees with it:
the mean of 3.0000 and 3.0001 is 3.0001 (half_up), not 3.00005 printed by a float.

- Only scored units count in the score figures; missing and rejected units are counted
  but have no score, so they never pull a mean down to 0.
- On time = scored with no days late (a submission without a date had no deduction and
  counts as on time); late = scored with days late > 0.
- The share at target is the share of scored units whose final score is at least the
  target point (the scale's middle point: 3 on 1..5, 75 on 50/75/100; ระดับ 3 is the
  target level of a Thai KPI), as a fraction rounded to `decimals` places (0.6667).
- Trends: one point per run, earlier runs from the history store then this run, ordered
  by as-of date then run id; the mean over the units scored in that run, overall and per
  cluster (units grouped by their cluster in this framework).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from kpi_batch.model import Cluster, Rounding
from kpi_batch.scoring.rounding import as_decimal, round_number

ALL = ""  # the cluster key of the whole organisation in `run_means`


@dataclass(frozen=True)
class ScoreStats:
    n: int
    mean: Decimal | None
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None


@dataclass(frozen=True)
class Summary:
    units: int
    scored: int
    on_time: int
    late: int
    missing: int
    rejected: int
    scores: ScoreStats
    target: Decimal
    at_target: int  # scored units with final score >= target
    share_at_target: Decimal | None  # at_target / scored, a fraction; None when none scored


def score_stats(scores: Iterable[Decimal], decimals: int, rounding: Rounding) -> ScoreStats:
    """n, mean, median (mean of the middle two for an even count), min and max."""
    values = sorted(scores)
    n = len(values)
    if not n:
        return ScoreStats(0, None, None, None, None)
    mean = sum(map(Fraction, values), Fraction(0)) / n
    mid = n // 2
    middle = values[mid : mid + 1] if n % 2 else values[mid - 1 : mid + 1]
    median = sum(map(Fraction, middle), Fraction(0)) / len(middle)
    return ScoreStats(
        n,
        round_number(mean, decimals, rounding),
        round_number(median, decimals, rounding),
        values[0],
        values[-1],
    )


def target_point(scale: Sequence[Decimal]) -> Decimal:
    """The middle point of the scale: 3 on 1..5, 75 on 50/75/100."""
    return scale[(len(scale) - 1) // 2]


def summarise(
    unit_scores: pd.DataFrame, target: Decimal, decimals: int, rounding: Rounding
) -> Summary:
    status = unit_scores["status"]
    scored = unit_scores[status == "scored"]
    late = scored["days_late"].fillna(0).astype(int) > 0
    finals = [s for s in scored["final_score"] if s is not None]
    at_target = sum(1 for s in finals if s >= target)
    share = round_number(Fraction(at_target, len(finals)), decimals, rounding) if finals else None
    return Summary(
        units=len(unit_scores),
        scored=len(scored),
        on_time=int((~late).sum()),
        late=int(late.sum()),
        missing=int((status == "missing").sum()),
        rejected=int((status == "rejected").sum()),
        scores=score_stats(finals, decimals, rounding),
        target=target,
        at_target=at_target,
        share_at_target=share,
    )


def cluster_summary(
    unit_scores: pd.DataFrame, clusters: Sequence[Cluster], decimals: int, rounding: Rounding
) -> pd.DataFrame:
    """One row per cluster in framework order: units, scored, mean, median, min, max."""
    rows = []
    for cluster in clusters:
        mine = unit_scores[unit_scores["cluster_id"] == cluster.cluster_id]
        finals = [s for s, st in zip(mine["final_score"], mine["status"], strict=True)
                  if st == "scored" and s is not None]  # fmt: skip
        st = score_stats(finals, decimals, rounding)
        rows.append(
            {
                "cluster_id": cluster.cluster_id,
                "name": cluster.name,
                "units": len(mine),
                "scored": st.n,
                "mean": st.mean,
                "median": st.median,
                "minimum": st.minimum,
                "maximum": st.maximum,
            }
        )
    columns = ["cluster_id", "name", "units", "scored", "mean", "median", "minimum", "maximum"]
    return pd.DataFrame(rows, columns=columns)


def score_changes(unit_scores: pd.DataFrame) -> pd.DataFrame:
    """Scored units whose final score differs from the pre-appeal score, in rank order."""
    rows = []
    for rec in unit_scores.to_dict("records"):
        pre, final = rec["pre_appeal_score"], rec["final_score"]
        if rec["status"] == "scored" and pre is not None and final is not None and pre != final:
            rows.append(
                {
                    "unit_id": rec["unit_id"],
                    "unit_name": rec["unit_name"],
                    "cluster_id": rec["cluster_id"],
                    "pre_appeal_score": pre,
                    "final_score": final,
                    "change": final - pre,  # exact: both have `decimals` places
                    "rank": rec["rank"],
                }
            )
    columns = ["unit_id", "unit_name", "cluster_id", "pre_appeal_score", "final_score"]
    return pd.DataFrame(rows, columns=[*columns, "change", "rank"])


@dataclass(frozen=True)
class Run:
    run_id: str
    as_of: dt.date
    round_id: str


def trend_scores(
    history: pd.DataFrame, current: pd.DataFrame, run: Run
) -> tuple[list[Run], dict[str, dict[str, Decimal | None]]]:
    """Runs in order and {unit_id: {run_id: final score}}: history first, then this run.

    Rows of `history` for this run's id are replaced by `current` (the run being written
    wins over a copy of itself already stored).
    """
    past = history[history["run_id"].astype(str) != run.run_id]
    runs: dict[str, Run] = {}
    for rec in past[["run_id", "as_of", "round_id"]].drop_duplicates("run_id").to_dict("records"):
        runs[str(rec["run_id"])] = Run(
            str(rec["run_id"]), _date(rec["as_of"]), str(rec["round_id"])
        )
    ordered = sorted(runs.values(), key=lambda r: (r.as_of, r.run_id))
    ordered.append(run)
    scores: dict[str, dict[str, Decimal | None]] = {}
    for u in current["unit_id"]:
        scores[str(u)] = {}
    for u, r, s in zip(past["unit_id"], past["run_id"], past["final_score"], strict=True):
        scores.setdefault(str(u), {})[str(r)] = as_decimal(s)
    for u, s in zip(current["unit_id"], current["final_score"], strict=True):
        scores[str(u)][run.run_id] = s
    return ordered, scores


def run_means(
    runs: Sequence[Run],
    scores: Mapping[str, Mapping[str, Decimal | None]],
    cluster_of: Mapping[str, str],
    clusters: Sequence[str],
    decimals: int,
    rounding: Rounding,
) -> pd.DataFrame:
    """One row per run: run_id, as_of, round_id, then the mean for ALL and each cluster."""
    rows = []
    for run in runs:
        row: dict[str, object] = {
            "run_id": run.run_id,
            "as_of": run.as_of,
            "round_id": run.round_id,
        }
        for key in (ALL, *clusters):
            values = [
                per[run.run_id]
                for unit, per in scores.items()
                if per.get(run.run_id) is not None and (key == ALL or cluster_of.get(unit) == key)
            ]
            row[key] = score_stats(values, decimals, rounding).mean  # type: ignore[arg-type]
        rows.append(row)
    return pd.DataFrame(rows, columns=["run_id", "as_of", "round_id", ALL, *clusters])


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def band_counts(
    unit_scores: pd.DataFrame, band_ids: Sequence[str], decimals: int, rounding: Rounding
) -> list[tuple[str | None, int, Decimal | None]]:
    """(band_id, units, share of scored units) from the top band down; None = no band."""
    scored = unit_scores[unit_scores["status"] == "scored"]
    bands = [None if is_na(b) else str(b) for b in scored["band"]]
    rows: list[tuple[str | None, int, Decimal | None]] = []
    for band in [*band_ids, None]:
        n = sum(1 for b in bands if b == band)
        if band is None and not n:
            continue
        share = round_number(Fraction(n, len(bands)), decimals, rounding) if bands else None
        rows.append((band, n, share))
    return rows


def is_na(value: object) -> bool:
    return value is None or bool(pd.isna(value))  # type: ignore[call-overload]
