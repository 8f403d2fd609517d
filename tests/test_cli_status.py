"""End to end: three runs of one round while units send, are refused and resend; then
`kpi-batch status`, the status workbook each run writes, and the executive completeness sheet
(issue 13 item 5)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from kpi_batch.framework.load import load_framework
from kpi_batch.templates.fill import fill_template
from kpi_batch.templates.workbook import write_unit_template
from tests.factories import write_small_framework
from tests.test_cli_history import VALUES, cli, run

DAYS = (dt.date(2024, 3, 1), dt.date(2024, 3, 5), dt.date(2024, 3, 8))
RUNS = tuple(f"2567/R1/{d.isoformat()}_1" for d in DAYS)


def status_table(path: Path) -> dict[str, dict[str, object]]:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    table = ws.tables["status"]
    rows = list(ws[table.ref])
    keys = [str(c.value).rsplit("(", 1)[-1].rstrip(")") for c in rows[0]]
    return {str(r[0].value): dict(zip(keys, (c.value for c in r), strict=True)) for r in rows[1:]}


@pytest.fixture(scope="module")
def round_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run 1: U01 and U02 on time. Run 2: U03 sends the R2 template (rejected). Run 3: U03
    sends a corrected file; U04 never sends. Files stay in the inbox, as they do."""
    root = tmp_path_factory.mktemp("round")
    framework = write_small_framework(root / "framework.xlsx")
    fw = load_framework(framework)
    inbox, blank, out = root / "inbox", root / "blank", root / "out"
    inbox.mkdir()
    blank.mkdir()

    def send(unit: str, name: str, day: dt.date, **names: str) -> None:
        template = write_unit_template(fw, unit, "R1", blank / f"{unit}.xlsx")
        fill_template(template, VALUES[unit], submitted_on=day, names=names, out=inbox / name)

    send("U01", "U01.xlsx", DAYS[0])
    send("U02", "U02.xlsx", DAYS[0])
    assert run(framework, inbox, out, DAYS[0]).exit_code == 1  # U03, U04 missing
    send("U03", "U03.xlsx", DAYS[1], round_id="R2")
    run(framework, inbox, out, DAYS[1])
    send("U03", "U03_แก้ไข.xlsx", DAYS[2])
    run(framework, inbox, out, DAYS[2])
    return out


def test_each_run_writes_the_rounds_state(round_runs: Path) -> None:
    first, second, third = (status_table(round_runs / r / "status_2567_R1.xlsx") for r in RUNS)
    assert {u: r["state"] for u, r in first.items()} == {
        "U01": "ส่งแล้ว", "U02": "ส่งแล้ว", "U03": "ยังไม่ส่ง", "U04": "ยังไม่ส่ง",
    }  # fmt: skip
    assert second["U03"]["state"] == "รอแก้ไข"
    assert "round_mismatch" in str(second["U03"]["last_issue"])
    assert third["U03"]["state"] == "แก้แล้ว"
    assert third["U04"]["state"] == "ยังไม่ส่ง"
    # files with their dates (BE) and outcome, the contact from the framework
    files = str(third["U03"]["files"]).splitlines()
    assert files == ["U03.xlsx — 5 มี.ค. 2567 — ไม่รับ", "U03_แก้ไข.xlsx — 8 มี.ค. 2567 — รับแล้ว"]
    assert third["U03"]["days_late"] == 2  # due 6 Mar, sent 8 Mar
    assert third["U03"]["contact"] == "nutri@dept.example"
    # to chase first: to correct, not sent; then the done ones
    assert list(second) == ["U03", "U04", "U01", "U02"]


def test_status_command_prints_the_round(round_runs: Path) -> None:
    result = cli("status", "--out", round_runs)
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines() if line.strip()}
    assert "แก้แล้ว" in lines["U03"] and "ยังไม่ส่ง" in lines["U04"]
    assert "ส่งแล้ว" in lines["U01"]
    assert "ส่งแล้ว 2 · แก้แล้ว 1 · รอแก้ไข 0 · ยังไม่ส่ง 1" in result.output
    assert str(round_runs / RUNS[2] / "status_2567_R1.xlsx") in result.output.replace("\n", "")
    assert cli("status", "--out", round_runs, "--round", "R2").exit_code == 2


def test_completeness_sheet_shows_the_rounds_state(round_runs: Path) -> None:
    wb = openpyxl.load_workbook(round_runs / RUNS[2] / "executive_2567_R1.xlsx")
    ws = wb["ความครบถ้วน (completeness)"]
    rows = list(ws[ws.tables["completeness"].ref])
    keys = [str(c.value) for c in rows[0]]
    col = next(i for i, k in enumerate(keys) if k.startswith("สถานะรอบนี้"))
    states = {str(r[0].value): r[col].value for r in rows[1:]}
    assert states["U03"] == "แก้แล้ว"  # scored, late, after a rejected file
    assert states["U04"] == "ยังไม่ส่ง"
