"""`kpi-batch run` end to end through the real CLI (in process, so monkeypatch can inject
failures): exit codes 0 / 1 / 2 / 3, progress and summary, inputs never touched, a failure
after the reports started leaves `latest`, history and the archive as they were, a second
concurrent run is refused, and `--archive` keeps verified copies.

Identical inputs giving identical scores.csv is tests/test_cli_history.py's."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from kpi_batch import cli as cli_module
from kpi_batch.archive import SUMS_NAME
from kpi_batch.framework.load import load_framework
from kpi_batch.history.store import DB_NAME
from kpi_batch.runfolder import STAGING, acquire_lock, latest_run
from kpi_batch.templates.fill import fill_template
from kpi_batch.templates.workbook import write_unit_template
from tests.adjustment_factories import write_adjustment_rows
from tests.factories import small_framework_rows, write_small_framework
from tests.test_runfolder import lock_is_held

AS_OF = dt.date(2024, 2, 20)
SENT = dt.date(2024, 2, 15)
FIRST, SECOND = "2024-02-20_1", "2024-02-20_2"
VALUES: dict[str, dict[str, object]] = {
    "U01": {"1.1.1": 48, "1.1.2": 54, "2.1": (70, 100), "3.1": 2},
    "U02": {"1.1.1": 50, "2.1": (75, 100), "3.1": 3, "4.1": 4},
    "U03": {"1.1.2": 52, "2.1": (65, 100), "4.1": 3},
    "U04": {"1.1.1": 46, "5.1": 50},
}


def cli(*args: str | Path) -> Result:
    return CliRunner().invoke(cli_module.app, [str(a) for a in args], env={"COLUMNS": "200"})


def run(framework: Path, inbox: Path, out: Path, *extra: str | Path) -> Result:
    return cli("run", "--framework", framework, "--inbox", inbox, "--out", out,
               "--as-of", AS_OF.isoformat(), *extra)  # fmt: skip


def make_inbox(framework: Path, inbox: Path, values: dict[str, dict[str, object]]) -> Path:
    fw = load_framework(framework)
    blank = inbox.parent / f"{inbox.name}_blank"
    inbox.mkdir(parents=True)
    blank.mkdir()
    for unit_id, unit_values in values.items():
        template = write_unit_template(fw, unit_id, "R1", blank / f"{unit_id}.xlsx")
        fill_template(template, unit_values, submitted_on=SENT, out=inbox / f"{unit_id}.xlsx")
    return inbox


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The small framework and an inbox where every unit sent a complete, valid file."""
    root = tmp_path_factory.mktemp("run")
    framework = write_small_framework(root / "framework.xlsx")
    return framework, make_inbox(framework, root / "inbox", VALUES)


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under `folder`: sha256 and modification time (ns)."""
    return {
        p.relative_to(folder).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def history_state(out: Path) -> tuple[list[tuple[object, ...]], int]:
    with sqlite3.connect(out / DB_NAME) as conn:
        runs = conn.execute("SELECT run_id, state FROM runs ORDER BY run_id").fetchall()
        units = int(conn.execute("SELECT COUNT(*) FROM unit_scores").fetchone()[0])
    return runs, units


# --- exit 0 and 1 ---------------------------------------------------------------------


def test_all_accepted_exit_0_with_progress_summary_and_inputs_untouched(
    world: tuple[Path, Path], tmp_path: Path
) -> None:
    framework, inbox = world
    before = snapshot(inbox)
    result = run(framework, inbox, tmp_path / "out")
    assert result.exit_code == 0, result.output
    # progress, one bar per stage with counts (stderr), then the summary (stdout)
    assert "อ่านไฟล์รายงานผล (ไฟล์) / intake" in result.stderr
    assert "4/4" in result.stderr  # files read, unit workbooks written
    assert "ผลรายหน่วยงาน (ไฟล์) / unit workbooks" in result.stderr
    for line in ("files found", "accepted", "rejected", "superseded", "ignored", "scored",
                 "missing", "เวลา / time", "ผลลัพธ์อยู่ที่ / outputs"):  # fmt: skip
        assert line in result.stdout
    assert re.search(r"files found\s*│\s*4\b", result.stdout)
    assert "history" in result.stdout.split("เวลา / time", 1)[1]  # every stage timed
    assert snapshot(inbox) == before  # inputs are never moved or modified


def test_a_rejected_file_exits_1(world: tuple[Path, Path], tmp_path: Path) -> None:
    framework, _ = world
    inbox = make_inbox(framework, tmp_path / "inbox", VALUES)
    (inbox / "U04.xlsx").write_bytes(b"this is not a workbook")
    result = run(framework, inbox, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert re.search(r"rejected\s*│\s*1\b", result.stdout)
    assert "validation_report.xlsx" in result.stdout


def test_a_missing_unit_exits_1(world: tuple[Path, Path], tmp_path: Path) -> None:
    framework, _ = world
    three = {u: v for u, v in VALUES.items() if u != "U03"}
    result = run(framework, make_inbox(framework, tmp_path / "inbox", three), tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert re.search(r"missing\s*│\s*1\b", result.stdout)


def test_bad_adjustments_exit_1_even_when_every_file_is_accepted(
    world: tuple[Path, Path], tmp_path: Path
) -> None:
    """A KPI owner's correction that cannot be applied needs a person as much as a rejected
    file does: the run finishes, says which cell, and exits 1."""
    framework, inbox = world
    adjustments = write_adjustment_rows(
        tmp_path / "adjustments.xlsx",
        [("U02", "9.9", "review", "level", 4, "ตัวชี้วัดที่ไม่ได้ลงนาม", "บันทึกที่ 13/2567")],
    )
    result = run(framework, inbox, tmp_path / "out", "--adjustments", adjustments)
    assert result.exit_code == 1, result.output
    assert re.search(r"rejected\s*│\s*0\b", result.stdout)  # every file was accepted
    assert "adjustments!B2" in result.stdout
    assert "[adjustment_unknown_kpi]" in result.stdout


# --- exit 2 ---------------------------------------------------------------------------


def test_a_bad_framework_exits_2_listing_its_problems(
    world: tuple[Path, Path], tmp_path: Path
) -> None:
    _, inbox = world
    rows = small_framework_rows()
    rows["units"][0]["cluster_id"] = "C9"
    framework = write_small_framework(tmp_path / "bad.xlsx", rows)
    result = run(framework, inbox, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "units!C2" in result.output
    assert not (tmp_path / "out" / "2567").exists()


def test_an_unknown_round_exits_2(world: tuple[Path, Path], tmp_path: Path) -> None:
    framework, inbox = world
    result = run(framework, inbox, tmp_path / "out", "--round", "R9")
    assert result.exit_code == 2, result.output
    assert "unknown round 'R9'" in result.output


def test_a_missing_inbox_exits_2(world: tuple[Path, Path], tmp_path: Path) -> None:
    framework, _ = world
    result = run(framework, tmp_path / "no-such-inbox", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "inbox not found" in result.output


def test_a_second_concurrent_run_is_refused(world: tuple[Path, Path], tmp_path: Path) -> None:
    """Another run holds the lock (here: this process, through the same function a run
    uses); the refusal names it. Across processes: tests/test_run_lock.py."""
    framework, inbox = world
    out = tmp_path / "out"
    out.mkdir()
    lock = acquire_lock(out)
    try:
        result = run(framework, inbox, out)
    finally:
        lock.release()
    assert result.exit_code == 2, result.output
    assert "another run holds" in result.output
    assert f"pid {os.getpid()}" in result.output
    assert not (out / "2567").exists()


# --- exit 3 ---------------------------------------------------------------------------


def _boom(*args: object, **kwargs: object) -> object:
    raise RuntimeError("injected failure")


def test_an_internal_error_exits_3_with_a_short_message_and_a_log(
    world: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    framework, inbox = world
    monkeypatch.setattr("kpi_batch.pipeline.score_round", _boom)
    out = tmp_path / "out"
    result = run(framework, inbox, out)
    assert result.exit_code == 3, result.output
    assert "internal error: RuntimeError: injected failure" in result.output
    assert "Traceback" not in result.output
    logs = list((out / "logs").glob("crash_*.log"))
    assert len(logs) == 1
    assert str(logs[0]) in result.output
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in text and "injected failure" in text

    debug = run(framework, inbox, out, "--debug")
    assert debug.exit_code == 3
    assert "Traceback (most recent call last)" in debug.output


def _fails_on_third(real: Callable[..., Path]) -> Callable[..., Path]:
    calls = []

    def write(*args: object) -> Path:
        calls.append(args)
        if len(calls) == 3:
            raise OSError("disk full while writing a unit workbook")
        return real(*args)

    return write


def test_a_failure_after_reports_started_keeps_latest_history_and_archive(
    world: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    framework, inbox = world
    out, archive = tmp_path / "out", tmp_path / "archive"
    assert run(framework, inbox, out, "--archive", archive).exit_code == 0
    round_dir = out / "2567" / "R1"
    before = (snapshot(round_dir), history_state(out), snapshot(archive))

    import kpi_batch.reports.unit as unit

    # the unit workbooks come after the CSVs, HR, executive and validation files
    monkeypatch.setattr(unit, "write_from_data", _fails_on_third(unit.write_from_data))
    result = run(framework, inbox, out, "--archive", archive)
    assert result.exit_code == 3, result.output
    assert "disk full" in result.output

    assert latest_run(out, 2567, "R1") == round_dir / FIRST
    assert not (round_dir / SECOND).exists()
    assert not any((out / STAGING).iterdir())  # no partial folder
    assert not lock_is_held(out)
    assert (snapshot(round_dir), history_state(out), snapshot(archive)) == before


def test_an_input_changed_during_the_run_stops_the_archive(
    world: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The archive must hold what was scored: a file edited after intake read it fails the
    run (exit 3), and neither the run nor a partial archive is left."""
    framework, _ = world
    inbox = make_inbox(framework, tmp_path / "inbox", VALUES)
    import kpi_batch.pipeline as pipeline

    real = pipeline.score_round

    def score_then_edit(*args: object, **kwargs: object) -> object:
        with (inbox / "U02.xlsx").open("ab") as f:
            f.write(b"\0")  # a unit re-saves its file while the batch runs
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "score_round", score_then_edit)
    out, archive = tmp_path / "out", tmp_path / "archive"
    result = run(framework, inbox, out, "--archive", archive)
    assert result.exit_code == 3, result.output
    assert "U02.xlsx" in result.output and "changed while the run read it" in result.output
    assert latest_run(out, 2567, "R1") is None
    assert not [p for p in archive.rglob("*") if p.is_file()]


