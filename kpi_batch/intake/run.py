"""`run_intake`: inbox folder -> register, clean results, submissions, issues.

    discover -> [.eml: mail.open_mail -> one entry per spreadsheet attachment, in memory]
             -> read bytes, sha256 -> container.inspect (safety, before any parser)
             -> load (calamine) -> frames.build (normalise) -> validate (pandera, all files
             at once) -> register.settle (duplicates, lateness) -> IntakeResult

Files are opened read-only, read once into memory (at most `Limits.max_file_bytes`; bigger
files are hashed in chunks and refused), and never written, moved or re-saved. One broken
file never stops the batch: whatever goes wrong with it becomes its status and reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kpi_batch.intake import frames
from kpi_batch.intake.codes import CHECKS, TOKEN_ERRORS
from kpi_batch.intake.container import Container, Limits, Rejection, inspect
from kpi_batch.intake.discover import MAIL, UNSUPPORTED, Found, discover
from kpi_batch.intake.load import Prepared, Workbook, load, prepare
from kpi_batch.intake.mail import open_mail
from kpi_batch.intake.register import (
    FileOutcome,
    register_frame,
    settle,
    submissions_frame,
    workbook_date,
)
from kpi_batch.intake.senders import sender_issues
from kpi_batch.intake.tokens import token_issues
from kpi_batch.intake.validate import validate
from kpi_batch.issues import Issue
from kpi_batch.model import Framework
from kpi_batch.receipts.codes import unmatched_receipt
from kpi_batch.receipts.spec import Receipt
from kpi_batch.specs.template import criteria_key
from kpi_batch.templates.workbook import ratio_formula

# Files are checked, then prepared, then read by calamine a batch at a time: each step's
# code stays warm in the CPU caches (file by file, the steps evict each other's: ~20 %
# slower; 256 files per batch is ~5 % faster than 32). A batch also ends once the bytes it
# holds (files and parts inflated by the checks) pass _BATCH_BYTES, so memory stays bounded
# by that plus one file, whatever the files' sizes.
_BATCH_FILES = 256
_BATCH_BYTES = 32 * 1024 * 1024


@dataclass
class IntakeResult:
    """What intake hands on.

    - `register`: one row per file found (`register.REGISTER_COLUMNS`): path (relative to
      `inbox`), sha256, size, modified, unit_id, round_id, status, errors, warnings, reasons,
      submitted_on (as typed), received_on, date_source (receipt / email / workbook /
      date_to_confirm), receipt_reference, container (the .eml of an attachment), sender,
      superseded_by, issues (list of {code, severity, where, kpi_id}). It goes into
      manifest.json as `inputs`. A saved e-mail has a row (status `opened`) and so has each
      spreadsheet attachment (`mail.eml#แบบรายงาน.xlsx`).
    - `results`: the clean results of accepted files (fits
      `schemas.scoring.Results`): unit_id, kpi_id, value, numerator, denominator,
      level (float, NaN when empty or not applicable), note, file, sheet, excel_row.
    - `submissions`: one row per unit of the framework that sent a file (fits
      `schemas.scoring.Submissions`): unit_id, file, submitted_on (the received date
      that charges lateness, datetime64, empty when to confirm), date_source, status
      (accepted / rejected).
    - `issues`: every issue, in register order; `Issue.file` is the register's `path`.
    """

    inbox: Path
    register: pd.DataFrame
    results: pd.DataFrame
    submissions: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    tokens_checked: bool = False  # the template key was there (templates/token.py)

    def counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.register["status"].value_counts().items()}


def _sha256_chunks(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _reject(outcome: FileOutcome, rejection: Rejection) -> None:
    check = CHECKS[rejection.code]
    value = rejection.value or (outcome.found.extension if check.code.endswith("format") else "")
    outcome.issues.append(
        check.issue(
            file=outcome.found.rel,
            value=value,
            limit=rejection.limit,
            detail=rejection.detail,
        )
    )
    outcome.rejected = True


def _reject_damaged(outcome: FileOutcome, exc: Exception) -> None:
    """Whatever a file makes a reader raise (a parse or decode error, a permission refused,
    memory) is that file's rejection, never the batch's end."""
    if isinstance(exc, PermissionError):
        _reject(outcome, Rejection("file_unreadable", f"{type(exc).__name__}: {exc}"))
    else:
        _reject(outcome, Rejection("file_corrupt", f"{type(exc).__name__}: {exc}"))
    outcome.sha256 = outcome.sha256 or _try_sha256(outcome.found.path)


def _try_sha256(path: Path) -> str:
    try:
        return _sha256_chunks(path)
    except OSError:
        return ""


def _read_bytes(path: Path, n: int) -> bytes:
    """Up to `n` bytes, read-only (os-level: a Python file object costs more than the read)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunks = []
        while n > 0 and (chunk := os.read(fd, n)):
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Intake allocates many small lists and tuples that never form cycles; the cyclic
    collector's passes over them cost ~15 % of the run (measured on 2,000 files)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class _Checked:
    """A file that passed the safety checks, ready for calamine."""

    outcome: FileOutcome
    data: bytes
    container: Container
    prepared: Prepared


