"""`run()`: framework -> intake -> adjustments -> score -> reports -> [archive] -> manifest
-> history, in one run folder.

Each stage is a function of its own module; this one only orders them, times them and hands
the results on. The clock is read by the caller (the CLI passes `as_of`), so a run is a
function of its inputs and as-of date. Inputs are only read; `archive` copies the accepted
ones, the framework and the adjustments elsewhere (kpi_batch/archive.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pandera.typing import DataFrame

from kpi_batch import __version__
from kpi_batch.adjustments.load import load_adjustments
from kpi_batch.archive import (
    Archived,
    Source,
    archive_folder,
    archive_inputs,
    check_archive_root,
)
from kpi_batch.errors import UsageError
from kpi_batch.framework.load import load_framework
from kpi_batch.history.changes import change_rows, run_scores
from kpi_batch.history.diff import diff_runs
from kpi_batch.history.round_state import with_run
from kpi_batch.history.schema import file_rows
from kpi_batch.history.store import History
from kpi_batch.intake import IntakeResult, run_intake
from kpi_batch.issues import Issue, Severity
from kpi_batch.manifest import sha256_file, write_manifest
from kpi_batch.model import Framework, Round
from kpi_batch.receipts.load import load_receipts
from kpi_batch.reports.changes import ChangesHeading, write_changes_workbook
from kpi_batch.reports.writeall import write_reports
from kpi_batch.review.load import ReviewFile, load_reviews, review_paths, run_view
from kpi_batch.review.merge import Source as ReviewSource
from kpi_batch.review.merge import merge, workbook_source
from kpi_batch.run_record import RunRecord
from kpi_batch.runfolder import RunFolder
from kpi_batch.schemas.adjustments import Adjustments
from kpi_batch.schemas.scoring import DATE_TO_CONFIRM
from kpi_batch.scoring.score_round import ScoredRound, score_round
from kpi_batch.templates.token import load_key

# Called as stages start and finish, e.g. by the CLI's progress display:
# progress(stage, done, total). Stages report what they know; total may be None.
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class RunRequest:
    framework: Path
    inbox: Path
    out: Path
    as_of: dt.date
    round_id: str | None = None
    adjustments: Path | None = None
    archive: Path | None = None  # copy what the run read to <archive>/<fy>/<round>/<run>/
    reviews: Path | None = None  # a folder of KPI owners' review workbooks (docs/reviews.md)
    receipts: Path | None = None  # the office's receipts register (docs/receipts.md)


def check_writable(out: Path) -> None:
    """Before any work: `out` can be created and written (a read-only share, no permission,
    a full disk each get their own Thai message and exit 2, not an internal error)."""
    probe = out / f".kpi-batch-write-test-{os.getpid()}"
    try:
        out.mkdir(parents=True, exist_ok=True)
        with probe.open("wb") as f:
            f.write(b"\0" * 65536)  # a full disk refuses this much
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            why = "ดิสก์เต็ม ลบไฟล์ที่ไม่ใช้หรือเลือกโฟลเดอร์อื่น / the disk is full"
        elif exc.errno == errno.EROFS:
            why = "เป็นโฟลเดอร์อ่านอย่างเดียว เลือกโฟลเดอร์อื่น / read-only file system"
        else:
            why = "ไม่มีสิทธิ์เขียน ให้สิทธิ์เขียนหรือเลือกโฟลเดอร์อื่น / no permission to write"
        raise UsageError(
            f"เขียนโฟลเดอร์ผลลัพธ์ --out {out} ไม่ได้: {why} ({exc.strerror or exc}); "
            "ยังไม่ได้ประมวลผลใด ๆ / nothing was processed"
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            probe.unlink(missing_ok=True)


@dataclass
class RunResult:
    """A finished run: its record (what the reports, manifest and history were written
    from), where it is, and what the console shows about it."""

    record: RunRecord
    run_dir: Path
    intake: IntakeResult
    adjustment_issues: tuple[Issue, ...]
    outputs: list[Path]
    receipt_issues: tuple[Issue, ...] = ()  # rows of --receipts refused (each is in intake.issues)
    timings: dict[str, float] = field(default_factory=dict)
    archive: Archived | None = None
    reviews: tuple[ReviewFile, ...] = ()
    # The earlier run whose inputs and scores this one repeats exactly: history keeps that
    # run's scores once (docs/history.md). None for a new result.
    same_as: str | None = None

    @property
    def run_id(self) -> str:
        return self.record.run_id

    @property
    def round(self) -> Round:
        return self.record.round

    @property
    def scored(self) -> ScoredRound:
        return self.record.scored

    @property
    def exit_code(self) -> int:
        """0 when every file was accepted and every unit scored; 1 when the run finished
        but something needs a person (rejected files, missing units, bad adjustments or
        receipt rows that were refused)."""
        statuses = set(self.record.inputs["status"])
        units = set(self.scored.unit_scores["status"])
        if statuses & {"rejected"} or units - {"scored"} or self.adjustment_issues:
            return 1
        if any(i.severity is Severity.ERROR for i in self.receipt_issues):
            return 1
        return 0


def _changes_since_last(ctx: RunRecord, history: History, run_dir: Path) -> list[Path]:
    """The changes workbook against the round's last recorded run (none: the first run)."""
    earlier = history.last_of_round(ctx.fiscal_year, ctx.round.round_id)
    if earlier is None:
        return []
    later = run_scores(ctx.scored, ctx.run_id, ctx.as_of)
    heading = ChangesHeading(
        fiscal_year=ctx.fiscal_year,
        round_label=f"{ctx.round.name} ({ctx.round.round_id})",
        run_a=earlier.run_id,
        run_b=later.run_id,
        as_of_a=earlier.as_of,
        as_of_b=later.as_of,
        decimals=ctx.framework.settings.decimals,
    )
    rows = change_rows(earlier, later, diff_runs(earlier, later))
    return [write_changes_workbook(rows, heading, run_dir / ctx.layout.changes)]


