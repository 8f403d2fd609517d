"""Intake's quick read of an .xlsx (calamine's table API, the named cells from the sheet XML,
cells.py and tables.py) gives exactly what reading the whole sheet with calamine gives, or
steps aside; and what it adds to the safety checks holds.

Each file is read both ways: `load` as intake runs it, and `load` with the quick read
switched off (calamine reads the whole sheet, as intake did before). Values are compared
with their types (`1.0 == True` in Python; a date is not a datetime here).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from submission_factories import fill_template
from template_factories import small_framework

from kpi_batch.intake import Limits
from kpi_batch.intake import load as loader
from kpi_batch.intake.cells import format_is_date
from kpi_batch.intake.container import Rejection, error_cells, inspect, worksheet
from kpi_batch.intake.tables import table_reach
from kpi_batch.intake.xlsx_parts import xlsx_layout
from kpi_batch.templates.workbook import write_unit_template

SHEET = "xl/worksheets/sheet1.xml"
STYLES = "xl/styles.xml"
NAMED = ("B5", "F5", "F6", "F7", "B7", "B8", "F10", "B11")


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A submission as openpyxl saves it (inline strings, explicit `t="n"`)."""
    folder = tmp_path_factory.mktemp("fast")
    blank = write_unit_template(small_framework(), "U01", "R1", folder / "U01.xlsx")
    path = fill_template(
        blank,
        {"1.1": 73, "1.2": (45, 50), "2.1": 3.5, "2.2": "๙"},
        submitted_on=dt.date(2024, 4, 3),
        out=folder / "filled.xlsx",
    )
    return _parts(path.read_bytes())


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


def _set_cell(parts: dict[str, bytes], ref: str, xml: str) -> dict[str, bytes]:
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.DOTALL)
    sheet, n = pattern.subn(lambda _: xml.encode(), parts[SHEET], count=1)
    assert n == 1, ref
    return {**parts, SHEET: sheet}


@contextmanager
def _quick_read(enabled: bool) -> Iterator[list[bool]]:
    """Whether the quick read was used, file by file; off: the whole sheet is read."""
    used: list[bool] = []
    real = loader._read_table

    def spy(*args: object) -> object:
        result = real(*args) if enabled else None  # type: ignore[arg-type]
        used.append(result is not None)
        return result

    with mock.patch.object(loader, "_read_table", spy):
        yield used


def _load(data: bytes, quick: bool = True) -> tuple[loader.Workbook | Rejection, bool]:
    with _quick_read(quick) as used:
        container = inspect(data, ".xlsx", Limits())
        assert not isinstance(container, Rejection), container
        book = loader.load(data, container, loader.prepare(container))
    return book, any(used)


def _typed(value: object) -> tuple[str, object]:
    return type(value).__name__, value


def _same_reads(data: bytes) -> bool:
    """Both reads agree, value types included; True when the quick read was used."""
    quick, used = _load(data)
    full, _ = _load(data, quick=False)
    assert isinstance(quick, loader.Workbook) and isinstance(full, loader.Workbook)
    assert {k: (s, c, _typed(v)) for k, (s, c, v) in quick.names.items()} == {
        k: (s, c, _typed(v)) for k, (s, c, v) in full.names.items()
    }
    assert [[_typed(v) for v in row] for row in quick.rows] == [
        [_typed(v) for v in row] for row in full.rows
    ]
    assert (quick.sheet, quick.keys, quick.columns, quick.header_row, quick.missing_names) == (
        full.sheet,
        full.keys,
        full.columns,
        full.header_row,
        full.missing_names,
    )
    return used


def test_a_filled_template_takes_the_quick_read(filled: dict[str, bytes]) -> None:
    assert _same_reads(_zip(filled))


# -- named cells in every form a spreadsheet program writes, and some it does not ------------

_TEXT = st.text(alphabet=st.sampled_from("ab Zกขค๑๒ \u00a0&<>'\"_x000D\r\n-#!?"), max_size=12)


def _inline(text: str) -> str:
    return f'<is><t xml:space="preserve">{escape(text)}</t></is>'


