"""Every command, its output redirected to a file as a scheduled task or `> log.txt` does,
under the ANSI code pages of Thai and English Windows (PYTHONIOENCODING=cp874 / cp1252):
exit code 0, 1 or 2 (never 3, an encoding crash), no traceback, and the output is UTF-8
that still holds the Thai text.

Run in subprocesses through `python -m kpi_batch`, the real entry point, because the
stream set-up happens there (CliRunner replaces the streams)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SENDER = "กลุ่มพัฒนาระบบบริหาร <kpr@example.go.th>"


def kpi_batch(encoding: str, cwd: Path, *args: str | Path) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "120"}
    env.pop("PYTHONUTF8", None)
    done = subprocess.run(
        [sys.executable, "-m", "kpi_batch", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,  # pipes: not a terminal, as a redirect to a file
        timeout=600,
    )
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


@pytest.fixture(scope="module", params=["cp874", "cp1252"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    encoding = request.param
    root = tmp_path_factory.mktemp(encoding)
    code, out, err = kpi_batch(encoding, root, "demo", "--out", root / "demo")
    assert code in (0, 1), err
    assert "Traceback" not in out + err
    assert "ผลการประมวลผล" in out  # Thai, readable as UTF-8
    return encoding, root


def commands(root: Path) -> dict[str, list[str | Path]]:
    demo = root / "demo"
    output = demo / "output"
    bad = root / "not_a_framework.xlsx"
    bad.write_bytes(b"not a workbook")
    return {
        "help": ["--help"],
        "run": ["run", "--framework", demo / "framework.xlsx", "--inbox",
                demo / "inbox" / "2567-03", "--out", root / "run_out", "--as-of", "2024-03-15"],
        "check-framework": ["check-framework", demo / "framework.xlsx"],
        "check-framework bad": ["check-framework", bad],
        "templates": ["templates", "--framework", demo / "framework.xlsx", "--round", "R1",
                      "--out", root / "templates"],
        "history": ["history", "--out", output],
        "diff": ["diff", "previous", "latest", "--out", output],
        "email dry run": ["email", "--run", output / "2567" / "R1" / "latest", "--from", SENDER],
        "init": ["init", root / "work"],
        "status": ["status", "--out", output],
        "review-sheets": ["review-sheets", "--run", output / "2567" / "R1" / "latest", "--out",
                          root / "reviews"],
        "unknown round": ["templates", "--framework", demo / "framework.xlsx", "--round", "R9",
                          "--out", root / "templates"],
    }  # fmt: skip


@pytest.mark.parametrize(
    "name",
    [
        "help",
        "run",
        "check-framework",
        "check-framework bad",
        "templates",
        "history",
        "diff",
        "email dry run",
        "init",
        "status",
        "review-sheets",
        "unknown round",
    ],
)
def test_every_command_survives_an_ansi_code_page(demo: tuple[str, Path], name: str) -> None:
    encoding, root = demo
    code, out, err = kpi_batch(encoding, root, *commands(root)[name])
    assert code in (0, 1, 2), f"{name} under {encoding}: exit {code}\n{out}\n{err}"
    assert "Traceback" not in out + err and "internal error" not in err
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in out + err)  # the Thai text is there


def test_the_table_covers_every_command(tmp_path: Path) -> None:
    """A command added later fails here until it gets a case above."""
    from kpi_batch.cli import app

    registered = {
        c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands
    }
    covered = {str(args[0]) for args in commands(tmp_path).values()} | {"demo"}  # the fixture
    assert registered <= covered, registered - covered
