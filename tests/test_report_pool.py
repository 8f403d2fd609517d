"""`pool.run_jobs`: every job runs once, progress per function, few jobs in flight, errors
come back to the caller."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kpi_batch.reports.pool import Job, run_jobs


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
