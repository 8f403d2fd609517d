"""One row per file found, duplicates settled, lateness source chosen. Pure.

Status of a file (exactly one; the counts add up to the number of files found):
- `ignored`: not a submission (lock file, hidden file, not a spreadsheet);
- `rejected`: a file-scope error (codes.py), or unreadable;
- `superseded`: a usable file for the same unit and round as a later one;
- `accepted_with_warnings`: used, with warnings or with KPI results rejected;
- `accepted`: used, nothing to say.

Duplicates: files of one unit carrying different template tokens are all rejected
(`unit_conflicting_files`: a date the file declares itself never decides whose file
wins). Otherwise, among the usable files of a unit for the run's round, the latest `submitted_on`
wins, then the latest modification time, then the path (so the choice is stable). A rejected
file never wins: a unit whose corrected file is broken keeps its last usable one, and the
report shows both.

Lateness: `submitted_on` comes from the workbook; when it is empty, not a date or
implausible (a warning says which), the file's modification date (Thai time) is used, and
`submitted_on_source` says `workbook` or `file_mtime`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from kpi_batch.intake.codes import CHECKS, Scope
from kpi_batch.intake.discover import IGNORED, Found
from kpi_batch.issues import Issue, Severity
from kpi_batch.thai import format_date_th

STATUSES = ("accepted", "accepted_with_warnings", "rejected", "superseded", "ignored")
REGISTER_COLUMNS = [
    "path",
    "sha256",
    "size",
    "modified",
    "unit_id",
    "round_id",
    "status",
    "errors",
    "warnings",
    "reasons",
    "submitted_on",
    "submitted_on_source",
    "superseded_by",
    "issues",
]
SUBMISSION_COLUMNS = ["unit_id", "file", "submitted_on", "submitted_on_source", "status"]
_DATE_WARNINGS = ("submitted_on_missing", "submitted_on_invalid", "submitted_on_implausible")


@dataclass
class FileOutcome:
    found: Found
    sha256: str = ""
    unit_id: str = ""
    round_id: str = ""
    workbook_date: dt.date | None = None  # submitted_on as typed, if a plausible date
    token: str = ""  # template_token as found ("" when the template has none)
    issues: list[Issue] = field(default_factory=list)
    rejected: bool = False  # a file-scope error
    status: str = ""
    reasons: str = ""
    superseded_by: str = ""

    @property
    def submitted_on(self) -> dt.date | None:
        if self.found.ignored or self.status == "rejected":
            return self.workbook_date
        return self.workbook_date or self.found.modified.date()

    @property
    def source(self) -> str:
        if self.workbook_date:
            return "workbook"
        return "" if self.found.ignored or self.status == "rejected" else "file_mtime"


def workbook_date(day: object, issues: Sequence[Issue]) -> dt.date | None:
    """The workbook's submitted_on, unless a warning said it cannot be used."""
    if any(i.code in _DATE_WARNINGS for i in issues):
        return None
    return day if isinstance(day, dt.date) else None


def settle(outcomes: list[FileOutcome], round_id: str) -> None:
    """Give every outcome its status and reasons, in place."""
    candidates: dict[str, list[FileOutcome]] = {}
    for o in outcomes:
        if o.found.ignored:
            o.status, o.reasons = "ignored", IGNORED[o.found.ignored]
        elif o.rejected:
            o.status = "rejected"
            o.reasons = "; ".join(
                f"{i.message_th} [{i.code}]" for i in o.issues if CHECKS[i.code].scope is Scope.FILE
            )
        else:
            candidates.setdefault(o.unit_id, []).append(o)
    for unit_id, files in list(candidates.items()):
        if len({o.token for o in files}) > 1:
            _hold(files)
            del candidates[unit_id]
    for files in candidates.values():
        files.sort(
            key=lambda o: (o.submitted_on or dt.date.min, o.found.mtime, o.found.rel),
            reverse=True,
        )
        winner = files[0]
        winner.status = "accepted"
        if any(
            i.severity is Severity.WARNING or CHECKS[i.code].scope is Scope.KPI
            for i in winner.issues
        ):
            winner.status = "accepted_with_warnings"
            winner.reasons = _summary(winner.issues)
        for o in files[1:]:
            o.status, o.superseded_by = "superseded", winner.found.rel
            when = winner.submitted_on
            shown = format_date_th(when) if when else "-"
            o.reasons = (
                f"มีไฟล์ที่ส่งภายหลังของหน่วยงาน {o.unit_id} รอบ {round_id}: {winner.found.rel} "
                f"(วันที่ส่ง {shown}) ระบบใช้ไฟล์นั้นแทน / superseded by {winner.found.rel}"
            )


