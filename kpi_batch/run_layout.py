"""Every file name inside a run folder, in one place: `RunLayout(fiscal_year, round_id)`.

    scores.csv, kpi_scores.csv                 DOMAIN §7, for HR systems and other tools
    kpi_results.csv                            what units reported per KPI (review-sheets)
    hr_<fy>_<round>.xlsx                       the confidential list for HR
    executive_<fy>_<round>.xlsx                the executives' summary
    validation_report.xlsx                     every problem found in the inputs
    status_<fy>_<round>.xlsx                   each unit's state in the round across runs
    changes_<fy>_<round>.xlsx                  what changed since the round's previous run
    units/result_<fy>_<round>_<unit>.xlsx      one per scored unit, its own data only
    returned/[<sub-folder>/]<stem>_<ext>_แก้ไข.xlsx  a marked-up copy of a flagged file
    manifest.json                              what the run read and wrote, with checksums
    outbox/, outbox_reviews/, outbox_reminders/  `kpi-batch email` dry runs (.eml + outbox.csv)
    delivery_log.jsonl, delivery_log.csv       what `kpi-batch email --send` sent
    .kpi-batch.lock, .kpi-batch.holder         held while e-mail reads or writes the folder

Writers put their files where this says and readers (e-mail, review sheets, `status`) find
them the same way, so a name is spelled once: a file renamed here is renamed everywhere,
and a file no method here names is not the run's (tests/test_run_layout.py walks the demo's
run folders against `kind`). Pieces taken from data (round and unit ids) go through
`safe_name`; the names of files in the inbox keep their sub-folder under `returned/`.

The archive a run may copy its inputs to (`--archive`) has its own layout, `ArchiveLayout`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import ClassVar

from kpi_batch.safe_names import safe_name

# The marked-up copy's suffix, before `.xlsx`: Thai "corrected", what a unit looks for.
RETURNED_SUFFIX = "_แก้ไข"
# The intake statuses of the files that get a copy under `returned/`: the ones whose problems
# a unit can fix and send again. Superseded files were replaced by a newer one from the same
# unit, and ignored ones are not submissions.
RETURNED_FOR = ("rejected", "accepted_with_warnings")


@dataclass(frozen=True)
class RunLayout:
    """The names of one round's run folders; paths are relative, with `/`, as the
    manifest records them (`run_dir / layout.hr` joins them on any system)."""

    fiscal_year: int
    round_id: str

    SCORES: ClassVar[str] = "scores.csv"
    KPI_SCORES: ClassVar[str] = "kpi_scores.csv"
    KPI_RESULTS: ClassVar[str] = "kpi_results.csv"
    VALIDATION_REPORT: ClassVar[str] = "validation_report.xlsx"
    MANIFEST: ClassVar[str] = "manifest.json"
    UNITS_DIR: ClassVar[str] = "units"
    RETURNED_DIR: ClassVar[str] = "returned"
    OUTBOX: ClassVar[str] = "outbox"  # the units' e-mail dry run
    OUTBOX_REVIEWS: ClassVar[str] = "outbox_reviews"  # the KPI owners' e-mail dry run
    OUTBOX_REMINDERS: ClassVar[str] = "outbox_reminders"  # reminders' dry run (--remind)
    OUTBOX_INDEX: ClassVar[str] = "outbox.csv"  # inside either outbox
    DELIVERY_LOG_JSONL: ClassVar[str] = "delivery_log.jsonl"
    DELIVERY_LOG_CSV: ClassVar[str] = "delivery_log.csv"
    LOCK: ClassVar[str] = ".kpi-batch.lock"
    LOCK_HOLDER: ClassVar[str] = ".kpi-batch.holder"

    @property
    def _round(self) -> str:
        return f"{self.fiscal_year}_{safe_name(self.round_id)}"

    @property
    def hr(self) -> str:
        return f"hr_{self._round}.xlsx"

    @property
    def executive(self) -> str:
        return f"executive_{self._round}.xlsx"

    @property
    def status(self) -> str:
        return f"status_{self._round}.xlsx"

    @property
    def changes(self) -> str:
        return f"changes_{self._round}.xlsx"

    def unit_result_name(self, unit_id: str) -> str:
        """`result_<fy>_<round>_<unit>.xlsx`, the file's own name (an attachment's)."""
        return f"result_{self._round}_{safe_name(unit_id)}.xlsx"

    def unit_result(self, unit_id: str) -> str:
        return f"{self.UNITS_DIR}/{self.unit_result_name(unit_id)}"

    @classmethod
    def returned(cls, inbox_rel: str) -> str:
        """`returned/<where>` for the inbox file `inbox_rel` (see `returned_copy_path`)."""
        return f"{cls.RETURNED_DIR}/{returned_copy_path(inbox_rel)}"

    OUTBOXES: ClassVar[tuple[str, ...]] = (OUTBOX, OUTBOX_REVIEWS, OUTBOX_REMINDERS)

    @classmethod
    def outbox_file(cls, name: str, outbox: str | None = None) -> str:
        return f"{outbox or cls.OUTBOX}/{name}"

    @property
    def attachable(self) -> tuple[str, ...]:
        """The run-wide files e-mail may attach (units' and returned files aside)."""
        return (self.hr, self.executive)

    def is_attachable(self, rel: str) -> bool:
        return rel in self.attachable or rel.startswith(
            (f"{self.UNITS_DIR}/", f"{self.RETURNED_DIR}/")
        )

    def kind(self, rel: str) -> str | None:
        """What the file at `rel` is ("hr", "unit_result", "returned", ...), None for a
        file that no name here produces (not the run's own)."""
        fixed = {
            self.SCORES: "scores",
            self.KPI_SCORES: "kpi_scores",
            self.KPI_RESULTS: "kpi_results",
            self.VALIDATION_REPORT: "validation_report",
            self.MANIFEST: "manifest",
            self.DELIVERY_LOG_JSONL: "delivery_log",
            self.DELIVERY_LOG_CSV: "delivery_log",
            self.LOCK: "lock",
            self.LOCK_HOLDER: "lock",
            self.hr: "hr",
            self.executive: "executive",
            self.status: "status",
            self.changes: "changes",
        }
        if rel in fixed:
            return fixed[rel]
        folder, *rest = PurePosixPath(rel).parts
        name = rest[-1] if rest else ""
        if folder == self.UNITS_DIR and len(rest) == 1:
            unit = name.removeprefix(f"result_{self._round}_").removesuffix(".xlsx")
            return "unit_result" if self.unit_result_name(unit) == name else None
        if folder == self.RETURNED_DIR and name.endswith(f"{RETURNED_SUFFIX}.xlsx"):
            return "returned"
        in_outbox = folder in self.OUTBOXES and len(rest) == 1
        if in_outbox and (name == self.OUTBOX_INDEX or name.endswith(".eml")):
            return "outbox"
        return None


def returned_name(original_name: str) -> str:
    """`2567_R1_U01.xlsx` -> `2567_R1_U01_xlsx_แก้ไข.xlsx`: the original's extension stays in
    the name, so `report.xls`, `report.xlsx` and `report.ods` of three units in one folder get
    three copies (an extension has no `_`, so no two originals share a copy's name). The copy
    is always an .xlsx: a sender's macros (.xlsm) are never sent back."""
    original = PurePosixPath(original_name)
    extension = original.suffix.lstrip(".") or "file"
    return f"{original.stem}_{extension}{RETURNED_SUFFIX}.xlsx"


def returned_copy_path(inbox_rel: str) -> str:
    """Where, inside `returned/`, the copy of the inbox file `inbox_rel` goes
    ("เขต1/U01.xlsx" -> "เขต1/U01_xlsx_แก้ไข.xlsx"): the file's sub-folder is kept, so that
    two files of one name in two folders get two copies (a flat folder would keep only the
    last one written)."""
    folder, _, name = inbox_rel.rpartition("/")
    copy = returned_name(name)
    return f"{folder}/{copy}" if folder else copy


@dataclass(frozen=True)
class ArchiveLayout:
    """`--archive DIR`: `<DIR>/<fy>/<round>/<run>/` holds `inbox/<path in the inbox>`,
    `<source>/<file name>` (framework, adjustments, reviews) and `SHA256SUMS`."""

    INBOX: ClassVar[str] = "inbox"
    SUMS: ClassVar[str] = "SHA256SUMS"
