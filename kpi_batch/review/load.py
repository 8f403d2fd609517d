"""`run --reviews DIR`: every review workbook in a folder -> checked adjustment sources.

Every `.xlsx` directly in the folder is read (Office lock files `~$...` and hidden files
are skipped and never counted as reviews); which owner, round and stage a file is for comes
from its defined names only. A file that cannot be read is that file's rejection
(`review_file_unreadable`), listed with the others; the run goes on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from kpi_batch.errors import UsageError
from kpi_batch.issues import Issue
from kpi_batch.model import Framework
from kpi_batch.review.check import Checked, RunView, check_book
from kpi_batch.review.codes import REVIEW
from kpi_batch.review.merge import Source
from kpi_batch.review.read import ReviewRejected, read_review
from kpi_batch.scoring.rounding import as_decimal
from kpi_batch.specs.review import SHEET


@dataclass(frozen=True)
class ReviewFile:
    path: Path
    owner_id: str  # "" when the file was refused
    stage: str
    status: str  # "read" (its rows checked) / "rejected"
    applied_rows: int


@dataclass(frozen=True)
class Reviews:
    sources: tuple[Source, ...]
    files: tuple[ReviewFile, ...]
    issues: tuple[Issue, ...]


def review_paths(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise UsageError(f"ไม่พบโฟลเดอร์แบบทบทวนผล {folder} / --reviews folder not found")
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in (".xlsx", ".xlsm")
        and not p.name.startswith(("~$", "."))
        and p.is_file()
    )


def run_view(round_id: str, results: pd.DataFrame, submissions: pd.DataFrame) -> RunView:
    accepted = frozenset(submissions.loc[submissions["status"] == "accepted", "unit_id"])
    reported: dict[tuple[str, str], dict[str, Decimal | None]] = {}
    fields = ("value", "numerator", "denominator", "level")
    for r in results.to_dict("records"):
        reported[(str(r["unit_id"]), str(r["kpi_id"]))] = {f: as_decimal(r.get(f)) for f in fields}
    return RunView(round_id, accepted, reported)


def load_reviews(
    folder: Path, framework: Framework, view: RunView, paths: Sequence[Path] | None = None
) -> Reviews:
    sources: list[Source] = []
    files: list[ReviewFile] = []
    issues: list[Issue] = []
    for path in review_paths(folder) if paths is None else paths:
        book = read_review(path)
        if isinstance(book, ReviewRejected):
            issues.append(
                REVIEW[book.code].issue(file=str(path), sheet=SHEET, value=book.detail[:200])
            )
            files.append(ReviewFile(path, "", "", "rejected", 0))
            continue
        checked: Checked = check_book(book, framework, view)
        issues += checked.issues
        owner = checked.owner.owner_id if checked.owner else ""
        refused = checked.owner is None or any(
            i.code.startswith("review_") and i.cell in book.name_cells.values()
            for i in checked.issues
        )
        files.append(
            ReviewFile(
                path, owner, checked.stage, "rejected" if refused else "read", len(checked.places)
            )
        )
        if not checked.adjustments.empty:
            sources.append(Source(str(path), book.sheet, checked.adjustments, checked.places))
    return Reviews(tuple(sources), tuple(files), tuple(issues))
