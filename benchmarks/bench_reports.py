"""Time the HR workbook, the CSVs and every unit's result workbook for a large synthetic run.

    .venv/bin/python -m benchmarks.bench_reports [--units 2000] [--kpis 15]
        [--workers 1 2] [--keep DIR]

The run is the executive benchmark's (`tests/template_factories.synthetic_framework` with
`bench_executive.synthetic_inputs`: 3 % missing, 1 % rejected, one in ten late), scored in
memory first. Unit workbooks are written once per `--workers` value (1 = the serial path,
2 = a process pool of two), each into a fresh folder; the first run also checks that every
worker count gives byte-identical files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from benchmarks.bench_executive import ROUND_ID, synthetic_inputs
from kpi_batch.reports.csv import write_kpi_scores_csv, write_scores_csv
from kpi_batch.reports.hr import write_hr_workbook
from kpi_batch.reports.unit import write_unit_workbooks
from kpi_batch.run_record import RunRecord
from kpi_batch.scoring.score_round import score_round
from tests.template_factories import synthetic_framework

T = TypeVar("T")


def synthetic_context(n_units: int, n_kpis: int) -> RunRecord:
    fw = synthetic_framework(n_units, n_kpis)
    results, submissions = synthetic_inputs(fw)
    scored = score_round(fw, ROUND_ID, results, submissions)
    register = pd.DataFrame(
        {
            "path": [f"inbox/2567_{ROUND_ID}_{u}.xlsx" for u in submissions["unit_id"]],
            "sha256": [f"{i:064x}" for i in range(len(submissions))],
            "size": [50_000] * len(submissions),
            "unit_id": submissions["unit_id"],
            "status": submissions["status"],
        }
    )
    return RunRecord(
        framework=fw,
        round=fw.round(ROUND_ID),
        as_of=dt.date(2024, 10, 10),
        run_id=f"2567/{ROUND_ID}/2024-10-10_1",
        scored=scored,
        inputs=register,
        package_version="bench",
    )


def _timed(label: str, fn: Callable[..., T], *args: Any, **kw: Any) -> tuple[T, float]:
    start = time.perf_counter()
    out = fn(*args, **kw)
    seconds = time.perf_counter() - start
    print(f"  {label}: {seconds:.2f} s")
    return out, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--kpis", type=int, default=15)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    start = time.perf_counter()
    ctx = synthetic_context(args.units, args.kpis)
    scored = int((ctx.scored.unit_scores["status"] == "scored").sum())
    print(
        f"{args.units} units x {args.kpis} KPIs ({scored} scored): "
        f"built and scored in {time.perf_counter() - start:.2f} s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        hr, _ = _timed("write_hr_workbook", write_hr_workbook, ctx, root / "hr.xlsx")
        print(f"    {hr.stat().st_size / 1024:.0f} kB")
        _timed("write_scores_csv + write_kpi_scores_csv", lambda: (
            write_scores_csv(ctx, root), write_kpi_scores_csv(ctx, root)))  # fmt: skip
        first: list[Path] | None = None
        for workers in args.workers:
            paths, seconds = _timed(
                f"write_unit_workbooks workers={workers}",
                write_unit_workbooks, ctx, root / f"units_{workers}", workers=workers,
            )  # fmt: skip
            size = sum(p.stat().st_size for p in paths) / max(len(paths), 1)
            print(
                f"    {len(paths)} workbooks, {seconds / max(len(paths), 1) * 1000:.1f} ms each, "
                f"{size / 1024:.1f} kB each"
            )
            if first is None:
                first = paths
            else:
                same = all(
                    a.read_bytes() == b.read_bytes() for a, b in zip(first, paths, strict=True)
                )
                print(f"    identical to workers={args.workers[0]}: {same}")


if __name__ == "__main__":
    main()
