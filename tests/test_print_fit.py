"""Every printed page of every workbook kind reads whole: no cut text, no empty pages.

The demo's run writes every kind; each is checked cell by cell against the font LibreOffice
prints with (tests/print_fit.py: text width at the cell's font and size against its
column(s), wrapped lines against the row height, merged ranges, text running over into a
filled neighbour), and one file of each kind is rendered with LibreOffice to check the pages
themselves: none printed without content, print titles over their own table only.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from pdf_render import render_pdf
from print_fit import Cut, cuts_in_workbook, print_bounds

# Workbook kind -> files of the demo (relative globs). Every file of a kind is measured.
KINDS = {
    "hr": "{run}/hr_*.xlsx",
    "executive": "{run}/executive_*.xlsx",
    "unit result": "{run}/units/result_*.xlsx",
    "validation report": "{run}/validation_report.xlsx",
    "status workbook": "{run}/status_*.xlsx",
    "returned copy": "{run}/returned/*.xlsx",
    "unit template": "templates/R1/*.xlsx",
    "review workbook": "reviews/sent/*.xlsx",
}
# ISO dates a person would read (a run id such as 2567/R1/2024-03-15_2 is an identifier).
ISO_DATE = re.compile(r"(?<![/\d])\d{4}-\d{2}-\d{2}(?!_\d)")


def _files(demo: Path, kind: str) -> list[Path]:
    runs = sorted((demo / "output" / "2567" / "R1").glob("2024-*"))  # the latest run's files
    files = sorted(demo.glob(KINDS[kind].format(run=runs[-1].relative_to(demo))))
    assert files, f"the demo wrote no {kind}"
    return files


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_printed_cell_shows_all_its_text(demo_out: Path, kind: str) -> None:
    cuts: list[str] = []
    for book in _files(demo_out, kind):
        cuts.extend(f"{book.name} {c}" for c in cuts_in_workbook(book))
    assert not cuts, "\n".join(cuts[:30])


def test_the_check_catches_a_cut_cell(tmp_path: Path) -> None:
    """The measure itself: a wrapped Thai name in a row one line too low is cut, the same
    name in a row that fits is not; text running into a filled neighbour is cut."""
    import xlsxwriter

    from kpi_batch.workbook_style import fmt, workbook_options

    path = tmp_path / "probe.xlsx"
    wb = xlsxwriter.Workbook(str(path), workbook_options())
    ws = wb.add_worksheet("probe")
    wrap = wb.add_format(fmt(text_wrap=True))
    name = "ระดับความสำเร็จของการชี้แจงประเด็นข่าวที่มีผลกระทบต่อสำนักงานปลัดกระทรวงสาธารณสุข"
    ws.set_column(0, 0, 30)
    ws.write(0, 0, name, wrap)
    ws.set_row(0, 44)  # 2 lines' worth: the name needs 3
    ws.write(1, 0, name, wrap)
    ws.set_row(1, 68)
    ws.write(2, 0, name + " ไม่ตัดบรรทัด")
    ws.write(2, 1, "x")
    wb.close()
    cuts = {c.cell: c for c in cuts_in_workbook(path)}
    assert set(cuts) == {"A1", "A3"}, cuts
    assert "overwritten" in cuts["A3"].reason
    assert isinstance(cuts["A1"], Cut)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_sheet_prints_something(demo_out: Path, kind: str) -> None:
    """LibreOffice prints hidden sheets too, so a sheet with nothing to say must not be
    written at all; a table with only its header row is nothing to say."""
    empty = []
    for book in _files(demo_out, kind):
        wb = openpyxl.load_workbook(book)
        for ws in wb.worksheets:
            tables = list(ws.tables.values())
            if tables and all(_table_is_empty(ws, t.ref) for t in tables):
                empty.append(f"{book.name} {ws.title}")
    assert not empty, empty[:10]


def _table_is_empty(ws, ref: str) -> bool:
    rows = list(ws[ref])[1:]
    return all(c.value in (None, "") for row in rows for c in row)


@pytest.mark.parametrize("kind", list(KINDS))
def test_print_titles_repeat_over_their_own_table_only(demo_out: Path, kind: str) -> None:
    """A sheet whose header row repeats on every page holds no other table below it: the
    second table's rows would print under the first table's headings."""
    wrong = []
    for book in _files(demo_out, kind)[:3]:
        wb = openpyxl.load_workbook(book)
        for ws in wb.worksheets:
            titles = ws.print_title_rows
            if not titles:
                continue
            title_row = int(titles.split(":")[-1].replace("$", ""))
            _, _, _, last_printed = print_bounds(ws)
            for table in ws.tables.values():
                name = table.name
                top = int(re.sub(r"[A-Z$]", "", table.ref.split(":")[0]))
                if top != title_row and title_row < top <= last_printed:
                    wrong.append(f"{book.name} {ws.title}: table {name} under row {title_row}")
    assert not wrong, wrong


@pytest.mark.parametrize("kind", list(KINDS))
def test_dates_people_read_are_thai_be(demo_out: Path, kind: str) -> None:
    iso = []
    for book in _files(demo_out, kind)[:3]:
        wb = openpyxl.load_workbook(book)
        for ws in wb.worksheets:
            # The executive's `figures` table is for other programs: ISO, labelled ค.ศ.
            machine = {c.coordinate for t in ws.tables.values() if t.name == "figures"
                       for row in ws[t.ref] for c in row}  # fmt: skip
            for row in ws.iter_rows():
                for cell in row:
                    if cell.coordinate in machine:
                        continue
                    if isinstance(cell.value, str) and ISO_DATE.search(cell.value):
                        iso.append(f"{book.name} {ws.title}!{cell.coordinate}: {cell.value!r}")
    assert not iso, iso[:10]


@pytest.fixture(scope="module")
def rendered(demo_out: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One file of each kind as LibreOffice prints it (one conversion each, one profile)."""
    out = tmp_path_factory.mktemp("render")
    return {kind: render_pdf(_files(demo_out, kind)[0], out) for kind in KINDS}


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_printed_page_is_empty(rendered: dict[str, Path], kind: str) -> None:
    """Every page carries something beyond its running header and page number."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    text = subprocess.run(
        [pdftotext, "-layout", str(rendered[kind]), "-"], capture_output=True, text=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert pages
    blank = [n for n, page in enumerate(pages, start=1) if len(_body_lines(page)) == 0]
    assert not blank, f"{rendered[kind].name}: pages {blank} of {len(pages)} print nothing"


def _body_lines(page: str) -> list[str]:
    lines = [line for line in page.splitlines() if line.strip()]
    lines = [line for line in lines if not re.fullmatch(r"\s*หน้า \d+ / \d+\s*", line)]
    return lines[1:]  # the first line is the running header
