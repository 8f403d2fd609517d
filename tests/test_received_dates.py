"""Which date charges (DOMAIN §3.6): receipts register, then the e-mail's Date, then the
workbook's submitted_on; the file's modification date never; an adjustment overrides all.
Every combination of the three sources, in register.py (pure) and through score_round."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from scoring_factories import DUE, ROUND, STD, adjustments, framework, kpi, results

from kpi_batch.intake.discover import BANGKOK, Found
from kpi_batch.intake.register import FileOutcome, settle, submissions_frame
from kpi_batch.receipts.spec import Receipt
from kpi_batch.scoring.score_round import score_round

RECEIPT, EMAIL, WORKBOOK = dt.date(2024, 4, 8), dt.date(2024, 4, 6), dt.date(2024, 4, 5)
SAVED = 1_712_800_000.0  # 11 Apr 2024: the file's date, later than all of them


def _outcome(receipt: bool, email: bool, workbook: bool, rel: str = "U01.xlsx") -> FileOutcome:
    received = dt.datetime.combine(EMAIL, dt.time(10), BANGKOK) if email else None
    found = Found(Path(rel), rel, 100, SAVED, ".xlsx", received=received)
    o = FileOutcome(found, sha256="x", unit_id="u", round_id=ROUND)
    o.workbook_date = WORKBOOK if workbook else None
    return o


def _receipts(receipt: bool, by_file: bool) -> list[Receipt]:
    if not receipt:
        return []
    key = {"file": "u01.XLSX", "unit_id": ""} if by_file else {"file": "", "unit_id": "u"}
    return [Receipt(**key, received_on=RECEIPT, reference="รับ 12/2567", where="receipts!C2")]


@pytest.mark.parametrize(
    ("receipt", "email", "workbook", "by_file"),
    [(*c, f) for c in itertools.product([True, False], repeat=3) for f in (True, False)],
)
def test_every_combination(receipt: bool, email: bool, workbook: bool, by_file: bool) -> None:
    o = _outcome(receipt, email, workbook)
    assert settle([o], ROUND, _receipts(receipt, by_file)) == []
    expected = (
        (RECEIPT, "receipt")
        if receipt
        else (EMAIL, "email")
        if email
        else (WORKBOOK, "workbook")
        if workbook
        else (None, "date_to_confirm")
    )
    assert (o.received_on, o.date_source) == expected
    subs = submissions_frame([o], {"u"})
    charged = subs.loc[0, "submitted_on"]
    assert (None if charged is None or charged != charged else charged.date()) == expected[0]
    # sources more than one day apart are flagged, naming both
    differ = [i for i in o.issues if i.code == "received_dates_differ"]
    far = receipt and (email or workbook)  # 8 Apr vs 6 or 5 Apr; 6 vs 5 Apr is one day
    assert len(differ) == far
    if far:
        assert "ทะเบียนรับ" in differ[0].message_th and "8 เม.ย. 2567" in differ[0].message_th


def test_the_file_date_never_charges_through_score_round() -> None:
    fw = framework([kpi("a", STD)], {"u": {"a": 100}})
    o = _outcome(False, False, False)
    settle([o], ROUND)
    out = score_round(fw, ROUND, results({("u", "a"): 73}), submissions_frame([o], {"u"}))
    unit = out.unit_scores.iloc[0]
    assert str(unit["final_score"]) == "3.6000" and unit["date_source"] == "date_to_confirm"
    assert [i.code for i in out.issues] == ["date_to_confirm"]


def test_an_adjustment_overrides_every_source() -> None:
    fw = framework([kpi("a", STD)], {"u": {"a": 100}})
    o = _outcome(True, True, True)
    settle([o], ROUND, _receipts(True, by_file=False))
    subs = submissions_frame([o], {"u"})
    late = DUE + dt.timedelta(days=3)
    adj = adjustments(fw, ("u", "*", "review", "submitted_on", late, "ตามหนังสือรับ"))
    unit = score_round(fw, ROUND, results({("u", "a"): 73}), subs, adj).unit_scores.iloc[0]
    assert (unit["received_on"], unit["date_source"], unit["days_late"]) == (late, "adjustment", 3)


def test_a_receipt_naming_no_file_is_returned() -> None:
    o = _outcome(False, False, True)
    stray = Receipt("", "U99.xlsx", RECEIPT, "", "receipts!B3")
    unknown = Receipt("U77", "", RECEIPT, "", "receipts!A4")
    assert settle([o], ROUND, [stray, unknown]) == [stray, unknown]
    assert o.date_source == "workbook"
