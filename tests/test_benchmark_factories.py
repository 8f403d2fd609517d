"""The benchmarks build their frameworks with the tests' factories, not a copy of them.

A copy drifts: a model change fixed in tests/template_factories.py would leave the benchmarks
timing a framework the tests no longer describe.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FACTORIES = ROOT / "tests" / "template_factories.py"


def _defined(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}


def _builds_a_framework(path: Path) -> list[str]:
    """Functions of `path` that call `Framework(...)` themselves."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        fn.name
        for fn in tree.body
        if isinstance(fn, ast.FunctionDef)
        for node in ast.walk(fn)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Framework"
    ]


@pytest.mark.parametrize("path", sorted((ROOT / "benchmarks").glob("*.py")), ids=lambda p: p.name)
def test_no_benchmark_keeps_a_copy_of_a_factory(path: Path) -> None:
    assert not _defined(path) & _defined(FACTORIES)


def test_the_template_benchmark_uses_the_factory() -> None:
    bench = ROOT / "benchmarks" / "bench_templates.py"
    assert not _builds_a_framework(bench)
    assert "from tests.template_factories import synthetic_framework" in bench.read_text("utf-8")
