"""Every file a run writes, in one place: what goes where inside the run folder.

scores.csv, kpi_scores.csv           DOMAIN §7, for HR systems and other tools
hr_<fy>_<round>.xlsx                 the confidential list for HR (table `hr`)
executive_<fy>_<round>.xlsx          the executives' summary
units/unit_<unit_id>.xlsx            one per scored unit, its own data only
validation_report.xlsx               every problem found in the inputs
returned/<file>_แก้ไข.xlsx           a marked-up copy of each unit file with problems
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from kpi_batch.intake import IntakeResult
from kpi_batch.issues import Issue
from kpi_batch.reports.context import ReportContext
from kpi_batch.reports.csv import write_kpi_scores_csv, write_scores_csv
from kpi_batch.reports.executive import write_executive_workbook
from kpi_batch.reports.hr import write_hr_workbook
from kpi_batch.reports.returned import write_returned_workbook
from kpi_batch.reports.unit import write_unit_workbooks
from kpi_batch.reports.validation import write_validation_report

Progress = Callable[[str, int, int | None], None]
# Files whose problems a unit can fix and send again. Superseded files were replaced by a
# newer one from the same unit, and ignored ones are not submissions.
RETURNABLE = ("rejected", "accepted_with_warnings")


def hr_name(ctx: ReportContext) -> str:
    return f"hr_{ctx.fiscal_year}_{ctx.round.round_id}.xlsx"


def executive_name(ctx: ReportContext) -> str:
    return f"executive_{ctx.fiscal_year}_{ctx.round.round_id}.xlsx"


def write_reports(
    ctx: ReportContext,
    run_dir: Path,
    intake: IntakeResult,
    progress: Progress | None = None,
) -> list[Path]:
    report = progress or (lambda stage, done, total: None)
    written = [
        write_scores_csv(ctx, run_dir / "scores.csv"),
        write_kpi_scores_csv(ctx, run_dir / "kpi_scores.csv"),
        write_hr_workbook(ctx, run_dir / hr_name(ctx)),
        write_executive_workbook(ctx, run_dir / executive_name(ctx)),
    ]
    report("reports", len(written), None)
    units = write_unit_workbooks(ctx, run_dir / "units")
    written += units
    report("unit workbooks", len(units), len(units))
    units_by_id = {u.unit_id: u.name for u in ctx.framework.units}
    written.append(write_validation_report(run_dir, ctx.input_issues, ctx.inputs, units_by_id))
    written += write_returned_workbooks(intake, run_dir / "returned")
    return written


def write_returned_workbooks(intake: IntakeResult, out_dir: Path) -> list[Path]:
    """A marked-up copy of every rejected or flagged file; the originals are only read."""
    by_file: dict[str, list[Issue]] = defaultdict(list)
    for issue in intake.issues:
        by_file[issue.file].append(issue)
    returnable = intake.register[intake.register["status"].isin(RETURNABLE)]
    written = []
    for rel in returnable["path"]:
        issues = by_file.get(str(rel))
        if not issues:
            continue
        out_dir.mkdir(parents=True, exist_ok=True)
        written.append(write_returned_workbook(intake.inbox / str(rel), issues, out_dir))
    return written
