"""Messages that tell the truth (issue 16 item 7): a busy history database says busy and is
retried (never "damaged, move it"); an --out that cannot be written says so in Thai, exit 2,
before any work."""

from __future__ import annotations

import errno
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from kpi_batch.history import store
from kpi_batch.history.store import DB_NAME
from tests.test_hostile_run import make_work, run


@pytest.fixture
def quick_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.2)
    monkeypatch.setattr(store, "BUSY_PAUSE", 0.2)


def _hold(db: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def test_busy_history_says_busy_and_never_advises_moving_it(
    tmp_path: Path, quick_busy: None
) -> None:
    work = make_work(tmp_path / "w")
    assert run(work).exit_code in (0, 1)
    holder = _hold(work / "out" / DB_NAME)
    try:
        result = run(work)
    finally:
        holder.close()
    assert result.exit_code == 3
    assert "is busy" in result.output and "do not move it" in result.output
    assert "not a readable SQLite" not in result.output
    assert "internal error" not in result.output


def test_busy_history_is_retried_and_the_run_goes_through(tmp_path: Path, quick_busy: None) -> None:
    work = make_work(tmp_path / "w")
    assert run(work).exit_code in (0, 1)
    holder = _hold(work / "out" / DB_NAME)
    threading.Timer(0.3, holder.close).start()  # the other program lets go after a while
    result = run(work)
    assert result.exit_code in (0, 1), result.output


@pytest.mark.parametrize(
    ("code", "says"),
    [(errno.EROFS, "read-only"), (errno.EACCES, "no permission"), (errno.ENOSPC, "disk is full")],
)
def test_out_that_cannot_be_written_is_exit_2_before_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, says: str
) -> None:
    work = make_work(tmp_path / "w")
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name.startswith(".kpi-batch-write-test"):
            raise OSError(code, "refused", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    result = run(work)
    assert result.exit_code == 2, result.output
    assert says in result.output and "nothing was processed" in result.output
    assert "internal error" not in result.output
    assert not list((work / "out").glob("2567"))  # no run folder begun
