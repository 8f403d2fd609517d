"""The template's self-check box (issue 13 item 7), evaluated by LibreOffice: templates are
filled with openpyxl (which keeps no computed values), converted by `soffice --headless
--convert-to xlsx` (which recalculates) and the computed cells read back. Intake never
trusts the box: a file whose box was edited to say `พร้อมส่ง` is still fully checked."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import openpyxl
import pytest
from pdf_render import TIMEOUT, soffice_path
from submission_factories import fill_template
from template_factories import small_framework

from kpi_batch.cells import NOT_APPLICABLE_TEXT
from kpi_batch.intake import run_intake
from kpi_batch.intake import validate as intake_validate
from kpi_batch.specs.template import REPORT_SHEET
from kpi_batch.templates import selfcheck
from kpi_batch.templates.workbook import write_unit_template

DATE = dt.date(2024, 4, 3)
COMPLETE = {"1.1": 65, "1.2": (45, 50), "2.1": 3, "2.2": 9}
# 1.1 value K14, 1.2 numerator/denominator L15/M15, 2.1 level N16, 2.2 value K17; counts O5:O9
CASES: dict[str, tuple[dict[str, object], dt.date | None, list[int]]] = {
    "complete": (COMPLETE, DATE, [0, 0, 0, 0, 0]),
    "one_empty": ({**COMPLETE, "2.2": None}, DATE, [1, 0, 0, 0, 0]),
    "out_of_range": ({**COMPLETE, "1.1": 101, "2.1": 6}, DATE, [0, 2, 0, 0, 0]),
    "not_a_number": ({**COMPLETE, "1.1": "ร้อยละ 80"}, DATE, [0, 1, 0, 0, 0]),
    "numerator_over": ({**COMPLETE, "1.2": (55, 50)}, DATE, [0, 0, 1, 0, 0]),
    "no_date": (COMPLETE, None, [0, 0, 0, 0, 1]),
    "na_with_reason": (
        {**COMPLETE, "2.1": {"level": NOT_APPLICABLE_TEXT, "note": "ไม่ได้รับมอบหมาย"}},
        DATE,
        [0, 0, 0, 0, 0],
    ),
    "na_without_reason": ({**COMPLETE, "1.2": {"numerator": NOT_APPLICABLE_TEXT}}, DATE,
                          [0, 0, 0, 1, 0]),
}  # fmt: skip
COUNT_CELLS = [f"O{r}" for r in range(5, 10)]
STATUS_CELL = "K10"


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    soffice = soffice_path()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed")
    root = tmp_path_factory.mktemp("selfcheck")
    blank = write_unit_template(small_framework(), "U01", "R1", root / "blank.xlsx")
    filled = []
    for name, (values, day, _) in CASES.items():
        filled.append(fill_template(blank, values, submitted_on=day, out=root / f"{name}.xlsx"))
    out = root / "out"
    profile = (root / ".lo-profile").resolve().as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(out), *map(str, filled)],
        capture_output=True, timeout=TIMEOUT * 2, check=False,
    )  # fmt: skip
    result = {}
    for name in CASES:
        ws = openpyxl.load_workbook(out / f"{name}.xlsx", data_only=True)[REPORT_SHEET]
        result[name] = {c: ws[c].value for c in [*COUNT_CELLS, STATUS_CELL]}
    return result


@pytest.mark.parametrize("case", list(CASES))
def test_libreoffice_computes_each_count(computed: dict[str, dict[str, object]], case: str) -> None:
    expected = CASES[case][2]
    got = computed[case]
    assert [got[c] for c in COUNT_CELLS] == expected
    ready = selfcheck.READY_TEXT if not any(expected) else selfcheck.NOT_READY_TEXT
    assert got[STATUS_CELL] == ready


def test_box_sits_where_the_reporter_looks_and_is_locked(tmp_path: Path) -> None:
    path = write_unit_template(small_framework(), "U01", "R1", tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)[REPORT_SHEET]
    assert ws["K4"].value == selfcheck.TITLE
    assert ws[STATUS_CELL].data_type == "f" and ws.protection.sheet
    for cell in [*COUNT_CELLS, STATUS_CELL]:
        assert ws[cell].protection.locked, cell
    assert str(ws.print_area).startswith("'รายงานผล'!$A$1:")  # rows 4-10 print
    rules = [str(r.sqref) for r in ws.conditional_formatting]
    assert "O5:O9" in rules and "K10:O10" in rules  # red/green counts, green status


def test_the_box_copies_intakes_ranges() -> None:
    assert selfcheck.PERCENT_UNITS == intake_validate.PERCENT_UNITS
    assert selfcheck.LEVEL_MAX == intake_validate.LEVEL_MAX


def test_intake_never_trusts_the_box(tmp_path: Path) -> None:
    """The box is edited to say all is well (as a unit could, unprotecting the sheet):
    intake reads no cell of it and still finds every problem."""
    fw = small_framework()
    blank = write_unit_template(fw, "U01", "R1", tmp_path / "blank.xlsx")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bad = {"1.1": 101, "1.2": (55, 50), "2.1": None, "2.2": 9}
    path = fill_template(blank, bad, submitted_on=None, out=inbox / "U01.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[REPORT_SHEET]
    for cell in COUNT_CELLS:
        ws[cell].value = 0
    ws[STATUS_CELL].value = selfcheck.READY_TEXT
    wb.save(path)
    result = run_intake(inbox, fw, "R1", dt.date(2024, 4, 10))
    codes = {(i.code, i.kpi_id) for i in result.issues}
    assert {
        ("value_out_of_range", "1.1"),
        ("numerator_exceeds_denominator", "1.2"),
        ("result_empty", "2.1"),
        ("submitted_on_missing", ""),
    } <= codes
    assert not any(i.cell in (*COUNT_CELLS, STATUS_CELL) for i in result.issues)
