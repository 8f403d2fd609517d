"""One small error tree. The CLI maps each kind to an exit code (see docs/cli.md)."""

from __future__ import annotations

from collections.abc import Sequence

from kpi_batch.issues import Issue


class KpiBatchError(Exception):
    """Base of every error this package raises on purpose."""

    exit_code = 3


class UsageError(KpiBatchError):
    """The command line asked for something impossible (unknown round, missing folder)."""

    exit_code = 2


class FrameworkError(KpiBatchError):
    """The framework workbook breaks a rule; it is refused as a whole."""

    exit_code = 2

    def __init__(self, path: str, issues: Sequence[Issue]) -> None:
        self.path = path
        self.issues = tuple(issues)
        super().__init__(f"{path}: {len(self.issues)} problem(s) in the framework")


class RunLockedError(KpiBatchError):
    """Another run holds the output folder."""

    exit_code = 2


class HistoryError(KpiBatchError):
    """The history database (`history.sqlite`) cannot be opened, read or written."""

    exit_code = 3


class ArchiveError(KpiBatchError):
    """`--archive` could not keep a verified copy of the inputs; the run is not committed."""

    exit_code = 3


class FileInUseError(KpiBatchError):
    """A file or folder the tool must replace or remove stays held by another program
    (Excel, OneDrive, a virus scanner) after retries. Nothing finished is lost: the message
    says which file to close and that the same command can be given again."""

    exit_code = 2

    def __init__(self, path: object, cause: BaseException | None = None, note: str = "") -> None:
        self.path = path
        self.cause = cause
        reason = f" ({cause})" if cause is not None else ""
        super().__init__(
            f"ปิดไฟล์ {path} ใน Excel (หรือโปรแกรมอื่นที่เปิดไฟล์นี้อยู่ เช่น OneDrive) แล้วสั่งใหม่"
            f"{note} / close {path} in Excel or the program holding it, then run the same "
            f"command again{reason}"
        )
