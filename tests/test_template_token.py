"""`template_token` (DOMAIN §5): a template proves which unit it was issued to.

U01's template with its unit_id cell changed to U02 and a later date is refused, naming
U01, and U02's own file and score stand; with no key nothing can be checked and the run
says so; files of one unit with different tokens are both held; the key never reaches a
workbook, a run folder, the archive or an e-mail."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from kpi_batch.cli import app
from kpi_batch.framework.load import load_framework
from kpi_batch.templates.fill import fill_template
from kpi_batch.templates.token import KEY_ENV, KEY_FILE, load_key, template_token
from kpi_batch.templates.workbook import REPORT_SHEET, write_unit_template
from tests.email_factories import email_framework_rows
from tests.factories import write_small_framework

AS_OF = dt.date(2024, 3, 10)
SENT = dt.date(2024, 3, 5)
KEY = "test-key-0123456789abcdef"
VALUES: dict[str, dict[str, object]] = {
    "U01": {"1.1.1": 48, "1.1.2": 54, "2.1": (70, 100), "3.1": 2},
    "U02": {"1.1.1": 50, "2.1": (75, 100), "3.1": 3, "4.1": 4},
}


def cli(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200", **(env or {})})


def work(tmp_path: Path, key: str | None = KEY) -> tuple[Path, Path, Path]:
    """(framework, blank templates folder, inbox); the key in the framework's folder."""
    framework = write_small_framework(tmp_path / "framework.xlsx", email_framework_rows())
    if key is not None:
        (tmp_path / KEY_FILE).write_text(key + "\n", encoding="utf-8")
    fw = load_framework(framework)
    blank, inbox = tmp_path / "blank", tmp_path / "inbox"
    blank.mkdir()
    inbox.mkdir()
    secret = key.encode() if key is not None else None
    for unit_id in ("U01", "U02", "U03"):
        write_unit_template(fw, unit_id, "R1", blank / f"{unit_id}.xlsx", secret)
    return framework, blank, inbox


def run(framework: Path, inbox: Path, out: Path, *extra: str | Path) -> Result:
    return cli("run", "--framework", framework, "--inbox", inbox, "--out", out,
               "--as-of", AS_OF.isoformat(), *extra)  # fmt: skip


def rows(out: Path) -> dict[str, dict[str, Any]]:
    (path,) = out.glob("2567/R1/*/manifest.json")
    return {r["path"]: r for r in json.loads(path.read_text("utf-8"))["inputs"]}


def scores(out: Path) -> dict[str, dict[str, str]]:
    (path,) = out.glob("2567/R1/*/scores.csv")
    text = path.read_bytes().decode("utf-8-sig")
    return {r["unit_id"]: r for r in csv.DictReader(io.StringIO(text))}


def test_template_carries_the_token_in_a_locked_named_cell(tmp_path: Path) -> None:
    _, blank, _ = work(tmp_path)
    fw = load_framework(tmp_path / "framework.xlsx")
    wb = openpyxl.load_workbook(blank / "U01.xlsx")
    sheet, ref = next(iter(wb.defined_names["template_token"].destinations))
    cell = wb[sheet][ref.replace("$", "")]
    assert sheet == REPORT_SHEET
    assert cell.value == template_token(KEY.encode(), "2567", "R1", "U01", fw.fingerprint)
    assert cell.protection.locked and wb[sheet].protection.sheet
    assert KEY not in (blank / "U01.xlsx").read_bytes().decode("latin-1")


def test_a_unit_posing_as_another_is_refused_naming_the_real_unit(tmp_path: Path) -> None:
    framework, blank, inbox = work(tmp_path)
    fill_template(blank / "U02.xlsx", VALUES["U02"], submitted_on=SENT, out=inbox / "U02.xlsx")
    honest = run(framework, inbox, tmp_path / "honest")
    assert honest.exit_code in (0, 1), honest.output
    # U01's template, unit_id typed over with U02, dated later than U02's own file
    fill_template(blank / "U01.xlsx", VALUES["U01"], submitted_on=SENT + dt.timedelta(days=2),
                  names={"unit_id": "U02"}, out=inbox / "U02_corrected.xlsx")  # fmt: skip
    result = run(framework, inbox, tmp_path / "out")
    assert result.exit_code == 1, result.output
    listed = rows(tmp_path / "out")
    forged = listed["U02_corrected.xlsx"]
    assert forged["status"] == "rejected"
    assert "unit_token_mismatch" in [i["code"] for i in forged["issues"]]
    assert "U01" in forged["reasons"]
    assert listed["U02.xlsx"]["status"] == "accepted"
    assert scores(tmp_path / "out")["U02"] == scores(tmp_path / "honest")["U02"]
    # no returned copy of the forged file goes to U02
    (run_dir,) = (tmp_path / "out").glob("2567/R1/2024-03-10_*")
    assert not list(run_dir.glob("returned/U02_corrected*"))
    mail = cli("email", "--run", run_dir)
    assert mail.exit_code in (0, 1), mail.output
    assert "U02_corrected" not in mail.output


