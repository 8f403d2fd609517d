"""Dry run and real sending to aiosmtpd on 127.0.0.1, with failures injected."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import smtplib
import sqlite3
from collections import Counter
from contextlib import closing
from email.message import EmailMessage
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from kpi_batch.cli import app
from kpi_batch.deliver.log import LOG_CSV, LOG_JSONL
from kpi_batch.deliver.messages import POLICY
from kpi_batch.deliver.outbox import INDEX, OUTBOX
from kpi_batch.deliver.smtp import Outgoing, SmtpConfig, send_all
from kpi_batch.framework.load import load_framework
from kpi_batch.runfolder import LOCK_NAME
from kpi_batch.templates.workbook import write_unit_template
from tests.email_factories import (
    ADDRESSES,
    SENDER,
    Handler,
    base_run,
    copy_run,
    email_framework_rows,
    free_port,
    parse,
    smtp_server,
)
from tests.factories import write_small_framework

ALL_KEYS = {"unit:U01", "unit:U02", "unit:U03", "unit:U04", "hr", "executive"}
SUBJECT_START = {
    "unit:U01": "แจ้งผลการประเมินตามคำรับรองการปฏิบัติราชการ",
    "unit:U02": "แจ้งผลการประเมินตามคำรับรองการปฏิบัติราชการ",
    "unit:U03": "ขอให้ส่งแบบรายงานผลใหม่",
    "unit:U04": "ติดตามแบบรายงานผล",
    "hr": "[ลับ] ผลคะแนนตามคำรับรองการปฏิบัติราชการ",
    "executive": "สรุปผลการประเมินผลการปฏิบัติราชการ",
}
ATTACHED = {
    "unit:U01": ["units/result_2567_R1_U01.xlsx", "returned/2567_R1_U01_xlsx_แก้ไข.xlsx"],
    "unit:U02": ["units/result_2567_R1_U02.xlsx"],
    # templates/: the unit's blank template, made for the message (not a file of the run)
    "unit:U03": ["templates/2567_R1_U03.xlsx", "returned/2567_R1_U03_xlsx_แก้ไข.xlsx"],
    "unit:U04": ["templates/2567_R1_U04.xlsx"],
    "hr": ["hr_2567_R1.xlsx"],
    "executive": ["executive_2567_R1.xlsx"],
}


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return base_run(tmp_path_factory)


@pytest.fixture
def run_dir(work: Path, tmp_path: Path) -> Path:
    return copy_run(work, tmp_path)


def email(run_dir: Path, port: int | None, *args: str, env: dict[str, str] | None = None) -> Result:
    argv = ["email", "--run", str(run_dir)]
    if port is not None:
        argv += ["--send", "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--backoff", "0"]
    return CliRunner().invoke(app, [*argv, *args], env={"COLUMNS": "200", **(env or {})})


def snapshot(run_dir: Path) -> dict[str, str]:
    """The run's own files and their checksums (what e-mail must never touch)."""
    mine = (OUTBOX, LOG_JSONL, LOG_CSV, LOCK_NAME)  # the lock file stays (the OS's lock)
    return {
        p.relative_to(run_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in run_dir.rglob("*")
        if p.is_file() and not p.relative_to(run_dir).as_posix().startswith(mine)
    }


def log_records(run_dir: Path) -> list[dict[str, object]]:
    lines = (run_dir / LOG_JSONL).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def delivered_pairs(handler: Handler) -> Counter[tuple[str, str]]:
    return Counter((r.key, a) for r in handler.received for a in r.rcpt_tos)


def expected_pairs(keys: set[str] = ALL_KEYS) -> Counter[tuple[str, str]]:
    return Counter((k, a) for k in keys for a in ADDRESSES[k.removeprefix("unit:")])


def test_dry_run_writes_eml_and_sends_nothing(run_dir: Path) -> None:
    before = snapshot(run_dir)
    handler = Handler()
    with smtp_server(handler):
        result = email(run_dir, None)
    assert result.exit_code == 0, result.output
    assert handler.received == [] and handler.data_count == 0
    emls = sorted(p.name for p in (run_dir / OUTBOX).glob("*.eml"))
    assert emls == ["01_unit_U01.eml", "02_unit_U02.eml", "03_unit_U03.eml",
                    "04_unit_U04.eml", "05_hr.eml", "06_executive.eml"]  # fmt: skip
    u03 = parse((run_dir / OUTBOX / "03_unit_U03.eml").read_bytes())
    assert u03["To"].addresses[0].addr_spec == "nutri@dept.example"
    assert [p.get_filename() for p in u03.iter_attachments()] == [
        "2567_R1_U03.xlsx",
        "2567_R1_U03_xlsx_แก้ไข.xlsx",
    ]
    with (run_dir / OUTBOX / INDEX).open(encoding="utf-8-sig") as f:
        index = list(csv.DictReader(f))
    assert [r["message_key"] for r in index] == [
        "unit:U01", "unit:U02", "unit:U03", "unit:U04", "hr", "executive"
    ]  # fmt: skip
    assert "กองแผนงาน (U01)" in result.output and "nothing was sent" in result.output
    assert not (run_dir / LOG_JSONL).exists()
    assert snapshot(run_dir) == before
    # a second dry run replaces the outbox rather than adding to it
    assert email(run_dir, None).exit_code == 0
    assert len(list((run_dir / OUTBOX).glob("*.eml"))) == 6


def attached_bytes(run_dir: Path, rel: str, tmp_path: Path) -> bytes:
    """What an attachment must hold: the run's file, or for `templates/` the template
    `kpi-batch templates` writes for that unit and round."""
    if not rel.startswith("templates/"):
        return (run_dir / rel).read_bytes()
    unit_id = Path(rel).stem.rsplit("_", 1)[-1]
    fw = load_framework(
        Path(json.loads((run_dir / "manifest.json").read_text())["framework"]["path"])
    )
    (tmp_path / "t").mkdir(exist_ok=True)
    return write_unit_template(fw, unit_id, "R1", tmp_path / "t" / Path(rel).name).read_bytes()


def test_send_delivers_each_message_once_decoded_right(run_dir: Path, tmp_path: Path) -> None:
    before = snapshot(run_dir)
    handler = Handler()
    with smtp_server(handler) as port:
        result = email(run_dir, port)
    assert result.exit_code == 0, result.output
    assert delivered_pairs(handler) == expected_pairs()
    for received in handler.received:
        msg = received.message
        key = received.key
        assert received.mail_from == SENDER
        assert str(msg["Subject"]).startswith(SUBJECT_START[key])
        assert [a.addr_spec for a in msg["To"].addresses] == ADDRESSES[key.removeprefix("unit:")]
        parts = list(msg.iter_attachments())
        assert [p.get_filename() for p in parts] == [Path(a).name for a in ATTACHED[key]]
        for part, rel in zip(parts, ATTACHED[key], strict=True):
            assert part.get_content() == attached_bytes(run_dir, rel, tmp_path)
    assert snapshot(run_dir) == before

    records = log_records(run_dir)
    assert {r["key"] for r in records} == ALL_KEYS
    assert all(r["status"] == "sent" and r["message_id"] for r in records)
    u01 = next(r for r in records if r["key"] == "unit:U01")
    assert u01["attachments"] == [
        {"filename": Path(rel).name, "source": rel,
         "sha256": hashlib.sha256((run_dir / rel).read_bytes()).hexdigest()}
        for rel in ATTACHED["unit:U01"]
    ]  # fmt: skip
    with (run_dir / LOG_CSV).open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == sum(expected_pairs().values())
    assert {r["recipient_status"] for r in rows} == {"delivered"}

    # later --send: nothing left to send; --resend: everything again
    handler2 = Handler()
    with smtp_server(handler2) as port:
        again = email(run_dir, port)
        assert again.exit_code == 0, again.output
        assert handler2.received == []
        assert "already delivered 6" in again.output
        forced = email(run_dir, port, "--resend")
    assert forced.exit_code == 0, forced.output
    assert delivered_pairs(handler2) == expected_pairs()


def test_unit_without_address_is_logged_and_the_rest_is_sent(run_dir: Path, tmp_path: Path) -> None:
    rows = email_framework_rows()
    next(u for u in rows["units"] if u["unit_id"] == "U04")["email"] = None
    fw = write_small_framework(tmp_path / "fw.xlsx", rows)
    handler = Handler()
    with smtp_server(handler) as port:
        result = email(run_dir, port, "--framework", str(fw))
    assert result.exit_code == 1, result.output
    assert "not sendable 1" in result.output
    assert delivered_pairs(handler) == expected_pairs(ALL_KEYS - {"unit:U04"})
    u04 = next(r for r in log_records(run_dir) if r["key"] == "unit:U04")
    assert u04["status"] == "not_sent" and "no e-mail address" in str(u04["error"])


def test_deliveries_are_copied_into_the_history_database(run_dir: Path) -> None:
    db = run_dir.parent.parent.parent / "history.sqlite"
    sqlite3.connect(db).close()  # whether or not the pipeline made one: exists now
    with smtp_server(Handler()) as port:
        assert email(run_dir, port).exit_code == 0
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "SELECT message_key, recipient, recipient_status FROM email_deliveries"
        ).fetchall()
    assert Counter((k, a) for k, a, state in rows if state == "delivered") == expected_pairs()


