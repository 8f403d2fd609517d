"""Run folders are all or nothing, numbered per as-of date, and one run at a time."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kpi_batch.errors import RunLockedError
from kpi_batch.runfolder import LOCK_NAME, STAGING, RunFolder, latest_run

AS_OF = dt.date(2024, 3, 15)


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
    assert not (tmp_path / LOCK_NAME).exists()
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
    assert not (tmp_path / LOCK_NAME).exists()


def test_a_second_concurrent_run_is_refused(tmp_path: Path) -> None:
    with _run(tmp_path), pytest.raises(RunLockedError, match="กำลังเขียน"), _run(tmp_path):
        pass


def test_a_stale_lock_from_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    holder = {"pid": int(dead.stdout), "host": os.uname().nodename, "since": 0}
    (tmp_path / LOCK_NAME).write_text(json.dumps(holder), encoding="utf-8")
    with _run(tmp_path) as run:
        run.commit()
    assert latest_run(tmp_path, 2567, "R1") is not None


def test_a_lock_held_by_a_live_process_is_respected(tmp_path: Path) -> None:
    holder = {"pid": os.getppid(), "host": os.uname().nodename, "since": 0}
    (tmp_path / LOCK_NAME).write_text(json.dumps(holder), encoding="utf-8")
    with pytest.raises(RunLockedError), _run(tmp_path):
        pass
    assert (tmp_path / LOCK_NAME).exists()  # not ours to remove
