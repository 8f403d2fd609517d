"""The pure core never touches disk, network or the clock (STYLE.md: layers checked by a tool).

Scoring, the run-to-run diff and intake's validation are functions of their arguments; if one
of them started importing a reader, a writer or the SQLite store, a result could depend on
something other than its inputs. This test reads the imports of every module in the pure
core and fails on any I/O module, package stage, or a call to the clock.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kpi_batch"
PURE = [
    *sorted((PACKAGE / "scoring").glob("*.py")),
    PACKAGE / "history" / "diff.py",
    PACKAGE / "history" / "changes.py",
    PACKAGE / "history" / "schema.py",
    PACKAGE / "history" / "round_state.py",
    PACKAGE / "intake" / "validate.py",
    PACKAGE / "intake" / "register.py",
    PACKAGE / "intake" / "normalise.py",
    PACKAGE / "cells.py",
    PACKAGE / "thai.py",
    PACKAGE / "model.py",
    PACKAGE / "workdays.py",
]
FORBIDDEN_MODULES = (
    "openpyxl",
    "xlsxwriter",
    "python_calamine",
    "sqlite3",
    "smtplib",
    "shutil",
    "subprocess",
    "socket",
    "kpi_batch.pipeline",
    "kpi_batch.cli",
    "kpi_batch.reports",
    "kpi_batch.deliver",
    "kpi_batch.history.store",
    "kpi_batch.intake.run",
    "kpi_batch.intake.load",
    "kpi_batch.framework.read",
    "kpi_batch.runfolder",
    "kpi_batch.manifest",
)
CLOCK_CALLS = {
    ("date", "today"),
    ("datetime", "today"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("time", "time"),
    ("time", "perf_counter"),
    ("time", "monotonic"),
}


def _is_clock(node: ast.AST) -> bool:
    """`date.today()`, `dt.datetime.now()`, `time.time()` ... (not `dt.time()`, a value)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    owner = node.func.value
    name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
    return (name, node.func.attr) in CLOCK_CALLS


def _imports(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
            found += [f"{node.module}.{a.name}" for a in node.names]
    return found


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_pure_module_imports_no_io(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = [
        name
        for name in _imports(tree)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_MODULES)
    ]
    assert not bad, f"{path.name} imports I/O: {bad}"
    clock = [ast.unparse(node.func) for node in ast.walk(tree) if _is_clock(node)]
    assert not clock, f"{path.name} reads the clock: {clock}"


def test_the_check_can_fail() -> None:
    tree = ast.parse("import sqlite3\nfrom kpi_batch.reports.hr import write_hr_workbook\n")
    assert "sqlite3" in _imports(tree)
    assert "kpi_batch.reports.hr" in _imports(tree)
    clock = ast.parse("import datetime as dt\nx = dt.date.today()\ny = dt.time()\n")
    assert [ast.unparse(n.func) for n in ast.walk(clock) if _is_clock(n)] == ["dt.date.today"]
