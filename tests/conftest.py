"""Fixtures shared by test files: the demo's run, made once for the whole session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_batch import cli as cli_module


@pytest.fixture(scope="session")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`kpi-batch demo` exactly as the README runs it (no options, from a fresh folder), run
    once for the session in process; returns the folder it made (`output/demo` there).

    Tests only read it: the demo writes every kind of workbook (HR, executive, unit
    results, validation report, status, returned copies, templates, review workbooks)."""
    where = tmp_path_factory.mktemp("fresh")
    before = Path.cwd()
    os.chdir(where)
    try:
        result = CliRunner().invoke(cli_module.app, ["demo"])
    finally:
        os.chdir(before)
    assert result.exit_code == 0, result.output
    return where / "output" / "demo"
