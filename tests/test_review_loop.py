"""The KPI owners' loop with real files through the real CLI: a run, review-sheets, owners
fill their workbooks (one edits a locked cell, one changes another owner's KPI, one leaves a
reason empty, one types Thai digits), run --reviews with an adjustments workbook, and the
final scores, the issues by cell, the unit's result, the manifest and the diff.

The small owner framework (tests/owner_factories.py): QA owns 1.1.1 and 1.1.2, FIN owns
2.1 (a ratio KPI), ORG owns 3.1 (milestone); 4.1 and 5.1 have no owner.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kpi_batch.intake.xlsx_parts import header_key
from kpi_batch.issues import cell_ref
from kpi_batch.review.check import text
from kpi_batch.review.fill import fill_review
from kpi_batch.review.read import ReviewBook, read_review
from kpi_batch.runfolder import latest_run
from kpi_batch.specs.review import COLUMNS, NAMES, SHEET
from tests.adjustment_factories import write_adjustment_rows
from tests.owner_factories import write_owner_framework
from tests.test_cli_run import VALUES, cli, make_inbox, run

D = Decimal
QA, FIN, ORG = "review_2567_R1_QA.xlsx", "review_2567_R1_FIN.xlsx", "review_2567_R1_ORG.xlsx"


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("loop")
    fw = write_owner_framework(tmp / "fw.xlsx")
    inbox = make_inbox(fw, tmp / "inbox", VALUES)
    out = tmp / "out"
    assert run(fw, inbox, out).exit_code == 0
    first = latest_run(out, 2567, "R1")
    assert first is not None
    sheets = tmp / "sheets"
    made = cli("review-sheets", "--run", first, "--out", sheets)
    assert made.exit_code == 0, made.output
    back = tmp / "back"
    back.mkdir()
    # QA: Thai digits for U01 1.1.1, a locked cell typed over for U02, no reason for U03.
    fill_review(
        sheets / QA,
        {
            ("U01", "1.1.1"): {
                "new_value": "๙๒",
                "reason": "ตรวจหลักฐานแล้ว",
                "reference": "บันทึก 5/2567",
            },
            ("U02", "1.1.1"): {"value": 99},
            ("U03", "1.1.2"): {"new_value": 50},
        },
        back / "qa_checked.xlsx",
    )
    # FIN: a new numerator for U01, exempt for U03 (the adjustments workbook says otherwise),
    # and U02's row turned into another owner's KPI (3.1 is ORG's).
    fill_review(
        sheets / FIN,
        {
            ("U01", "2.1"): {"new_numerator": 80, "reason": "ยอดเบิกจ่ายตามระบบ GFMIS"},
            ("U03", "2.1"): {"exempt": "ยกเว้น", "reason": "ไม่ได้รับงบประมาณ"},
            ("U02", "2.1"): {"kpi_id": "3.1", "new_score": 5, "reason": "แก้แทน"},
        },
        back / "การเงิน.xlsx",  # any file name: identity is in the defined names
    )
    (back / "~$qa_checked.xlsx").write_bytes(b"lock file")  # Excel's, never read
    (back / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    adjustments = write_adjustment_rows(
        tmp / "adjustments.xlsx",
        [
            ["U03", "2.1", "review", "exempt", "0", "ยกเลิกการยกเว้น", ""],
            ["U01", "3.1", "review", "level", "3", "ตรวจเอกสารแล้ว", ""],
            ["U01", "1.1.1", "review", "value", "92", "ตรงกับเจ้าภาพ", ""],
        ],
    )
    final = run(fw, inbox, out, "--adjustments", adjustments, "--reviews", back)
    second = latest_run(out, 2567, "R1")
    assert second is not None and second != first
    return {
        "tmp": tmp, "out": out, "first": first, "second": second, "sheets": sheets,
        "back": back, "exit_code": final.exit_code, "stdout": final.output,
    }  # fmt: skip


def _book(path: Path) -> ReviewBook:
    book = read_review(path)
    assert isinstance(book, ReviewBook), book
    return book


def _kpis(run_dir: Path) -> dict[tuple[str, str], dict[str, str]]:
    with (run_dir / "kpi_scores.csv").open(encoding="utf-8-sig") as f:
        return {(r["unit_id"], r["kpi_id"]): r for r in csv.DictReader(f)}


def test_one_workbook_per_owner_with_only_their_rows(loop: dict[str, Any]) -> None:
    names = sorted(p.name for p in loop["sheets"].iterdir())
    assert names == sorted([QA, FIN, ORG])
    qa = _book(loop["sheets"] / QA)
    assert {k: text(v) for k, v in qa.names.items()} == {
        "owner_id": "QA", "round_id": "R1", "fiscal_year": "2567",
        "run_id": "2567/R1/2024-02-20_1", "stage": "review", "review_version": "1",
    }  # fmt: skip
    assert set(NAMES) == set(qa.names) and set(COLUMNS) <= set(qa.columns)
    pairs = [(r[qa.columns["unit_id"]], r[qa.columns["kpi_id"]]) for _, r in qa.rows]
    assert pairs == [("U01", "1.1.1"), ("U01", "1.1.2"), ("U02", "1.1.1"), ("U03", "1.1.2"),
                     ("U04", "1.1.1")]  # fmt: skip
    row = dict(zip(COLUMNS, [qa.rows[0][1][qa.columns[k]] for k in COLUMNS], strict=True))
    assert row["value"] == 48 and row["score"] == 3 and "48" in str(row["explanation"])


def test_review_workbook_is_locked_except_inputs(loop: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(loop["sheets"] / FIN)
    ws = wb[SHEET]
    assert ws.protection.sheet
    header = next(r for r in ws.iter_rows() if any(header_key(c.value) == "unit_id" for c in r))
    col = {header_key(c.value): c.column for c in header}
    first = header[0].row + 1
    assert ws.cell(first, col["new_numerator"]).protection.locked is False
    assert ws.cell(first, col["reason"]).protection.locked is False
    assert ws.cell(first, col["numerator"]).protection.locked is not False
    # a ratio KPI: the value and level inputs do not apply and stay locked (grey)
    assert ws.cell(first, col["new_value"]).protection.locked is not False
    assert ws.cell(first, col["new_level"]).protection.locked is not False
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and "ยกเว้น" in str(lists[0].formula1)
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9


def test_final_scores_apply_the_owners_changes(loop: dict[str, Any]) -> None:
    before, after = _kpis(loop["first"]), _kpis(loop["second"])
    # QA typed ๙๒ (Thai digits); the adjustments workbook has the same change: applied once
    assert before[("U01", "1.1.1")]["value"] == "48.0000"
    assert after[("U01", "1.1.1")]["value"] == "92.0000"
    # FIN: numerator 80 of 100
    assert after[("U01", "2.1")]["value"] == "80.0000"
    # the locked cell typed over changes nothing, the row without a reason either
    assert after[("U02", "1.1.1")] == before[("U02", "1.1.1")]
    assert after[("U03", "1.1.2")] == before[("U03", "1.1.2")]
    # FIN's exempt and the workbook's "not exempt" conflict: neither applies
    assert after[("U03", "2.1")]["score"] == before[("U03", "2.1")]["score"] != ""
    # another owner's KPI (FIN on 3.1) is refused; the workbook's level 3 for U01 applies
    assert after[("U02", "3.1")] == before[("U02", "3.1")]
    assert after[("U01", "3.1")]["value"] == "3.0000"


def test_every_problem_is_named_at_its_cell(loop: dict[str, Any]) -> None:
    manifest = json.loads((loop["second"] / "manifest.json").read_text(encoding="utf-8"))
    reviews = {Path(r["path"]).name: r for r in manifest["reviews"]}
    assert sorted(reviews) == ["broken.xlsx", "qa_checked.xlsx", "การเงิน.xlsx"]
    assert reviews["broken.xlsx"]["status"] == "rejected"
    assert (reviews["qa_checked.xlsx"]["owner_id"], reviews["qa_checked.xlsx"]["rows"]) == ("QA", 1)
    assert reviews["การเงิน.xlsx"]["owner_id"] == "FIN"
    out = loop["stdout"]
    qa = _book(loop["back"] / "qa_checked.xlsx")
    fin = _book(loop["back"] / "การเงิน.xlsx")

    def cell(book: ReviewBook, unit: str, kpi: str, key: str) -> str:
        row = next(
            r for r, c in book.rows
            if c[book.columns["unit_id"]] == unit and c[book.columns["kpi_id"]] == kpi
        )  # fmt: skip
        return f"{SHEET}!{cell_ref(row, book.columns[key])}"

    expected = [
        ("qa_checked.xlsx", cell(qa, "U02", "1.1.1", "value"), "review_locked_changed"),
        ("qa_checked.xlsx", cell(qa, "U03", "1.1.2", "reason"), "review_reason_missing"),
        ("การเงิน.xlsx", cell(fin, "U02", "3.1", "kpi_id"), "review_not_owner"),
        ("การเงิน.xlsx", cell(fin, "U03", "2.1", "exempt"), "review_conflict"),
        ("adjustments.xlsx", "adjustments!2:2", "review_conflict"),
        ("broken.xlsx", SHEET, "review_file_unreadable"),
    ]
    lines = out.splitlines()
    for file, where, code in expected:
        assert any(
            line.strip().startswith(f"{file} {where}") and line.rstrip().endswith(f"[{code}]")
            for line in lines
        ), (file, where, code, out)
    assert "~$" not in out
    assert loop["exit_code"] == 1  # problems need a person: exit 1


def test_the_unit_result_and_the_diff_name_the_owner(loop: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(loop["second"] / "units" / "result_2567_R1_U01.xlsx")
    texts = [str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r if v]
    assert any("เจ้าภาพตัวชี้วัด กองคลัง" in t for t in texts)
    assert any("การเงิน.xlsx ทบทวนผล!" in t for t in texts)  # the cell it came from
    diff = cli("diff", "--out", loop["out"])
    assert diff.exit_code == 0
    assert "เจ้าภาพตัวชี้วัด กองคลัง" in diff.output and "U01" in diff.output


def test_appeal_stage_holds_only_the_appealed_rows(loop: dict[str, Any]) -> None:
    appeals = loop["tmp"] / "appeals.csv"
    appeals.write_text(
        "unit_id,kpi_id,argument\nU01,2.1,ยอดเบิกจ่ายรวมเงินกันไว้เบิกเหลื่อมปี\n", encoding="utf-8"
    )
    folder = loop["tmp"] / "appeal_sheets"
    made = cli("review-sheets", "--run", loop["second"], "--out", folder, "--stage", "appeal",
               "--appeals", appeals)  # fmt: skip
    assert made.exit_code == 0, made.output
    assert sorted(p.name for p in folder.iterdir()) == ["review_2567_R1_FIN_appeal.xlsx"]
    book = _book(folder / "review_2567_R1_FIN_appeal.xlsx")
    assert text(book.names["stage"]) == "appeal" and len(book.rows) == 1
    assert "เหลื่อมปี" in str(book.rows[0][1][book.columns["argument"]])
    bad = loop["tmp"] / "bad_appeals.csv"
    bad.write_text("unit_id,kpi_id,argument\nU09,2.1,x\nU02,5.1,y\n", encoding="utf-8")
    refused = cli("review-sheets", "--run", loop["second"], "--out", loop["tmp"] / "x",
                  "--stage", "appeal", "--appeals", bad)  # fmt: skip
    assert refused.exit_code == 2
    assert "appeals!A2" in refused.output or "bad_appeals.csv!A2" in refused.output


def test_email_sends_each_owner_only_their_workbook(loop: dict[str, Any]) -> None:
    import email
    import email.policy
    import shutil

    sender = "กพร. <kpr@dept.example>"
    dry = cli("email", "--run", loop["first"], "--reviews", loop["sheets"], "--from", sender)
    assert dry.exit_code == 0, dry.output
    outbox = loop["first"] / "outbox_reviews"
    got = {}
    for eml in sorted(outbox.glob("*.eml")):
        msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        files = [p.get_filename() for p in msg.iter_attachments()]
        got[str(msg["To"])] = files
    assert got == {
        "qa@dept.example": [QA],
        "fin@dept.example, fin.head@dept.example": [FIN],
        "org@dept.example": [ORG],
    }
    # FIN's rows relabelled as QA's workbook: QA must never see them, so nothing is sent
    mixed = loop["tmp"] / "mixed"
    shutil.copytree(loop["sheets"], mixed)
    wb = openpyxl.load_workbook(mixed / FIN)
    wb[SHEET]["B4"] = "QA"  # the owner_id cell
    wb.save(mixed / FIN)
    held = cli("email", "--run", loop["first"], "--reviews", mixed, "--from", sender, "--send",
               "--smtp-host", "127.0.0.1", "--smtp-port", "9")  # fmt: skip
    assert held.exit_code == 1, held.output
    assert "nothing is sent" in held.output or "ไม่ส่งอีเมลใดเลย" in held.output