# --- --archive ------------------------------------------------------------------------


def test_archive_copies_accepted_files_with_their_checksums(
    world: tuple[Path, Path], tmp_path: Path
) -> None:
    framework, _ = world
    inbox = make_inbox(framework, tmp_path / "inbox", VALUES)
    (inbox / "late").mkdir()
    (inbox / "notes.txt").write_text("not a submission", encoding="utf-8")
    (inbox / "U04.xlsx").rename(inbox / "late" / "U04.xlsx")  # subfolders are kept
    (inbox / "U03.xlsx").write_bytes(b"broken")  # rejected: not archived
    before = snapshot(inbox)
    out, archive = tmp_path / "out", tmp_path / "archive"
    result = run(framework, inbox, out, "--archive", archive)
    assert result.exit_code == 1, result.output
    assert snapshot(inbox) == before
    assert "archive (3 submissions, framework)" in result.stdout

    folder = archive / "2567" / "R1" / FIRST
    sums = (folder / SUMS_NAME).read_text(encoding="utf-8").splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in sums)
    assert sorted(listed) == [
        "framework/framework.xlsx", "inbox/U01.xlsx", "inbox/U02.xlsx", "inbox/late/U04.xlsx",
    ]  # fmt: skip
    for rel, digest in listed.items():
        assert hashlib.sha256((folder / rel).read_bytes()).hexdigest() == digest
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        SUMS_NAME, *sorted(listed)
    ]  # fmt: skip
    for rel in ("U01.xlsx", "U02.xlsx", "late/U04.xlsx"):
        assert before[rel][0] == listed[f"inbox/{rel}"]
    manifest = json.loads((out / "2567" / "R1" / FIRST / "manifest.json").read_text("utf-8"))
    registered = {i["path"]: i["sha256"] for i in manifest["inputs"]}
    archived = ("U01.xlsx", "U02.xlsx", "late/U04.xlsx")
    assert all(registered[rel] == listed[f"inbox/{rel}"] for rel in archived)
    assert manifest["framework"]["sha256"] == listed["framework/framework.xlsx"]
    assert manifest["archive"] == str(folder)