def test_resend_needs_send(run_dir: Path) -> None:
    assert email(run_dir, None, "--resend").exit_code == 2


def test_dry_run_after_a_send_shows_what_was_delivered(run_dir: Path) -> None:
    handler = Handler(refuse={"hr@dept.example": "550 5.1.1 no such user"})
    with smtp_server(handler) as port:
        email(run_dir, port)
    result = email(run_dir, None)
    with (run_dir / OUTBOX / INDEX).open(encoding="utf-8-sig") as f:
        status = {r["message_key"]: r["status"] for r in csv.DictReader(f)}
    assert status["unit:U01"].startswith("ส่งแล้ว (delivered)")
    assert status["hr"].startswith("พร้อมส่ง (ready)")
    assert result.exit_code == 0


def test_refused_recipient_is_reported_not_retried_and_sent_later(run_dir: Path) -> None:
    refused = "chief.finance@dept.example"
    handler = Handler(refuse={refused: "550 5.1.1 mailbox unavailable"})
    with smtp_server(handler) as port:
        result = email(run_dir, port, "--retries", "4")
    assert result.exit_code == 1, result.output
    assert "550" in result.output and refused in result.output
    assert delivered_pairs(handler) == expected_pairs() - Counter({("unit:U02", refused): 1})
    u02 = next(r for r in log_records(run_dir) if r["key"] == "unit:U02")
    assert u02["status"] == "partial"
    assert u02["delivered"] == ["finance@dept.example"]
    assert u02["attempts"] == 1  # permanent: not retried
    assert "550" in u02["failed"][refused]  # type: ignore[index]

    # the mailbox is fixed: a second --send delivers exactly that one recipient
    handler2 = Handler()
    with smtp_server(handler2) as port:
        second = email(run_dir, port)
    assert second.exit_code == 0, second.output
    assert delivered_pairs(handler2) == Counter({("unit:U02", refused): 1})


