"""The layers of kpi_batch as a contract: every import runs down, never up.

`LAYERS` below is the one declaration of the order, lowest first. A module may import from
its own layer or any lower one; an import of a higher layer fails here, naming the file, the
line and the arrow. Imports inside functions count (a late import is still a dependency), and
so do imports under `if TYPE_CHECKING:`.

Every module of the package must be assigned: a new module that matches no entry fails
`test_every_module_has_a_layer`, so the contract cannot rot. To add one, put its dotted name
(or its package's) into the layer whose modules it may use; the most specific entry wins, so
`kpi_batch.review.sheets` can sit above the rest of `kpi_batch.review`. Modules of one layer may
import each other, but the entries of a layer must not form a cycle (the framework <-> schemas
cycle of issue 11 would fail `test_no_cycle_between_entries`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "kpi_batch"

# Lowest first. Each entry names a module or a whole package (its submodules included).
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Values and helpers every layer may use: Thai text, cells, the domain model, issues and
    # their catalogue, errors, files written safely, the house style of every workbook.
    (
        "base",
        (
            "kpi_batch",  # the package itself (`__version__`)
            "kpi_batch.thai",
            "kpi_batch.visible",
            "kpi_batch.safe_names",
            "kpi_batch.model",
            "kpi_batch.cells",
            "kpi_batch.workdays",
            "kpi_batch.issues",
            "kpi_batch.catalogue",
            "kpi_batch.errors",
            "kpi_batch.fsutil",
            "kpi_batch.addresses",
            "kpi_batch.csvfiles",
            "kpi_batch.textfiles",
            "kpi_batch.streams",
            "kpi_batch.runfolder",
            "kpi_batch.run_layout",
            "kpi_batch.text_width",
            "kpi_batch.workbook_style",
        ),
    ),
    # One spec per workbook kind: names, columns, format versions.
    ("specs", ("kpi_batch.specs",)),
    # Stage hand-off models (pandera): what one stage gives the next.
    ("schemas", ("kpi_batch.schemas",)),
    # The stages: read and check each input workbook, write the blank ones, score.
    (
        "stages",
        (
            "kpi_batch.framework",
            "kpi_batch.templates",
            "kpi_batch.receipts",
            "kpi_batch.intake",
            "kpi_batch.adjustments",
            "kpi_batch.scoring",
            "kpi_batch.review",
        ),
    ),
    # Round history as values: the stored rows' schema, run-to-run diff, round state (the
    # store that writes a finished run is in "record").
    ("history", ("kpi_batch.history",)),
    # One run as the reports, manifest and history see it: what was read and scored.
    ("run_record", ("kpi_batch.run_record",)),
    # The workbooks and CSVs of one run.
    ("reports", ("kpi_batch.reports",)),
    # What keeps a finished run: its manifest, the archive of its inputs, the history store.
    ("record", ("kpi_batch.manifest", "kpi_batch.archive", "kpi_batch.history.store")),
    # After a run: e-mail to units and KPI owners, review workbooks made from a run folder.
    ("after_run", ("kpi_batch.deliver", "kpi_batch.review.sheets", "kpi_batch.review.demo_loop")),
    # One run, wired: inputs -> stages -> reports -> record.
    ("pipeline", ("kpi_batch.pipeline",)),
    # What a person starts: the command line, its console, the demo, the work folder.
    (
        "entry",
        (
            "kpi_batch.__main__",
            "kpi_batch.cli",
            "kpi_batch.console",
            "kpi_batch.demo",
            "kpi_batch.launchers",
            "kpi_batch.workfolder",
            "kpi_batch.input_templates",
            "kpi_batch.code_docs",
        ),
    ),
)

RANK = {entry: rank for rank, (_, entries) in enumerate(LAYERS) for entry in entries}
LAYER_NAME = {entry: name for name, entries in LAYERS for entry in entries}


@dataclass(frozen=True)
class Arrow:
    source: str  # importing module
    target: str  # imported kpi_batch module
    path: Path
    line: int

    def __str__(self) -> str:
        a, b = entry_of(self.source), entry_of(self.target)
        return (
            f"{self.path.relative_to(ROOT)}:{self.line}: {self.source} ({LAYER_NAME.get(a or '')})"
            f" -> {self.target} ({LAYER_NAME.get(b or '')})"
        )


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def entry_of(module: str) -> str | None:
    """The most specific `LAYERS` entry covering `module` (the root package only by name)."""
    best = None
    for entry in RANK:
        covers = module == entry or (entry != PACKAGE and module.startswith(entry + "."))
        if covers and (best is None or len(entry) > len(best)):
            best = entry
    return best


def _resolve(name: str, modules: dict[str, Path]) -> str:
    """The module an imported dotted name lives in (`a.b.func` -> `a.b`)."""
    while name not in modules and "." in name:
        name = name.rpartition(".")[0]
    return name


def imports_of(module: str, source: str, modules: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """(imported kpi_batch module, line) for every import statement, at any depth."""
    is_package = modules.get(module, Path()).name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names = [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            if name == PACKAGE or name.startswith(PACKAGE + "."):
                yield _resolve(name, modules), node.lineno


def arrows(root: Path = ROOT) -> list[Arrow]:
    modules = module_files(root)
    found = []
    for module, path in modules.items():
        for target, line in imports_of(module, path.read_text(encoding="utf-8"), modules):
            arrow = Arrow(module, target, path, line)
            if target != module and arrow not in found:  # `from m import a, b`: one arrow
                found.append(arrow)
    return found


def upward(found: list[Arrow]) -> list[Arrow]:
    """Arrows from a lower layer to a higher one."""
    bad = []
    for arrow in found:
        a, b = entry_of(arrow.source), entry_of(arrow.target)
        if a is not None and b is not None and RANK[b] > RANK[a]:
            bad.append(arrow)
    return bad


def entry_cycle(found: list[Arrow]) -> list[str]:
    """One cycle between `LAYERS` entries (as a path a -> ... -> a), or [] when none."""
    graph: dict[str, set[str]] = {}
    for arrow in found:
        a, b = entry_of(arrow.source), entry_of(arrow.target)
        if a and b and a != b:
            graph.setdefault(a, set()).add(b)
    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> list[str]:
        if node in trail:
            return [*trail[trail.index(node) :], node]
        if node in done:
            return []
        for nxt in sorted(graph.get(node, ())):
            cycle = visit(nxt, [*trail, node])
            if cycle:
                return cycle
        done.add(node)
        return []

    for start in sorted(graph):
        cycle = visit(start, [])
        if cycle:
            return cycle
    return []


def test_every_module_has_a_layer() -> None:
    unassigned = [m for m in module_files() if entry_of(m) is None]
    assert not unassigned, (
        f"modules with no layer: {unassigned}; add each to LAYERS in {Path(__file__).name}"
    )


def test_every_entry_names_a_module() -> None:
    modules = module_files()
    stale = [e for e in RANK if not any(m == e or m.startswith(e + ".") for m in modules)]
    assert not stale, f"LAYERS entries that name no module: {stale}"


def test_no_import_runs_up_a_layer() -> None:
    bad = upward(arrows())
    assert not bad, "imports from a lower layer to a higher one:\n" + "\n".join(map(str, bad))


def test_no_cycle_between_entries() -> None:
    cycle = entry_cycle(arrows())
    assert not cycle, "import cycle between layer entries: " + " -> ".join(cycle)


@pytest.mark.parametrize(
    ("module", "code", "expected"),
    [
        # the arrow issue 11 found: an input-workbook writer importing report layout
        (
            "kpi_batch.framework.writer",
            "def f():\n    from kpi_batch.reports.hr import write_hr_workbook\n",
            "kpi_batch/framework/writer.py:2: kpi_batch.framework.writer (stages)"
            " -> kpi_batch.reports.hr (reports)",
        ),
        (
            "kpi_batch.schemas.scoring",
            "from ..framework import load\n",
            "kpi_batch/schemas/scoring.py:1: kpi_batch.schemas.scoring (schemas)"
            " -> kpi_batch.framework.load (stages)",
        ),
        ("kpi_batch.reports.hr", "from kpi_batch.framework import load\n", ""),
    ],
)
def test_the_contract_bites(module: str, code: str, expected: str) -> None:
    modules = module_files()
    path = modules[module]
    found = [Arrow(module, t, path, line) for t, line in imports_of(module, code, modules)]
    assert [str(a) for a in upward(found)] == ([expected] if expected else [])


def test_a_cycle_is_found() -> None:
    modules = module_files()
    fake = [
        Arrow("kpi_batch.framework.load", "kpi_batch.intake.run", modules[PACKAGE], 1),
        Arrow("kpi_batch.intake.run", "kpi_batch.framework.load", modules[PACKAGE], 1),
    ]
    assert entry_cycle(fake) == ["kpi_batch.framework", "kpi_batch.intake", "kpi_batch.framework"]
