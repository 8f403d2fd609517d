"""`kpi-batch email --remind`: who is reminded (the round's state across runs), what they
read before and after the due date, the attached template, and a real send to aiosmtpd.

The base run (tests/email_factories.py, round R1 due Wed 6 Mar 2024, as-of 10 Mar): U01 and
U02 accepted, U03 rejected (it filled the R2 template), U04 sent nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from kpi_batch.cli import app
from kpi_batch.deliver.batch import EmailRequest, Prepared
from kpi_batch.deliver.checks import identify_workbook
from kpi_batch.deliver.log import LOG_CSV, LOG_JSONL
from kpi_batch.deliver.messages import POLICY
from kpi_batch.deliver.outbox import OUTBOX
from kpi_batch.deliver.remind import OUTBOX_REMINDERS, prepare_reminders
from kpi_batch.framework.load import load_framework
from kpi_batch.pipeline import RunRequest, run
from kpi_batch.templates.fill import fill_template
from kpi_batch.templates.workbook import write_unit_template
from tests.email_factories import ADDRESSES, Handler, base_run, copy_run, parse, smtp_server

BANGKOK = dt.timezone(dt.timedelta(hours=7))
BEFORE = dt.datetime(2024, 3, 4, 9, 0, tzinfo=BANGKOK)  # two days before Wed 6 Mar
ON_THE_DAY = dt.datetime(2024, 3, 6, 16, 0, tzinfo=BANGKOK)
LATE = dt.datetime(2024, 3, 9, 9, 0, tzinfo=BANGKOK)  # 3 days late
# 23:30 UTC on 8 Mar is already 9 Mar in Bangkok: the day counts there
LATE_UTC = dt.datetime(2024, 3, 8, 23, 30, tzinfo=dt.UTC)
CAPPED = dt.datetime(2024, 3, 20, 9, 0, tzinfo=BANGKOK)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return base_run(tmp_path_factory)


@pytest.fixture
def run_dir(work: Path, tmp_path: Path) -> Path:
    return copy_run(work, tmp_path)


def _remind(run_dir: Path, now: dt.datetime) -> Prepared:
    return prepare_reminders(EmailRequest(run_dir), now=now, token="t0")


def _bodies(prepared: Prepared) -> dict[str, str]:
    out = {}
    for m in prepared.plan.messages:
        assert m.message is not None, m.problems
        body = parse(m.message.as_bytes(policy=POLICY)).get_body()
        assert body is not None
        out[m.unit_id] = str(body.get_content()).replace("\r\n", "\n")
    return out


def test_only_units_without_an_accepted_file_are_reminded(run_dir: Path) -> None:
    prepared = _remind(run_dir, BEFORE)
    plan = prepared.plan
    assert [(m.key, m.template) for m in plan.messages] == [
        ("remind:U03", "unit_remind"),
        ("remind:U04", "unit_remind"),
    ]
    assert not plan.has_problems and not plan.blocked
    for m in plan.messages:
        assert list(m.to) == ADDRESSES[m.unit_id]


def test_before_the_due_date_the_text_is_polite(run_dir: Path) -> None:
    prepared = _remind(run_dir, BEFORE)
    u04 = next(m for m in prepared.plan.messages if m.unit_id == "U04")
    assert u04.subject == ("ขอเรียนเตือนกำหนดส่งแบบรายงานผล รอบ 6 เดือน ปีงบประมาณ 2567 — ศูนย์อนามัยที่ 1")
    body = _bodies(prepared)["U04"]
    assert "ขอเรียนเตือนกำหนดส่งแบบรายงานผล" in body and "ถึงวันที่ 4 มีนาคม 2567" in body
    assert "กำหนดส่ง: 6 มีนาคม 2567 (อีก 2 วัน)" in body
    assert "(2567_R1_U04.xlsx)" in body
    assert "- 2567_R1_U04.xlsx — แบบรายงานผลเปล่าของหน่วยงานสำหรับรอบนี้" in body
    assert "เลยกำหนด" not in body and "หักคะแนนส่งล่าช้า" not in body
    # U03 is told why its file does not count
    u03 = _bodies(prepared)["U03"]
    assert "ไฟล์ที่หน่วยงานส่งมาล่าสุด (2567_R1_U03.xlsx) ไม่ผ่านการตรวจ" in u03
    assert "[round_mismatch]" in u03
    on_the_day = _bodies(_remind(run_dir, ON_THE_DAY))["U04"]
    assert "กำหนดส่ง: 6 มีนาคม 2567 (วันนี้เป็นวันสุดท้าย)" in on_the_day


@pytest.mark.parametrize("now", [LATE, LATE_UTC])
def test_after_the_due_date_it_states_the_running_penalty(run_dir: Path, now: dt.datetime) -> None:
    prepared = _remind(run_dir, now)
    u04 = next(m for m in prepared.plan.messages if m.unit_id == "U04")
    assert u04.template == "unit_remind_late"
    assert u04.subject.startswith("แบบรายงานผล รอบ 6 เดือน ปีงบประมาณ 2567 เลยกำหนดส่งแล้ว")
    body = _bodies(prepared)["U04"]
    assert "ถึงวันที่ 9 มีนาคม 2567" in body
    assert "กำหนดส่ง: 6 มีนาคม 2567\n" in body
    assert "เลยกำหนดมาแล้ว 3 วัน หากได้รับแบบรายงานวันนี้ จะหักคะแนนส่งล่าช้า 0.15 คะแนน" in body
    assert (
        "หักเพิ่มวันละ 0.05 คะแนน จนถึงสูงสุด 0.25 คะแนน (ครบ 0.25 คะแนนเมื่อได้รับวันที่ 11 มี.ค. 2567)" in body
    )
    assert "ยังรับแบบรายงานผลของหน่วยงาน และจะคิดคะแนนในการประมวลผลครั้งถัดไป" in body


def test_once_capped_it_says_the_deduction_grows_no_more(run_dir: Path) -> None:
    body = _bodies(_remind(run_dir, CAPPED))["U04"]
    assert "เลยกำหนดมาแล้ว 14 วัน หากได้รับแบบรายงานวันนี้ จะหักคะแนนส่งล่าช้า 0.25 คะแนน" in body
    assert "การหักคะแนนถึงอัตราสูงสุด 0.25 คะแนนแล้ว จะไม่หักเพิ่มอีก" in body


def test_the_attachment_is_the_units_template_for_the_round(run_dir: Path, tmp_path: Path) -> None:
    prepared = _remind(run_dir, BEFORE)
    fw = prepared.source.framework
    for m in prepared.plan.messages:
        assert m.message is not None
        (part,) = parse(m.message.as_bytes(policy=POLICY)).iter_attachments()
        data = part.get_content()
        assert part.get_filename() == f"2567_R1_{m.unit_id}.xlsx"
        assert identify_workbook(data).kind == "submission"
        assert identify_workbook(data).unit_id == m.unit_id
        # byte for byte what `kpi-batch templates` writes for that unit and round
        made = write_unit_template(fw, m.unit_id, "R1", tmp_path / f"{m.unit_id}.xlsx")
        assert data == made.read_bytes()


def test_the_round_state_across_runs_decides(work: Path, tmp_path: Path) -> None:
    """A second run whose inbox holds only U03's corrected file: U01 and U02 are `missing`
    in its scores.csv but `ส่งแล้ว` in the round, U03 is `แก้แล้ว`: only U04 is reminded."""
    shutil.copytree(work / "out", tmp_path / "out")
    fw_path = work / "framework.xlsx"
    fw = load_framework(fw_path)
    inbox = tmp_path / "inbox2"
    inbox.mkdir()
    path = write_unit_template(fw, "U03", "R1", inbox / "2567_R1_U03 แก้ไข.xlsx")
    values = {"1.1.2": 52, "2.1": (60, 100), "4.1": 2}
    fill_template(path, values, submitted_on=dt.date(2024, 3, 11))
    later = run(RunRequest(fw_path, inbox, tmp_path / "out", dt.date(2024, 3, 12), "R1"))
    with (later.run_dir / "scores.csv").open(encoding="utf-8-sig") as f:
        status = {r["unit_id"]: r["status"] for r in csv.DictReader(f)}
    assert status == {"U01": "missing", "U02": "missing", "U03": "scored", "U04": "missing"}
    prepared = _remind(later.run_dir, LATE)
    assert [m.key for m in prepared.plan.messages] == ["remind:U04"]


def _email(run_dir: Path, port: int | None, *args: str) -> Result:
    argv = ["email", "--run", str(run_dir), "--remind"]
    if port is not None:
        argv += ["--send", "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--backoff", "0"]
    return CliRunner().invoke(app, [*argv, *args], env={"COLUMNS": "200"})


def test_dry_run_writes_its_own_outbox(run_dir: Path) -> None:
    result = _email(run_dir, None)
    assert result.exit_code == 0, result.output
    emls = sorted(p.name for p in (run_dir / OUTBOX_REMINDERS).glob("*.eml"))
    assert emls == ["01_remind_U03.eml", "02_remind_U04.eml"]
    assert not (run_dir / OUTBOX).exists() and not (run_dir / LOG_JSONL).exists()


def test_reminders_really_sent_logged_and_not_sent_twice(run_dir: Path) -> None:
    handler = Handler()
    with smtp_server(handler) as port:
        result = _email(run_dir, port)
    assert result.exit_code == 0, result.output
    got = {r.key: r for r in handler.received}
    assert set(got) == {"remind:U03", "remind:U04"}
    for key, received in got.items():
        unit_id = key.removeprefix("remind:")
        assert received.rcpt_tos == ADDRESSES[unit_id]
        msg = received.message
        (part,) = msg.iter_attachments()
        assert part.get_filename() == f"2567_R1_{unit_id}.xlsx"
        assert identify_workbook(part.get_content()).unit_id == unit_id
        body = msg.get_body()
        assert body is not None and "รหัสการประมวลผล 2567/R1/2024-03-10_1" in body.get_content()

    records = [json.loads(x) for x in (run_dir / LOG_JSONL).read_text("utf-8").splitlines()]
    assert {r["key"] for r in records} == {"remind:U03", "remind:U04"}
    assert all(r["status"] == "sent" for r in records)
    u04 = next(r for r in records if r["key"] == "remind:U04")
    sent = got["remind:U04"].message
    (part,) = sent.iter_attachments()
    assert u04["attachments"] == [
        {"filename": "2567_R1_U04.xlsx", "source": "templates/2567_R1_U04.xlsx",
         "sha256": hashlib.sha256(part.get_content()).hexdigest()}
    ]  # fmt: skip
    with (run_dir / LOG_CSV).open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert {(r["message_key"], r["recipient"], r["recipient_status"]) for r in rows} == {
        ("remind:U03", "nutri@dept.example", "delivered"),
        ("remind:U04", "hpc1@dept.example", "delivered"),
    }

    again = Handler()
    with smtp_server(again) as port:
        assert _email(run_dir, port).exit_code == 0
    assert again.received == []  # delivered before: not sent twice
    resent = Handler()
    with smtp_server(resent) as port:
        assert _email(run_dir, port, "--resend").exit_code == 0
    assert {r.key for r in resent.received} == {"remind:U03", "remind:U04"}


def test_remind_and_reviews_do_not_mix(run_dir: Path, tmp_path: Path) -> None:
    result = _email(run_dir, None, "--reviews", str(tmp_path))
    assert result.exit_code == 2