def _check(found: Found, outcome: FileOutcome, limits: Limits) -> _Checked | None:
    """Read, hash and check one file; None when it is refused (the outcome says why)."""
    if found.content is not None:  # an e-mail's attachment, already in memory
        return _check_bytes(found.content, outcome, limits)
    if found.extension in UNSUPPORTED:
        outcome.sha256 = _sha256_chunks(found.path)
        _reject(outcome, Rejection("file_unsupported_format", found.extension))
        return None
    if found.size > limits.max_file_bytes:
        outcome.sha256 = _sha256_chunks(found.path)
        _reject(
            outcome,
            Rejection(
                "file_too_large", "size", value=str(found.size), limit=str(limits.max_file_bytes)
            ),
        )
        return None
    return _check_bytes(_read_bytes(found.path, found.size + 1), outcome, limits)


def _check_bytes(data: bytes, outcome: FileOutcome, limits: Limits) -> _Checked | None:
    found = outcome.found
    outcome.sha256 = hashlib.sha256(data).hexdigest()
    if found.extension in UNSUPPORTED:
        _reject(outcome, Rejection("file_unsupported_format", found.extension))
        return None
    if not data:
        _reject(outcome, Rejection("file_empty", "0 bytes"))
        return None
    if len(data) > limits.max_file_bytes:  # grew since it was listed
        _reject(
            outcome,
            Rejection(
                "file_too_large", "size", value=str(len(data)), limit=str(limits.max_file_bytes)
            ),
        )
        return None
    container = inspect(data, found.extension, limits)
    if isinstance(container, Rejection):
        _reject(outcome, container)
        return None
    return _Checked(outcome, data, container, Prepared())


def _open(checked: _Checked) -> frames.Loaded | None:
    """calamine reads the checked file; None when it is refused (the outcome says why)."""
    outcome, found = checked.outcome, checked.outcome.found
    book = load(checked.data, checked.container, checked.prepared)
    if isinstance(book, Rejection):
        _reject(outcome, book)
        return None
    if book.missing_names:
        _reject(
            outcome, Rejection("file_not_template", "names", value=", ".join(book.missing_names))
        )
        return None
    required = ("kpi_id", "value", "numerator", "denominator", "level")
    absent = [k for k in required if k not in book.keys]
    if absent:
        _reject(outcome, Rejection("results_column_missing", "columns", value=", ".join(absent)))
        return None
    if not any(any(v not in ("", None) for v in row) for row in book.rows):
        _reject(outcome, Rejection("results_table_empty", "no rows"))
        return None
    outcome.issues += _formula_warnings(found.rel, book)
    return frames.Loaded(found.rel, found.modified, book)


