"""The run record is the one value a finished run's consumers read (kpi_batch/run_record.py).

The pipeline's record itself is checked against the demo run in tests/test_pipeline_wiring.py;
here: that nothing reaches past it for a stage's own result.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from kpi_batch.reports.writeall import write_reports

PACKAGE = Path(__file__).resolve().parents[1] / "kpi_batch"
# The run's consumers: they read the record, never intake's result or a reports/ module's.
CONSUMERS = [
    *sorted((PACKAGE / "reports").glob("*.py")),
    PACKAGE / "manifest.py",
    PACKAGE / "history" / "store.py",
    PACKAGE / "archive.py",
]
FORBIDDEN = ("kpi_batch.intake.IntakeResult", "kpi_batch.intake.run", "kpi_batch.reports.context")


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


@pytest.mark.parametrize("path", CONSUMERS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_consumers_read_the_record_not_a_stages_result(path: Path) -> None:
    assert not imported(path) & set(FORBIDDEN)


def test_outside_reports_the_record_is_not_taken_from_reports() -> None:
    for path in (PACKAGE / "manifest.py", PACKAGE / "history" / "store.py"):
        assert "kpi_batch.run_record.RunRecord" in imported(path)
        assert not any(n.startswith("kpi_batch.reports.context") for n in imported(path))


def test_write_reports_takes_the_record_and_where_to_write() -> None:
    params = list(inspect.signature(write_reports).parameters)
    assert params[:2] == ["ctx", "run_dir"] and "intake" not in params


def test_the_import_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from kpi_batch.intake import IntakeResult\n", encoding="utf-8")
    assert imported(bad) & set(FORBIDDEN)
