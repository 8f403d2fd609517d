"""Each workbook's names are spelled in one module, its spec (`kpi_batch/specs/`).

A sheet, table or file name written out a second time drifts: the writer renames it and the
reader still looks for the old one. These tests read every module's string literals
(docstrings and comments aside) and count where each name is spelled.

- Names no other part of the program uses for anything else (the Thai sheet names, the
  `results` table, the file names, `rounds`...) must appear in their spec and nowhere else.
- Plain words that are also names of other things (`units` is a report table, `kpis` a
  history frame, `adjustments` a manifest section) must not be spelled by any module that
  imports the spec: a module that works with that workbook takes the name from its spec.
- The template's defined names are also the keys of intake's frames, so modules use them
  one by one as keys; only the spec may list them (or map them to cells).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

from kpi_batch.specs import adjustments as adjustments_spec
from kpi_batch.specs import framework as framework_spec
from kpi_batch.specs import review as review_spec
from kpi_batch.specs import template as template_spec

PACKAGE = Path(__file__).resolve().parents[1] / "kpi_batch"
SPECS = {
    "kpi_batch.specs.template": "specs/template.py",
    "kpi_batch.specs.framework": "specs/framework.py",
    "kpi_batch.specs.adjustments": "specs/adjustments.py",
}

# name -> the specs that spell it (the template and the review workbook both call their
# instructions sheet คำชี้แจง: one name per workbook, each in its own spec)
DISTINCT = {
    template_spec.REPORT_SHEET: "specs/template.py",
    template_spec.INSTRUCTIONS_SHEET: "specs/review.py specs/template.py",
    review_spec.SHEET: "specs/review.py",
    template_spec.TABLE: "specs/template.py",
    framework_spec.INSTRUCTIONS_SHEET: "specs/framework.py",
    framework_spec.TEMPLATE_FILE: "specs/framework.py",
    framework_spec.EXAMPLE_FILE: "specs/framework.py",
    framework_spec.SheetName.ROUNDS: "specs/framework.py",
    framework_spec.SheetName.WEIGHTS: "specs/framework.py",
    framework_spec.SheetName.HOLIDAYS: "specs/framework.py",
    adjustments_spec.INSTRUCTIONS_SHEET: "specs/adjustments.py",
    adjustments_spec.EXAMPLES_SHEET: "specs/adjustments.py",
    adjustments_spec.TEMPLATE_FILE: "specs/adjustments.py",
}
# (module, word): the word names something else there
ELSEWHERE = {("history/diff.py", "adjustments"): "a frame of a stored run, not the sheet"}
# spec module -> names that other modules may use for something else
SHARED_WORDS = {
    "kpi_batch.specs.framework": [str(s) for s in framework_spec.SheetName],
    "kpi_batch.specs.adjustments": [adjustments_spec.SHEET],
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _option_keys(tree: ast.AST) -> set[int]:
    """Keys of xlsxwriter option dicts (`{"validate": ..., "criteria": ">="}`): not names."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [k for k in node.keys if isinstance(k, ast.Constant)]
            if any(k.value in ("validate", "type") for k in keys):
                found.update(id(k) for k in keys)
    return found


def literals(tree: ast.AST) -> list[ast.Constant]:
    skip = _docstrings(tree) | _option_keys(tree)
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def imports(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def modules(package: Path = PACKAGE) -> dict[str, ast.Module]:
    return {
        str(p.relative_to(package)): ast.parse(p.read_text(encoding="utf-8"))
        for p in sorted(package.rglob("*.py"))
    }


def spelled(trees: dict[str, ast.Module], name: str) -> list[str]:
    return [m for m, tree in trees.items() if any(n.value == name for n in literals(tree))]


def listing(
    trees: dict[str, ast.Module], names: Iterable[str], least: int = 5, values: bool = False
) -> list[str]:
    """Modules holding a tuple, list, set or dict literal with `least` of `names` in it (a
    dict's keys; its values too with `values`: a map from codes to names is a use)."""
    wanted = set(names)
    found = []
    for module, tree in trees.items():
        for node in ast.walk(tree):
            items = (
                [*node.keys, *(node.values if values else [])]
                if isinstance(node, ast.Dict)
                else None
            )
            items = items if items is not None else getattr(node, "elts", None)
            if not isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Dict) or items is None:
                continue
            values = {i.value for i in items if isinstance(i, ast.Constant)}
            if len(values & wanted) >= least:
                found.append(module)
                break
    return found


TREES = modules()


@pytest.mark.parametrize("name", sorted(DISTINCT))
def test_a_workbook_name_is_spelled_in_its_spec_only(name: str) -> None:
    assert spelled(TREES, name) == DISTINCT[name].split()


@pytest.mark.parametrize(
    ("spec", "name"), [(s, n) for s, names in SHARED_WORDS.items() for n in names]
)
def test_modules_using_a_spec_take_its_names_from_it(spec: str, name: str) -> None:
    users = {m for m, tree in TREES.items() if any(i.startswith(spec) for i in imports(tree))}
    users -= {m for m, word in ELSEWHERE if word == name}
    assert SPECS[spec] in spelled(TREES, name)
    wrong = sorted(set(spelled(TREES, name)) & users - {SPECS[spec]})
    assert not wrong, f"{name!r} spelled in {wrong}: take it from {spec}"


def test_only_the_template_spec_lists_the_defined_names() -> None:
    # a frame selecting a few header columns by name is a use; a list of 7 or more is a listing
    assert listing(TREES, template_spec.NAMES, least=7) == ["specs/template.py"]


def test_only_the_adjustments_spec_lists_its_columns_and_labels() -> None:
    """No module lists the columns in sheet order (the spec's COLUMN_TH does; a dict of help
    text per column is fine), nor the Thai headings or field names."""
    ordered = [
        m
        for m, tree in TREES.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Tuple | ast.List)
        and [e.value for e in node.elts if isinstance(e, ast.Constant)]
        == list(adjustments_spec.COLUMNS)
    ]
    assert ordered == []
    assert listing(TREES, adjustments_spec.FIELD_TH.values(), values=True) == [
        "specs/adjustments.py"
    ]
    assert listing(TREES, adjustments_spec.COLUMN_TH.values(), values=True) == [
        "specs/adjustments.py"
    ]


def test_specs_import_nothing_above_them() -> None:
    """Every layer may import a spec, so a spec imports nothing from kpi_batch but `thai`."""
    for module, tree in TREES.items():
        if module.startswith("specs/"):
            ours = {i for i in imports(tree) if i.startswith("kpi_batch")}
            assert ours <= {"kpi_batch.thai"}, (module, ours)


def test_the_count_can_fail() -> None:
    trees = {
        "a.py": ast.parse('"""results"""\nTABLE = "results"\n'),
        "b.py": ast.parse('x = {"validate": "list", "criteria": ">="}\nNAMES = ("p", "q", "r")\n'),
    }
    assert spelled(trees, "results") == ["a.py"]
    assert spelled(trees, "criteria") == []
    assert listing(trees, ["p", "q", "r"], least=3) == ["b.py"]