_CELL_FORMS: list[Callable[[str, str], str]] = [
    lambda ref, text: f'<c r="{ref}" s="4" t="inlineStr">{_inline(text)}</c>',
    lambda ref, text: f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>',
    lambda ref, text: f'<c r="{ref}" t="str"><f>A1</f><v>{escape(text)}</v></c>',
    lambda ref, text: f'<c r="{ref}" t="inlineStr"><is><r><t>{escape(text)}</t></r></is></c>',
    lambda ref, _: f'<c r="{ref}" t="b"><v>1</v></c>',
    lambda ref, _: f'<c r="{ref}" t="b"><v>0</v></c>',
    lambda ref, _: f'<c r="{ref}" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
    lambda ref, _: f'<c r="{ref}" s="4"/>',
    lambda ref, _: f'<c r="{ref}" s="4"></c>',
    lambda ref, _: f'<c r="{ref}" t="d"><v>2024-04-03T00:00:00</v></c>',
    lambda ref, _: f'<c s="4" r="{ref}"><v>12</v></c>',  # r not first: calamine reads it
]
_NUMBERS = st.one_of(
    st.sampled_from(["45385", "45385.0", "45385.5", "0.5", "60", "61", "2958465", "-3"]),
    st.integers(-10, 3_000_000).map(str),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: f"{f:.6g}"),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ref=st.sampled_from(NAMED),
    form=st.integers(0, len(_CELL_FORMS) - 1),
    text=_TEXT,
)
def test_named_cells_read_as_calamine_reads_them(
    filled: dict[str, bytes], ref: str, form: int, text: str
) -> None:
    _same_reads(_zip(_set_cell(filled, ref, _CELL_FORMS[form](ref, text))))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ref=st.sampled_from(NAMED), style=st.integers(0, 40), number=_NUMBERS)
def test_numbers_and_dates_read_as_calamine_reads_them(
    filled: dict[str, bytes], ref: str, style: int, number: str
) -> None:
    cell = f'<c r="{ref}" s="{style}" t="n"><v>{number}</v></c>'
    _same_reads(_zip(_set_cell(filled, ref, cell)))


def _with_format(parts: dict[str, bytes], code: str, number_format: int = 200) -> bytes:
    """F7 in a style of its own with number format `code`, holding a serial."""
    styles = parts[STYLES].decode()
    attribute = quoteattr(code)  # the format code in an attribute, quotes escaped
    styles = styles.replace(
        "</numFmts>", f'<numFmt numFmtId="{number_format}" formatCode={attribute} /></numFmts>'
    )
    count = len(re.findall(r"<xf\b", styles.split("<cellXfs", 1)[1].split("</cellXfs>")[0]))
    styles = styles.replace("</cellXfs>", f'<xf numFmtId="{number_format}" /></cellXfs>')
    cell = f'<c r="F7" s="{count}" t="n"><v>45385</v></c>'
    return _zip({**_set_cell(parts, "F7", cell), STYLES: styles.encode()})


@pytest.mark.parametrize(
    ("code", "is_date"),
    [
        ("d/m/yyyy", True),
        ("[$-107041E]d mmm yyyy", True),  # Thai Excel: Buddhist-era calendar
        ("DD-MM-YY", True),
        ("yyyy-mm-dd", True),
        ("0.00", False),
        ("#,##0", False),
        ("0%", False),
        ("@", False),
        ("General", False),
        ("yyyy-mm-dd h:mm:ss", None),  # a time of day: calamine's datetime, left to it
        ("[h]:mm", None),
        ('0.00" m"', None),
        ("[Red]0.00", None),
        ("d/m/yyyy;@", None),
    ],
)
def test_number_formats_read_here_only_when_certain(
    filled: dict[str, bytes], code: str, is_date: bool | None
) -> None:
    assert format_is_date(200, {200: code}) is is_date
    data = _with_format(filled, code)
    assert _same_reads(data) is (is_date is not None)
    full, _ = _load(data, quick=False)
    assert isinstance(full, loader.Workbook)
    if is_date is not None:  # the classification is calamine's
        assert isinstance(full.names["submitted_on"][2], dt.date) is is_date


@pytest.mark.parametrize(
    ("number_format", "is_date"), [(0, False), (2, False), (14, True), (22, True), (46, None)]
)
def test_built_in_number_formats(number_format: int, is_date: bool | None) -> None:
    assert format_is_date(number_format, {}) is is_date


def test_the_1904_date_system_is_left_to_calamine(filled: dict[str, bytes]) -> None:
    workbook = filled["xl/workbook.xml"].replace(b"<workbookPr ", b'<workbookPr date1904="1" ')
    data = _zip({**filled, "xl/workbook.xml": workbook})
    assert not _same_reads(data)  # dates count from 1904: not read here


def test_a_comment_in_the_sheet_hands_the_names_to_calamine(filled: dict[str, bytes]) -> None:
    """A cell hidden in a comment must not be taken for the named cell."""
    sheet = filled[SHEET].replace(
        b"<sheetData>", b'<sheetData><!-- <c r="B5" t="inlineStr"><is><t>U99</t></is></c> -->', 1
    )
    data = _zip({**filled, SHEET: sheet})
    assert not _same_reads(data)


# -- shared strings (Excel's way of storing text) --------------------------------------------