def test_connection_dropped_mid_batch_then_second_run_sends_the_rest(run_dir: Path) -> None:
    """The server goes away after two messages and stays away: the rest is reported, and
    the next --send sends exactly the messages that did not arrive."""
    handler = Handler(on_data=lambda n: "drop" if n > 2 else None)
    with smtp_server(handler) as port:
        result = email(run_dir, port, "--retries", "2")
    assert result.exit_code == 1, result.output
    first = {r.key for r in handler.received}
    assert len(first) == 2
    records = log_records(run_dir)
    assert {r["key"] for r in records if r["status"] == "sent"} == first
    failed = {r["key"] for r in records if r["status"] != "sent"}
    assert failed == ALL_KEYS - first
    assert "run email --send again" in result.output

    handler2 = Handler()
    with smtp_server(handler2) as port:
        second = email(run_dir, port)
    assert second.exit_code == 0, second.output
    assert delivered_pairs(handler2) == expected_pairs(ALL_KEYS - first)


def test_temporary_failures_are_retried_in_the_same_session(run_dir: Path) -> None:
    """A 421 with the line closed, a dropped line and a 450 on one address: each is retried
    (reconnecting when needed) and every message arrives exactly once."""
    handler = Handler(
        on_data=lambda n: {2: "421 4.3.2 service shutting down", 4: "drop"}.get(n),
        refuse_once={"director@dept.example": "450 4.2.1 try later"},
    )
    with smtp_server(handler) as port:
        result = email(run_dir, port)
    assert result.exit_code == 0, result.output
    assert delivered_pairs(handler) == expected_pairs()
    attempts = {r["key"]: r["attempts"] for r in log_records(run_dir)}
    assert sorted(attempts.values()) == [1, 1, 1, 2, 2, 2]


