"""Run folders are all or nothing, numbered per as-of date, and one run at a time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kpi_batch.errors import RunLockedError
from kpi_batch.runfolder import STAGING, RunFolder, acquire_lock, latest_run

AS_OF = dt.date(2024, 3, 15)


def lock_is_held(out: Path) -> bool:
    """Whether a run holds `out` (the lock file itself may stay: the lock is the OS's)."""
    try:
        acquire_lock(out).release()
    except RunLockedError:
        return True
    return False


def _run(out: Path) -> RunFolder:
    return RunFolder(out, 2567, "R1", AS_OF)


def test_committed_run_lands_in_its_folder_and_becomes_latest(tmp_path: Path) -> None:
    with _run(tmp_path) as run:
        (run.path / "scores.csv").write_text("x", encoding="utf-8")
        assert run.run_id == "2567/R1/2024-03-15_1"
        final = run.commit()
    assert final == tmp_path / "2567" / "R1" / "2024-03-15_1"
    assert (final / "scores.csv").read_text(encoding="utf-8") == "x"
    assert latest_run(tmp_path, 2567, "R1") == final
    assert not lock_is_held(tmp_path)
    assert not any((tmp_path / STAGING).iterdir())


def test_second_run_same_day_gets_the_next_number(tmp_path: Path) -> None:
    for _ in range(2):
        with _run(tmp_path) as run:
            run.commit()
    assert run.run_id.endswith("_2")
    assert latest_run(tmp_path, 2567, "R1") == tmp_path / "2567" / "R1" / "2024-03-15_2"


def test_failure_before_commit_leaves_no_folder_and_keeps_latest(tmp_path: Path) -> None:
    with _run(tmp_path) as run:
        run.commit()
    before = latest_run(tmp_path, 2567, "R1")
    with pytest.raises(RuntimeError), _run(tmp_path) as run:
        (run.path / "hr.xlsx").write_bytes(b"half")
        raise RuntimeError("reports failed")
    assert latest_run(tmp_path, 2567, "R1") == before
    assert sorted(p.name for p in (tmp_path / "2567" / "R1").iterdir()) == [
        "2024-03-15_1",
        "latest",
    ]
    assert not any((tmp_path / STAGING).iterdir())
    assert not lock_is_held(tmp_path)


def test_a_second_concurrent_run_is_refused(tmp_path: Path) -> None:
    with _run(tmp_path), pytest.raises(RunLockedError, match="กำลังเขียน"), _run(tmp_path):
        pass