def test_the_run_can_be_done_again_from_its_archive_alone(
    world: tuple[Path, Path], tmp_path: Path
) -> None:
    """Someone checking an HR decision later has the archive only: framework, adjustments
    and accepted files; running it again gives the same scores."""
    framework, inbox = world
    adjustments = tmp_path / "adjustments.xlsx"
    write_adjustment_rows(
        adjustments, [("U02", "3.1", "review", "level", 4, "ทบทวนหลักฐาน", "บันทึกที่ 12/2567")]
    )
    out, archive = tmp_path / "out", tmp_path / "archive"
    first = run(framework, inbox, out, "--archive", archive, "--adjustments", adjustments)
    assert first.exit_code == 0, first.output
    folder = archive / "2567" / "R1" / FIRST
    assert (folder / "adjustments" / "adjustments.xlsx").read_bytes() == adjustments.read_bytes()

    framework.rename(framework.with_suffix(".moved"))  # the originals are gone
    try:
        again = cli("run", "--framework", folder / "framework" / "framework.xlsx",
                    "--inbox", folder / "inbox", "--out", tmp_path / "again",
                    "--adjustments", folder / "adjustments" / "adjustments.xlsx",
                    "--as-of", AS_OF.isoformat())  # fmt: skip
    finally:
        framework.with_suffix(".moved").rename(framework)
    assert again.exit_code == 0, again.output
    scores = [
        (p / "2567" / "R1" / FIRST / "scores.csv").read_bytes() for p in (out, tmp_path / "again")
    ]
    assert scores[0] == scores[1]
    assert b"U02" in scores[0]


