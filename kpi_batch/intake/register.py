"""One row per file found, duplicates settled, lateness source chosen. Pure.

Status of a file (exactly one; the counts add up to the number of files found):
- `opened`: a saved e-mail whose spreadsheet attachments are rows of their own
  (`mail.eml#แบบรายงาน.xlsx`), each with its own status;
- `ignored`: not a submission (lock file, hidden file, not a spreadsheet, an e-mail without
  a spreadsheet);
- `rejected`: a file-scope error (codes.py), or unreadable;
- `superseded`: a usable file for the same unit and round as a later one;
- `accepted_with_warnings`: used, with warnings or with KPI results rejected;
- `accepted`: used, nothing to say.

Duplicates: files of one unit carrying different template tokens are all rejected
(`unit_conflicting_files`: a date the file declares itself never decides whose file
wins). Otherwise, among the usable files of a unit for the run's round, the latest received
date wins (below; a file without one competes with its modification date), then the latest
modification time, then the path (so the choice is stable). A rejected file never wins: a
unit whose corrected file is broken keeps its last usable one, and the report shows both.

Received date (DOMAIN §3.6), `received_on` and `date_source`, the first that exists:
`receipt` (the receipts register: a row naming the file, else the unit's latest row),
`email` (the Date of the saved e-mail the file came in, in Thai time), `workbook` (the
`submitted_on` the unit typed, when it is a plausible date). The file's modification date
never charges: a usable file with none of the three has no `received_on` and `date_source`
`date_to_confirm`. When the sources a file has are more than one day apart, a warning
`received_dates_differ` names the one used and the farthest other.
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
from kpi_batch.receipts.spec import Receipt
from kpi_batch.thai import format_date_th

STATUSES = ("accepted", "accepted_with_warnings", "rejected", "superseded", "ignored", "opened")
DATE_TO_CONFIRM = "date_to_confirm"
# date_source -> how messages name it, in the order the sources charge
SOURCE_TH = {
    "receipt": "ทะเบียนรับ",
    "email": "วันที่ของอีเมล",
    "workbook": "วันที่ส่งที่กรอกในแบบรายงาน",
}
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
    "received_on",
    "date_source",
    "receipt_reference",
    "container",
    "sender",
    "superseded_by",
    "issues",
]
SUBMISSION_COLUMNS = ["unit_id", "file", "submitted_on", "date_source", "status"]
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
    receipt: Receipt | None = None
    opened: str = ""  # a saved e-mail's summary of its attachments; status `opened`

    def dates(self) -> list[tuple[str, dt.date]]:
        """(date_source, date) of every source this file has, in charging order."""
        found: list[tuple[str, dt.date]] = []
        if self.receipt is not None:
            found.append(("receipt", self.receipt.received_on))
        if self.found.received is not None:
            found.append(("email", self.found.received.date()))
        if self.workbook_date is not None:
            found.append(("workbook", self.workbook_date))
        return found

    @property
    def received_on(self) -> dt.date | None:
        """The date that charges lateness; None when no source has one."""
        dates = self.dates()
        return dates[0][1] if dates else None

    @property
    def date_source(self) -> str:
        dates = self.dates()
        if dates:
            return dates[0][0]
        usable = not (self.found.ignored or self.opened or self.status == "rejected")
        return DATE_TO_CONFIRM if usable else ""

    @property
    def order_date(self) -> dt.date:
        """What duplicates compete with: the received date, else the file's date."""
        return self.received_on or self.found.modified.date()


def workbook_date(day: object, issues: Sequence[Issue]) -> dt.date | None:
    """The workbook's submitted_on, unless a warning said it cannot be used."""
    if any(i.code in _DATE_WARNINGS for i in issues):
        return None
    return day if isinstance(day, dt.date) else None