def test_a_template_without_token_is_refused_when_the_key_is_there(tmp_path: Path) -> None:
    framework, _, inbox = work(tmp_path)
    fw = load_framework(framework)
    keyless = write_unit_template(fw, "U01", "R1", tmp_path / "keyless.xlsx")
    fill_template(keyless, VALUES["U01"], submitted_on=SENT, out=inbox / "U01.xlsx")
    result = run(framework, inbox, tmp_path / "out")
    assert result.exit_code == 1
    assert [i["code"] for i in rows(tmp_path / "out")["U01.xlsx"]["issues"]] == [
        "template_token_missing"
    ]


def test_without_a_key_the_run_warns_and_different_tokens_are_both_held(tmp_path: Path) -> None:
    framework, blank, inbox = work(tmp_path, key=None)
    fw = load_framework(framework)
    signed = write_unit_template(fw, "U01", "R1", tmp_path / "signed.xlsx", b"another key")
    fill_template(signed, VALUES["U01"], submitted_on=SENT, out=inbox / "U01.xlsx")
    fill_template(blank / "U01.xlsx", VALUES["U01"], submitted_on=SENT + dt.timedelta(days=1),
                  out=inbox / "U01_new.xlsx")  # fmt: skip
    result = run(framework, inbox, tmp_path / "out")
    assert result.exit_code == 1
    assert "no template key" in result.output
    assert not (tmp_path / KEY_FILE).exists()  # run never makes a key
    listed = rows(tmp_path / "out")
    for name, other in (("U01.xlsx", "U01_new.xlsx"), ("U01_new.xlsx", "U01.xlsx")):
        assert listed[name]["status"] == "rejected"
        assert [i["code"] for i in listed[name]["issues"]] == ["unit_conflicting_files"]
        assert other in listed[name]["reasons"]
    assert scores(tmp_path / "out")["U01"]["status"] == "rejected"


def test_templates_command_makes_the_key_once_and_the_env_var_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    framework = write_small_framework(tmp_path / "framework.xlsx", email_framework_rows())
    first = cli("templates", "--framework", framework, "--round", "R1", "--out", tmp_path / "t1")
    assert first.exit_code == 0, first.output
    key = (tmp_path / KEY_FILE).read_text(encoding="utf-8").strip()
    assert len(key) == 64
    second = cli("templates", "--framework", framework, "--round", "R1", "--out", tmp_path / "t2")
    assert second.exit_code == 0
    assert (tmp_path / KEY_FILE).read_text(encoding="utf-8").strip() == key
    assert (tmp_path / "t1/2567_R1_U01.xlsx").read_bytes() == (
        tmp_path / "t2/2567_R1_U01.xlsx"
    ).read_bytes()
    monkeypatch.setenv(KEY_ENV, "rotated")
    assert load_key(framework) == b"rotated"


def test_the_key_reaches_no_output(tmp_path: Path) -> None:
    framework, blank, inbox = work(tmp_path)
    for unit_id, values in VALUES.items():
        fill_template(blank / f"{unit_id}.xlsx", values, submitted_on=None,
                      out=inbox / f"{unit_id}.xlsx")  # fmt: skip
    out, archive = tmp_path / "out", tmp_path / "archive"
    result = run(framework, inbox, out, "--archive", archive)
    assert result.exit_code in (0, 1), result.output
    (run_dir,) = out.glob("2567/R1/2024-03-10_*")
    assert cli("email", "--run", run_dir).exit_code in (0, 1)
    files = [p for p in [*out.rglob("*"), *archive.rglob("*")] if p.is_file()]
    assert any(p.suffix == ".eml" for p in files)
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path
        assert path.name != KEY_FILE
