"""Run folders: each run writes into its own folder, all or nothing, one run at a time.

    <out>/<fiscal_year>/<round_id>/<as-of>_<n>/     a finished run
    <out>/<fiscal_year>/<round_id>/latest           the newest finished run's folder name
    <out>/.staging/<run>/                           a run being written (removed on failure)
    <out>/.kpi-batch.lock                           locked (by the OS) while a run writes
    <out>/.kpi-batch.holder                         who holds it: pid, host, since

A laptop that sleeps or a run that crashes must never leave half a run where HR looks, so
everything is written under `.staging` and renamed into place only when complete; `latest`
is replaced atomically after that. `latest` is a small text file rather than a symlink so
the folder can live on a Windows share.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from filelock import BaseFileLock, FileLock, Timeout

from kpi_batch import fsutil
from kpi_batch.errors import FileInUseError, RunLockedError
from kpi_batch.run_layout import RunLayout
from kpi_batch.safe_names import safe_name

# The same lock guards an output folder (runs) and a run folder (e-mail).
LOCK_NAME = RunLayout.LOCK
HOLDER_NAME = RunLayout.LOCK_HOLDER  # who holds the lock, for the refusal message only
STAGING = ".staging"
LATEST = "latest"


@dataclass
class RunFolder:
    """Context manager: `with RunFolder(...) as run: write into run.path; run.commit()`."""

    out: Path
    fiscal_year: int
    round_id: str
    as_of: dt.date
    number: int = 0
    path: Path = field(init=False)
    final_path: Path = field(init=False)
    committed: bool = field(default=False, init=False)
    kept: bool = field(default=False, init=False)  # finished, but could not be moved
    _lock: RunLock = field(init=False)

    @property
    def run_id(self) -> str:
        return f"{self.fiscal_year}/{safe_name(self.round_id)}/{self.name}"

    @property
    def name(self) -> str:
        """The run folder's name: `<as-of>_<n>`."""
        return f"{self.as_of.isoformat()}_{self.number}"

    @property
    def round_dir(self) -> Path:
        return self.out / str(self.fiscal_year) / safe_name(self.round_id)

    def __enter__(self) -> RunFolder:
        self.out.mkdir(parents=True, exist_ok=True)
        self._lock = acquire_lock(self.out)
        try:
            self.number = next_run_number(self.round_dir, self.as_of)
            self.final_path = self.round_dir / self.name
            self.path = (
                self.out / STAGING / f"{self.fiscal_year}_{safe_name(self.round_id)}_{self.name}"
            )
            fsutil.rmtree(self.path)  # left by a run that stopped before its clean-up
            self.path.mkdir(parents=True)
        except BaseException:
            release_lock(self._lock)
            raise
        return self

    def commit(self) -> Path:
        """Move the finished run into place, then point `latest` at it."""
        self.round_dir.mkdir(parents=True, exist_ok=True)
        try:
            fsutil.replace(self.path, self.final_path)
        except FileInUseError as exc:
            self.kept = True  # the finished run stays where it is: nothing is lost
            raise FileInUseError(
                self.path,
                exc.cause,
                note=(
                    f" — ผลการประมวลผลที่เสร็จแล้วเก็บไว้ที่ {self.path} "
                    "(มักเป็นโปรแกรมสแกนไวรัส OneDrive หรือ Excel ที่เปิดไฟล์ในโฟลเดอร์นี้)"
                ),
            ) from exc
        self.committed = True  # in place: a `latest` held open below does not undo the run
        write_atomic(self.round_dir / LATEST, self.final_path.name + "\n")
        return self.final_path

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self.committed and not self.kept:
                fsutil.rmtree_quietly(self.path)
        finally:
            release_lock(self._lock)


def next_run_number(round_dir: Path, as_of: dt.date) -> int:
    prefix = f"{as_of.isoformat()}_"
    taken = [
        int(p.name[len(prefix) :])
        for p in round_dir.glob(f"{prefix}*")
        if p.is_dir() and p.name[len(prefix) :].isdigit()
    ]
    return max(taken, default=0) + 1


def latest_run(out: Path, fiscal_year: int, round_id: str) -> Path | None:
    return _pointed(out / str(fiscal_year) / safe_name(round_id) / LATEST)


def _pointed(pointer: Path) -> Path | None:
    """The run folder a `latest` pointer names, if both exist."""
    if not pointer.is_file():
        return None
    run = pointer.parent / pointer.read_text(encoding="utf-8").strip()
    return run if run.is_dir() else None


def follow_latest(path: Path) -> Path:
    """A round's `latest` pointer (a small file naming the newest run folder beside it) ->
    that folder; any other path as given. So `--run <out>/2567/R1/latest` means the newest
    run, as a person reading the folder would expect."""
    return (_pointed(path) if path.name == LATEST else None) or path


def write_atomic(path: Path, text: str) -> None:
    """The `latest` pointer and similar small files, whole or not at all (retried while a
    virus scanner or OneDrive holds the old one)."""
    fsutil.write_text(path, text)


@dataclass
class RunLock:
    """The lock on an output (or run) folder, held by this process until `release`."""

    path: Path
    _lock: BaseFileLock

    @property
    def holder_file(self) -> Path:
        return self.path.with_name(HOLDER_NAME)

    def release(self) -> None:
        if self._lock.is_locked:
            self.holder_file.unlink(missing_ok=True)
            self._lock.release()


def acquire_lock(out: Path) -> RunLock:
    """Take `<out>/.kpi-batch.lock`, or refuse with who holds it (`RunLockedError`).

    The lock is the operating system's (`filelock`: `flock` on Linux and macOS, a byte-range
    lock on Windows, both honoured across a network share), not the file's existence or
    content: a process that dies, however it dies, loses it at once, so there is no stale
    lock to guess about (no pid test, which on Windows would end the process it tests), and
    a lock just created but not yet described is still held. Who holds it is written
    beside it (`.kpi-batch.holder`) only to be named in the refusal.
    """
    path = out / LOCK_NAME
    lock = FileLock(path, timeout=0, thread_local=False)
    try:
        lock.acquire()
    except Timeout:
        raise RunLockedError(_refusal(out, path)) from None
    held = RunLock(path, lock)
    try:
        _write_holder(held.holder_file)
    except BaseException:
        held.release()
        raise
    return held


def release_lock(lock: RunLock) -> None:
    lock.release()


def _write_holder(path: Path) -> None:
    me = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.time()}
    with contextlib.suppress(OSError, FileInUseError):  # only ever used to name the holder
        fsutil.write_text(path, json.dumps(me))


def _refusal(out: Path, lock: Path) -> str:
    holder = _read_holder(lock.with_name(HOLDER_NAME))
    if holder is None:  # taken a moment ago, or by a version that did not say
        who_th, who = "", ""
    else:
        since = dt.datetime.fromtimestamp(float(holder.get("since") or 0))  # type: ignore[arg-type]
        who_th = f" (pid {holder.get('pid')} บนเครื่อง {holder.get('host')} ตั้งแต่ {since:%H:%M})"
        who = f" (pid {holder.get('pid')} on {holder.get('host')} since {since:%H:%M})"
    return (
        f"มีการประมวลผลอื่นกำลังเขียนโฟลเดอร์ {out} อยู่{who_th} — รอให้เสร็จก่อนแล้วสั่งใหม่ / "
        f"another run holds {lock}{who}; wait for it to finish"
    )


def _read_holder(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
