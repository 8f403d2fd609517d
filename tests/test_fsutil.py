"""Windows failures simulated with fakes: a rename refused twice (a virus scanner) then
allowed, a file always held (Excel), read-only copies, long paths. Every case ends in a
finished result or a Thai message naming the file, exit 2, and nothing finished lost."""

from __future__ import annotations

import csv
import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from kpi_batch import fsutil
from kpi_batch.deliver.log import LOG_CSV, LOG_JSONL
from kpi_batch.errors import FileInUseError
from kpi_batch.runfolder import STAGING, latest_run
from tests.email_factories import Handler, base_run, copy_run, smtp_server
from tests.test_cli_run import FIRST, SECOND, cli, run, world  # noqa: F401  (world: the fixture)
from tests.test_email_smtp import delivered_pairs, email, expected_pairs

SHARING_VIOLATION = "[WinError 32] The process cannot access the file because it is being used"


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(fsutil, "sleep", slept.append)
    return slept


def refusing(
    real: Callable[..., None], when: Callable[[str, str], bool], times: int | None
) -> Callable[..., None]:
    """os.replace that raises PermissionError `times` times (None: always) for the pairs
    `when` picks, as Windows does while another program holds the file."""
    left = [times]

    def replace(src: str, dst: str, *args: object, **kwargs: object) -> None:
        if when(str(src), str(dst)) and (left[0] is None or left[0] > 0):
            if left[0] is not None:
                left[0] -= 1
            raise PermissionError(13, SHARING_VIOLATION, str(dst))
        real(src, dst, *args, **kwargs)

    return replace


def test_a_rename_refused_twice_then_allowed_succeeds_after_two_pauses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pauses: list[float]
) -> None:
    source, target = tmp_path / "a.txt", tmp_path / "b.txt"
    source.write_text("x", encoding="utf-8")
    monkeypatch.setattr(os, "replace", refusing(os.replace, lambda s, d: True, 2))
    fsutil.replace(source, target)
    assert target.read_text(encoding="utf-8") == "x"
    assert pauses == list(fsutil.RETRY_DELAYS[:2])


def test_a_file_always_held_gets_a_thai_message_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pauses: list[float]
) -> None:
    target = tmp_path / "delivery_log.csv"
    target.write_text("old", encoding="utf-8")
    monkeypatch.setattr(os, "replace", refusing(os.replace, lambda s, d: True, None))
    with pytest.raises(FileInUseError) as held:
        fsutil.write_text(target, "new")
    message = str(held.value)
    assert f"ปิดไฟล์ {target} ใน Excel" in message and "แล้วสั่งใหม่" in message
    assert held.value.exit_code == 2
    assert pauses == list(fsutil.RETRY_DELAYS)  # bounded: a few seconds, then the message
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["delivery_log.csv"]  # no temp left


def test_copies_are_writable_and_read_only_trees_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "U01.xlsx"
    source.write_bytes(b"data")
    source.chmod(stat.S_IREAD)
    copy = tmp_path / "archive" / "U01.xlsx"
    copy.parent.mkdir()
    fsutil.copy_file(source, copy)
    assert copy.stat().st_mode & stat.S_IWRITE
    assert copy.stat().st_mtime_ns == source.stat().st_mtime_ns  # copy2: the time kept

    # Windows refuses to delete a read-only file; here a fake unlink does the same.
    copy.chmod(stat.S_IREAD)
    real_unlink = os.unlink

    def windows_unlink(path: object, *args: object, **kwargs: object) -> None:
        if not os.stat(path, dir_fd=kwargs.get("dir_fd")).st_mode & stat.S_IWRITE:  # type: ignore[arg-type]
            raise PermissionError(13, "[WinError 5] Access is denied", str(path))
        real_unlink(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "unlink", windows_unlink)
    fsutil.rmtree(copy.parent)
    assert not copy.parent.exists()


def test_long_paths_get_the_windows_prefix() -> None:
    deep = "\\\\server\\share\\" + "\\".join(["กลุ่มพัฒนาระบบบริหาร"] * 12) + "\\x.xlsx"
    assert fsutil.long_path(Path(deep), windows=True).startswith("\\\\?\\UNC\\server\\share\\")
    local = "C:\\" + "\\".join(["folder"] * 40)
    assert fsutil.long_path(Path(local), windows=True) == "\\\\?\\" + local
    assert fsutil.long_path(Path("C:\\short"), windows=True) == "C:\\short"
    linux = "/" + "/".join(["a"] * 200)
    assert fsutil.long_path(Path(linux), windows=False) == linux


