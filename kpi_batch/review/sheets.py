"""`kpi-batch review-sheets`: a finished run folder -> one review workbook per KPI owner.

The run is read through its manifest (deliver.source.load_run: the framework it was made
from, with the fingerprint checked) and its `kpi_results.csv`, checked against the
manifest's checksum: the workbooks show exactly what that run computed, never a file edited
afterwards. Stage `appeal` needs the appeals list (`--appeals`): which (unit, KPI) pairs are
under appeal and the unit's argument (docs/reviews.md).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from kpi_batch.deliver.source import RunFolderError, RunSource, load_run, read_output
from kpi_batch.errors import UsageError
from kpi_batch.model import Owner
from kpi_batch.reports.kpi_results import KPI_RESULTS_NAME
from kpi_batch.review.appeals import read_appeals
from kpi_batch.review.rows import ReviewRow, review_rows
from kpi_batch.review.workbook import write_review_workbook
from kpi_batch.specs.review import STAGES, review_filename


@dataclass(frozen=True)
class Written:
    owner: Owner
    path: Path | None  # None: the owner has no row in this run (no workbook written)
    rows: int


def run_results(source: RunSource) -> list[dict[str, str]]:
    """kpi_results.csv of the run, as text, checked against the manifest."""
    if KPI_RESULTS_NAME not in source.manifest_outputs:
        raise RunFolderError(
            f"{source.run_dir} ไม่มี {KPI_RESULTS_NAME} (ประมวลผลด้วยรุ่นก่อน) ให้ประมวลผลใหม่ / "
            f"the run has no {KPI_RESULTS_NAME} (made by an older version); run it again"
        )
    data = read_output(source, KPI_RESULTS_NAME)
    return [dict(r) for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))]


def review_filename_for(fiscal_year: int, round_id: str, owner_id: str, stage: str) -> str:
    name = review_filename(fiscal_year, round_id, owner_id)
    return name if stage == "review" else name.replace(".xlsx", "_appeal.xlsx")


def write_review_sheets(
    run_dir: Path,
    out_dir: Path,
    stage: str = "review",
    appeals: Path | None = None,
    framework: Path | None = None,
) -> list[Written]:
    if stage not in STAGES:
        raise UsageError("--stage ต้องเป็น review หรือ appeal / --stage must be review or appeal")
    if stage == "appeal" and appeals is None:
        raise UsageError(
            "ขั้นตอน appeal ต้องระบุรายการอุทธรณ์ --appeals FILE / --stage appeal needs --appeals"
        )
    source = load_run(run_dir, framework)
    fw = source.framework
    if not fw.owners:
        raise UsageError(
            "กรอบการประเมินยังไม่มีเจ้าภาพตัวชี้วัด (ชีต owners และคอลัมน์ kpis.owner_id)"
            " / the framework names no KPI owners"
        )
    results = run_results(source)
    appealed = read_appeals(appeals, fw, results) if appeals is not None else None
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for owner in fw.owners:
        rows: list[ReviewRow] = review_rows(fw, owner.owner_id, results, appealed)
        if not rows:
            written.append(Written(owner, None, 0))
            continue
        name = review_filename_for(
            fw.settings.fiscal_year, source.round.round_id, owner.owner_id, stage
        )
        path = write_review_workbook(
            out_dir / name, fw, source.round, owner, source.run_id, stage, rows
        )
        written.append(Written(owner, path, len(rows)))
    return written
