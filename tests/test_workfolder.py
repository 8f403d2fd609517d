"""`kpi-batch init`: the working folder, its Thai read-me and its launchers. The `.sh`
launchers are run here on the demo's March files; the `.cmd` ones can only be read here
(CRLF, ASCII, the steps a double-click needs), Windows itself never runs them in CI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kpi_batch.demo import build_demo
from kpi_batch.framework.load import load_framework
from kpi_batch.launchers import LAUNCHERS
from kpi_batch.workfolder import README, init_folder
from tests.test_cli_run import cli

STEMS = [launcher.stem for launcher in LAUNCHERS]


def test_init_makes_the_folder_the_readme_and_every_launcher(tmp_path: Path) -> None:
    root = tmp_path / "KPI 2567"
    result = cli("init", root)
    assert result.exit_code == 0, result.output
    for name in ("inbox", "output", "templates"):
        assert (root / name).is_dir()
    framework = load_framework(root / "framework.xlsx")  # the example, valid as it is
    assert framework.settings.fiscal_year == 2567
    assert (root / "adjustments_template.xlsx").is_file()
    readme = (root / README).read_bytes()
    assert readme.startswith(b"\xef\xbb\xbf") and b"\r\n" in readme
    assert b"\n" not in readme.replace(b"\r\n", b"")  # CRLF only: Notepad on any Windows
    assert "ดับเบิลคลิก" in readme.decode("utf-8-sig")
    for stem in STEMS:
        assert (root / f"{stem}.cmd").is_file()
        assert os.access(root / f"{stem}.sh", os.X_OK)


@pytest.mark.parametrize("stem", STEMS)
def test_cmd_launchers_read_right_for_cmd_exe(tmp_path: Path, stem: str) -> None:
    init_folder(tmp_path)
    data = (tmp_path / f"{stem}.cmd").read_bytes()
    assert data.isascii(), "cmd.exe reads a batch file in the console's code page"
    lines = data.split(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b""), "CRLF only"
    text = data.decode("ascii")
    assert lines[:2] == [b"@echo off", b"chcp 65001 >nul"]
    assert "set PYTHONUTF8=1" in text and 'cd /d "%~dp0"' in text
    assert f'set "KPI_EXE={sys.executable}"' in text  # the Python that ran init
    assert 'if not exist "%KPI_EXE%" set "KPI_EXE=py"' in text  # else the py launcher
    assert "-m kpi_batch " in text
    assert 'start "" ' in text and lines[-3:] == [b"pause", b"exit /b %CODE%", b""]
    assert text.count("(") == text.count(")")  # blocks closed (a broken one runs nothing)


def test_the_send_launcher_asks_for_the_password_hidden_and_a_yes(tmp_path: Path) -> None:
    init_folder(tmp_path)
    text = (tmp_path / "5_ส่งอีเมลจริง.cmd").read_text(encoding="ascii")
    assert "-AsSecureString" in text and "KPI_BATCH_SMTP_PASSWORD" in text
    assert text.index("Type Y") < text.index("--send")
    assert "setlocal" in text  # the password leaves with the window


def test_init_again_keeps_the_officers_framework(tmp_path: Path) -> None:
    init_folder(tmp_path, blank=True)
    framework = tmp_path / "framework.xlsx"
    before = (framework.read_bytes(), framework.stat().st_mtime_ns)
    again = cli("init", tmp_path)  # the example this time, were it written
    assert again.exit_code == 0 and "kept as it was" in again.output
    assert (framework.read_bytes(), framework.stat().st_mtime_ns) == before


@pytest.fixture(scope="module")
def march_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo")).inboxes[-1][1]


def launch(root: Path, stem: str, answers: str) -> tuple[int, str]:
    done = subprocess.run(
        [str(root / f"{stem}.sh")],
        input=answers,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "KPI_BATCH_NO_OPEN": "1", "COLUMNS": "120"},
        timeout=600,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.mark.skipif(os.name == "nt", reason="the .sh launchers are for Linux and macOS")
def test_sh_launchers_run_the_month_on_the_demo_files(tmp_path: Path, march_files: Path) -> None:
    root = tmp_path / "work"
    init_folder(root)
    for path in march_files.iterdir():
        shutil.copy2(path, root / "inbox" / path.name)

    code, out = launch(root, "1_ตรวจกรอบตัวชี้วัด", "")
    assert code == 0, out
    code, out = launch(root, "2_สร้างแบบรายงาน", "\n")  # Enter: round R1
    assert code == 0, out
    assert len(list((root / "templates" / "R1").glob("2567_R1_*.xlsx"))) == 36
    code, out = launch(root, "3_ประมวลผล", "15/3/2567\n")
    assert code == 1, out  # the demo's typical mistakes: some files rejected
    assert (root / "output" / "2567" / "R1" / "latest").is_file()
    assert "Exit code 1" in out and "คิดคะแนนแล้ว" in out
    code, out = launch(root, "4_ทดลองส่งอีเมล", "R1\n")
    # the example framework names a sender (smtp_from): the dry run writes the outbox
    assert code == 0 and "nothing was sent" in out, out
    assert list((root / "output" / "2567" / "R1").glob("*/outbox/*.eml"))
    code, out = launch(root, "5_ส่งอีเมลจริง", "R1\nkpr\nsecret\nn\n")
    assert code == 2 and "Nothing was sent." in out, out
    code, out = launch(root, "4_ทดลองส่งอีเมล", "R9\n")
    assert "No finished run of round R9" in out