def test_an_archive_inside_the_inbox_is_refused(world: tuple[Path, Path], tmp_path: Path) -> None:
    framework, _ = world
    inbox = make_inbox(framework, tmp_path / "inbox", VALUES)
    result = run(framework, inbox, tmp_path / "out", "--archive", inbox / "archive")
    assert result.exit_code == 2, result.output
    assert "--archive must not be inside the inbox" in result.output
    assert not (inbox / "archive").exists()


def test_every_command_is_in_docs_cli_md() -> None:
    docs = (Path(__file__).parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in cli_module.app.registered_commands:
        name = command.name or command.callback.__name__  # type: ignore[union-attr]
        assert f"## `kpi-batch {name}" in docs, name


@pytest.mark.parametrize(
    "text", ["2024-02-20", "2567-02-20", "20/2/2567", "20 ก.พ. 2567", "๒๐/๒/๒๕๖๗", "20/02/67"]
)
def test_as_of_is_read_as_the_workbooks_write_dates(text: str) -> None:
    assert cli_module._as_of(text) == AS_OF


def test_a_buddhist_era_as_of_names_the_run_folder_in_ce(
    world: tuple[Path, Path], tmp_path: Path
) -> None:
    framework, inbox = world
    out = tmp_path / "out"
    result = cli("run", "--framework", framework, "--inbox", inbox, "--out", out,
                 "--as-of", "20 ก.พ. 2567")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert latest_run(out, 2567, "R1") == out / "2567" / "R1" / FIRST
    bad = cli("run", "--framework", framework, "--inbox", inbox, "--out", out,
              "--as-of", "2/30/2024")  # fmt: skip
    assert bad.exit_code == 2 and "15/3/2567" in bad.output