def _with_shared_strings(parts: dict[str, bytes], strings: list[str], index: int) -> bytes:
    """Text in a sharedStrings part, B5 pointing at string `index`."""
    sst = "".join(f"<si>{s}</si>" for s in strings)
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>'
    )
    rels = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    types = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts = _set_cell(parts, "B5", f'<c r="B5" s="4" t="s"><v>{index}</v></c>')
    return _zip(
        {
            **parts,
            "xl/_rels/workbook.xml.rels": rels,
            "[Content_Types].xml": types,
            "xl/sharedStrings.xml": xml.encode(),
        }
    )


@pytest.mark.parametrize(
    ("entry", "quick"),
    [
        ("<t>U01</t>", True),
        ('<t xml:space="preserve"> U 01 </t>', True),
        ("<t> U01\n</t>", True),  # calamine trims, unless xml:space="preserve"
        ("<t/>", True),
        ("<t>ศูนย์ ๑</t>", True),
        ("<t>A&amp;B</t>", False),  # entities: left to calamine
        ("<t>a_x000D_b</t>", False),
        ("<r><t>U</t></r><r><rPr><b/></rPr><t>01</t></r>", False),  # rich text
        ("<t>U01</t><rPh sb='0' eb='1'><t>ユー</t></rPh>", False),  # phonetic run
    ],
)
def test_shared_strings(filled: dict[str, bytes], entry: str, quick: bool) -> None:
    data = _with_shared_strings(filled, ["<t>x</t>", entry], 1)
    assert _same_reads(data) is quick


def test_a_shared_string_far_into_the_part_is_read(filled: dict[str, bytes]) -> None:
    """The start of the part is inflated first (2 kB), then more, as far as needed."""
    padding = [f"<t>ตัวชี้วัดที่ {i} ของหน่วยงาน</t>" for i in range(400)]
    data = _with_shared_strings(filled, [*padding, "<t>U01</t>"], 400)
    assert _same_reads(data)
    quick, _ = _load(data)
    assert isinstance(quick, loader.Workbook) and quick.names["unit_id"][2] == "U01"


# -- defined names, read from xl/workbook.xml ------------------------------------------------


def _names(defined: str) -> dict[str, tuple[str, str]]:
    workbook = (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="รายงานผล" sheetId="1" r:id="rId1"/>'
        '<sheet name="it\'s" sheetId="2" r:id="rId2"/></sheets>'
        f"<definedNames>{defined}</definedNames></workbook>"
    )
    return xlsx_layout({"xl/workbook.xml": workbook.encode()}).names


def test_defined_names_of_the_workbook() -> None:
    names = _names(
        "<definedName name=\"unit_id\">'รายงานผล'!$B$5</definedName>"
        '<definedName name="round_id">รายงานผล!B8</definedName>'
        "<definedName name=\"reporter\">'it''s'!$F$5</definedName>"
        "<definedName name=\"fiscal_year\">='รายงานผล'!$B$7</definedName>"
        '<definedName name="submitted_on">&apos;รายงานผล&apos;!$F$7</definedName>'
    )
    assert names == {
        "unit_id": ("รายงานผล", "B5"),
        "round_id": ("รายงานผล", "B8"),
        "reporter": ("it's", "F5"),
        "fiscal_year": ("รายงานผล", "B7"),
        "submitted_on": ("รายงานผล", "F7"),
    }


def test_defined_names_that_are_not_the_template_s_cells_are_ignored() -> None:
    names = _names(
        '<definedName name="unit_id" localSheetId="0">\'รายงานผล\'!$B$5</definedName>'
        "<definedName name=\"round_id\">'รายงานผล'!$B$8:$C$8</definedName>"
        '<definedName name="reporter">#REF!</definedName>'
        "<definedName name=\"other\">'รายงานผล'!$A$1</definedName>"
        "<definedName name=\"_xlnm.Print_Area\">'รายงานผล'!$A$1:$O$21</definedName>"
    )
    assert names == {}  # sheet-scope, a range, a broken name, not the template's


# -- tables: what calamine's table API may allocate ------------------------------------------


def _with_table_ref(parts: dict[str, bytes], ref: bytes) -> bytes:
    table = re.sub(rb'\bref="[^"]*"', b'ref="' + ref + b'"', parts["xl/tables/table1.xml"])
    return _zip({**parts, "xl/tables/table1.xml": table})


