"""The pipeline's wiring, end to end: the demo's March inbox with an adjustments workbook.

Every stage has its own tests; this one checks that `pipeline.run` hands each stage's result
to the next. The demo inbox (36 units with the usual mistakes, one arriving as a saved
e-mail) is run with the demo's receipts register and adjustments plus two bad rows, and
what comes out is compared with committed files:

- `tests/golden/demo_run/scores.csv`: the run's scores.csv, byte for byte. It changes if the
  adjustments do not reach scoring (U04's review, U06's exemption, U08's appeal ...).
- `tests/golden/demo_run/issues.csv`: every issue the run reported, from the manifest's
  inputs and from the validation report's issues sheet. It changes if the adjustments'
  issues do not reach the reports.

The exit code with bad adjustments and an inbox where every file is accepted is checked in
`tests/test_cli_run.py` (here rejected files already make it 1).

Regenerate after an intended change: `KPI_BATCH_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest
tests/test_pipeline_wiring.py`, then review `git diff tests/golden/demo_run`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from kpi_batch.demo import ADJUSTMENT_ROWS, build_demo, write_demo_adjustments
from kpi_batch.pipeline import RunRequest, RunResult, run
from kpi_batch.reports.validation import REPORT_NAME
from tests.golden_compare import assert_text_matches_golden

# Two rows a KPI owner gets wrong: a KPI that U04 did not sign, and a level typed in words.
BAD_ROWS = (
    ("U04", "9.9", "review", "level", "3", "ตัวชี้วัดที่หน่วยงานไม่ได้ลงนาม", "บันทึก 13/2567"),
    ("U05", "1.1.1", "review", "level", "สาม", "พิมพ์ระดับเป็นตัวอักษร", "บันทึก 14/2567"),
)
ISSUE_KEYS = ("reported_in", "file", "unit_id", "where", "kpi_id", "severity", "code")


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    folder = build_demo(tmp_path_factory.mktemp("demo"))
    adjustments = write_demo_adjustments(
        folder.root / "adjustments_with_mistakes.xlsx", (*ADJUSTMENT_ROWS, *BAD_ROWS)
    )
    month, inbox = folder.inboxes[-1]  # March: the round's close
    return run(
        RunRequest(
            folder.framework,
            inbox,
            folder.output,
            month.as_of,
            None,
            adjustments,
            receipts=folder.receipts,
        )
    )


def test_scores_csv_matches_the_committed_one(demo_run: RunResult) -> None:
    produced = (demo_run.run_dir / "scores.csv").read_bytes().decode("utf-8")
    assert_text_matches_golden(produced, "demo_run/scores.csv")


def test_issues_in_manifest_and_validation_report_match_the_committed_ones(
    demo_run: RunResult,
) -> None:
    rows = [*_manifest_issues(demo_run.run_dir), *_report_issues(demo_run.run_dir)]
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(ISSUE_KEYS)
    writer.writerows(rows)
    assert_text_matches_golden(text.getvalue(), "demo_run/issues.csv")


def test_bad_adjustments_are_reported_and_the_run_needs_a_person(demo_run: RunResult) -> None:
    codes = sorted(issue.code for issue in demo_run.adjustment_issues)
    assert len(codes) == len(BAD_ROWS), codes
    assert demo_run.exit_code == 1


def _manifest_issues(run_dir: Path) -> list[tuple[str, ...]]:
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    return [
        ("manifest", f["path"], f["unit_id"], i["where"], i["kpi_id"], i["severity"], i["code"])
        for f in manifest["inputs"]
        for i in f["issues"]
    ]


def _report_issues(run_dir: Path) -> list[tuple[str, ...]]:
    """The validation report's issues sheet, the columns that do not hold prose."""
    book = CalamineWorkbook.from_path(str(run_dir / REPORT_NAME))
    header, *body = book.get_sheet_by_name("ปัญหาที่พบ (issues)").to_python()
    column = {str(h).rsplit("(", 1)[-1].rstrip(")"): n for n, h in enumerate(header)}
    keys = ISSUE_KEYS[2:]
    # The adjustments workbook is named by its full path, which is the test's temp folder.
    return [
        (
            "validation_report",
            Path(str(row[column["file"]])).name,
            *(str(row[column[k]]) for k in keys),
        )
        for row in body
    ]


def test_the_run_returns_the_record_its_files_were_written_from(demo_run: RunResult) -> None:
    """`RunResult.record` is what the reports, manifest and history read: the same run id,
    the register the manifest lists, and what the returned copies were made from."""
    record = demo_run.record
    manifest = json.loads((demo_run.run_dir / record.layout.MANIFEST).read_text("utf-8"))
    assert record.run_id == manifest["run_id"] == demo_run.run_id
    assert [str(p) for p in record.inputs["path"]] == [i["path"] for i in manifest["inputs"]]
    assert record.inbox is not None and record.intake_issues and len(record.results)
    returned = [
        o["path"] for o in manifest["outputs"] if record.layout.kind(o["path"]) == "returned"
    ]
    flagged = {i.file for i in record.intake_issues}
    assert returned and all(
        any(record.layout.returned(f) == rel for f in flagged) for rel in returned
    )
