"""Time `write_executive_workbook` for a large synthetic run (scored in memory first).

    .venv/bin/python -m benchmarks.bench_executive [--units 2000] [--kpis 15] [--runs 3]
        [--keep DIR]

The framework is `tests/template_factories.synthetic_framework` (four clusters); results are random
with a fixed seed; 3 % of units send nothing, 1 % only a rejected file, one in ten is late,
and `--runs` earlier monthly runs make the trend sheet. Prints the time to score (for
scale) and to write the workbook, and the workbook's size. `--keep` leaves it in DIR.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from kpi_batch.model import Formula, Framework, KpiType
from kpi_batch.reports.executive import write_executive_workbook
from kpi_batch.run_record import RunRecord
from kpi_batch.scoring.score_round import score_round
from tests.template_factories import synthetic_framework

ROUND_ID = "R2"


def synthetic_inputs(fw: Framework, seed: int = 11) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = random.Random(seed)
    due = fw.round(ROUND_ID).due_date
    results: list[dict[str, object]] = []
    submissions: list[tuple[str, str, dt.date | None]] = []
    for unit in fw.units:
        draw = rng.random()
        if draw < 0.03:
            continue  # missing
        if draw < 0.04:
            submissions.append((unit.unit_id, "rejected", None))
            continue
        late = rng.randint(1, 8) if rng.random() < 0.1 else 0
        submissions.append((unit.unit_id, "accepted", due + dt.timedelta(days=late)))
        for item in fw.agreements[unit.unit_id]:
            k = item.kpi
            row = {"unit_id": unit.unit_id, "kpi_id": k.kpi_id, "value": np.nan,
                   "numerator": np.nan, "denominator": np.nan, "level": np.nan}  # fmt: skip
            if k.kpi_type == KpiType.MILESTONE:
                row["level"] = rng.choice([1, 2, 3, 3.5, 4, 5])
            elif k.formula == Formula.RATIO:
                row["denominator"] = 200
                row["numerator"] = rng.randint(170, 200)
            else:
                row["value"] = round(rng.uniform(85, 98), 2)
            results.append(row)
    return (
        pd.DataFrame(results),
        pd.DataFrame(submissions, columns=["unit_id", "status", "submitted_on"]),
    )


def synthetic_history(fw: Framework, runs: int, seed: int = 5) -> pd.DataFrame | None:
    if not runs:
        return None
    rng = random.Random(seed)
    rows = []
    for i in range(runs):
        as_of = dt.date(2024, 7 + i, 10)
        run_id = f"2567/{ROUND_ID}/{as_of.isoformat()}_1"
        for unit in fw.units:
            score = f"{rng.uniform(1.5, 5):.4f}" if rng.random() > 0.03 else None
            rows.append((run_id, as_of, ROUND_ID, unit.unit_id, score, None))
    return pd.DataFrame(
        rows, columns=["run_id", "as_of", "round_id", "unit_id", "final_score", "rank"]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--kpis", type=int, default=15)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    fw = synthetic_framework(args.units, args.kpis)
    results, submissions = synthetic_inputs(fw)
    start = time.perf_counter()
    scored = score_round(fw, ROUND_ID, results, submissions)
    scoring = time.perf_counter() - start
    register = pd.DataFrame(
        {
            "path": [f"inbox/{u}.xlsx" for u in submissions["unit_id"]],
            "sha256": ["0" * 64] * len(submissions),
            "size": [50_000] * len(submissions),
            "unit_id": submissions["unit_id"],
            "status": submissions["status"],
            "errors": [0] * len(submissions),
            "warnings": [0] * len(submissions),
            "reasons": [
                "แบบฟอร์มเก่า (template_outdated)" if s == "rejected" else ""
                for s in submissions["status"]
            ],
        }
    )
    ctx = RunRecord(
        framework=fw,
        round=fw.round(ROUND_ID),
        as_of=dt.date(2024, 10, 10),
        run_id=f"2567/{ROUND_ID}/2024-10-10_1",
        scored=scored,
        inputs=register,
        history=synthetic_history(fw, args.runs),
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = (args.keep or Path(tmp)) / "executive_summary.xlsx"
        start = time.perf_counter()
        write_executive_workbook(ctx, out)
        writing = time.perf_counter() - start
        size = out.stat().st_size
    print(
        f"{args.units} units x {args.kpis} KPIs, {args.runs} earlier runs: "
        f"score_round {scoring:.2f} s; write_executive_workbook {writing:.2f} s, "
        f"{size / 1024:.0f} kB"
    )


if __name__ == "__main__":
    main()
