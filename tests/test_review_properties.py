"""Property: applying a KPI owner's filled review workbook gives exactly the scores of the
same changes typed into the adjustments workbook (DOMAIN §6b: "as if typed into §6").

Hypothesis picks, for any of the owners' rows, which input to fill and with what (numbers
as numbers, as text with Thai digits, exempt from the dropdown); both files are real
workbooks, read by the real readers, scored by `score_round`."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_batch.adjustments.load import load_adjustments
from kpi_batch.framework.load import load_framework
from kpi_batch.intake import run_intake
from kpi_batch.review.check import check_book
from kpi_batch.review.fill import fill_review
from kpi_batch.review.load import run_view
from kpi_batch.review.read import ReviewBook, read_review
from kpi_batch.review.rows import owner_inputs
from kpi_batch.runfolder import latest_run
from kpi_batch.scoring.score_round import score_round
from kpi_batch.specs.review import INPUT_FIELDS
from tests.adjustment_factories import write_adjustment_rows
from tests.owner_factories import write_owner_framework
from tests.test_cli_run import AS_OF, VALUES, cli, make_inbox, run

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
FILES = ("review_2567_R1_QA.xlsx", "review_2567_R1_FIN.xlsx", "review_2567_R1_ORG.xlsx")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("property")
    fw_path = write_owner_framework(tmp / "fw.xlsx")
    inbox = make_inbox(fw_path, tmp / "inbox", VALUES)
    assert run(fw_path, inbox, tmp / "out").exit_code == 0
    first = latest_run(tmp / "out", 2567, "R1")
    assert first is not None
    assert cli("review-sheets", "--run", first, "--out", tmp / "sheets").exit_code == 0
    framework = load_framework(fw_path)
    intake = run_intake(inbox, framework, "R1", AS_OF)
    pairs = {f: _pairs(tmp / "sheets" / f) for f in FILES}
    return {"tmp": tmp, "fw": framework, "intake": intake, "pairs": pairs}


def _pairs(path: Path) -> list[tuple[str, str]]:
    book = read_review(path)
    assert isinstance(book, ReviewBook)
    return [(str(c[book.columns["unit_id"]]), str(c[book.columns["kpi_id"]])) for _, c in book.rows]


def _value(key: str, draw: st.DrawFn) -> tuple[object, str]:
    """(what the owner types, what a planner types in the adjustments workbook)."""
    if key == "exempt":
        choice = draw(st.sampled_from(["ยกเว้น", "ไม่ยกเว้น"]))
        return choice, "1" if choice == "ยกเว้น" else "0"
    top = {"new_score": 5, "new_level": 5}.get(key, 120)
    number = draw(st.integers(min_value=1 if key == "new_denominator" else 0, max_value=top))
    typed = draw(st.sampled_from(["number", "text", "thai"]))
    shown = {"number": number, "text": str(number), "thai": str(number).translate(THAI)}
    return shown[typed], str(number)


@st.composite
def edits(draw: st.DrawFn, world: dict[str, Any]) -> dict[str, dict[tuple[str, str], dict]]:
    chosen: dict[str, dict[tuple[str, str], dict]] = {}
    for file, pairs in world["pairs"].items():
        for pair in pairs:
            if not draw(st.booleans()):
                continue
            kpi = world["fw"].kpis[pair[0]][pair[1]]
            keys = [k for k in owner_inputs(kpi) if k in INPUT_FIELDS]
            picked = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=2, unique=True))
            row: dict[str, object] = {"reason": "ตรวจแล้ว"}
            for key in picked:
                row[key] = _value(key, draw)
            chosen.setdefault(file, {})[pair] = row
    return chosen


def _score(world: dict[str, Any], adjustments: Any) -> tuple[list, list]:
    intake = world["intake"]
    scored = score_round(world["fw"], "R1", intake.results, intake.submissions, adjustments)
    units = scored.unit_scores[["unit_id", "pre_appeal_score", "final_score", "rank"]]
    kpis = scored.kpi_scores[["unit_id", "kpi_id", "value", "score", "status"]]
    return units.values.tolist(), kpis.values.tolist()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_owner_workbook_equals_typed_adjustments(
    world: dict[str, Any], data: st.DataObject
) -> None:
    chosen = data.draw(edits(world))
    view = run_view("R1", world["intake"].results, world["intake"].submissions)
    typed_rows: list[list[object]] = []
    frames = []
    with tempfile.TemporaryDirectory() as tmp:
        for file, rows in chosen.items():
            owner_rows = {pair: {k: v[0] if isinstance(v, tuple) else v for k, v in row.items()}
                          for pair, row in rows.items()}  # fmt: skip
            filled = fill_review(world["tmp"] / "sheets" / file, owner_rows, Path(tmp) / file)
            book = read_review(filled)
            assert isinstance(book, ReviewBook)
            checked = check_book(book, world["fw"], view)
            errors = [i.line() for i in checked.issues if i.severity.value == "error"]
            assert not errors, errors
            frames.append(checked.adjustments)
            for (unit, kpi), row in rows.items():
                for key, value in row.items():
                    if key in INPUT_FIELDS:
                        assert isinstance(value, tuple)
                        typed_rows.append(
                            [unit, kpi, "review", INPUT_FIELDS[key], value[1], "ตรวจแล้ว", ""]
                        )
        path = write_adjustment_rows(Path(tmp) / "adjustments.xlsx", typed_rows)
        typed, issues = load_adjustments(path, world["fw"])
    assert not [i for i in issues if i.severity.value == "error"]
    from_owners = pd.concat(frames, ignore_index=True) if frames else None
    assert len(typed) == (0 if from_owners is None else len(from_owners))
    assert _score(world, from_owners) == _score(world, typed)


def test_the_property_sees_a_change(world: dict[str, Any]) -> None:
    """Guard: an owner's change does move the scores (so equality above is not vacuous)."""
    view = run_view("R1", world["intake"].results, world["intake"].submissions)
    with tempfile.TemporaryDirectory() as tmp:
        filled = fill_review(
            world["tmp"] / "sheets" / FILES[0],
            {("U01", "1.1.1"): {"new_value": "๙๐", "reason": "ตรวจแล้ว"}},
            Path(tmp) / "qa.xlsx",
        )
        book = read_review(filled)
        assert isinstance(book, ReviewBook)
        checked = check_book(book, world["fw"], view)
    assert _score(world, checked.adjustments) != _score(world, None)
