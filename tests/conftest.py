"""Fixtures shared by test files: the demo's run, made once for the whole session."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_batch import cli as cli_module


@pytest.fixture(scope="session")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`kpi-batch demo --out D`, run once in process as a new user would; returns D.

    Tests only read it: the demo writes every kind of workbook (HR, executive, unit
    results, validation report, status, returned copies, templates, review workbooks)."""
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli_module.app, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out
