"""The run folder's layout owns every file name in it (kpi_batch/run_layout.py).

The demo's run folders are walked against the layout in tests/test_demo_outputs.py (where
the demo is built once); here: the names themselves, and that no other module spells one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kpi_batch.run_layout import RunLayout, returned_copy_path, returned_name

PACKAGE = Path(__file__).resolve().parents[1] / "kpi_batch"
LAYOUT = RunLayout(2567, "R1")


def test_the_names_are_the_contract_names() -> None:
    assert (LAYOUT.SCORES, LAYOUT.KPI_SCORES, LAYOUT.KPI_RESULTS) == (
        "scores.csv",
        "kpi_scores.csv",
        "kpi_results.csv",
    )
    assert (LAYOUT.hr, LAYOUT.executive, LAYOUT.status, LAYOUT.changes) == (
        "hr_2567_R1.xlsx",
        "executive_2567_R1.xlsx",
        "status_2567_R1.xlsx",
        "changes_2567_R1.xlsx",
    )
    assert LAYOUT.VALIDATION_REPORT == "validation_report.xlsx"
    assert LAYOUT.MANIFEST == "manifest.json"
    assert LAYOUT.unit_result("U01") == "units/result_2567_R1_U01.xlsx"
    assert LAYOUT.returned("เขต1/U01.xlsm") == "returned/เขต1/U01_xlsm_แก้ไข.xlsx"
    assert LAYOUT.outbox_file("01_unit_U01.eml") == "outbox/01_unit_U01.eml"
    assert (LAYOUT.DELIVERY_LOG_JSONL, LAYOUT.DELIVERY_LOG_CSV) == (
        "delivery_log.jsonl",
        "delivery_log.csv",
    )


def test_ids_from_data_go_through_safe_name() -> None:
    odd = RunLayout(2567, "R1:2567")
    for name in (odd.hr, odd.executive, odd.status, odd.changes, odd.unit_result_name("CON")):
        assert ":" not in name and "/" not in name, name
        assert odd.kind(name) is not None or odd.kind(f"units/{name}") == "unit_result"
    assert odd.status.startswith("status_2567_R1_2567-")  # made safe, with the id's hash


def test_returned_copies_keep_the_extension_and_the_sub_folder() -> None:
    assert returned_name("2567_R1_U01.xlsx") == "2567_R1_U01_xlsx_แก้ไข.xlsx"
    assert returned_name("report") == "report_file_แก้ไข.xlsx"
    assert returned_copy_path("a/b/x.ods") == "a/b/x_ods_แก้ไข.xlsx"


@pytest.mark.parametrize(
    ("rel", "kind"),
    [
        ("scores.csv", "scores"),
        ("hr_2567_R1.xlsx", "hr"),
        ("changes_2567_R1.xlsx", "changes"),
        ("units/result_2567_R1_U01.xlsx", "unit_result"),
        ("returned/เขต1/U01_xlsx_แก้ไข.xlsx", "returned"),
        ("outbox/01_unit_U01.eml", "outbox"),
        ("outbox_reviews/outbox.csv", "outbox"),
        ("delivery_log.csv", "delivery_log"),
        (".kpi-batch.lock", "lock"),
        # not the run's own: another round's, a stray copy, an unknown file
        ("hr_2567_R2.xlsx", None),
        ("units/result_2567_R2_U01.xlsx", None),
        ("units/result_2567_R1_U01.xlsx.bak", None),
        ("units/deep/result_2567_R1_U01.xlsx", None),
        ("returned/U01.xlsx", None),
        ("outbox/notes.txt", None),
        ("scores (1).csv", None),
    ],
)
def test_kind_knows_the_runs_files_and_nothing_else(rel: str, kind: str | None) -> None:
    assert LAYOUT.kind(rel) == kind


def test_e_mail_may_attach_only_the_files_meant_for_people() -> None:
    assert LAYOUT.is_attachable("hr_2567_R1.xlsx")
    assert LAYOUT.is_attachable("units/result_2567_R1_U01.xlsx")
    assert LAYOUT.is_attachable("returned/U01_xlsx_แก้ไข.xlsx")
    assert not LAYOUT.is_attachable("scores.csv")
    assert not LAYOUT.is_attachable("manifest.json")


# Each run-folder name as code would spell it: a whole literal, or an f-string's first piece.
SPELLINGS = (
    "scores.csv",
    "kpi_scores.csv",
    "kpi_results.csv",
    "validation_report.xlsx",
    "manifest.json",
    "delivery_log.csv",
    "delivery_log.jsonl",
    "outbox.csv",
    ".kpi-batch.lock",
    ".kpi-batch.holder",
    "SHA256SUMS",
    "_แก้ไข",
)
HEADS = ("hr_", "executive_", "status_", "changes_", "result_", "units/", "returned/", "outbox/")
FOLDERS = ("units", "returned", "outbox", "outbox_reviews")


def spellings(source: str) -> list[str]:
    """The run-folder names the code of `source` spells (docstrings aside: they explain)."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    heads = {
        id(node.values[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr) and node.values
    }
    joined = {  # `run_dir / "units"`, `folder.path / "scores.csv"`: a name under a run folder
        id(node.right)
        for node in ast.walk(tree)
        if isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Div)
        and isinstance(node.left, (ast.Name, ast.Attribute))
        and any(word in ast.unparse(node.left) for word in ("run", "folder.path"))
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        text, where = node.value, id(node)
        spelled = any(name in text for name in SPELLINGS)
        starts = (where in heads or where in joined) and text.startswith(HEADS)
        folder = where in joined and text in FOLDERS
        if where not in docstrings and (spelled or starts or folder):
            found.append(text)
    return found


def test_no_module_but_the_layout_spells_a_run_folder_name() -> None:
    spelled = {
        str(path.relative_to(PACKAGE)): found
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "run_layout.py" and (found := spellings(path.read_text(encoding="utf-8")))
    }
    assert not spelled, f"use kpi_batch.run_layout.RunLayout instead: {spelled}"


@pytest.mark.parametrize(
    "code",
    [
        'path = run_dir / "scores.csv"',
        'name = f"hr_{fy}_{round_id}.xlsx"',
        'folder = run_dir / "units"',
        'rel = f"returned/{copy}"',
        'SUFFIX = "_แก้ไข"',
        'message = f"ดู validation_report.xlsx / see {x}"',
    ],
)
def test_the_scan_finds_a_spelling(code: str) -> None:
    assert spellings(code)


def test_the_scan_leaves_docstrings_and_other_text_alone() -> None:
    code = (
        '"""Writes scores.csv and hr_<fy>_<round>.xlsx."""\ncolumn = "units"\nx = "result_state"\n'
    )
    assert spellings(code) == []
