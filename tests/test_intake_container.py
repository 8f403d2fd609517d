"""Safety checks on the bytes, before any parser: each hostile file gets its code."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import intake_corpus as corpus
import pytest
from template_factories import small_framework

from kpi_batch.intake import Limits, run_intake
from kpi_batch.intake.codes import CHECKS
from kpi_batch.intake.container import Container, Rejection, error_cells, inspect, worksheet
from kpi_batch.templates.workbook import write_unit_template


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("blank")
    return write_unit_template(small_framework(), "U01", "R1", folder / "U01.xlsx")


def _code(path: Path, limits: Limits | None = None) -> str:
    result = inspect(path.read_bytes(), path.suffix.lower(), limits or Limits())
    if isinstance(result, Container) and result.kind == "xlsx":
        result = worksheet(result, "xl/worksheets/sheet1.xml")
    return result.code if isinstance(result, Rejection) else "ok"


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda b, d: corpus.copy(b, d), "ok"),
        (corpus.entity_expansion, "file_xml_entities"),
        (corpus.declared_huge, "file_zip_bomb"),
        (lambda b, d: corpus.compressible_member(d), "file_zip_bomb"),
        (corpus.lying_member, "file_zip_bomb"),
        (corpus.truncated, "file_corrupt"),
        (lambda b, d: corpus.ole_encrypted(d), "file_encrypted"),
        (lambda b, d: corpus.ole_plain(d), "file_not_workbook"),
        (lambda b, d: corpus.far_cell(d), "file_too_many_rows"),
    ],
)
def test_hostile_bytes(blank: Path, tmp_path: Path, make, code: str) -> None:  # type: ignore[no-untyped-def]
    path = make(blank, tmp_path / "x.xlsx")
    assert _code(path) == code


def test_many_rows_are_counted_before_parsing(tmp_path: Path) -> None:
    path = corpus.many_rows(tmp_path / "rows.xlsx")
    assert _code(path) == "file_too_many_rows"
    result = inspect(path.read_bytes(), ".xlsx", Limits())
    assert isinstance(result, Rejection) and result.value == "100000"


def test_a_wide_but_small_sheet_is_refused(tmp_path: Path) -> None:
    """9,000 rows x 16,384 columns is under the row limit but not under the cell limit."""
    import xlsxwriter

    path = tmp_path / "wide.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write("A1", 1)
    ws.write("XFD9000", 1)
    wb.close()
    assert _code(path) == "file_zip_bomb"


def test_the_size_limit_is_checked_before_reading(tmp_path: Path, blank: Path) -> None:
    inbox = tmp_path / "inbox"
    corpus.copy(blank, inbox / "big.xlsx")
    result = run_intake(
        inbox, small_framework(), "R1", dt.date(2024, 4, 10), Limits(max_file_bytes=1000)
    )
    row = result.register.iloc[0]
    assert (row["status"], row["issues"][0]["code"]) == ("rejected", "file_too_large")
    assert row["sha256"]  # still hashed, for the manifest


def test_error_cells_are_found_in_the_sheet_xml() -> None:
    body = (
        b'<sheetData><row r="1"><c r="A1" s="1"/><c r="B1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        b'<c r="C1" t="s"><v>0</v></c><c r="D1" s="2" t="e"><v>#N/A</v></c></row></sheetData>'
    )
    assert error_cells(body) == {"B1": "#DIV/0!", "D1": "#N/A"}
    assert error_cells(b'<c r="A1"><v>1</v></c>') == {}


def test_every_check_has_thai_and_english_messages() -> None:
    for check in CHECKS.values():
        issue = check.issue(file="f.xlsx", value="x", kpi_id="1.1")
        assert issue.message_th and issue.message_en
        assert "{" not in issue.message_th + issue.message_en
        assert re.search(r"[\u0e00-\u0e7f]", issue.message_th)  # Thai text