def settle(
    outcomes: list[FileOutcome], round_id: str, receipts: Sequence[Receipt] = ()
) -> list[Receipt]:
    """Give every outcome its status, reasons and received date, in place; returns the
    receipts that matched no file (the caller reports them)."""
    unmatched, by_unit = _match_receipts(outcomes, receipts)
    candidates: dict[str, list[FileOutcome]] = {}
    for o in outcomes:
        if o.opened:
            o.status, o.reasons = "opened", o.opened
        elif o.found.ignored:
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
        files.sort(key=lambda o: (o.order_date, o.found.mtime, o.found.rel), reverse=True)
        winner = files[0]
        if winner.receipt is None:
            winner.receipt = by_unit.get(winner.unit_id)
        _date_warning(winner)
        winner.status = "accepted"
        if any(
            i.severity is Severity.WARNING or CHECKS[i.code].scope is Scope.KPI
            for i in winner.issues
        ):
            winner.status = "accepted_with_warnings"
            winner.reasons = _summary(winner.issues)
        for o in files[1:]:
            o.status, o.superseded_by = "superseded", winner.found.rel
            shown = format_date_th(winner.order_date)
            o.reasons = (
                f"มีไฟล์ที่ส่งภายหลังของหน่วยงาน {o.unit_id} รอบ {round_id}: {winner.found.rel} "
                f"(วันที่ส่ง {shown}) ระบบใช้ไฟล์นั้นแทน / superseded by {winner.found.rel}"
            )
    return unmatched


def _match_receipts(
    outcomes: list[FileOutcome], receipts: Sequence[Receipt]
) -> tuple[list[Receipt], dict[str, Receipt]]:
    """Give each file the receipt row naming it. Returns the rows that name no file or no
    unit that sent one, and each unit's latest row by `unit_id` alone (a resubmission is
    received again), which goes to the unit's accepted file: its other files compete on
    their own dates."""
    unmatched = []
    files = [o for o in outcomes if not o.found.ignored and not o.opened]
    by_unit: dict[str, Receipt] = {}
    for r in receipts:
        if r.file:
            named = [o for o in files if r.names(o.found.rel, o.found.container)]
            for o in named:
                o.receipt = r
            if not named:
                unmatched.append(r)
        elif r.unit_id:
            best = by_unit.get(r.unit_id)
            if best is None or r.received_on >= best.received_on:
                by_unit[r.unit_id] = r
    units = {o.unit_id for o in files}
    unmatched += [r for r in receipts if not r.file and r.unit_id not in units]
    return unmatched, by_unit


def _date_warning(o: FileOutcome) -> None:
    """`received_dates_differ` when the file's sources are more than one day apart."""
    dates = o.dates()
    if len(dates) < 2:
        return
    (used, day), *others = dates
    other, other_day = max(others, key=lambda sd: abs((sd[1] - day).days))
    if abs((other_day - day).days) <= 1:
        return
    o.issues.append(
        CHECKS["received_dates_differ"].issue(
            file=o.found.rel,
            unit_id=o.unit_id,
            value=format_date_th(other_day),
            used_th=SOURCE_TH[used],
            used=used,
            used_date=format_date_th(day),
            other_th=SOURCE_TH[other],
            other=other,
        )
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
        "submitted_on": [o.workbook_date for o in outcomes],
        "received_on": [o.received_on for o in outcomes],
        "date_source": [o.date_source for o in outcomes],
        "receipt_reference": [o.receipt.reference if o.receipt else "" for o in outcomes],
        "container": [o.found.container for o in outcomes],
        "sender": [o.found.sender for o in outcomes],
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
        if o.unit_id not in known_units or o.status in ("ignored", "superseded", "opened"):
            continue
        best = by_unit.get(o.unit_id)
        if o.status.startswith("accepted") or best is None:
            by_unit[o.unit_id] = o
    records = [
        {
            "unit_id": unit_id,
            "file": o.found.rel,
            "submitted_on": o.received_on if o.status.startswith("accepted") else None,
            "date_source": o.date_source if o.status.startswith("accepted") else "",
            "status": "accepted" if o.status.startswith("accepted") else "rejected",
        }
        for unit_id, o in sorted(by_unit.items())
    ]
    frame = pd.DataFrame(records, columns=SUBMISSION_COLUMNS)
    frame["submitted_on"] = pd.to_datetime(frame["submitted_on"])
    return frame