def test_server_unreachable_sends_nothing_and_reports_all(run_dir: Path) -> None:
    result = email(run_dir, free_port(), "--retries", "2")
    assert result.exit_code == 1
    records = log_records(run_dir)
    assert {r["key"] for r in records} == ALL_KEYS
    assert {r["status"] for r in records} == {"not_sent"}


def auth(authenticator: object) -> dict[str, object]:
    """aiosmtpd AUTH PLAIN without TLS (loopback only: kpi-batch refuses it elsewhere)."""
    return {
        "authenticator": authenticator,
        "auth_require_tls": False,
        "auth_exclude_mechanism": ["LOGIN"],
    }


def test_password_only_from_environment_and_never_written(run_dir: Path) -> None:
    password = "s3cret-pass-xyz"

    def authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        from aiosmtpd.smtp import AuthResult

        ok = auth_data.login == b"kpr" and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False)

    handler = Handler()
    env = {"KPI_BATCH_SMTP_USER": "kpr", "KPI_BATCH_SMTP_PASSWORD": password}
    with smtp_server(handler, **auth(authenticator)) as port:
        half = email(run_dir, port, env={"KPI_BATCH_SMTP_USER": "kpr"})
        assert half.exit_code == 2 and "KPI_BATCH_SMTP_PASSWORD" in half.output
        result = email(run_dir, port, env=env)
    assert result.exit_code == 0, result.output
    assert delivered_pairs(handler) == expected_pairs()
    assert password not in result.output
    for path in run_dir.rglob("*"):
        if path.is_file():
            assert password.encode() not in path.read_bytes(), path


def test_a_non_ascii_password_is_refused_without_echoing_it(run_dir: Path) -> None:
    env = {"KPI_BATCH_SMTP_USER": "kpr", "KPI_BATCH_SMTP_PASSWORD": "รหัสผ่าน-9"}
    with smtp_server(Handler()) as port:
        result = email(run_dir, port, env=env)
    assert result.exit_code == 2
    assert "ASCII" in result.output and "รหัสผ่าน-9" not in result.output


def test_wrong_password_is_reported_without_the_password(run_dir: Path) -> None:
    def authenticator(*args: object) -> object:
        from aiosmtpd.smtp import AuthResult

        return AuthResult(success=False, handled=False)

    env = {"KPI_BATCH_SMTP_USER": "kpr", "KPI_BATCH_SMTP_PASSWORD": "wrong-pass-123"}
    handler = Handler()
    with smtp_server(handler, **auth(authenticator)) as port:
        result = email(run_dir, port, env=env)
    assert result.exit_code == 1
    assert handler.received == []
    assert "535" in result.output
    assert "wrong-pass-123" not in result.output
    assert b"wrong-pass-123" not in (run_dir / LOG_JSONL).read_bytes()


def test_no_appeal_deadline_refuses_to_send(run_dir: Path, tmp_path: Path) -> None:
    fw = write_small_framework(tmp_path / "fw.xlsx", email_framework_rows(appeal_deadline=""))
    handler = Handler()
    with smtp_server(handler) as port:
        result = email(run_dir, port, "--framework", str(fw))
        assert result.exit_code == 2, result.output
        assert handler.received == []
        ok = email(run_dir, port, "--framework", str(fw), "--appeal-deadline", "2024-03-20")
    assert ok.exit_code == 0, ok.output


