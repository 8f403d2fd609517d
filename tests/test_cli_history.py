"""End to end through the real CLI: two monthly runs on the small framework, then `history`
and `diff`; re-running the same inbox gives the same scores.csv and no second copy in history;
a run that fails before its folder is in place leaves history as it was."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from kpi_batch.cli import app
from kpi_batch.framework.load import load_framework
from kpi_batch.history.store import DB_NAME
from kpi_batch.reports.executive_detail import NO_HISTORY, TREND
from kpi_batch.runfolder import RunFolder
from kpi_batch.templates.fill import fill_template
from kpi_batch.templates.workbook import write_unit_template
from tests.factories import write_small_framework

FEB, MAR = dt.date(2024, 2, 20), dt.date(2024, 3, 15)
FEB_RUN, MAR_RUN, MAR_RERUN = "2567/R1/2024-02-20_1", "2567/R1/2024-03-15_1", "2567/R1/2024-03-15_2"
VALUES: dict[str, dict[str, object]] = {
    "U01": {"1.1.1": 48, "1.1.2": 54, "2.1": (70, 100), "3.1": 2},
    "U02": {"1.1.1": 50, "2.1": (75, 100), "3.1": 3, "4.1": 4},
    "U03": {"1.1.2": 52, "2.1": (65, 100), "4.1": 3},
    "U04": {"1.1.1": 46, "5.1": 50},
}


def make_inbox(
    framework: Path, inbox: Path, values: dict[str, dict[str, object]], sent: dict[str, dt.date]
) -> Path:
    fw = load_framework(framework)
    inbox.mkdir(parents=True)
    (inbox.parent / "blank").mkdir()
    for unit_id, unit_values in values.items():
        blank = write_unit_template(fw, unit_id, "R1", inbox.parent / "blank" / f"{unit_id}.xlsx")
        fill_template(blank, unit_values, submitted_on=sent[unit_id], out=inbox / f"{unit_id}.xlsx")
    return inbox


def cli(*args: str | Path) -> Result:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "220"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def run(framework: Path, inbox: Path, out: Path, as_of: dt.date) -> Result:
    return cli("run", "--framework", framework, "--inbox", inbox, "--out", out,
               "--as-of", as_of.isoformat())  # fmt: skip


@pytest.fixture(scope="module")
def months(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """framework, February inbox (all on time), March inbox (U01's 1.1.1 fell from 48 to
    44; U02 sent 5 days after the 6 Mar due date)."""
    root = tmp_path_factory.mktemp("months")
    framework = write_small_framework(root / "framework.xlsx")
    feb = make_inbox(framework, root / "feb" / "inbox", VALUES,
                     dict.fromkeys(VALUES, dt.date(2024, 2, 15)))  # fmt: skip
    march = {u: dict(v) for u, v in VALUES.items()}
    march["U01"]["1.1.1"] = 44
    sent = dict.fromkeys(VALUES, dt.date(2024, 3, 1)) | {"U02": dt.date(2024, 3, 11)}
    mar = make_inbox(framework, root / "mar" / "inbox", march, sent)
    return framework, feb, mar


def unit_rows(out: Path) -> int:
    with sqlite3.connect(out / DB_NAME) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM unit_scores").fetchone()[0])


def trend_has_history(run_dir: Path) -> bool:
    wb = openpyxl.load_workbook(next(run_dir.glob("executive_*.xlsx")), read_only=True)
    cells = {c for row in wb[TREND].iter_rows(values_only=True) for c in row if c}
    return NO_HISTORY not in cells


def test_history_diff_and_an_identical_rerun(
    months: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    framework, feb, mar = months
    out = tmp_path / "out"
    assert run(framework, feb, out, FEB).exit_code == 0
    assert run(framework, mar, out, MAR).exit_code == 0
    assert not trend_has_history(out / FEB_RUN)
    assert trend_has_history(out / MAR_RUN)  # February is on March's trend sheet

    listed = cli("history", "--out", out)
    assert listed.exit_code == 0, listed.output
    assert FEB_RUN in listed.output and MAR_RUN in listed.output

    diff = cli("diff", FEB_RUN, MAR_RUN, "--out", out)
    assert diff.exit_code == 0, diff.output
    lines = {line.split(" ", 1)[0]: line for line in diff.output.splitlines()}
    assert "ตัวชี้วัด 1.1.1 ผล 48 → 44" in lines["U01"]
    assert "หักคะแนนส่งช้า −0.25 (ส่งรายงานช้า 5 วัน)" in lines["U02"]
    assert "U03" not in lines and "U04" not in lines  # nothing of theirs changed
    assert cli("diff", "previous", "latest", "--out", out).output == diff.output

    rows = unit_rows(out)
    again = run(framework, mar, out, MAR)
    assert again.exit_code == 0
    assert f"เหมือนการประมวลผล {MAR_RUN}" in again.output
    first, second = (out / MAR_RUN / "scores.csv"), (out / MAR_RERUN / "scores.csv")
    assert first.read_bytes() == second.read_bytes()
    assert (out / MAR_RUN / "kpi_scores.csv").read_bytes() == (
        out / MAR_RERUN / "kpi_scores.csv"
    ).read_bytes()
    assert unit_rows(out) == rows  # no second copy
    listed = cli("history", "--out", out)
    assert listed.output.count("2567/R1/2024-03-15_") == 2  # the run, and its re-run beside it
    assert sum(line.startswith(f"  {MAR_RERUN}") for line in listed.output.splitlines()) == 0
    # The re-run's id works in diff too (it has the scores it repeats).
    assert "ตัวชี้วัด 1.1.1 ผล 48 → 44" in cli("diff", FEB_RUN, MAR_RERUN, "--out", out).output


def test_unknown_run_ids_exit_2(months: tuple[Path, Path, Path], tmp_path: Path) -> None:
    framework, feb, _ = months
    out = tmp_path / "out"
    assert cli("diff", FEB_RUN, MAR_RUN, "--out", out).exit_code == 2  # no history at all
    assert "ยังไม่มีประวัติ" in cli("history", "--out", out).output
    run(framework, feb, out, FEB)
    result = cli("diff", FEB_RUN, "2567/R1/2024-09-09_1", "--out", out)
    assert result.exit_code == 2
    assert "ไม่พบการประมวลผล 2567/R1/2024-09-09_1" in result.output
    assert "unknown run" in result.output
    assert cli("diff", "--out", out).exit_code == 2  # only one run: no `previous`


def test_a_failed_run_leaves_history_unchanged(
    months: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    framework, feb, mar = months
    out = tmp_path / "out"
    run(framework, feb, out, FEB)
    rows = unit_rows(out)

    def broken_commit(self: RunFolder) -> Path:
        raise OSError("the share went away while moving the run folder")

    monkeypatch.setattr(RunFolder, "commit", broken_commit)
    failed = run(framework, mar, out, MAR)
    assert failed.exit_code == 3, failed.output  # an internal error (docs/cli.md)
    assert "the share went away" in failed.output
    monkeypatch.undo()
    assert not (out / MAR_RUN).exists()
    assert unit_rows(out) == rows
    with sqlite3.connect(out / DB_NAME) as conn:
        assert [r[0] for r in conn.execute("SELECT run_id FROM runs")] == [FEB_RUN]
    assert run(framework, mar, out, MAR).exit_code == 0  # and the next run is fine
    assert (out / MAR_RUN).is_dir()
