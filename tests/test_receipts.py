"""The receipts register (`--receipts`, docs/receipts.md): read from xlsx or a CSV in any Thai
encoding, every bad row refused at its cell, and through the real CLI the receipt's date is
the one that charges (DOMAIN §3.6), the manifest names the register, a refused row exits 1."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from kpi_batch.framework.load import load_framework
from kpi_batch.input_templates import RECEIPTS_NAME
from kpi_batch.receipts.load import load_receipts
from kpi_batch.receipts.spec import COLUMNS, SHEET
from kpi_batch.receipts.template import write_receipts_template
from kpi_batch.runfolder import latest_run
from tests.factories import write_small_framework
from tests.test_cli_run import VALUES, cli, make_inbox

COMMITTED = Path(__file__).resolve().parents[1] / "input_templates" / RECEIPTS_NAME


@pytest.fixture(scope="module")
def framework(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_small_framework(tmp_path_factory.mktemp("fw") / "framework.xlsx")


def _register(path: Path, rows: list[tuple[object, ...]]) -> Path:
    """Fill the blank template as staff would (rows from row 2)."""
    write_receipts_template(path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c, value)
    wb.save(path)
    return path


def test_good_rows_are_read_with_their_cells(framework: Path, tmp_path: Path) -> None:
    path = _register(
        tmp_path / "r.xlsx",
        [
            ("U01", None, dt.datetime(2024, 3, 8), "1234/2567"),
            (None, "U02.xlsx", "7 มี.ค. 2567", None),
            ("U0๓", None, "๖/๓/๒๕๖๗", "9"),  # Thai digits in the id and the BE date
        ],
    )
    receipts, issues = load_receipts(path, load_framework(framework))
    assert issues == []
    assert [(r.unit_id, r.file, r.received_on, r.reference, r.where) for r in receipts] == [
        ("U01", "", dt.date(2024, 3, 8), "1234/2567", "receipts!C2"),
        ("", "U02.xlsx", dt.date(2024, 3, 7), "", "receipts!C3"),
        ("U03", "", dt.date(2024, 3, 6), "9", "receipts!C4"),
    ]


def test_every_bad_row_is_refused_at_its_cell(framework: Path, tmp_path: Path) -> None:
    path = _register(
        tmp_path / "r.xlsx",
        [
            (None, None, "7/3/2567", "x"),  # names nothing
            ("U99", None, "7/3/2567", None),  # not a unit
            ("U01\u200b", None, "7/3/2567", None),  # invisible character
            ("U02", None, "สิบมีนา", None),  # not a date
            ("U03", None, None, "12"),  # no date
            ("U04", "a.xlsx", "7/3/2567", None),  # the same file twice, two dates
            ("U04", "A.XLSX", "8/3/2567", None),
            ("U01", None, "9/3/2567", None),  # the one good row
        ],
    )
    receipts, issues = load_receipts(path, load_framework(framework))
    assert [(r.unit_id, r.received_on) for r in receipts] == [("U01", dt.date(2024, 3, 9))]
    found = [(i.code, i.sheet, i.cell, i.severity.value) for i in issues]
    assert found == [
        ("receipt_row_no_target", SHEET, "A2", "error"),
        ("receipt_unit_unknown", SHEET, "A3", "error"),
        ("receipt_unit_unknown", SHEET, "A4", "error"),
        ("receipt_date_invalid", SHEET, "C5", "error"),
        ("receipt_date_missing", SHEET, "C6", "error"),
        ("receipt_file_twice", SHEET, "C7", "error"),
        ("receipt_file_twice", SHEET, "C8", "error"),
    ]
    by_code = {i.code: i for i in issues}
    assert "U01<U+200B>" in issues[2].message_th  # told apart from U01 on screen
    assert "7 มี.ค. 2567" in by_code["receipt_date_missing"].message_th  # an example to copy
    assert "receipts!C7" in by_code["receipt_file_twice"].message_th  # names both rows
    assert all("ไม่ได้ใช้" in i.message_th for i in issues)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp874", "utf-8"])
def test_a_csv_with_thai_headings_in_any_encoding(
    framework: Path, tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "receipts.csv"
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(["ลำดับ", "รหัสหน่วยงาน", "วันที่รับ", "เลขรับ"])  # an extra column is fine
        w.writerow(["1", "U01", "8 มี.ค. 2567", "สบ 12/2567"])
        w.writerow(["2", "U02", "31/2/2567", ""])
    receipts, issues = load_receipts(path, load_framework(framework))
    assert [(r.unit_id, r.received_on, r.reference, r.where) for r in receipts] == [
        ("U01", dt.date(2024, 3, 8), "สบ 12/2567", "C2")
    ]
    errors = [(i.code, i.cell) for i in issues if i.severity.value == "error"]
    assert errors == [("receipt_date_invalid", "C3")]
    guessed = [i for i in issues if i.code == "receipt_encoding_guessed"]
    assert len(guessed) == (encoding == "cp874")


def test_a_register_without_the_columns_or_the_sheet(framework: Path, tmp_path: Path) -> None:
    fw = load_framework(framework)
    path = tmp_path / "r.csv"
    path.write_text("unit,date\nU01,8/3/2567\n", encoding="utf-8")
    assert [(i.code, i.cell) for i in load_receipts(path, fw)[1]] == [
        ("receipt_columns_missing", "A1")
    ]
    book = tmp_path / "two.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "a"
    wb.create_sheet("b")
    wb.save(book)
    assert [i.code for i in load_receipts(book, fw)[1]] == ["receipt_sheet_missing"]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    assert [i.code for i in load_receipts(broken, fw)[1]] == ["receipt_file_unreadable"]


def test_the_blank_template_is_committed_and_read_back_empty(
    framework: Path, tmp_path: Path
) -> None:
    fresh = write_receipts_template(tmp_path / RECEIPTS_NAME)
    assert COMMITTED.exists()
    ws = openpyxl.load_workbook(fresh)[SHEET]
    assert [c.value for c in ws[1]] == list(COLUMNS)
    assert load_receipts(fresh, load_framework(framework)) == ([], [])


def test_through_the_cli_the_receipt_charges_and_a_bad_row_exits_1(
    framework: Path, tmp_path: Path
) -> None:
    # every unit typed submitted_on 15 Feb (on time, due 6 Mar); the office received U01's
    # file on Fri 8 Mar: 2 days late, 0.10 off, from the receipt
    inbox = make_inbox(framework, tmp_path / "inbox", VALUES)
    register = _register(tmp_path / "receipts.xlsx", [("U01", None, "8/3/2567", "1234/2567")])
    out = tmp_path / "out"
    args = ("run", "--framework", framework, "--inbox", inbox, "--out", out, "--as-of",
            "2024-03-11", "--receipts", register, "--archive", tmp_path / "arch")  # fmt: skip
    first = cli(*args)
    assert first.exit_code == 0, first.output
    run_dir = latest_run(out, 2567, "R1")
    assert run_dir is not None
    scores = {
        r["unit_id"]: r for r in csv.DictReader((run_dir / "scores.csv").open(encoding="utf-8-sig"))
    }
    assert (scores["U01"]["date_source"], scores["U01"]["days_late"]) == ("receipt", "2")
    assert scores["U01"]["deduction"] == "0.1000"
    assert scores["U02"]["date_source"] == "workbook" and scores["U02"]["deduction"] == "0.0000"
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["receipts"]["path"] == str(register)
    assert len(manifest["receipts"]["sha256"]) == 64
    u01 = next(r for r in manifest["inputs"] if r["unit_id"] == "U01")
    assert (u01["date_source"], u01["receipt_reference"]) == ("receipt", "1234/2567")
    sums = next((tmp_path / "arch").rglob("SHA256SUMS")).read_text(encoding="utf-8")
    assert "receipts/receipts.xlsx" in sums  # the archive keeps what decided the deduction
    files = openpyxl.load_workbook(run_dir / "validation_report.xlsx")["ไฟล์ที่รับ (files)"]
    assert "ทะเบียนรับ (receipt)" in [c.value for row in files.iter_rows() for c in row]

    _register(register, [("U01", None, "8/3/2567", None), ("U77", None, "8/3/2567", None)])
    second = cli(*args)
    assert second.exit_code == 1, second.output  # a refused row needs a person
    run_dir = latest_run(out, 2567, "R1")
    assert run_dir is not None
    report = openpyxl.load_workbook(run_dir / "validation_report.xlsx")
    texts = [str(c.value) for ws in report.worksheets for row in ws.iter_rows() for c in row]
    assert any("receipts!A3" in t or "U77" in t for t in texts)
