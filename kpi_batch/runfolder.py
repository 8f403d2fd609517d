"""Run folders: each run writes into its own folder, all or nothing, one run at a time.

    <out>/<fiscal_year>/<round_id>/<as-of>_<n>/     a finished run
    <out>/<fiscal_year>/<round_id>/latest           the newest finished run's folder name
    <out>/.staging/<run>/                           a run being written (removed on failure)
    <out>/.kpi-batch.lock                           held while a run writes

A laptop that sleeps or a run that crashes must never leave half a run where HR looks, so
everything is written under `.staging` and renamed into place only when complete; `latest`
is replaced atomically after that. `latest` is a small text file rather than a symlink so
the folder can live on a Windows share.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from kpi_batch.errors import RunLockedError

LOCK_NAME = ".kpi-batch.lock"
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
    _lock: Path = field(init=False)

    @property
    def run_id(self) -> str:
        return f"{self.fiscal_year}/{self.round_id}/{self.as_of.isoformat()}_{self.number}"

    @property
    def round_dir(self) -> Path:
        return self.out / str(self.fiscal_year) / self.round_id

    def __enter__(self) -> RunFolder:
        self.out.mkdir(parents=True, exist_ok=True)
        self._lock = acquire_lock(self.out)
        try:
            self.number = next_run_number(self.round_dir, self.as_of)
            name = f"{self.as_of.isoformat()}_{self.number}"
            self.final_path = self.round_dir / name
            self.path = self.out / STAGING / f"{self.fiscal_year}_{self.round_id}_{name}"
            shutil.rmtree(self.path, ignore_errors=True)
            self.path.mkdir(parents=True)
        except BaseException:
            release_lock(self._lock)
            raise
        return self

    def commit(self) -> Path:
        """Move the finished run into place, then point `latest` at it."""
        self.round_dir.mkdir(parents=True, exist_ok=True)
        os.replace(self.path, self.final_path)
        write_atomic(self.round_dir / LATEST, self.final_path.name + "\n")
        self.committed = True
        return self.final_path

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self.committed:
                shutil.rmtree(self.path, ignore_errors=True)
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
    return _pointed(out / str(fiscal_year) / round_id / LATEST)


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
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def acquire_lock(out: Path) -> Path:
    """Create the lock file, or refuse with who holds it. A lock whose process is gone
    (same machine, pid no longer running) is stale: it is taken over."""
    lock = out / LOCK_NAME
    me = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.time()}
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            holder = _read_lock(lock)
            if holder is not None and not _is_stale(holder):
                raise RunLockedError(
                    f"มีการประมวลผลอื่นกำลังเขียนโฟลเดอร์ {out} อยู่ (pid {holder.get('pid')} "
                    f"บนเครื่อง {holder.get('host')}) — รอให้เสร็จก่อน / another run holds {lock}"
                ) from None
            lock.unlink(missing_ok=True)  # stale or unreadable: the holder is gone
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(me, f)
        return lock
    raise RunLockedError(f"could not take the lock {lock}")


def release_lock(lock: Path) -> None:
    holder = _read_lock(lock)
    if holder is not None and holder.get("pid") == os.getpid():
        lock.unlink(missing_ok=True)


def _read_lock(lock: Path) -> dict[str, object] | None:
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _is_stale(holder: dict[str, object]) -> bool:
    if holder.get("host") != socket.gethostname():
        return False  # another machine: we cannot tell, so we respect it
    pid = holder.get("pid")
    if not isinstance(pid, int):
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