def test_a_run_outlasts_a_scanner_and_is_kept_when_its_folder_stays_held(
    world: tuple[Path, Path],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pauses: list[float],
) -> None:
    framework, inbox = world
    out, round_dir = tmp_path / "out", tmp_path / "out" / "2567" / "R1"
    staging_refused = lambda times: refusing(os.replace, lambda s, d: STAGING in s, times)  # noqa: E731
    monkeypatch.setattr(os, "replace", staging_refused(2))  # a scanner, for a moment
    first = run(framework, inbox, out)
    assert first.exit_code == 0, first.output
    assert latest_run(out, 2567, "R1") == round_dir / FIRST

    monkeypatch.setattr(os, "replace", staging_refused(None))  # held for good
    held = run(framework, inbox, out)
    assert held.exit_code == 2, held.output
    staged = out / STAGING / f"2567_R1_{SECOND}"
    assert f"ปิดไฟล์ {staged} ใน Excel" in held.output
    assert "ผลการประมวลผลที่เสร็จแล้วเก็บไว้ที่" in held.output
    assert (staged / "scores.csv").is_file()  # the finished run is not lost
    assert latest_run(out, 2567, "R1") == round_dir / FIRST

    monkeypatch.undo()
    again = run(framework, inbox, out)  # the same command, once the file is closed
    assert again.exit_code == 0, again.output
    assert latest_run(out, 2567, "R1") == round_dir / SECOND


def test_a_template_open_in_excel_is_named_and_exits_2(
    world: tuple[Path, Path],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pauses: list[float],
) -> None:
    framework, _ = world
    out = tmp_path / "templates"
    assert cli("templates", "--framework", framework, "--round", "R1", "--out", out).exit_code == 0
    held = out / "2567_R1_U02.xlsx"
    before = held.read_bytes()
    monkeypatch.setattr(os, "replace", refusing(os.replace, lambda s, d: d == str(held), None))
    result = cli("templates", "--framework", framework, "--round", "R1", "--out", out)
    assert result.exit_code == 2, result.output
    assert f"ปิดไฟล์ {held} ใน Excel" in result.output
    assert held.read_bytes() == before
    assert not list(out.glob(".*"))  # no temporary left beside it


@pytest.fixture(scope="module")
def email_work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return base_run(tmp_path_factory)


def test_delivery_log_csv_open_in_excel_loses_no_delivery(
    email_work: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pauses: list[float]
) -> None:
    """The mail went out: the .jsonl and the history hold every delivery, the message names
    the CSV, exit 2; the same command later sends nothing again and writes the CSV."""
    run_dir = copy_run(email_work, tmp_path)
    db = run_dir.parent.parent.parent / "history.sqlite"
    sqlite3.connect(db).close()
    csv_path = run_dir / LOG_CSV
    monkeypatch.setattr(os, "replace", refusing(os.replace, lambda s, d: d == str(csv_path), None))
    handler = Handler()
    with smtp_server(handler) as port:
        result = email(run_dir, port)
    assert result.exit_code == 2, result.output
    assert f"ปิดไฟล์ {csv_path} ใน Excel" in result.output
    assert LOG_JSONL in result.output
    assert delivered_pairs(handler) == expected_pairs()  # every message went out, once
    lines = (run_dir / LOG_JSONL).read_text(encoding="utf-8").splitlines()
    assert len(lines) == len({key for key, _ in expected_pairs()})  # one per message
    with sqlite3.connect(db) as conn:
        recorded = conn.execute("SELECT COUNT(*) FROM email_deliveries").fetchone()[0]
    assert recorded == sum(expected_pairs().values())

    monkeypatch.undo()
    handler2 = Handler()
    with smtp_server(handler2) as port:
        again = email(run_dir, port)
    assert again.exit_code == 0, again.output
    assert handler2.received == []
    with csv_path.open(encoding="utf-8-sig") as f:
        assert len(list(csv.DictReader(f))) == sum(expected_pairs().values())


def test_a_latest_pointer_held_open_keeps_the_run_that_was_moved_into_place(
    world: tuple[Path, Path],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pauses: list[float],
) -> None:
    framework, inbox = world
    out = tmp_path / "out"
    pointer = out / "2567" / "R1" / "latest"
    monkeypatch.setattr(os, "replace", refusing(os.replace, lambda s, d: d == str(pointer), None))
    result = run(framework, inbox, out, "--archive", tmp_path / "archive")
    assert result.exit_code == 2, result.output
    assert f"ปิดไฟล์ {pointer} ใน Excel" in result.output
    assert (out / "2567" / "R1" / FIRST / "scores.csv").is_file()
    assert (tmp_path / "archive" / "2567" / "R1" / FIRST / "SHA256SUMS").is_file()
    monkeypatch.undo()
    assert "2567/R1/" + FIRST in cli("history", "--out", out).output  # recorded, not lost
