"""The blank adjustments workbook: committed bytes match the code, and it reads back clean."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from kpi_batch.adjustments.load import load_adjustments
from kpi_batch.adjustments.template import write_adjustments_template
from kpi_batch.specs.adjustments import COLUMNS, FIELDS, STAGES
from tests.adjustment_factories import tiny_framework as _framework

COMMITTED = Path(__file__).parent.parent / "input_templates" / "adjustments_template.xlsx"


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_committed_template_matches_the_code(tmp_path: Path) -> None:
    fresh = _parts(write_adjustments_template(tmp_path / "adjustments_template.xlsx"))
    committed = _parts(COMMITTED)
    assert sorted(fresh) == sorted(committed)
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert changed == [], f"{changed} differ: regenerate with python -m kpi_batch.input_templates"


def test_fonts_are_not_theme_fonts() -> None:
    """A theme-scheme font would show as Calibri in Excel (the theme's minor font)."""
    styles = _parts(COMMITTED)["xl/styles.xml"]
    assert b"TH Sarabun New" in styles and b"<scheme" not in styles


def test_same_bytes_every_time(tmp_path: Path) -> None:
    a = write_adjustments_template(tmp_path / "a.xlsx").read_bytes()
    b = write_adjustments_template(tmp_path / "b.xlsx").read_bytes()
    assert a == b


def test_blank_template_has_keys_dropdowns_and_reads_clean(tmp_path: Path) -> None:
    path = write_adjustments_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "adjustments"
    ws = wb["adjustments"]
    assert [c.value for c in ws[1]] == list(COLUMNS)
    lists = {
        str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"
    }
    assert lists == {
        "C2:C1001": '"' + ",".join(STAGES) + '"',
        "D2:D1001": '"' + ",".join(FIELDS) + '"',
    }
    frame, issues = load_adjustments(path, _framework())
    assert frame.empty and issues == []


def test_filled_template_is_read(tmp_path: Path) -> None:
    path = write_adjustments_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["adjustments"].append(["U01", "1.10", "review", "value", "๗๓.๕", "หลักฐานครบ", ""])
    wb["adjustments"].append(["U01", "*", "appeal", "submitted_on", "6 มี.ค. 2567", "ส่งแล้ว", ""])
    wb.save(path)
    frame, issues = load_adjustments(path, _framework())
    # 1.10 stays text (not 1.1) and so is reported as unknown: the id is kept as typed.
    assert [(i.code, i.where, i.value) for i in issues] == [
        ("adjustment_unknown_kpi", "adjustments!B2", "1.10")
    ]
    assert list(frame["new_value"]) == ["2024-03-06"]