def test_an_older_run_needs_allow_old_run(run_dir: Path) -> None:
    newer = run_dir.parent / "2024-03-10_2"
    newer.mkdir()
    (run_dir.parent / "latest").write_text("2024-03-10_2\n", encoding="utf-8")
    handler = Handler()
    with smtp_server(handler) as port:
        refused = email(run_dir, port)
        assert refused.exit_code == 2 and "--allow-old-run" in refused.output
        assert handler.received == []
        allowed = email(run_dir, port, "--allow-old-run")
    assert allowed.exit_code == 0, allowed.output


def _outgoing(n: int) -> list[Outgoing]:
    items = []
    for i in range(n):
        msg = EmailMessage(policy=POLICY)
        msg["From"], msg["To"], msg["Subject"] = SENDER, f"u{i}@dept.example", f"เรื่อง {i}"
        msg["Message-ID"] = f"<m{i}@dept.example>"
        msg["X-KPI-Batch-Message"] = f"unit:U{i}"
        msg.set_content("เนื้อความ")
        items.append(Outgoing(f"unit:U{i}", f"U{i}", msg, (f"u{i}@dept.example",), SENDER))
    return items


def test_backoff_doubles_and_a_lasting_4xx_is_reported_after_the_attempts() -> None:
    handler = Handler(refuse={"u1@dept.example": "451 4.3.0 greylisted"})
    waits: list[float] = []
    with smtp_server(handler) as port:
        config = SmtpConfig("127.0.0.1", port, "none", attempts=4, backoff=0.5)
        results = send_all(
            config, _outgoing(3), lambda d: None, run_id="r", clock=_clock, sleep=waits.append
        )
    assert waits == [0.5, 1.0, 2.0]
    assert [r.status for r in results] == ["sent", "failed", "sent"]
    assert results[1].attempts == 4
    assert "451" in results[1].failed["u1@dept.example"]
    assert "after 4 attempts" in results[1].failed["u1@dept.example"]
    assert [r.key for r in handler.received] == ["unit:U0", "unit:U2"]


def test_one_session_for_the_whole_batch() -> None:
    handler = Handler()
    sessions: list[object] = []
    with smtp_server(handler) as port:
        original = SmtpConfig("127.0.0.1", port, "none")
        real_init = smtplib.SMTP.__init__

        def counting_init(self: smtplib.SMTP, *args: object, **kwargs: object) -> None:
            sessions.append(self)
            real_init(self, *args, **kwargs)  # type: ignore[arg-type]

        smtplib.SMTP.__init__ = counting_init  # type: ignore[method-assign]
        try:
            send_all(original, _outgoing(5), lambda d: None, run_id="r", clock=_clock)
        finally:
            smtplib.SMTP.__init__ = real_init  # type: ignore[method-assign]
    assert len(sessions) == 1
    assert len(handler.received) == 5


def _clock() -> dt.datetime:
    return dt.datetime(2024, 3, 11, 9, 0, tzinfo=dt.UTC)


def test_a_wording_file_saved_as_ansi_is_warned_in_the_dry_run(
    run_dir: Path, tmp_path: Path
) -> None:
    wording = tmp_path / "wording"
    wording.mkdir()
    text = "แจ้งผล {unit_name}\r\n\r\nเรียน ผู้อำนวยการ{unit_name}\r\nคะแนน {final_score}\r\n"
    (wording / "unit_scored.txt").write_bytes(text.encode("cp874"))
    result = email(run_dir, None, "--templates", str(wording))
    assert result.exit_code == 0, result.output
    assert "unit_scored.txt" in result.output and "cp874" in result.output
    u01 = parse((run_dir / OUTBOX / "01_unit_U01.eml").read_bytes())
    assert str(u01["Subject"]).startswith("แจ้งผล ")
