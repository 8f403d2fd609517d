"""Every report a run writes, into the run folder, under the names `run_layout.RunLayout`
gives them (the list of files is there): the run-wide files here, the unit workbooks and
the returned copies through the process pool."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import chain, takewhile
from pathlib import Path

from kpi_batch.intake.codes import HELD, NOT_REOPENED
from kpi_batch.issues import Issue
from kpi_batch.reports.csv import write_kpi_scores_csv, write_scores_csv
from kpi_batch.reports.executive import write_executive_workbook
from kpi_batch.reports.hr import write_hr_workbook
from kpi_batch.reports.kpi_results import write_kpi_results_csv
from kpi_batch.reports.pool import Job, default_workers, run_jobs
from kpi_batch.reports.returned import write_returned_workbook
from kpi_batch.reports.status import write_status_workbook
from kpi_batch.reports.unit import unit_jobs
from kpi_batch.reports.validation import RunLabel, write_validation_report
from kpi_batch.run_layout import RETURNED_FOR, RunLayout
from kpi_batch.run_record import RunRecord
from kpi_batch.scoring.late_terms import ResubmitTerms, resubmit_terms

Progress = Callable[[str, int, int | None], None]


def run_label(ctx: RunRecord) -> RunLabel:
    return RunLabel(ctx.run_id, f"{ctx.round.name} ({ctx.round.round_id})", ctx.as_of)


def write_reports(
    ctx: RunRecord,
    run_dir: Path,
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
    layout = ctx.layout
    single: list[Callable[[], Path]] = [
        lambda: write_scores_csv(ctx, run_dir / layout.SCORES),
        lambda: write_kpi_scores_csv(ctx, run_dir / layout.KPI_SCORES),
        lambda: write_kpi_results_csv(
            ctx, ctx.results, ctx.submissions, run_dir / layout.KPI_RESULTS
        ),
        lambda: write_hr_workbook(ctx, run_dir / layout.hr),
        lambda: write_executive_workbook(ctx, run_dir / layout.executive),
        lambda: write_validation_report(
            run_dir / layout.VALIDATION_REPORT,
            ctx.input_issues,
            ctx.inputs,
            units_by_id,
            run_label(ctx),
        ),
        lambda: write_status_workbook(ctx, run_dir / layout.status),
    ]
    terms = resubmit_terms(ctx.framework, ctx.round.round_id, ctx.as_of)
    returned, returned_work = returned_jobs(ctx, run_dir, terms)
    units, unit_work = unit_jobs(ctx, run_dir / layout.UNITS_DIR)
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
    record: RunRecord, run_dir: Path, terms: ResubmitTerms | None = None
) -> tuple[list[Path], Iterator[Job]]:
    """A marked-up copy of every rejected or flagged file (the originals are only read):
    the copies' paths, and the jobs that write them (for `pool.run_jobs`). A file held for
    a person (a template issued to another unit, conflicting files) gets none: it would go
    to the unit it claims, which may not have sent it. A record without an inbox has no
    originals to copy: no jobs. `terms`: the resubmission terms every error's fix ends with
    (`scoring.late_terms`)."""
    by_file: dict[str, list[Issue]] = defaultdict(list)
    for issue in record.intake_issues:
        by_file[issue.file].append(issue)
    inbox, register = record.inbox, record.inputs
    if inbox is None:
        return [], iter(())
    returnable = register[register["status"].isin(RETURNED_FOR)]
    originals = [
        (inbox / rel, by_file[rel], run_dir / RunLayout.returned(rel), str(unit_id))
        for rel, unit_id in zip(
            map(str, returnable["path"]), returnable["unit_id"].fillna(""), strict=True
        )
        if by_file.get(rel) and not any(i.code in HELD for i in by_file[rel])
    ]
    if originals:
        (run_dir / RunLayout.RETURNED_DIR).mkdir(parents=True, exist_ok=True)
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