def test_a_table_reaching_the_sheet_s_end_is_refused(filled: dict[str, bytes]) -> None:
    """calamine allocates a table's whole range: XFD1048576 would abort the process."""
    book, used = _load(_with_table_ref(filled, b"B13:XFD1048576"))
    assert isinstance(book, Rejection) and book.code == "file_too_many_rows"
    assert not used
    # 2,000 rows, 16,384 columns wide: too much for calamine's table, read through the sheet
    book, used = _load(_with_table_ref(filled, b"B13:XFD2000"))
    assert isinstance(book, loader.Workbook) and not used


def test_another_table_out_of_bounds_turns_the_quick_read_off(
    filled: dict[str, bytes],
) -> None:
    """A second table, on the other sheet, spanning the whole sheet: calamine is never
    asked for a table, the sheet is read instead and the file is accepted as it is."""
    table = (
        '<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="9" '
        'name="huge" displayName="huge" ref="A1:XFD1048576"><tableColumns count="1">'
        '<tableColumn id="1" name="a"/></tableColumns></table>'
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/table" Target="../tables/table9.xml"/></Relationships>'
    )
    parts = {
        **filled,
        "xl/tables/table9.xml": table.encode(),
        "xl/worksheets/_rels/sheet2.xml.rels": rels.encode(),
    }
    assert table_reach(parts, ["worksheets/sheet1.xml", "worksheets/sheet2.xml"]) == (
        1_048_576,
        16_384 * 1_048_576,
    )
    assert not _same_reads(_zip(parts))


@pytest.mark.parametrize(
    ("change", "readable"),
    [
        (lambda t: re.sub(rb'ref="([^"]*)"', rb"ref = '\1'", t, count=1), True),
        (lambda t: t.replace(b"<table ", b'<!-- <table ref="A1:B2"> --><table ', 1), False),
        (lambda t: re.sub(rb'ref="([A-Z]+)', rb'ref="&#36;\1', t, count=1), False),
        (lambda t: t.replace(b'ref="', b'ref="B1:B2" data-ref="', 1), True),  # both bound
    ],
)
def test_table_parts_are_read_however_quoted_and_only_if_plain(
    filled: dict[str, bytes], change: Callable[[bytes], bytes], readable: bool
) -> None:
    """A comment or an entity could hide a table's extent from a regex; every `ref` is
    bounded, however quoted."""
    parts = {**filled, "xl/tables/table1.xml": change(filled["xl/tables/table1.xml"])}
    targets = ["worksheets/sheet1.xml", "worksheets/sheet2.xml"]
    assert (table_reach(parts, targets) is not None) is readable
    assert table_reach(filled, targets) is not None


def test_a_table_without_rows_is_not_asked_of_calamine(filled: dict[str, bytes]) -> None:
    """calamine panics on a table holding its header row only."""
    book, used = _load(_with_table_ref(filled, b"B13:O13"))
    assert not used
    assert isinstance(book, loader.Workbook) and book.rows == []


# -- the sheet's extent: only where calamine reads cells, unless something is hidden ---------


def _far_cell(parts: dict[str, bytes], before: bytes = b"") -> bytes:
    """A cell at XFD1048576; the <dimension> still says A1:O21."""
    sheet = parts[SHEET].replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    )
    return _zip({**parts, SHEET: before + sheet if before else sheet})


def _sheet_check(data: bytes) -> str:
    container = inspect(data, ".xlsx", Limits())
    assert not isinstance(container, Rejection)
    body = worksheet(container, SHEET)
    return body.code if isinstance(body, Rejection) else "ok"


def test_a_far_cell_is_found_whatever_the_dimension_says(filled: dict[str, bytes]) -> None:
    assert _sheet_check(_zip(filled)) == "ok"
    assert _sheet_check(_far_cell(filled)) == "file_too_many_rows"


def test_a_far_cell_behind_a_comment_is_found(filled: dict[str, bytes]) -> None:
    sheet = filled[SHEET].replace(b"<sheetData>", b"<!-- </sheetData> --><sheetData>", 1)
    assert _sheet_check(_far_cell({**filled, SHEET: sheet})) == "file_too_many_rows"


def test_error_cells_are_found_by_their_type_only() -> None:
    body = (
        b'<sheetData><row r="1"><c r="A1" t="e"><v>#N/A</v></c><c r="B1" t="s"><v>0</v></c>'
        b'<c r="C1" s="2" t="e"/></row></sheetData><x t="e" r="D1"># </x>'
    )
    assert error_cells(body) == {"A1": "#N/A", "C1": "#ERROR"}


def test_quick_and_full_reads_agree_on_the_benchmark_s_files(tmp_path: Path) -> None:
    """Files as Excel writes them (shared strings, a date style, an error cell)."""
    from benchmarks.bench_intake import framework, generate

    fw = framework(60, 8)
    for path in generate(fw, tmp_path)[::7]:
        assert _same_reads(path.read_bytes())
