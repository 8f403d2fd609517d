"""One issue catalogue (kpi_batch/catalogue.py): every code declared once, the same way,
documented from the catalogue, and nothing in the code base making an issue around it."""

from __future__ import annotations

import ast
from pathlib import Path

import pandera.pandas as pa
import pytest

from kpi_batch import catalogue as cat
from kpi_batch.catalogue import ERROR, WARNING, Catalogue, IssueKind, declared
from kpi_batch.code_docs import ROOT, load_catalogues, rewrite, stale, table

PACKAGE = ROOT / "kpi_batch"
CATALOGUES = load_catalogues()
# calls whose argument at that position is an issue code (a literal there must be declared)
CODE_ARGUMENT = {
    "Rejection": 0,
    "_refuse": 0,
    "ReviewRejected": 1,
    "fw_issue": 0,
    "review_issue": 0,
}
# mappings indexed by code: intake's CHECKS, the MESSAGES views, each catalogue's variable
CODE_MAPPINGS = {"CHECKS", "MESSAGES", "ADJUSTMENTS", *(c.name.upper() for c in CATALOGUES)}
# the issue constructors of kpi_batch.issues: only the catalogue may call them
CONSTRUCTORS = {"Issue", "error", "warning"}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_catalogues_are_the_packages() -> None:
    names = [c.name for c in CATALOGUES]
    assert names == ["adjustment", "framework", "intake", "receipts", "review", "scoring"]
    assert set(declared()) == {code for c in CATALOGUES for code in c}
    assert all(len(c) for c in CATALOGUES)


def test_docs_list_the_catalogues_codes() -> None:
    """docs/intake.md, framework.md, adjustments.md, reviews.md, scoring.md: regenerate with
    `python -m kpi_batch.code_docs` when this fails."""
    assert stale(CATALOGUES) == []


def test_a_stale_doc_is_found(tmp_path: Path) -> None:
    intake = next(c for c in CATALOGUES if c.name == "intake")
    page = tmp_path / intake.doc
    page.parent.mkdir(parents=True)
    text = (ROOT / intake.doc).read_text(encoding="utf-8")
    page.write_text(text.replace("| `file_empty` |", "| `file_is_empty` |"), encoding="utf-8")
    assert stale([intake], root=tmp_path) == [f"{intake.doc} (intake)"]
    page.write_text(text.replace("<!-- codes:intake -->", ""), encoding="utf-8")
    assert "has no <!-- codes:intake -->" in stale([intake], root=tmp_path)[0]
    assert rewrite(text, intake) == text


def test_the_table_shows_fields_as_ellipses() -> None:
    fw = next(c for c in CATALOGUES if c.name == "framework")
    row = next(line for line in table(fw) if "`FW_MISSING_SHEET`" in line)
    assert row == (
        "| `FW_MISSING_SHEET` | error | a required sheet is missing | the sheet name"
        " | ไม่พบชีต '…' — เพิ่มชีตชื่อ … (ตัวพิมพ์เล็ก) ตามแบบฟอร์ม"
        " | Sheet '…' is missing; add it as in the blank template |"
    )


@pytest.mark.parametrize("code", sorted(declared()))
def test_every_kind_has_thai_and_english_messages(code: str) -> None:
    kind = declared()[code]
    assert kind.severity in (ERROR, WARNING)
    fields = dict.fromkeys(kind.field_names() - {"value", "unit_id", "kpi_id"}, "x")
    for variant in ["", *kind.variants]:
        issue = kind.issue(
            file="f.xlsx", value="v", unit_id="U01", kpi_id="1.1", variant=variant, **fields
        )
        assert (issue.code, issue.severity) == (code, kind.severity)
        assert issue.message_th and issue.message_en
        assert "{" not in issue.message_th + issue.message_en, code
        assert any("\u0e00" <= ch <= "\u0e7f" for ch in issue.message_th), code  # Thai


def test_a_code_is_declared_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cat, "_REGISTRY", dict(cat._REGISTRY))
    monkeypatch.setattr(cat, "_CATALOGUES", dict(cat._CATALOGUES))
    extra = Catalogue("extra", "docs/extra.md")
    kind = extra.declare("extra_thing", WARNING, "ข้อความ {value} {n}", "message {value} {n}")
    assert extra["extra_thing"] is kind and declared()["extra_thing"] is kind
    issue = kind.issue(file="f", sheet="s", cell="B2", value="7", unit_id="U1", n=3)
    assert (issue.message_th, issue.message_en, issue.where) == (
        "ข้อความ 7 3",
        "message 7 3",
        "s!B2",
    )
    assert kind.issue().message_en == "message  "  # a field left out shows as nothing
    with pytest.raises(ValueError, match="declared twice"):
        extra.declare("extra_thing", ERROR, "ก", "a")
    with pytest.raises(ValueError, match="declared twice"):
        extra.declare("file_empty", ERROR, "ก", "a")  # intake's
    with pytest.raises(ValueError, match="made twice"):
        Catalogue("extra", "docs/extra.md")


