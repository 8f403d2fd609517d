"""Unit submission workbooks (template v1): the contract in docs/template.md, read back the
way intake reads it (openpyxl for defined names and metadata, python-calamine for values)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook

from kpi_batch.errors import UsageError
from kpi_batch.specs.template import FORMAT_VERSION as TEMPLATE_VERSION
from kpi_batch.specs.template import NAMED_CELLS, REPORT_SHEET, TABLE, result_columns
from kpi_batch.templates.workbook import (
    template_filename,
    write_templates,
    write_unit_template,
)
from tests.pdf_render import pdf_page_count, render_pdf
from tests.template_factories import HYPERLINK_NAME, small_framework

KEY = re.compile(r"\(([^()]*)\)\s*$")
KEYS_5 = [
    "kpi_id",
    "name",
    "weight",
    "measure_unit",
    "criteria_1",
    "criteria_2",
    "criteria_3",
    "criteria_4",
    "criteria_5",
    "value",
    "numerator",
    "denominator",
    "level",
    "note",
]
INPUTS = ("value", "numerator", "denominator", "level")
# kpi_id -> the input cells the unit fills (note is an input everywhere)
EXPECTED_INPUTS = {"1.1": {"value"}, "1.2": {"numerator", "denominator"}, "2.1": {"level"}}
EXPECTED_INPUTS["2.2"] = {"value"}


@pytest.fixture(scope="module")
def r1(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_templates(small_framework(), "R1", tmp_path_factory.mktemp("r1"))


@pytest.fixture(scope="module")
def u01(r1: list[Path]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(r1[0])


def table(ws: Worksheet) -> tuple[dict[str, int], dict[str, int]]:
    """(key -> column, kpi_id -> row) of the results table, found from its header."""
    ref = ws.tables[TABLE].ref
    rows = ws[ref]
    columns = {KEY.search(str(c.value))[1]: c.column for c in rows[0]}  # type: ignore[index]
    kpis = {str(r[0].value): r[0].row for r in rows[1:]}
    return columns, kpis


def named(wb: openpyxl.Workbook, name: str) -> object:
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][ref.replace("$", "")].value


def test_one_file_per_unit_named_by_year_round_unit(r1: list[Path]) -> None:
    assert [p.name for p in r1] == ["2567_R1_U01.xlsx", "2567_R1_U02.xlsx", "2567_R1_U03.xlsx"]
    assert template_filename(small_framework(), "R2", "U07") == "2567_R2_U07.xlsx"


def test_defined_names_are_workbook_scope_and_hold_the_values(u01: openpyxl.Workbook) -> None:
    keyless = set(NAMED_CELLS) - {"template_token"}  # made without the key: no token
    assert set(wb_names := u01.defined_names.keys()) == keyless, wb_names
    for ws in u01.worksheets:
        assert not ws.defined_names  # nothing at sheet scope
    for name, cell in NAMED_CELLS.items():
        if name not in keyless:
            continue
        sheet, ref = next(iter(u01.defined_names[name].destinations))
        assert (sheet, ref.replace("$", "")) == (REPORT_SHEET, cell)
    assert named(u01, "unit_id") == "U01"
    assert named(u01, "round_id") == "R1"
    assert named(u01, "fiscal_year") == 2567
    assert named(u01, "template_version") == TEMPLATE_VERSION
    assert named(u01, "framework_fingerprint") == small_framework().fingerprint
    for name in ("submitted_on", "reporter", "reporter_phone"):
        assert named(u01, name) is None


def test_results_table_has_the_exact_keys(u01: openpyxl.Workbook) -> None:
    ws = u01[REPORT_SHEET]
    assert ws.tables[TABLE].ref == "B13:O17"
    header = [c.value for c in ws["B13:O13"][0]]
    assert [KEY.search(str(h))[1] for h in header] == KEYS_5  # type: ignore[index]
    assert all(re.search(r"[\u0e00-\u0e7f]", str(h)) for h in header), "Thai label first"


def test_one_row_per_leaf_kpi_with_weight_and_round_criteria(u01: openpyxl.Workbook) -> None:
    ws = u01[REPORT_SHEET]
    columns, kpis = table(ws)
    assert list(kpis) == ["1.1", "1.2", "2.1", "2.2"]
    fw = small_framework()
    for item in fw.agreements["U01"]:
        row = kpis[item.kpi.kpi_id]
        assert ws.cell(row, columns["name"]).value == item.kpi.name
        assert Decimal(str(ws.cell(row, columns["weight"]).value)) == item.weight
        crit = fw.criteria_for("U01", item.kpi.kpi_id, "R1")
        shown = [ws.cell(row, columns[f"criteria_{p}"]).value for p in range(1, 6)]
        assert [None if v is None else Decimal(str(v)) for v in shown] == list(crit.thresholds)
    # Milestone with gaps: unreachable points are empty.
    assert [ws.cell(kpis["2.1"], columns[f"criteria_{p}"]).value for p in range(1, 6)] == [
        1,
        None,
        2,
        None,
        3,
    ]


def test_derived_criteria_are_numbers_marked_and_explained(u01: openpyxl.Workbook) -> None:
    ws = u01[REPORT_SHEET]
    columns, kpis = table(ws)
    cell = ws.cell(kpis["2.2"], columns["criteria_3"])
    assert cell.value == 10 and '"*"' in cell.number_format
    assert '"*"' not in ws.cell(kpis["1.1"], columns["criteria_3"]).number_format
    footnotes = [ws.cell(r, 1).value or "" for r in range(18, ws.max_row + 1)]
    assert any("2.2" in n and "R2" in n and "6 เดือน" in n for n in footnotes)


def test_context_column_shows_component_and_parent(u01: openpyxl.Workbook) -> None:
    ws = u01[REPORT_SHEET]
    assert ws["A14"].value == "Performance Base\n1 ผลสัมฤทธิ์ตามภารกิจหลัก"
    assert ws["A15"].value in ("", None)  # same group as the row above
    assert ws["A16"].value == "Potential Base"


def test_only_input_cells_are_unlocked(u01: openpyxl.Workbook) -> None:
    ws = u01[REPORT_SHEET]
    assert ws.protection.sheet and not ws.protection.password
    assert u01["คำชี้แจง"].protection.sheet
    columns, kpis = table(ws)
    for kpi_id, row in kpis.items():
        unlocked = {k for k, c in columns.items() if not ws.cell(row, c).protection.locked}
        assert unlocked == EXPECTED_INPUTS[kpi_id] | {"note"}, kpi_id
        for key in set(INPUTS) - EXPECTED_INPUTS[kpi_id]:
            cell = ws.cell(row, columns[key])
            assert cell.fill.fgColor.rgb.endswith("D9D9D9") or key == "value", (kpi_id, key)
    for cell in ("F5", "F6", "F7"):
        assert not ws[cell].protection.locked
    for cell in ("B5", "B7", "B8", "F10", "B11", "F9"):
        assert ws[cell].protection.locked
    unlocked_elsewhere = [
        c.coordinate
        for row in ws.iter_rows(min_row=1, max_row=12)
        for c in row
        if not c.protection.locked
    ]
    # F5:H7 are three merged input cells
    assert sorted(unlocked_elsewhere) == sorted(f"{c}{r}" for c in "FGH" for r in (5, 6, 7))
    assert ws["F6"].number_format == "@"  # phone keeps its leading 0


def test_ratio_value_is_a_locked_formula_over_numerator_and_denominator(
    u01: openpyxl.Workbook,
) -> None:
    ws = u01[REPORT_SHEET]
    columns, kpis = table(ws)
    cell = ws.cell(kpis["1.2"], columns["value"])
    assert cell.protection.locked
    assert cell.data_type == "f" and "L15" in cell.value and "M15" in cell.value


def test_data_validation_on_every_input(u01: openpyxl.Workbook) -> None:
    ws = u01[REPORT_SHEET]
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    columns, kpis = table(ws)
    for kpi_id, keys in EXPECTED_INPUTS.items():
        for key in keys | {"note"}:
            coord = ws.cell(kpis[kpi_id], columns[key]).coordinate
            assert coord in rules, coord
            assert rules[coord].prompt and rules[coord].error  # Thai messages
    # number rules that also take `ไม่มีผล (N/A)` (DOMAIN §5: N/A is not empty)
    na = 'TRIM({c})="ไม่มีผล (N/A)"'
    value_at = ws.cell(kpis["1.1"], columns["value"]).coordinate
    value = rules[value_at]
    assert value.type == "custom" and f"{value_at}>=0" in value.formula1
    assert na.format(c=value_at) in value.formula1
    level_at = ws.cell(kpis["2.1"], columns["level"]).coordinate
    level = rules[level_at]
    # R1's 1 / – / 2 / – / 3 milestone: three steps, so 0–3 (a 5 would score 5 silently)
    assert f"AND({level_at}>=0,{level_at}<=3)" in level.formula1
    assert na.format(c=level_at) in level.formula1
    assert level.showInputMessage and level.showErrorMessage
    assert "1 = 1 คะแนน, 2 = 3 คะแนน, 3 = 5 คะแนน" in str(level.prompt)
    assert "0–3" in str(level.prompt) and "3" in str(level.error)
    denominator_at = ws.cell(kpis["1.2"], columns["denominator"]).coordinate
    assert f"{denominator_at}>0" in rules[denominator_at].formula1
    submitted = rules["F7"]
    assert submitted.type == "custom" and "DATE(2023,10,1)" in submitted.formula1
    assert "DATE(2566,10,1)" in submitted.formula1  # a date typed with a BE year
    # Nothing validates a cell the unit cannot edit.
    for coord in rules:
        assert not ws[coord].protection.locked, coord


def test_level_limit_follows_each_rounds_steps(tmp_path: Path) -> None:
    """R2 defines all five steps of KPI 2.1: the same cell then accepts 0–5."""
    path = write_unit_template(small_framework(), "U01", "R2", tmp_path / "r2.xlsx")
    ws = openpyxl.load_workbook(path)[REPORT_SHEET]
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    columns, kpis = table(ws)
    level_at = ws.cell(kpis["2.1"], columns["level"]).coordinate
    level = rules[level_at]
    assert f"AND({level_at}>=0,{level_at}<=5)" in level.formula1  # with ไม่มีผล (N/A) allowed
    assert "5 = 5 คะแนน" in str(level.prompt)


def test_framework_text_that_looks_like_a_formula_stays_text(r1: list[Path]) -> None:
    wb = openpyxl.load_workbook(r1[2])
    cell = wb[REPORT_SHEET]["B4"]
    assert cell.value == HYPERLINK_NAME and cell.data_type == "s"
    with zipfile.ZipFile(r1[2]) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "HYPERLINK" not in sheet  # not in a <f> element: only in sharedStrings
    assert "kpi_batch" in zipfile.ZipFile(r1[2]).read("docProps/core.xml").decode()


def test_same_input_same_bytes(tmp_path: Path) -> None:
    fw = small_framework()
    a = write_unit_template(fw, "U02", "R1", tmp_path / "a.xlsx")
    b = write_unit_template(fw, "U02", "R1", tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()
    props = openpyxl.load_workbook(a).properties
    assert props.created == dt.datetime(2024, 1, 1)


def test_font_and_print_setup(u01: openpyxl.Workbook) -> None:
    ws = u01[REPORT_SHEET]
    assert {ws[c].font.name for c in ("A1", "B5", "C14", "K14", "B13", "A20")} == {"TH Sarabun New"}
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$13:$13"
    guide = u01["คำชี้แจง"]
    text = " ".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "5 เมษายน 2567" in text and "ห้ามเปลี่ยนชื่อแผ่นงาน" in text and "85.5" in text


def test_fonts_are_not_theme_fonts(r1: list[Path]) -> None:
    """A font marked with the theme's scheme shows as the theme's Calibri in Excel."""
    with zipfile.ZipFile(r1[0]) as z:
        styles = z.read("xl/styles.xml")
    assert b"TH Sarabun New" in styles and b"<scheme" not in styles


def test_three_point_scale_keys(tmp_path: Path) -> None:
    fw = small_framework(scale=("50", "75", "100"))
    path = write_unit_template(fw, "U01", "R2", tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)[REPORT_SHEET]
    columns, kpis = table(ws)
    assert [k for k in columns if k.startswith("criteria_")] == [
        "criteria_50",
        "criteria_75",
        "criteria_100",
    ]
    assert ws.tables[TABLE].ref == "B13:M17"
    assert ws.cell(kpis["2.2"], columns["criteria_100"]).value == 20
    assert [k for k, _ in result_columns(fw.settings.scale)] == list(columns)


def test_calamine_reads_values_and_the_table(r1: list[Path], tmp_path: Path) -> None:
    """The intake route: calamine tables for values, also after a unit filled the file."""
    filled = tmp_path / "filled.xlsx"
    wb = openpyxl.load_workbook(r1[0])
    ws = wb[REPORT_SHEET]
    ws["F7"] = dt.datetime(2024, 4, 3)
    columns, kpis = table(ws)
    ws.cell(kpis["1.1"], columns["value"]).value = 73
    ws.cell(kpis["1.2"], columns["numerator"]).value = 45
    ws.cell(kpis["1.2"], columns["denominator"]).value = 50
    ws.cell(kpis["2.1"], columns["level"]).value = 2.5
    wb.save(filled)

    for path, expect in ((r1[0], {}), (filled, {"1.1": 73, "1.2": (45, 50), "2.1": 2.5})):
        book = CalamineWorkbook.from_path(str(path), load_tables=True)
        assert book.table_names == [TABLE]
        results = book.get_table_by_name(TABLE)
        assert results.sheet == REPORT_SHEET
        keys = [KEY.search(c)[1] for c in results.columns]  # type: ignore[index]
        assert keys == KEYS_5
        rows = {r[0]: dict(zip(keys, r, strict=True)) for r in results.to_python()}
        assert list(rows) == ["1.1", "1.2", "2.1", "2.2"]
        assert rows["1.1"]["weight"] == 30 and rows["1.2"]["criteria_2"] == 42.5
        assert rows["2.1"]["criteria_2"] == ""  # unreachable point
        assert rows["1.2"]["value"] == ""  # formula, no cached result: not a reported 0
        assert rows["1.1"]["value"] == expect.get("1.1", "")
        if expect:
            assert (rows["1.2"]["numerator"], rows["1.2"]["denominator"]) == (45, 50)
            assert rows["2.1"]["level"] == 2.5
        sheet = book.get_sheet_by_name(REPORT_SHEET).to_python()
        assert sheet[4][1] == "U01"  # B5, as the defined name says


def test_libreoffice_renders_a_template(r1: list[Path], tmp_path: Path) -> None:
    # The report sheet and the instructions sheet, each at least one A4 page.
    assert pdf_page_count(render_pdf(r1[0], tmp_path)) >= 2


def test_unknown_round_or_unit_is_a_usage_error(tmp_path: Path) -> None:
    fw = small_framework()
    with pytest.raises(UsageError, match="R9") as err:
        write_templates(fw, "R9", tmp_path)
    assert err.value.exit_code == 2 and "ไม่พบรอบ" in str(err.value)
    assert not list(tmp_path.iterdir())
    with pytest.raises(UsageError, match="U99"):
        write_unit_template(fw, "U99", "R1", tmp_path / "x.xlsx")


# -- the command ----------------------------------------------------------------------------


@pytest.fixture
def fake_loader(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """`framework.load_framework` returning the in-memory framework; records the paths."""
    import importlib
    import sys
    import types

    seen: list[Path] = []

    def load_framework(path: Path) -> object:
        seen.append(path)
        return small_framework()

    try:
        module = importlib.import_module("kpi_batch.framework.load")
    except ImportError:  # not written yet: stand in for it
        module = types.ModuleType("kpi_batch.framework.load")
        monkeypatch.setitem(sys.modules, "kpi_batch.framework.load", module)
    monkeypatch.setattr(module, "load_framework", load_framework, raising=False)
    return seen


def test_cli_writes_one_template_per_unit(fake_loader: list[Path], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kpi_batch.cli import app

    out = tmp_path / "out"
    args = ["templates", "--framework", "fw.xlsx", "--round", "R1", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "2567_R1_U01.xlsx",
        "2567_R1_U02.xlsx",
        "2567_R1_U03.xlsx",
        "planning_2567_R1.xlsx",  # the derived criteria, for the planning office
    ]
    assert "3" in result.output and str(out) in result.output
    assert fake_loader == [Path("fw.xlsx")]


def test_cli_unknown_round_exits_2(fake_loader: list[Path], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kpi_batch.cli import app

    args = ["templates", "--framework", "fw.xlsx", "--round", "R9", "--out", str(tmp_path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "ไม่พบรอบ" in result.output and "unknown round 'R9'" in result.output
    assert not list(tmp_path.iterdir())


def test_cli_end_to_end_from_a_framework_workbook(tmp_path: Path) -> None:
    """The real route, once framework.py and tests/factories.py exist."""
    pytest.importorskip("kpi_batch.framework.load")
    factories = pytest.importorskip("tests.factories")
    from typer.testing import CliRunner

    from kpi_batch.cli import app
    from kpi_batch.framework.load import load_framework
    from kpi_batch.framework.writer import write_framework

    path = write_framework(factories.small_framework_rows(), tmp_path / "fw.xlsx")
    fw = load_framework(path)
    round_id = fw.rounds[0].round_id
    out = tmp_path / "out"
    args = ["templates", "--framework", str(path), "--round", round_id, "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    written = sorted(out.glob(f"*_{round_id}_*.xlsx"))  # planning_<fy>_<round>.xlsx aside
    assert len(written) == sum(1 for u in fw.units if fw.agreements.get(u.unit_id))
    wb = openpyxl.load_workbook(written[0])
    assert named(wb, "round_id") == round_id
    assert named(wb, "framework_fingerprint") == fw.fingerprint
