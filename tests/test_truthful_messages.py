"""Messages that tell the truth (issue 16 item 7): a busy history database says busy and is
retried (never "damaged, move it"); an --out that cannot be written says so in Thai, exit 2,
before any work."""

from __future__ import annotations

import errno
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from kpi_batch.history import store
from kpi_batch.history.store import DB_NAME
from tests.test_hostile_run import make_work, run

IDN = "อนามัย.ไทย".encode("idna").decode()  # xn--….xn--o3cw4h


@pytest.fixture
def quick_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.2)
    monkeypatch.setattr(store, "BUSY_PAUSE", 0.2)


def _hold(db: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def test_busy_history_says_busy_and_never_advises_moving_it(
    tmp_path: Path, quick_busy: None
) -> None:
    work = make_work(tmp_path / "w")
    assert run(work).exit_code in (0, 1)
    holder = _hold(work / "out" / DB_NAME)
    try:
        result = run(work)
    finally:
        holder.close()
    assert result.exit_code == 3
    assert "is busy" in result.output and "do not move it" in result.output
    assert "not a readable SQLite" not in result.output
    assert "internal error" not in result.output


def test_busy_history_is_retried_and_the_run_goes_through(tmp_path: Path, quick_busy: None) -> None:
    work = make_work(tmp_path / "w")
    assert run(work).exit_code in (0, 1)
    holder = _hold(work / "out" / DB_NAME)
    threading.Timer(0.3, holder.close).start()  # the other program lets go after a while
    result = run(work)
    assert result.exit_code in (0, 1), result.output


@pytest.mark.parametrize(
    ("code", "says"),
    [(errno.EROFS, "read-only"), (errno.EACCES, "no permission"), (errno.ENOSPC, "disk is full")],
)
def test_out_that_cannot_be_written_is_exit_2_before_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, says: str
) -> None:
    work = make_work(tmp_path / "w")
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name.startswith(".kpi-batch-write-test"):
            raise OSError(code, "refused", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    result = run(work)
    assert result.exit_code == 2, result.output
    assert says in result.output and "nothing was processed" in result.output
    assert "internal error" not in result.output
    assert not list((work / "out").glob("2567"))  # no run folder begun


def test_sender_is_one_mailbox_strictly() -> None:
    from kpi_batch.deliver.batch import resolve_sender
    from kpi_batch.errors import UsageError

    for spoof in ("evil@evil.example <kpr@anamai.example>", "a@x.example, b@x.example",
                  "a@x.example; b@x.example", "ผู้ส่ง@anamai.example", "kpr@anamai"):  # fmt: skip
        with pytest.raises(UsageError):
            resolve_sender(spoof, {})
    sender = resolve_sender('"กพร. กรมอนามัย" <kpr@อนามัย.ไทย>', {})
    assert sender.name == "กพร. กรมอนามัย"
    assert sender.address == f"kpr@{IDN}"


def _framework_with(tmp_path: Path, unit_id: str, address: str) -> Path:
    from tests.email_factories import email_framework_rows
    from tests.factories import write_small_framework

    rows = email_framework_rows()
    for unit in rows["units"]:
        if unit["unit_id"] == unit_id:
            unit["email"] = address
    return write_small_framework(tmp_path / "framework.xlsx", rows)


def test_thai_local_part_is_refused_by_check_framework_naming_unit_and_cell(
    tmp_path: Path,
) -> None:
    from tests.test_hostile_run import cli

    framework = _framework_with(tmp_path, "U03", "โภชนาการ@anamai.example")
    result = cli("check-framework", framework)
    assert result.exit_code == 2, result.output
    line = next(x for x in result.output.splitlines() if "โภชนาการ@anamai.example" in x)
    assert "units!" in line and "U03" in line and "อักษรภาษาอังกฤษ" in line


def test_idn_domain_is_encoded_with_idna_in_the_message(tmp_path: Path) -> None:
    import email
    from email import policy

    from tests.test_hostile_run import cli

    work = make_work(tmp_path / "w")
    _framework_with(work, "U01", "plan@อนามัย.ไทย")
    assert cli("check-framework", work / "framework.xlsx").exit_code == 0
    assert run(work).exit_code in (0, 1)
    (run_dir,) = (work / "out").glob("2567/R1/2024-03-10_*")
    mail = cli("email", "--run", run_dir)
    assert mail.exit_code in (0, 1), mail.output
    (eml,) = (run_dir / "outbox").glob("*_unit_U01.eml")
    raw = eml.read_bytes()
    to = email.message_from_bytes(raw, policy=policy.default)["To"]
    assert str(to) == f"plan@{IDN}"
    assert b"=?utf-8?" not in raw.split(b"\r\n\r\n")[0].split(b"To:")[1].split(b"\r\n")[0]


def test_invisible_character_in_a_framework_id_is_refused_and_spelled_out(tmp_path: Path) -> None:
    from tests.email_factories import email_framework_rows
    from tests.factories import write_small_framework
    from tests.test_hostile_run import cli

    rows = email_framework_rows()
    rows["units"][0]["unit_id"] = rows["units"][0]["unit_id"] + "\u200b"
    framework = write_small_framework(tmp_path / "framework.xlsx", rows)
    result = cli("check-framework", framework)
    assert result.exit_code == 2, result.output
    assert "U01<U+200B>" in result.output and "FW_INVISIBLE_IN_ID" in result.output
    assert "\u200b" not in result.output


def test_intake_messages_spell_out_invisible_characters(tmp_path: Path) -> None:
    from kpi_batch.intake.codes import CHECKS

    issue = CHECKS["unit_unknown"].issue(file="x.xlsx", value="U01\u200b", unit_id="U01\u200b")
    assert "U01<U+200B>" in issue.message_th + issue.message_en


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    from kpi_batch.console import make_console

    console = make_console(record=True, width=200)
    console.print("file \x1b]0;pwned\x07\x1b[2J.xlsx", markup=False)
    out = console.export_text()
    assert "\x1b" not in out and "<U+001B>" in out


def test_formula_whose_cached_value_is_used_is_a_warning_naming_the_cell(tmp_path: Path) -> None:
    import json
    import re
    import zipfile

    work = make_work(tmp_path / "w")
    src = work / "inbox" / "U01.xlsx"
    with zipfile.ZipFile(src) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    # U01's 1.1.1 value (48) becomes a formula that says 0 while its cached value says 48
    import openpyxl

    ws = openpyxl.load_workbook(src)["รายงานผล"]
    header = next(r for r in ws.iter_rows() if any("(value)" in str(c.value) for c in r))
    letter = next(c.column_letter for c in header if "(value)" in str(c.value))
    row = next(c.row for c in ws["B"] if c.value == "1.1.1")
    cell = f"{letter}{row}"
    found = re.search(rb'<c r="' + cell.encode() + rb'"([^>]*?)(?: t="n")?><v>48</v></c>', sheet)
    assert found is not None
    members["xl/worksheets/sheet1.xml"] = sheet.replace(
        found[0], b'<c r="' + cell.encode() + b'"' + found[1] + b"><f>0</f><v>48</v></c>", 1
    )
    src.unlink()
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    assert run(work).exit_code in (0, 1)
    (manifest,) = (work / "out").glob("2567/R1/*/manifest.json")
    rows = {r["path"]: r for r in json.loads(manifest.read_text("utf-8"))["inputs"]}
    u01 = rows["U01.xlsx"]
    assert u01["status"] == "accepted_with_warnings"
    assert [i["where"] for i in u01["issues"] if i["code"] == "cell_formula_cached"] == [
        f"รายงานผล!{cell}"
    ]
    # the template's own ratio formula (U02's 2.1) is not flagged
    assert not [i for i in rows["U02.xlsx"]["issues"] if i["code"] == "cell_formula_cached"]
