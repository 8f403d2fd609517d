"""check-framework warnings (framework/soft_checks.py): the framework is accepted (exit 0)
and each warning, listed after the summary, names its cell as `sheet!cell: ข้อความ [code]`;
the summary shows every derived 6-month threshold."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from kpi_batch.cli import app
from kpi_batch.framework.load import load_framework, load_framework_with_warnings
from kpi_batch.framework.summary import derived_thresholds
from kpi_batch.issues import Severity
from tests.factories import small_framework_rows, write_small_framework
from tests.owner_factories import owner_framework_rows, write_owner_framework

D = Decimal
EMAIL_SETTINGS = [
    {"key": "smtp_from", "value": "กลุ่มพัฒนาระบบบริหาร <kpr@dept.example>"},
    {"key": "smtp_host", "value": "smtp.dept.example"},
    {"key": "appeal_deadline", "value": "22 มี.ค. 2567"},
]


def _warnings(path: Path) -> list[tuple[str, str]]:
    _, warnings = load_framework_with_warnings(path)
    assert all(w.severity is Severity.WARNING for w in warnings)
    return [(w.code, w.where) for w in warnings]


def _with_email(rows: dict) -> dict:
    rows["settings"] += EMAIL_SETTINGS
    return rows


def test_weights_not_totalling_100_name_the_unit_and_its_cells(tmp_path: Path) -> None:
    rows = _with_email(small_framework_rows())
    rows["weights"][0]["weight"] = 51  # U01: 51 + 20 + 30 + 30 = 131 (a typo for 15 or 20)
    path = write_small_framework(tmp_path / "fw.xlsx", rows)
    assert _warnings(path) == [
        ("FW_WEIGHTS_NOT_100", "weights!C2:C5"),  # U01, rows 2-5
        ("FW_WEIGHTS_NOT_100", "weights!C10:C12"),  # U03 totals 90
    ]
    _, warnings = load_framework_with_warnings(path)
    assert "U01" in warnings[0].message_th and "131" in warnings[0].message_th
    assert "คำรับรองฯ" in warnings[0].message_th


def test_weight_cells_that_are_not_adjacent_are_all_listed(tmp_path: Path) -> None:
    rows = _with_email(small_framework_rows())
    moved = rows["weights"].pop(9)  # U03's 2.1 goes to the end of the sheet
    rows["weights"].append(moved)
    path = write_small_framework(tmp_path / "fw.xlsx", rows)
    _, [warning] = load_framework_with_warnings(path)
    assert warning.where == "weights!C10"
    assert "weights!C10:C11, weights!C14" in warning.message_th


def test_kpis_without_an_owner_point_at_their_owner_cell(tmp_path: Path) -> None:
    path = write_owner_framework(tmp_path / "fw.xlsx", _with_email(owner_framework_rows()))
    found = [w for w in load_framework_with_warnings(path)[1] if w.code == "FW_KPI_NO_OWNER"]
    fw = load_framework(path)
    assert {w.kpi_id for w in found} == {"4.1", "5.1"}
    for w in found:
        assert w.sheet == "kpis" and w.cell.startswith("K"), w.where  # the owner_id column
        assert "ยังไม่มีเจ้าภาพ" in w.message_th
    assert len(fw.owners) == 3


def test_no_owners_sheet_no_owner_warning(tmp_path: Path) -> None:
    path = write_small_framework(tmp_path / "fw.xlsx", _with_email(small_framework_rows()))
    assert "FW_KPI_NO_OWNER" not in {c for c, _ in _warnings(path)}


def test_missing_email_settings_name_the_settings_cell(tmp_path: Path) -> None:
    rows = small_framework_rows()  # settings rows 2-5: no e-mail settings at all
    rows["settings"].append({"key": "appeal_deadline", "value": None})  # row 6, blank value
    path = write_small_framework(tmp_path / "fw.xlsx", rows)
    email = [(c, w) for c, w in _warnings(path) if c == "FW_EMAIL_SETTING_MISSING"]
    # new rows go after the last one (A7, A8); the blank value is its own cell (B6)
    assert email == [
        ("FW_EMAIL_SETTING_MISSING", "settings!B6"),
        ("FW_EMAIL_SETTING_MISSING", "settings!A7"),
        ("FW_EMAIL_SETTING_MISSING", "settings!A8"),
    ]
    text = " ".join(w.message_th for w in load_framework_with_warnings(path)[1])
    assert "smtp_from" in text and "exit 2" in text and "appeal_deadline" in text


def test_the_cli_lists_warnings_after_the_summary_and_exits_0(tmp_path: Path) -> None:
    rows = small_framework_rows()
    rows["weights"][0]["weight"] = 51
    path = write_small_framework(tmp_path / "fw.xlsx", rows)
    result = CliRunner().invoke(app, ["check-framework", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    ok = next(i for i, line in enumerate(lines) if "framework OK" in line)
    after = lines[ok + 1 :]
    assert after[0].startswith("คำเตือน 5 รายการ")
    assert any(
        line.startswith("weights!C2:C5: หน่วยงาน U01") and line.endswith("[FW_WEIGHTS_NOT_100]")
        for line in after
    )
    assert any(
        line.startswith("settings!A6: ยังไม่ได้ตั้งค่า smtp_from")
        and line.endswith("[FW_EMAIL_SETTING_MISSING]")
        for line in after
    )
    before = "\n".join(lines[:ok])
    assert "[FW_" not in before  # the warnings are not mixed into the summary


def test_every_derived_threshold_is_in_the_summary(tmp_path: Path) -> None:
    path = write_small_framework(tmp_path / "fw.xlsx", _with_email(small_framework_rows()))
    fw = load_framework(path)
    rows = derived_thresholds(fw)
    assert len(rows) == sum(1 for c in fw.criteria.values() if c.derived_from)
    first = rows[0]
    assert (first.round_id, first.derived_from) == ("R1", "R2")
    full_year = fw.criteria[(first.unit_id, first.kpi_id, "R2")].thresholds
    top = full_year[-1]
    assert top is not None and first.thresholds[2] == top / 2  # level 3 = 12-month level 5 / 2
    result = CliRunner().invoke(app, ["check-framework", str(path)], env={"COLUMNS": "200"})
    assert "เกณฑ์ที่คำนวณตามกฎ 6 เดือน" in result.output
    table = [line for line in result.output.splitlines() if f" {first.kpi_id} " in line]
    shown = [t for t in first.thresholds if t is not None]
    assert any(all(f" {t.normalize():f} " in line for t in shown) for line in table)
    assert result.exit_code == 0


def test_templates_write_the_derived_thresholds_for_planning_staff(tmp_path: Path) -> None:
    path = write_small_framework(tmp_path / "fw.xlsx", _with_email(small_framework_rows()))
    out = tmp_path / "templates"
    result = CliRunner().invoke(
        app, ["templates", "--framework", str(path), "--round", "R1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    planning = out / "planning_2567_R1.xlsx"
    assert str(planning) in result.output.replace("\n", "")
    ws = openpyxl.load_workbook(planning)["เกณฑ์ที่คำนวณ"]
    ref = ws.tables["derived_criteria"].ref
    header, *body = [[c.value for c in row] for row in ws[ref]]
    assert header[:6] == [
        "รหัสหน่วยงาน (unit_id)",
        "ชื่อหน่วยงาน (unit_name)",
        "ตัวชี้วัด (kpi_id)",
        "ชื่อตัวชี้วัด (kpi_name)",
        "รอบ (round_id)",
        "คำนวณจากรอบ (derived_from)",
    ]
    fw = load_framework(path)
    expected = [r for r in derived_thresholds(fw) if r.round_id == "R1"]
    assert expected
    assert [(r[0], r[2], r[4], r[5]) for r in body] == [
        (e.unit_id, e.kpi_id, "R1", e.derived_from) for e in expected
    ]
    for row, e in zip(body, expected, strict=True):
        assert [None if v is None else D(str(v)) for v in row[6:]] == list(e.thresholds)
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    # the unit templates are unchanged: one per unit that signed, nothing else added
    assert sorted(p.name for p in out.glob("2567_R1_*.xlsx")) == [
        f"2567_R1_{u}.xlsx" for u in ("U01", "U02", "U03", "U04")
    ]
