"""`pool.run_jobs`: every job runs once, progress per function, few jobs in flight, errors
come back to the caller; `write_reports` with a pool writes what it writes without one."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from kpi_batch.issues import warning
from kpi_batch.reports import writeall
from kpi_batch.reports.pool import Job, run_jobs
from kpi_batch.reports.writeall import write_reports
from kpi_batch.run_record import RunRecord
from kpi_batch.specs.template import REPORT_SHEET
from kpi_batch.templates.workbook import write_unit_template
from tests.run_record_factories import small_record
from tests.template_factories import small_framework as template_framework


def touch(path: Path) -> None:  # module-level: workers find it by name
    path.write_text("x", encoding="utf-8")


def touch_other(path: Path) -> None:
    path.write_text("y", encoding="utf-8")


def fail(path: Path) -> None:
    raise ValueError(f"cannot write {path.name}")


@pytest.mark.parametrize("workers", [1, 2])
def test_every_job_runs_once_with_progress_per_function(tmp_path: Path, workers: int) -> None:
    jobs: list[Job] = [(touch, (tmp_path / f"a{i}",)) for i in range(40)]
    jobs += [(touch_other, (tmp_path / f"b{i}",)) for i in range(7)]
    seen: dict[str, list[int]] = {}
    run_jobs(jobs, workers, lambda fn, n: seen.setdefault(fn.__name__, []).append(n), batch=4)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"a{i}" for i in range(40)] + [f"b{i}" for i in range(7)]
    )
    assert seen["touch"][-1] == 40 and seen["touch_other"][-1] == 7
    assert all(a < b for a, b in zip(seen["touch"], seen["touch"][1:], strict=False))


def test_jobs_are_pulled_as_batches_finish(tmp_path: Path) -> None:
    """At most two batches per worker are built ahead: 10,000 units' data never all wait."""
    pulled = 0
    pulled_at_first_done: list[int] = []

    def jobs() -> Iterator[Job]:
        nonlocal pulled
        for i in range(200):
            pulled += 1
            yield touch, (tmp_path / str(i),)

    def done(fn: object, n: int) -> None:
        if not pulled_at_first_done:
            pulled_at_first_done.append(pulled)

    run_jobs(jobs(), 2, done, batch=5)
    assert pulled == 200
    assert pulled_at_first_done[0] <= 2 * 2 * 5 + 5  # the in-flight batches (+ one being built)


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_in_a_job_reaches_the_caller(tmp_path: Path, workers: int) -> None:
    jobs: list[Job] = [(touch, (tmp_path / f"a{i}",)) for i in range(10)]
    jobs.insert(3, (fail, (tmp_path / "bad",)))
    with pytest.raises(ValueError, match="cannot write bad"):
        run_jobs(jobs, workers, batch=2)


def test_write_reports_with_a_pool_gives_the_serial_files(tmp_path: Path) -> None:
    """The pool is fed from a thread while the run-wide files are written: same files."""
    ctx = _small_run(tmp_path)
    serial = write_reports(ctx, tmp_path / "serial", workers=1)
    pooled = write_reports(ctx, tmp_path / "pooled", workers=2)
    rel = [p.relative_to(tmp_path / "serial") for p in serial]
    assert rel == [p.relative_to(tmp_path / "pooled") for p in pooled]
    assert any(str(r).startswith("returned") for r in rel)
    assert any(str(r).startswith("units") for r in rel)
    for r in rel:
        if r.parts[0] in ("units", "returned") or r.suffix == ".csv":
            assert (tmp_path / "serial" / r).read_bytes() == (tmp_path / "pooled" / r).read_bytes()


def test_an_error_in_a_run_wide_file_stops_the_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = _small_run(tmp_path)

    def broken(*args: object) -> Path:
        raise OSError("share gone while writing the HR workbook")

    monkeypatch.setattr(writeall, "write_hr_workbook", broken)
    with pytest.raises(OSError, match="share gone"):
        write_reports(ctx, tmp_path / "run", workers=2)


def _small_run(tmp_path: Path) -> RunRecord:
    """The reports' small record, with a real unit file (and its issue) to return."""
    ctx = small_record()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_unit_template(template_framework(), "U01", "R1", inbox / "U01.xlsx")
    issue = warning("value_above_100", "เกินร้อยละ 100", "above 100", sheet=REPORT_SHEET,
                    cell="K14", value="120", file="U01.xlsx", unit_id="U01")  # fmt: skip
    register = ctx.inputs.copy()
    register.loc[len(register)] = {"path": "U01.xlsx", "status": "accepted_with_warnings"}
    return dataclasses.replace(ctx, inputs=register, inbox=inbox, intake_issues=(issue,))