def _saved_mail(outcome: FileOutcome, limits: Limits) -> list[FileOutcome]:
    """Open a saved e-mail: its own row is settled here (opened, ignored without a
    spreadsheet, rejected when it is not an e-mail) and each spreadsheet attachment comes
    back as a file of its own, its bytes in memory (intake/mail.py)."""
    found = outcome.found
    if found.size > limits.max_file_bytes:
        outcome.sha256 = _sha256_chunks(found.path)
        limit = str(limits.max_file_bytes)
        _reject(outcome, Rejection("file_too_large", "size", str(found.size), limit))
        return []
    data = _read_bytes(found.path, found.size + 1)
    outcome.sha256 = hashlib.sha256(data).hexdigest()
    if not data:
        _reject(outcome, Rejection("file_empty", "0 bytes"))
        return []
    mail = open_mail(data)
    outcome.found = found = dataclasses.replace(found, received=mail.received, sender=mail.sender)
    if mail.problem == "malformed":
        _reject(outcome, Rejection("mail_malformed", mail.detail))
        return []
    if mail.problem == "no_spreadsheet":
        outcome.found = dataclasses.replace(found, ignored="mail_no_spreadsheet")
        return []
    outcome.opened = mail.summary_th()
    return [
        FileOutcome(
            Found(
                found.path,
                f"{found.rel}#{a.name}",
                len(a.content),
                found.mtime,
                a.extension,
                content=a.content,
                container=found.rel,
                received=a.received,
                sender=a.sender,
            )
        )
        for a in mail.attachments
    ]


def _each_file(
    todo: list[FileOutcome], outcomes: list[FileOutcome], limits: Limits
) -> Iterator[FileOutcome]:
    """The files to check, in register order, each appended to `outcomes` as it comes; a
    saved e-mail is opened when reached and its attachments follow it (so only one e-mail's
    attachments are held at a time, beside the batch)."""
    for outcome in todo:
        outcomes.append(outcome)
        if outcome.found.extension not in MAIL or outcome.found.ignored:
            yield outcome
            continue
        try:
            parts = _saved_mail(outcome, limits)
        except Exception as exc:  # unreadable, vanished, or the parser's fault
            _reject_damaged(outcome, exc)
            continue
        for part in parts:
            outcomes.append(part)
            yield part


_FORMULA_KEYS = ("value", "numerator", "denominator", "level")


def _formula_warnings(rel: str, book: Workbook) -> list[Issue]:
    """A formula in an input cell of the table or in a named cell: its cached value is what
    calamine reads, so say so (the template's own ratio formula excepted)."""
    if not book.formulas:
        return []
    column = {k: c for k, c in zip(book.keys, book.columns, strict=True)}
    kpi_at = book.keys.index("kpi_id") if "kpi_id" in book.keys else -1
    issues = []
    for offset, row in enumerate(book.rows):
        r = book.first_row + offset
        kpi_id = str(row[kpi_at]) if kpi_at >= 0 and row[kpi_at] is not None else ""
        for key in _FORMULA_KEYS:
            cell = f"{column[key]}{r}" if key in column else ""
            formula = book.formulas.get(cell)
            if formula is None:
                continue
            if key == "value" and {"numerator", "denominator"} <= column.keys():
                ours = ratio_formula(f"{column['numerator']}{r}", f"{column['denominator']}{r}")
                if formula == ours:
                    continue
            issues.append(
                CHECKS["cell_formula_cached"].issue(
                    file=rel, sheet=book.sheet, cell=cell, value=f"={formula}", kpi_id=kpi_id
                )
            )
    for sheet, cell, _ in book.names.values():
        if sheet == book.sheet and cell in book.formulas:
            formula = book.formulas[cell]
            issues.append(
                CHECKS["cell_formula_cached"].issue(
                    file=rel, sheet=sheet, cell=cell, value=f"={formula}"
                )
            )
    return issues


def run_intake(
    inbox: Path,
    framework: Framework,
    round_id: str,
    as_of: dt.date,
    limits: Limits | None = None,
    progress: Callable[[int, int], None] | None = None,
    key: bytes | None = None,
    receipts: Sequence[Receipt] = (),
) -> IntakeResult:
    """`progress(files read, files found)`, if given, is called as the files are read
    (the CLI's progress bar). `key`: the planning office's template key (templates/token.py);
    without it the files' tokens are not checked (`IntakeResult.tokens_checked` is False).
    `receipts` are the checked rows of the receipts register."""
    with _gc_paused():
        result = _run(
            inbox, framework, round_id, as_of, limits or Limits(), progress, key, receipts
        )
    result.tokens_checked = key is not None
    return result


