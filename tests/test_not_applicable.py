"""`ไม่มีผล (N/A)` is not empty (issue 13 item 8, DOMAIN §5): a unit marks a KPI N/A with a
reason; intake keeps it apart from an empty cell, the KPI owner is warned, and the score
stays undecided (no score, not exempt; 0 in the total as a missing result, DOMAIN §3.3)
until an exempt or a score is given. Without a reason: a cell-located error."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import hypothesis.strategies as st
import pandas as pd
from hypothesis import given, settings
from scoring_factories import ROUND, STD, adjustments, framework, kpi, submissions
from submission_factories import fill_template
from template_factories import small_framework

from kpi_batch import cells
from kpi_batch.intake import run_intake
from kpi_batch.model import KpiType
from kpi_batch.reports.hr import awaiting_decision_lines
from kpi_batch.scoring.score_round import ScoredRound, score_round
from kpi_batch.templates.workbook import write_unit_template

AS_OF = dt.date(2024, 4, 10)
NA = cells.NOT_APPLICABLE_TEXT


def _results(a: float, b: str) -> pd.DataFrame:
    """KPI 1.1 reported `a`; KPI 1.2.1 `b`: 'na' (marked N/A with a reason) or 'empty'."""
    nan = float("nan")
    return pd.DataFrame(
        {
            "unit_id": ["u", "u"],
            "kpi_id": ["1.1", "1.2.1"],
            "value": [a, nan],
            "numerator": [nan, nan],
            "denominator": [nan, nan],
            "level": [nan, nan],
            "not_applicable": [False, b == "na"],
        }
    )


def _fw(w_a: int = 75, w_b: int = 25):  # type: ignore[no-untyped-def]
    return framework(
        [kpi("1.1", STD), kpi("1.2.1", [1, 2, 3, 4, 5], kpi_type=KpiType.MILESTONE)],
        {"u": {"1.1": w_a, "1.2.1": w_b}},
    )


def _run(fw, res, adj=None) -> ScoredRound:  # type: ignore[no-untyped-def]
    return score_round(fw, ROUND, res, submissions(["u"]), adj)


# --- cells -------------------------------------------------------------------------------


def test_na_markers_are_their_own_kind_not_empty() -> None:
    for typed in (NA, "N/A", "na", "ไม่มีผล", " ไม่มีผล  (N/A) ", "ไม่มี"):
        assert cells.number(typed).kind is cells.Kind.NOT_APPLICABLE, typed
    for typed in ("", "-", "—", "ไม่มีข้อมูล"):
        assert cells.number(typed).kind is cells.Kind.EMPTY, typed
    _, kinds = cells.number_column([NA, "", 5.0])
    assert [list(cells.Kind)[k] for k in kinds] == ["not_applicable", "empty", "number"]
    # a date cell has no N/A: empty, as before
    assert cells.date("N/A").kind is cells.Kind.EMPTY


# --- scoring: the worked example (1.2.1 "no issue assigned") --------------------------------


def test_na_awaits_a_decision_and_counts_as_missing_in_the_total() -> None:
    fw = _fw()
    out = _run(fw, _results(73, "na"))
    row = out.kpi_scores.set_index("kpi_id").loc["1.2.1"]
    # no score of its own (not 0.0000, not exempt), and it says what it waits for
    assert row["status"] == "not_applicable"
    assert row["score"] is None and row["weighted_score"] is None
    assert "แจ้งไม่มีผล (N/A)" in row["explanation"] and "พิจารณา" in row["explanation"]
    # the total counts it as a missing result (DOMAIN §3.3): (75 x 3.6 + 25 x 0) / 100
    assert str(out.unit_scores.loc[0, "final_score"]) == "2.7000"
    # an empty cell is different: scored 0 and listed missing
    empty = _run(fw, _results(73, "empty")).kpi_scores.set_index("kpi_id").loc["1.2.1"]
    assert (empty["status"], str(empty["score"])) == ("missing", "0.0000")


def test_the_owners_decision_settles_it() -> None:
    fw = _fw()
    exempt = adjustments(fw, ("u", "1.2.1", "review", "exempt", "1", "ไม่ได้รับมอบหมายประเด็น"))
    out = _run(fw, _results(73, "na"), exempt)
    assert out.kpi_scores.set_index("kpi_id").loc["1.2.1", "status"] == "exempt"
    assert str(out.unit_scores.loc[0, "final_score"]) == "3.6000"  # weights re-normalised
    scored = adjustments(fw, ("u", "1.2.1", "review", "score", "4", "เจ้าภาพพิจารณาให้คะแนน"))
    out = _run(fw, _results(73, "na"), scored)
    row = out.kpi_scores.set_index("kpi_id").loc["1.2.1"]
    assert (row["status"], str(row["score"])) == ("set", "4.0000")
    assert str(out.unit_scores.loc[0, "final_score"]) == "3.7000"  # (75 x 3.6 + 25 x 4) / 100


@settings(max_examples=60, deadline=None)
@given(
    a=st.floats(0, 120, allow_nan=False),
    w_a=st.integers(1, 100),
    w_b=st.integers(1, 100),
)
def test_na_is_never_silently_exempt(a: float, w_a: int, w_b: int) -> None:
    """Whatever the numbers: an undecided N/A gives the total a missing result gives, never
    the (higher or equal) total an exemption gives, and the KPI has no score."""
    fw = _fw(w_a, w_b)
    na = _run(fw, _results(a, "na"))
    empty = _run(fw, _results(a, "empty"))
    exempt = _run(
        fw, _results(a, "na"), adjustments(fw, ("u", "1.2.1", "review", "exempt", "1", "ยกเว้น"))
    )
    total_na = na.unit_scores.loc[0, "final_score"]
    assert total_na == empty.unit_scores.loc[0, "final_score"]
    assert total_na <= exempt.unit_scores.loc[0, "final_score"]
    row = na.kpi_scores.set_index("kpi_id").loc["1.2.1"]
    assert row["status"] == "not_applicable" and row["score"] is None
    assert isinstance(total_na, Decimal)


def test_hr_notes_list_the_kpis_awaiting_a_decision() -> None:
    out = _run(_fw(), _results(73, "na"))
    lines = awaiting_decision_lines(out.kpi_scores, out.unit_scores)
    assert len(lines) == 1 and lines[0].startswith("u ") and "1.2.1" in lines[0]
    assert (
        awaiting_decision_lines(_run(_fw(), _results(73, "empty")).kpi_scores, out.unit_scores)
        == []
    )


# --- intake: a filled template -------------------------------------------------------------


def _intake(tmp_path: Path, values: dict[str, object]):  # type: ignore[no-untyped-def]
    fw = small_framework()
    blank = write_unit_template(fw, "U01", "R1", tmp_path / "blank.xlsx")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    fill_template(blank, values, submitted_on=dt.date(2024, 4, 3), out=inbox / "U01.xlsx")
    return run_intake(inbox, fw, "R1", AS_OF)


def test_intake_keeps_na_with_a_reason_apart_and_warns_the_owner(tmp_path: Path) -> None:
    result = _intake(
        tmp_path,
        {
            "1.1": 65,
            "1.2": {"numerator": NA, "note": "ไม่มีผู้รับบริการในรอบนี้"},
            "2.1": {"level": "N/A", "note": "ไม่ได้รับมอบหมายประเด็น"},
        },
    )
    found = {(i.code, i.kpi_id): i for i in result.issues}
    warned = found[("result_not_applicable", "2.1")]
    assert warned.severity == "warning" and warned.sheet == "รายงานผล" and warned.cell
    assert "ไม่ได้รับมอบหมายประเด็น" in warned.message_th
    assert ("result_not_applicable", "1.2") in found
    assert ("ratio_incomplete", "1.2") not in found and ("result_empty", "2.1") not in found
    res = result.results.set_index("kpi_id")
    assert res.loc["2.1", "not_applicable"] and res.loc["1.2", "not_applicable"]
    assert not res.loc["1.1", "not_applicable"]
    assert result.register.iloc[0]["status"] == "accepted_with_warnings"


def test_na_without_a_reason_is_an_error_at_the_cell_with_a_fix(tmp_path: Path) -> None:
    result = _intake(tmp_path, {"1.1": 65, "2.1": {"level": NA, "note": "-"}})
    (issue,) = [i for i in result.issues if i.kpi_id == "2.1"]
    assert (issue.code, issue.severity) == ("result_not_applicable_no_reason", "error")
    assert issue.value == NA and issue.cell  # the N/A cell itself
    assert "หมายเหตุ" in issue.message_th and "รายงานผล!" in issue.message_th  # where to fix
    assert "2.1" not in set(result.results["kpi_id"])  # scored as missing


def test_na_beside_a_number_is_an_error(tmp_path: Path) -> None:
    result = _intake(tmp_path, {"1.2": {"numerator": NA, "denominator": 50, "note": "x"}})
    codes = {i.code for i in result.issues if i.kpi_id == "1.2"}
    assert codes == {"result_not_applicable_mixed"}


# --- the KPI owner's review workbook ---------------------------------------------------------


def test_review_workbook_shows_na_awaiting_not_exempt(tmp_path: Path) -> None:
    import openpyxl

    from kpi_batch.model import Owner
    from kpi_batch.review.rows import ReviewRow
    from kpi_batch.review.workbook import AWAITING_TEXT, write_review_workbook

    fw = small_framework()
    kpi_21 = fw.kpis["U01"]["2.1"]
    reported = {
        "value": "",
        "numerator": "",
        "denominator": "",
        "level": "",
        "note": "ไม่ได้รับมอบหมาย",
    }
    rows = [
        ReviewRow("U01", "หน่วย 1", kpi_21, reported, "", "หน่วยงานแจ้งไม่มีผล (N/A)", "0",
                  status="not_applicable"),
        ReviewRow("U02", "หน่วย 2", kpi_21, reported, "", "ยกเว้นการประเมิน", "0", status="exempt"),
    ]  # fmt: skip
    path = write_review_workbook(
        tmp_path / "r.xlsx", fw, fw.round("R1"), Owner("O1", "เจ้าภาพ", ()), "run", "review", rows
    )
    wb = openpyxl.load_workbook(path)
    texts = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value]
    assert texts.count(AWAITING_TEXT) == 1 and texts.count(NA) == 1
    assert "ยกเว้น" in texts  # the exempt row still says exempt
