"""Every CSV the tool writes goes through `kpi_batch.csvfiles` and holds no cell Excel would
run as a formula: a run and an e-mail dry run and send with hostile text from the inbox (a
file name) and from the framework (a unit's name and address) — scores.csv, kpi_scores.csv,
outbox.csv, delivery_log.csv, whatever else appears."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation
from pathlib import Path

from typer.testing import CliRunner

from kpi_batch.cli import app
from kpi_batch.csvfiles import FORMULA_START, safe_cell
from kpi_batch.framework.load import load_framework
from kpi_batch.templates.fill import fill_template
from kpi_batch.templates.workbook import write_unit_template
from tests.email_factories import Handler, email_framework_rows, smtp_server
from tests.factories import write_small_framework

HOSTILE_FILE = "=HYPERLINK(1)+cmd|' -C calc'!A0.xlsx"
HOSTILE_NAME = '=HYPERLINK("http://evil.example","คลิก")'
HOSTILE_ADDRESS = "=cmd|calc!A0@x.example"
AS_OF = dt.date(2024, 3, 10)


def _number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def _cells(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_no_csv_cell_is_a_formula(tmp_path: Path) -> None:
    rows = email_framework_rows()
    for unit in rows["units"]:
        if unit["unit_id"] == "U02":
            unit["name"] = HOSTILE_NAME
        if unit["unit_id"] == "U03":
            unit["email"] = HOSTILE_ADDRESS
    framework = write_small_framework(tmp_path / "framework.xlsx", rows)
    fw = load_framework(framework)
    inbox, blank = tmp_path / "inbox", tmp_path / "blank"
    inbox.mkdir()
    blank.mkdir()
    values = {
        "U01": ({"1.1.1": 48, "1.1.2": 54, "2.1": (70, 100), "3.1": 2}, HOSTILE_FILE),
        "U02": ({"1.1.1": 50, "2.1": (75, 100), "3.1": 3, "4.1": 4}, "U02.xlsx"),
        "U03": ({"1.1.2": 52, "2.1": (65, 100), "4.1": 3}, "U03.xlsx"),
    }
    for unit_id, (unit_values, name) in values.items():
        template = write_unit_template(fw, unit_id, "R1", blank / f"{unit_id}.xlsx")
        fill_template(template, unit_values, submitted_on=None, out=inbox / name)
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", "--framework", str(framework), "--inbox", str(inbox),
                                 "--out", str(out), "--as-of", AS_OF.isoformat()])  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    (run_dir,) = (tmp_path / "out").glob("2567/R1/2024-03-10_*")
    dry = runner.invoke(app, ["email", "--run", str(run_dir)], env={"COLUMNS": "200"})
    assert dry.exit_code in (0, 1), dry.output
    with smtp_server(Handler()) as port:
        sent = runner.invoke(app, ["email", "--run", str(run_dir), "--send", "--smtp-host",
                                   "127.0.0.1", "--smtp-port", str(port), "--backoff", "0"],
                             env={"COLUMNS": "200"})  # fmt: skip
    assert sent.exit_code in (0, 1), sent.output
    written = sorted(p.relative_to(run_dir).as_posix() for p in run_dir.rglob("*.csv"))
    for expected in ("scores.csv", "kpi_scores.csv", "outbox/outbox.csv", "delivery_log.csv"):
        assert expected in written
    hostile_seen = set()
    for rel in written:
        for cell in _cells(run_dir / rel):
            assert not cell.startswith(FORMULA_START) or _number(cell), (rel, cell)
            for hostile in (HOSTILE_FILE.removesuffix(".xlsx"), HOSTILE_NAME, HOSTILE_ADDRESS):
                if hostile in cell:
                    hostile_seen.add((rel, hostile))
    # the hostile texts did reach the CSVs (escaped): the scan is not vacuous
    assert {rel for rel, _ in hostile_seen} >= {"scores.csv", "outbox/outbox.csv",
                                                 "delivery_log.csv"}  # fmt: skip


def test_safe_cell() -> None:
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("\tx") == "'\tx"
    assert safe_cell("\rx") == "'\rx"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell(Decimal("-1.5000")) == "-1.5000"
    assert safe_cell(-3) == "-3"
    assert safe_cell("กองแผนงาน") == "กองแผนงาน"
    assert safe_cell(None) == ""