def choose_round(framework: Framework, round_id: str | None, as_of: dt.date) -> Round:
    if round_id:
        try:
            return framework.round(round_id)
        except KeyError:
            known = ", ".join(r.round_id for r in framework.rounds)
            raise UsageError(
                f"ไม่พบรอบ {round_id} ในกรอบการประเมิน (มี {known}) / unknown round {round_id!r}"
            ) from None
    found = framework.round_for_date(as_of)
    if found is None:
        raise UsageError(
            f"วันที่ {as_of.isoformat()} ไม่อยู่ในรอบใดของกรอบการประเมิน ให้ระบุ --round / "
            f"as-of {as_of.isoformat()} falls in no round; pass --round"
        )
    return found


def _checksum(path: Path | None) -> str | None:
    """sha256 of a file about to be read; None when there is none, or it cannot be read
    (its loader then says why, in Thai)."""
    try:
        return None if path is None else sha256_file(path)
    except OSError:
        return None


def run(request: RunRequest, progress: Progress | None = None) -> RunResult:
    timings: dict[str, float] = {}
    # Taken before the files are read: the manifest, the history and the archive all name
    # the bytes the run read, even if someone saves the file while the run goes on.
    framework_sha256 = _checksum(request.framework) or ""  # "": loading it fails first
    adjustments_sha256 = _checksum(request.adjustments)
    receipts_sha256 = _checksum(request.receipts)
    report = progress or (lambda stage, done, total: None)

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        report(name, 0, None)
        start = time.perf_counter()
        yield
        timings[name] = round(time.perf_counter() - start, 3)

    with stage("framework"):
        framework = load_framework(request.framework)
        rnd = choose_round(framework, request.round_id, request.as_of)
    if not request.inbox.is_dir():
        raise UsageError(f"ไม่พบโฟลเดอร์ไฟล์รายงานผล {request.inbox} / inbox not found")
    if not os.access(request.inbox, os.R_OK | os.X_OK):
        raise UsageError(
            f"เปิดโฟลเดอร์ไฟล์รายงานผล {request.inbox} ไม่ได้ (ไม่มีสิทธิ์อ่าน) "
            "ให้สิทธิ์อ่านแล้วสั่งใหม่ / the inbox cannot be read"
        )
    if request.archive is not None:
        check_archive_root(request.archive, request.inbox)
    check_writable(request.out)
    with stage("intake"):
        receipts, receipt_issues = (
            load_receipts(request.receipts, framework) if request.receipts else ([], [])
        )
        intake = run_intake(
            request.inbox,
            framework,
            rnd.round_id,
            request.as_of,
            progress=lambda done, total: report("intake", done, total),
            key=load_key(request.framework),
            receipts=receipts,
        )
        intake.issues[:0] = receipt_issues  # the register's own problems, before the files'
    review_files = review_paths(request.reviews) if request.reviews is not None else []
    review_sha256 = {p: _checksum(p) or "" for p in review_files}  # before reading, as above
    reviews: tuple[ReviewFile, ...] = ()
    with stage("adjustments"):
        adjustments: DataFrame[Adjustments] | None = None
        adjustment_issues: list[Issue] = []
        if request.adjustments is not None:
            adjustments, adjustment_issues = load_adjustments(request.adjustments, framework)
        if request.reviews is not None:
            view = run_view(rnd.round_id, intake.results, intake.submissions)
            read = load_reviews(request.reviews, framework, view, review_files)
            merged: list[ReviewSource] = list(read.sources)
            if adjustments is not None:
                merged.insert(0, workbook_source(str(request.adjustments), adjustments))
            adjustments, conflicts = merge(merged)
            adjustment_issues += [*read.issues, *conflicts]
            reviews = read.files
    with stage("score"):
        scored = score_round(
            framework, rnd.round_id, intake.results, intake.submissions, adjustments
        )
    fiscal_year = framework.settings.fiscal_year
    archived: Archived | None = None
    with (
        RunFolder(request.out, fiscal_year, rnd.round_id, request.as_of) as folder,
        History.open(request.out) as history,  # under the run lock: settles staged runs
    ):
        ctx = RunRecord(
            framework=framework,
            round=rnd,
            as_of=request.as_of,
            run_id=folder.run_id,
            scored=scored,
            inputs=intake.register,
            # + the units scored without a date that may charge (listed for staff to confirm)
            input_issues=tuple(intake.issues)
            + tuple(adjustment_issues)
            + tuple(i for i in scored.issues if i.code == DATE_TO_CONFIRM),
            history=history.trend(fiscal_year, rnd.round_id, request.as_of),
            round_files=with_run(
                history.round_files(fiscal_year, rnd.round_id),
                folder.run_id,
                request.as_of,
                file_rows(intake.register),
            ),
            package_version=__version__,
            inbox=request.inbox,
            intake_issues=tuple(intake.issues),
            results=intake.results,
            submissions=intake.submissions,
        )
        with stage("reports"):
            outputs = write_reports(ctx, folder.path, progress=report)
            outputs += _changes_since_last(ctx, history, folder.path)
        manifest = folder.path / ctx.layout.MANIFEST
        try:
            if request.archive is not None:
                with stage("archive"):
                    target = archive_folder(request.archive, folder.run_id)
                    sources = [Source("framework", request.framework, framework_sha256)]
                    if request.adjustments is not None:
                        sources.append(
                            Source("adjustments", request.adjustments, adjustments_sha256 or "")
                        )
                    if request.receipts is not None:
                        sources.append(Source("receipts", request.receipts, receipts_sha256 or ""))
                    sources += [Source("reviews", p, review_sha256[p]) for p in review_files]
                    archived = archive_inputs(ctx, target, sources)
            with stage("manifest"):
                write_manifest(
                    manifest,
                    ctx,
                    request=request,
                    framework_sha256=framework_sha256,
                    adjustments_sha256=adjustments_sha256,
                    receipts_sha256=receipts_sha256,
                    timings=timings,
                    archive=None if archived is None else archived.folder,
                    reviews=[
                        {
                            "path": str(f.path),
                            "sha256": review_sha256.get(f.path, ""),
                            "owner_id": f.owner_id,
                            "stage": f.stage,
                            "status": f.status,
                            "rows": f.applied_rows,
                        }
                        for f in reviews
                    ]
                    if request.reviews is not None
                    else None,
                )
            with (
                stage("history"),
                history.recording(
                    ctx, adjustments_sha256=adjustments_sha256, manifest=manifest
                ) as same_as,
            ):
                final = folder.commit()
        except BaseException:
            if archived is not None and not folder.committed:
                archived.remove()  # all or nothing: no archive of a run that is not there
            raise
    return RunResult(
        record=ctx,
        run_dir=final,
        intake=intake,
        adjustment_issues=tuple(adjustment_issues),
        receipt_issues=tuple(receipt_issues),
        outputs=[final / p.relative_to(folder.path) for p in outputs],
        timings=timings,
        same_as=same_as,
        archive=archived,
        reviews=reviews,
    )
