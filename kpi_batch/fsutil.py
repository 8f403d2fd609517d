"""Renames, removals and writes that survive Windows.

On a planning office's PC a file the tool has just written is often held for a moment by
something else: Defender or the search indexer scanning it, OneDrive syncing it, Excel
showing it. Windows then refuses to rename, replace or delete it (WinError 5 "access
denied", 32 "used by another process"; Python raises `PermissionError` for both), where
Linux would not. So every rename, replace and removal of a file the tool owns goes through
here: it is retried a few times with growing pauses (a scanner lets go within a second),
and when it still fails the user gets `FileInUseError`, in Thai, naming the file to close
("ปิดไฟล์ … ใน Excel แล้วสั่งใหม่"), exit code 2: something a person can fix, not a crash.

Copies the tool makes are made writable (a read-only file in the inbox stays read-only
when `shutil.copy2` copies it, and could then not be removed), and trees are removed with
the read-only bit cleared first. Paths near Windows' 260-character limit get the `\\\\?\\`
prefix (`long_path`).
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from kpi_batch.errors import FileInUseError

T = TypeVar("T")

# Pauses between attempts, in seconds: about 3 s in all before giving up.
RETRY_DELAYS: Sequence[float] = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)
# Replaced by tests so that the retries take no time.
sleep: Callable[[float], None] = time.sleep
# Windows refuses ordinary paths at 260 characters; a little margin for the names we add.
_WINDOWS_PATH_LIMIT = 240


def retrying(action: Callable[[], T], path: Path) -> T:
    """`action()`, again after each pause of RETRY_DELAYS while it raises PermissionError;
    then `FileInUseError` naming `path`."""
    for delay in (*RETRY_DELAYS, None):
        try:
            return action()
        except PermissionError as exc:
            if delay is None:
                raise FileInUseError(path, exc) from exc
            sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def long_path(path: Path, *, windows: bool = os.name == "nt") -> str:
    """`path` as a string Windows accepts past 260 characters: absolute, with `\\\\?\\`
    (`\\\\?\\UNC\\server\\share\\…` for a share). Unchanged elsewhere or when short."""
    text = str(path)
    if not windows or text.startswith("\\\\?\\"):
        return text
    full = os.path.abspath(text) if os.name == "nt" else text
    if len(full) < _WINDOWS_PATH_LIMIT:
        return text
    if full.startswith("\\\\"):
        return "\\\\?\\UNC\\" + full[2:]
    return "\\\\?\\" + full


def replace(source: Path, target: Path) -> None:
    """Rename `source` to `target` (a file or a folder), replacing a file `target`."""
    retrying(lambda: os.replace(long_path(source), long_path(target)), target)


def remove(path: Path) -> None:
    """Delete a file the tool owns; no error when it is already gone."""

    def unlink() -> None:
        try:
            os.unlink(long_path(path))
        except FileNotFoundError:
            return
        except PermissionError:
            _make_writable(path)  # Windows refuses to delete a read-only file
            raise

    retrying(unlink, path)


def rmtree(path: Path) -> None:
    """Remove a folder the tool owns, read-only files included; no error when missing."""

    def clear_and_retry(function: Callable[..., Any], name: str, *_: object) -> None:
        _make_writable(Path(name))
        function(name)

    def remove_tree() -> None:
        if not os.path.lexists(long_path(path)):
            return
        if sys.version_info >= (3, 12):
            shutil.rmtree(long_path(path), onexc=clear_and_retry)
        else:
            shutil.rmtree(long_path(path), onerror=clear_and_retry)

    retrying(remove_tree, path)


def rmtree_quietly(path: Path) -> bool:
    """`rmtree` for clean-up after a failure, which must not hide that failure: True when
    the folder is gone."""
    try:
        rmtree(path)
    except (OSError, FileInUseError):
        return False
    return True


def copy_file(source: Path, target: Path) -> None:
    """Copy with the modification time (`copy2`); the copy is writable, as a file the tool
    owns must be (the inbox's read-only bit is not carried over)."""
    shutil.copy2(long_path(source), long_path(target))
    _make_writable(target)


def write_bytes(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all: a hidden temporary beside it, then replaced."""
    write_with(path, lambda tmp: tmp.write_bytes(data))


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    write_with(path, lambda tmp: tmp.write_text(text, encoding=encoding, newline=""))


def write_with(path: Path, writer: Callable[[Path], object]) -> Path:
    """`writer(tmp)` writes a temporary file beside `path`, which then replaces `path`
    (retried while another program holds `path`). The temporary keeps the extension, as
    writers such as xlsxwriter want it."""
    tmp = temporary_for(path)
    try:
        writer(tmp)
        replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def temporary_for(path: Path) -> Path:
    """Where to write `path` before it replaces the real one: hidden, same folder, same
    extension."""
    return path.with_name(f".{path.stem}.tmp{path.suffix}")


def _make_writable(path: Path) -> None:
    try:
        mode = os.stat(long_path(path), follow_symlinks=False).st_mode
        if not stat.S_ISLNK(mode):
            os.chmod(long_path(path), mode | stat.S_IWRITE)
    except OSError:
        pass  # the caller's own operation reports the problem
