"""Every file a run writes, in one place: what goes where inside the run folder.

scores.csv, kpi_scores.csv           DOMAIN §7, for HR systems and other tools
kpi_results.csv                      what units reported per KPI, with score and explanation
                                     (read back by `kpi-batch review-sheets`)
hr_<fy>_<round>.xlsx                 the confidential list for HR (table `hr`)
executive_<fy>_<round>.xlsx          the executives' summary
units/result_<fy>_<round>_<unit>.xlsx one per scored unit, its own data only
validation_report.xlsx               every problem found in the inputs
status_<fy>_<round>.xlsx             each unit's state in the round across runs (planning staff)
returned/[<sub-folder>/]<file>_<ext>_แก้ไข.xlsx  a marked-up copy of each unit file with problems
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import chain, takewhile
from pathlib import Path

from kpi_batch.intake import IntakeResult
from kpi_batch.intake.codes import HELD, NOT_REOPENED
from kpi_batch.issues import Issue
from kpi_batch.reports.context import ReportContext
from kpi_batch.reports.csv import write_kpi_scores_csv, write_scores_csv
from kpi_batch.reports.executive import write_executive_workbook
from kpi_batch.reports.hr import write_hr_workbook
from kpi_batch.reports.kpi_results import KPI_RESULTS_NAME, write_kpi_results_csv
from kpi_batch.reports.pool import Job, default_workers, run_jobs
from kpi_batch.reports.returned import returned_path, write_returned_workbook
from kpi_batch.reports.status import write_status_workbook
from kpi_batch.reports.unit import unit_jobs
from kpi_batch.reports.validation import RunLabel, write_validation_report
from kpi_batch.safe_names import safe_name
from kpi_batch.scoring.late_terms import ResubmitTerms, resubmit_terms

Progress = Callable[[str, int, int | None], None]
# Files whose problems a unit can fix and send again. Superseded files were replaced by a
# newer one from the same unit, and ignored ones are not submissions.
RETURNABLE = ("rejected", "accepted_with_warnings")


def hr_name(ctx: ReportContext) -> str:
    return f"hr_{ctx.fiscal_year}_{safe_name(ctx.round.round_id)}.xlsx"


def run_label(ctx: ReportContext) -> RunLabel:
    return RunLabel(ctx.run_id, f"{ctx.round.name} ({ctx.round.round_id})", ctx.as_of)


def executive_name(ctx: ReportContext) -> str:
    return f"executive_{ctx.fiscal_year}_{safe_name(ctx.round.round_id)}.xlsx"


def status_name(ctx: ReportContext) -> str:
    return f"status_{ctx.fiscal_year}_{ctx.round.round_id}.xlsx"


def write_reports(
    ctx: ReportContext,
    run_dir: Path,
    intake: IntakeResult,
    progress: Progress | None = None,
    workers: int | None = None,
) -> list[Path]:
    """Write every report of the run into `run_dir`; returns the files written.

    The run-wide files are written in this process; the returned copies and the unit
    workbooks (one per file or unit, thousands of them) go to one process pool
    (`pool.run_jobs`, two processes from `POOL_MIN_JOBS` jobs, at the same time as the
    run-wide files; `workers=1` writes everything here, one after the other).
    `progress(stage, done, total)` is told as each kind advances: "reports", "unit
    workbooks", "returned workbooks"; with a pool, from two threads."""
    report = progress or (lambda stage, done, total: None)
    units_by_id = {u.unit_id: u.name for u in ctx.framework.units}
    single: list[Callable[[], Path]] = [
        lambda: write_scores_csv(ctx, run_dir / "scores.csv"),
        lambda: write_kpi_scores_csv(ctx, run_dir / "kpi_scores.csv"),
        lambda: write_kpi_results_csv(
            ctx, intake.results, intake.submissions, run_dir / KPI_RESULTS_NAME
        ),
        lambda: write_hr_workbook(ctx, run_dir / hr_name(ctx)),
        lambda: write_executive_workbook(ctx, run_dir / executive_name(ctx)),
        lambda: write_validation_report(
            run_dir, ctx.input_issues, ctx.inputs, units_by_id, run_label(ctx)
        ),
        lambda: write_status_workbook(ctx, run_dir / status_name(ctx)),
    ]
    terms = resubmit_terms(ctx.framework, ctx.round.round_id, ctx.as_of)
    returned, returned_work = returned_jobs(intake, run_dir / "returned", terms)
    units, unit_work = unit_jobs(ctx, run_dir / "units")
    if returned:
        report("returned workbooks", 0, len(returned))
    report("unit workbooks", 0, len(units))

    def done(fn: Callable[..., object], finished: int) -> None:
        if fn is write_returned_workbook:
            report("returned workbooks", finished, len(returned))
        else:
            report("unit workbooks", finished, len(units))

    def write_single() -> list[Path]:
        written = []
        for n, write in enumerate(single, start=1):
            written.append(write())
            report("reports", n, len(single))
        return written

    n_jobs = len(units) + len(returned)
    n_workers = default_workers(n_jobs) if workers is None else workers
    if n_workers <= 1:
        written = write_single()
        run_jobs(chain(returned_work, unit_work), 1, done)
        return written + units + returned
    # The pool is fed from a thread while this one writes the run-wide files: the workers
    # start on the returned copies at once, and the unit index is built as they work.
    stop = threading.Event()
    jobs = takewhile(lambda _: not stop.is_set(), chain(returned_work, unit_work))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kpi-batch-pool") as feeder:
        pooled = feeder.submit(run_jobs, jobs, n_workers, done)
        try:
            written = write_single()
        except BaseException:
            stop.set()  # no new batches; the ones running finish, then the error goes on
            raise
        pooled.result()
    return written + units + returned


def returned_jobs(
    intake: IntakeResult, out_dir: Path, terms: ResubmitTerms | None = None
) -> tuple[list[Path], Iterator[Job]]:
    """A marked-up copy of every rejected or flagged file (the originals are only read):
    the copies' paths, and the jobs that write them (for `pool.run_jobs`). A file held for
    a person (a template issued to another unit, conflicting files) gets none: it would go
    to the unit it claims, which may not have sent it. `terms`: the resubmission terms
    every error's fix ends with (`scoring.late_terms`)."""
    by_file: dict[str, list[Issue]] = defaultdict(list)
    for issue in intake.issues:
        by_file[issue.file].append(issue)
    returnable = intake.register[intake.register["status"].isin(RETURNABLE)]
    originals = [
        (intake.inbox / rel, by_file[rel], out_dir / returned_path(rel), str(unit_id))
        for rel, unit_id in zip(
            map(str, returnable["path"]), returnable["unit_id"].fillna(""), strict=True
        )
        if by_file.get(rel) and not any(i.code in HELD for i in by_file[rel])
    ]
    if originals:
        out_dir.mkdir(parents=True, exist_ok=True)
    paths = [target for _, _, target, _ in originals]
    jobs = (
        (
            write_returned_workbook,
            (
                original,
                issues,
                target,
                not any(i.code in NOT_REOPENED for i in issues),
                None,
                unit_id,
                terms,
            ),
        )
        for original, issues, target, unit_id in originals
    )
    return paths, jobs