def _hold(files: Sequence[FileOutcome]) -> None:
    """Files of one unit that carry different template tokens: none supersedes another on
    a date it declares itself; all are held (rejected) for a person, each naming the rest."""
    check = CHECKS["unit_conflicting_files"]
    for o in files:
        others = ", ".join(f.found.rel for f in files if f is not o)
        issue = check.issue(file=o.found.rel, unit_id=o.unit_id, value=f"{o.found.rel} / {others}")
        o.issues.append(issue)
        o.rejected, o.status = True, "rejected"
        o.reasons = "; ".join(
            f"{i.message_th} [{i.code}]" for i in o.issues if CHECKS[i.code].scope is Scope.FILE
        )


def _summary(issues: Sequence[Issue]) -> str:
    """'cell_not_number (1.1.1); result_empty ×2 (1.2, 2.1); submitted_on_missing'."""
    counts = Counter(i.code for i in issues)
    kpis: dict[str, list[str]] = {}
    for i in issues:
        ids = kpis.setdefault(i.code, [])
        if i.kpi_id and i.kpi_id not in ids:
            ids.append(i.kpi_id)
    parts = []
    for code, n in counts.items():
        text = f"{code} ×{n}" if n > 1 else code
        parts.append(f"{text} ({', '.join(kpis[code])})" if kpis[code] else text)
    return "; ".join(parts)


def register_frame(outcomes: Sequence[FileOutcome]) -> pd.DataFrame:
    errors = [sum(i.severity is Severity.ERROR for i in o.issues) for o in outcomes]
    columns: dict[str, list[object]] = {
        "path": [o.found.rel for o in outcomes],
        "sha256": [o.sha256 for o in outcomes],
        "size": [o.found.size for o in outcomes],
        "modified": [
            o.found.modified.replace(tzinfo=None).isoformat(timespec="seconds") for o in outcomes
        ],
        "unit_id": [o.unit_id for o in outcomes],
        "round_id": [o.round_id for o in outcomes],
        "status": [o.status for o in outcomes],
        "errors": list(errors),
        "warnings": [len(o.issues) - e for o, e in zip(outcomes, errors, strict=True)],
        "reasons": [o.reasons for o in outcomes],
        "submitted_on": [o.submitted_on for o in outcomes],
        "submitted_on_source": [o.source for o in outcomes],
        "superseded_by": [o.superseded_by for o in outcomes],
        "issues": [
            [
                {
                    "code": i.code,
                    "severity": str(i.severity),
                    "where": f"{i.sheet}!{i.cell}" if i.cell else i.sheet,
                    "kpi_id": i.kpi_id,
                }
                for i in o.issues
            ]
            for o in outcomes
        ],
    }
    frame = pd.DataFrame(columns, columns=REGISTER_COLUMNS)
    return frame.astype({"size": "int64", "errors": "int64", "warnings": "int64"})


def submissions_frame(outcomes: Sequence[FileOutcome], known_units: set[str]) -> pd.DataFrame:
    """One row per unit of the framework that sent a file: the winner, or `rejected`."""
    by_unit: dict[str, FileOutcome] = {}
    for o in outcomes:
        if o.unit_id not in known_units or o.status in ("ignored", "superseded"):
            continue
        best = by_unit.get(o.unit_id)
        if o.status.startswith("accepted") or best is None:
            by_unit[o.unit_id] = o
    records = [
        {
            "unit_id": unit_id,
            "file": o.found.rel,
            "submitted_on": o.submitted_on if o.status.startswith("accepted") else None,
            "submitted_on_source": o.source if o.status.startswith("accepted") else "",
            "status": "accepted" if o.status.startswith("accepted") else "rejected",
        }
        for unit_id, o in sorted(by_unit.items())
    ]
    frame = pd.DataFrame(records, columns=SUBMISSION_COLUMNS)
    frame["submitted_on"] = pd.to_datetime(frame["submitted_on"])
    return frame