def _run(
    inbox: Path,
    framework: Framework,
    round_id: str,
    as_of: dt.date,
    limits: Limits,
    progress: Callable[[int, int], None] | None = None,
    key: bytes | None = None,
    receipts: Sequence[Receipt] = (),
) -> IntakeResult:
    found = discover(inbox)
    todo = [FileOutcome(f) for f in found]
    outcomes: list[FileOutcome] = []
    loaded: list[frames.Loaded] = []
    batch: list[_Checked] = []
    held = 0  # bytes the batch holds

    def read_batch() -> None:
        for ready in batch:
            try:
                ready.prepared = prepare(ready.container)
            except Exception as exc:  # one file's fault is that file's rejection
                _reject_damaged(ready.outcome, exc)
        for ready in batch:
            if ready.outcome.rejected:
                continue
            try:
                item = _open(ready)
            except Exception as exc:  # one file's fault is that file's rejection
                _reject_damaged(ready.outcome, exc)
                continue
            if item is not None:
                loaded.append(item)
        batch.clear()

    for n, outcome in enumerate(_each_file(todo, outcomes, limits)):
        if progress is not None and n % _BATCH_FILES == 0:
            progress(n, len(todo))
        if outcome.found.ignored:
            if outcome.found.hashable:  # listed, so hashed: the manifest says what it was
                outcome.sha256 = _try_sha256(outcome.found.path)
            continue
        try:
            ready = _check(outcome.found, outcome, limits)
        except Exception as exc:  # unreadable, vanished, or a parser's fault
            _reject_damaged(outcome, exc)
            continue
        finally:
            if outcome.found.content is not None:  # the batch holds the bytes from here
                outcome.found = dataclasses.replace(outcome.found, content=None)
        if ready is None:
            continue
        batch.append(ready)
        held += len(ready.data) + ready.container.inflated
        if len(batch) >= _BATCH_FILES or held >= _BATCH_BYTES:
            read_batch()
            held = 0
    read_batch()
    if progress is not None:
        progress(len(todo), len(todo))

    criteria_keys = [criteria_key(p) for p in framework.settings.scale]
    headers, rows, places = frames.build(loaded, criteria_keys)
    checked = validate(headers, rows, places, framework, round_id, as_of, criteria_keys)

    by_file = {o.found.rel: o for o in outcomes}
    for issue in checked.issues:
        by_file[issue.file].issues.append(issue)
    identity = checked.headers[
        ["file", "unit_id", "fiscal_year", "round_id", "framework_fingerprint", "template_token"]
    ].astype(str)
    claims = [
        (str(a), str(b), str(c), str(d), str(e), str(f))
        for a, b, c, d, e, f in identity.itertuples(index=False, name=None)
    ]
    if key is not None:
        for issue in token_issues(key, claims, [u.unit_id for u in framework.units]):
            by_file[issue.file].issues.append(issue)
    for row, submitted_on in zip(claims, checked.headers["submitted_on"], strict=True):
        o = by_file[row[0]]
        o.unit_id, o.round_id, o.token = row[1], row[3], row[5].strip().lower()
        o.rejected = o.found.rel in checked.rejected_files or any(
            i.code in TOKEN_ERRORS for i in o.issues
        )
        o.workbook_date = workbook_date(submitted_on, o.issues)
    senders = [(o.found.rel, o.unit_id, o.found.sender) for o in outcomes if o.found.sender]
    for issue in sender_issues(framework, senders):
        by_file[issue.file].issues.append(issue)
    unmatched = settle(outcomes, round_id, receipts)

    accepted = [o.found.rel for o in outcomes if o.status.startswith("accepted")]
    results = checked.clean[checked.clean["file"].isin(accepted)].reset_index(drop=True)
    known = {u.unit_id for u in framework.units}
    return IntakeResult(
        inbox=inbox,
        register=register_frame(outcomes),
        results=results,
        submissions=submissions_frame(outcomes, known),
        issues=[i for o in outcomes for i in o.issues] + [unmatched_receipt(r) for r in unmatched],
    )