def test_intakes_code_sets_and_schema_checks_are_declared() -> None:
    from kpi_batch.intake import codes as intake
    from kpi_batch.intake.register import _DATE_WARNINGS
    from kpi_batch.schemas.adjustments import AdjustmentRows
    from kpi_batch.schemas.submission import SubmissionHeaders, SubmissionRows

    sets = [intake.NOT_REOPENED, intake.TOKEN_ERRORS, intake.HELD, set(_DATE_WARNINGS)]
    assert all(s <= set(intake.CHECKS) for s in sets)
    assert all(declared()[c] is k for c, k in intake.CHECKS.items())
    for model in (SubmissionHeaders, SubmissionRows, AdjustmentRows):
        schema = model.to_schema()
        checks = [*schema.checks, *(c for col in schema.columns.values() for c in col.checks)]
        names = {c.name for c in checks if not hasattr(pa.Check, c.name)}  # not `isin`
        assert names and names <= set(declared()), (model.__name__, names - set(declared()))


def _code_literals(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of every string literal in a place that holds an issue code."""
    found: list[tuple[int, str]] = []

    def text(node: ast.AST | None) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.Tuple | ast.List | ast.Set):
            for item in node.elts:
                text(item)

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in CODE_ARGUMENT and len(node.args) > CODE_ARGUMENT[name]:
                text(node.args[CODE_ARGUMENT[name]])
            if name in ("declare", "declare_variants", "_check") and node.args:
                text(node.args[0])
            text(next((k.value for k in node.keywords if k.arg == "code"), None))
        elif isinstance(node, ast.Subscript) and getattr(node.value, "id", "") in CODE_MAPPINGS:
            text(node.slice)
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Attribute) and s.attr == "code" for s in sides):
                for side in sides:
                    text(side)
    return found


def _constructor_calls(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, name) of calls to Issue/error/warning imported from kpi_batch.issues."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "kpi_batch.issues":
            aliases |= {a.asname or a.name: a.name for a in node.names if a.name in CONSTRUCTORS}
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in aliases:
                calls.append((node.lineno, func.id))
            elif isinstance(func, ast.Attribute) and func.attr in CONSTRUCTORS:
                if getattr(func.value, "id", "") == "issues":
                    calls.append((node.lineno, func.attr))
            elif getattr(func, "id", "") == "IssueKind":
                calls.append((node.lineno, "IssueKind"))
    return calls


def test_every_code_the_code_base_names_is_declared() -> None:
    codes = set(declared())
    unknown = []
    for path in _modules():
        for line, code in _code_literals(ast.parse(path.read_text(encoding="utf-8"))):
            if code not in codes:
                unknown.append(f"{path.relative_to(ROOT)}:{line}: {code!r}")
    assert not unknown, "codes not declared in any catalogue:\n" + "\n".join(unknown)


def test_every_issue_is_made_from_a_declared_kind() -> None:
    """Declare the code in the package's codes.py and raise it with `KIND.issue(...)`."""
    bad = []
    for path in _modules():
        if path == PACKAGE / "catalogue.py":
            continue
        for line, name in _constructor_calls(ast.parse(path.read_text(encoding="utf-8"))):
            bad.append(f"{path.relative_to(ROOT)}:{line}: {name}(...)")
    assert not bad, "issues made around the catalogue:\n" + "\n".join(bad)


def test_the_scans_can_fail() -> None:
    tree = ast.parse(
        "from kpi_batch.issues import Issue, warning as w\n"
        "import kpi_batch.issues as issues\n"
        "a = w('new_code', 'ก', 'a')\n"
        "b = Issue('x', None, '', '')\n"
        "c = issues.error('y', 'ก', 'a')\n"
        "d = IssueKind('z', None, '', '')\n"
        "e = CHECKS['not_a_code'].issue()\n"
        "f = fw_issue('FW_NOT_DECLARED')\n"
        "g = [i for i in x if i.code in ('file_empty', 'nope')]\n"
        "h = ReviewRejected(f, 'review_nope', '')\n"
    )
    assert _constructor_calls(tree) == [(3, "w"), (4, "Issue"), (5, "error"), (6, "IssueKind")]
    literals = [t for _, t in _code_literals(tree)]
    assert {"not_a_code", "FW_NOT_DECLARED", "nope", "review_nope"} <= set(literals)
    assert not {"not_a_code", "FW_NOT_DECLARED", "nope", "review_nope"} & set(declared())


def test_kinds_are_frozen() -> None:
    kind = declared()["file_empty"]
    assert isinstance(kind, IssueKind)
    with pytest.raises(AttributeError):
        kind.code = "other"  # type: ignore[misc]
