"""Building the messages of a run: who gets what, Thai subjects and file names on the wire."""

from __future__ import annotations

import dataclasses
import datetime as dt
from email.headerregistry import Address
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_batch.cli import app
from kpi_batch.deliver.batch import EmailRequest, Prepared, prepare
from kpi_batch.deliver.messages import POLICY, Planned, Sender, build_plan, compose
from kpi_batch.deliver.source import InputFile
from kpi_batch.deliver.texts import load_texts
from kpi_batch.errors import UsageError
from kpi_batch.intake import run_intake
from kpi_batch.templates.fill import fill_template
from tests.email_factories import (
    ADDRESSES,
    SENDER,
    base_run,
    copy_run,
    email_framework_rows,
    parse,
)
from tests.factories import write_small_framework

NOW = dt.datetime(2024, 3, 11, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return base_run(tmp_path_factory)


@pytest.fixture
def run_dir(work: Path, tmp_path: Path) -> Path:
    return copy_run(work, tmp_path)


def _prepare(run_dir: Path, **kwargs: object) -> Prepared:
    return prepare(EmailRequest(run_dir, **kwargs), now=NOW, token="t0")  # type: ignore[arg-type]


def test_every_unit_and_role_gets_one_message(run_dir: Path) -> None:
    plan = _prepare(run_dir).plan
    got = {m.key: (m.template, [a.filename for a in m.attachments]) for m in plan.messages}
    assert got == {
        "unit:U01": ("unit_scored", ["result_2567_R1_U01.xlsx", "2567_R1_U01_xlsx_แก้ไข.xlsx"]),
        "unit:U02": ("unit_scored", ["result_2567_R1_U02.xlsx"]),
        # the blank template to fill in first, then the refused file marked up
        "unit:U03": ("unit_rejected", ["2567_R1_U03.xlsx", "2567_R1_U03_xlsx_แก้ไข.xlsx"]),
        "unit:U04": ("unit_missing", ["2567_R1_U04.xlsx"]),
        "hr": ("hr", ["hr_2567_R1.xlsx"]),
        "executive": ("executive", ["executive_2567_R1.xlsx"]),
    }
    assert not plan.has_problems, plan.problems + [p for m in plan.messages for p in m.problems]
    for m in plan.messages:
        assert list(m.to) == ADDRESSES[m.unit_id or m.key]


def test_wire_format_decodes_to_thai_subject_names_and_the_files_bytes(run_dir: Path) -> None:
    plan = _prepare(run_dir).plan
    for m in plan.messages:
        assert m.message is not None
        raw = m.message.as_bytes(policy=POLICY)
        head = raw.split(b"\r\n\r\n", 1)[0]
        head.decode("ascii")  # every header is 7-bit: RFC 2047 / 2231 did the Thai
        back = parse(raw)
        assert back["Subject"] == m.subject
        assert [a.addr_spec for a in back["To"].addresses] == list(m.to)
        assert back["From"].addresses[0].addr_spec == SENDER
        assert back["Cc"] is None and back["Bcc"] is None
        parts = list(back.iter_attachments())
        assert [p.get_filename() for p in parts] == [a.filename for a in m.attachments]
        for part, planned in zip(parts, m.attachments, strict=True):
            assert part.get_content_type().endswith("spreadsheetml.sheet")
            if planned.role == "template":  # made for the message, not a file of the run
                assert part.get_content() == planned.file.data
            else:
                assert part.get_content() == (run_dir / planned.file.rel).read_bytes()
    u01 = next(m for m in plan.messages if m.key == "unit:U01")
    assert u01.subject.startswith("แจ้งผลการประเมินตามคำรับรองการปฏิบัติราชการ รอบ 6 เดือน")
    assert u01.subject.endswith("— กองแผนงาน")
    assert "filename*" in u01.message.as_string(policy=POLICY)  # type: ignore[union-attr]


def test_result_message_has_score_band_and_appeal_deadline(run_dir: Path) -> None:
    plan = _prepare(run_dir).plan
    u02 = next(m for m in plan.messages if m.key == "unit:U02")
    body = parse(u02.message.as_bytes(policy=POLICY)).get_body().get_content()  # type: ignore[union-attr]
    assert "เรียน กองคลัง" in body
    assert "คะแนนสุดท้าย       4.2500" in body
    assert "กลุ่มคะแนน         ดีมาก" in body
    assert "อันดับ             1 จาก 2 หน่วยงาน (1 จาก 2 ในกลุ่มอำนวยการ)" in body
    assert "ภายในวันที่ 20 มีนาคม 2567" in body
    assert "2567/R1/2024-03-10_1" in body


def test_rejected_unit_is_told_why_and_gets_its_file_back(run_dir: Path) -> None:
    plan = _prepare(run_dir).plan
    u03 = next(m for m in plan.messages if m.key == "unit:U03")
    body = parse(u03.message.as_bytes(policy=POLICY)).get_body().get_content()  # type: ignore[union-attr]
    assert "ยังไม่ได้นำไปคิดคะแนน" in body
    assert "[round_mismatch]" in body
    assert body.count("[round_mismatch]") == 1  # each reason once
    assert "2567_R1_U03_xlsx_แก้ไข.xlsx" in body
    # the fix it can follow: the attached blank template of the run's round
    assert "แบบรายงานผลเปล่าของหน่วยงานสำหรับรอบนี้ที่แนบมา (2567_R1_U03.xlsx)" in body
    assert "แก้ไขต่อได้เลย" not in body
    assert_accepts_and_charges_from(body, "7 มี.ค. 2567")


def test_missing_unit_gets_a_reminder_with_its_template_attached(run_dir: Path) -> None:
    plan = _prepare(run_dir).plan
    u04 = next(m for m in plan.messages if m.key == "unit:U04")
    body = parse(u04.message.as_bytes(policy=POLICY)).get_body().get_content()  # type: ignore[union-attr]
    assert u04.subject.startswith("ติดตามแบบรายงานผล")
    assert "ที่แนบมากับอีเมลนี้ (2567_R1_U04.xlsx)" in body
    assert "- 2567_R1_U04.xlsx — แบบรายงานผลเปล่าของหน่วยงานสำหรับรอบนี้" in body
    # a first file, not a correction; and already late at the run's date
    assert "ยังรับแบบรายงานผลของหน่วยงาน และจะคิดคะแนนในการประมวลผลครั้งถัดไป" in body
    assert "ไฟล์ที่ได้รับตั้งแต่วันที่ 7 มี.ค. 2567 หักคะแนน" in body
    assert "ขณะนี้เลยกำหนดส่งแล้ว ไฟล์ที่ส่งจากนี้ไปจะถูกหักคะแนน" in body


def assert_accepts_and_charges_from(body: str, first_late_day: str) -> None:
    """The unit reads whether a corrected file is taken and from which day it is late."""
    assert "ยังรับไฟล์ที่แก้ไขแล้ว และจะคิดคะแนนใหม่ในการประมวลผลครั้งถัดไป" in body
    assert f"กำหนดส่ง 6 มี.ค. 2567 ไฟล์ที่ได้รับตั้งแต่วันที่ {first_late_day} หักคะแนน" in body


@pytest.mark.parametrize("unit_id", ["U03", "U04"])
def test_the_attached_template_is_the_units_own_for_the_round_and_is_accepted(
    run_dir: Path, tmp_path: Path, unit_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Filled in and sent back, the attachment is accepted for that unit, token and all."""
    key = "test-key-" + unit_id
    monkeypatch.setenv("KPI_BATCH_TEMPLATE_KEY", key)
    prepared = _prepare(run_dir)
    planned = next(m for m in prepared.plan.messages if m.key == f"unit:{unit_id}")
    assert planned.message is not None and planned.ready
    (part,) = [
        p for p in parse(planned.message.as_bytes(policy=POLICY)).iter_attachments()
        if p.get_filename() == f"2567_R1_{unit_id}.xlsx"
    ]  # fmt: skip
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    sent = inbox / "ส่งกลับ.xlsx"
    sent.write_bytes(part.get_content())
    values = {"U03": {"1.1.2": 52, "4.1": 2}, "U04": {"1.1.1": 47}}[unit_id]
    fill_template(sent, values, submitted_on=dt.date(2024, 3, 12))
    fw = prepared.source.framework
    intake = run_intake(inbox, fw, "R1", dt.date(2024, 3, 15), key=key.encode("utf-8"))
    assert intake.tokens_checked
    (row,) = intake.register.to_dict("records")
    assert (row["unit_id"], row["round_id"], row["errors"]) == (unit_id, "R1", 0)
    assert row["status"] in ("accepted", "accepted_with_warnings")  # KPIs left empty warn


def test_unit_without_address_is_reported_not_skipped(run_dir: Path, tmp_path: Path) -> None:
    rows = email_framework_rows()
    next(u for u in rows["units"] if u["unit_id"] == "U04")["email"] = None
    fw = write_small_framework(tmp_path / "no_address.xlsx", rows)  # same fingerprint
    plan = _prepare(run_dir, framework=fw).plan
    u04 = next(m for m in plan.messages if m.key == "unit:U04")
    assert u04.message is None and [p.code for p in u04.problems] == ["no_address"]
    assert not plan.blocked

    result = CliRunner().invoke(app, ["email", "--run", str(run_dir), "--framework", str(fw)])
    assert result.exit_code == 1, result.output
    assert "no_address" in result.output and "U04" in result.output
    assert not any(p.name.endswith("U04.eml") for p in (run_dir / "outbox").iterdir())


def test_no_hr_recipient_is_reported(run_dir: Path, tmp_path: Path) -> None:
    rows = email_framework_rows()
    rows["recipients"] = [r for r in rows["recipients"] if r["role"] != "hr"]
    fw = write_small_framework(tmp_path / "no_hr.xlsx", rows)
    plan = _prepare(run_dir, framework=fw).plan
    hr = next(m for m in plan.messages if m.key == "hr")
    assert hr.message is None and [p.code for p in hr.problems] == ["no_address"]


def test_a_changed_framework_is_refused(run_dir: Path, tmp_path: Path) -> None:
    rows = email_framework_rows()
    rows["weights"][0]["weight"] = 25
    fw = write_small_framework(tmp_path / "changed.xlsx", rows)
    with pytest.raises(UsageError, match="fingerprint"):
        _prepare(run_dir, framework=fw)
    result = CliRunner().invoke(app, ["email", "--run", str(run_dir), "--framework", str(fw)])
    assert result.exit_code == 2


def test_not_a_run_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["email", "--run", str(tmp_path)])
    assert result.exit_code == 2
    assert "manifest.json" in result.output


def test_sender_is_required(run_dir: Path, tmp_path: Path) -> None:
    fw = write_small_framework(tmp_path / "fw.xlsx", email_framework_rows(smtp_from=""))
    with pytest.raises(UsageError, match="smtp_from"):
        _prepare(run_dir, framework=fw)
    plan = _prepare(run_dir, framework=fw, sender="other@dept.example").plan
    assert all(m.message is None or "other@dept.example" in str(m.message["From"])
               for m in plan.messages)  # fmt: skip


def test_text_override_folder(run_dir: Path, tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "unit_scored.txt").write_text(
        "ผลคะแนน {unit_name} {final_score}\n\nเรียน {unit_name}\nคะแนน {final_score}\n",
        encoding="utf-8",
    )
    plan = _prepare(run_dir, templates=texts).plan
    u02 = next(m for m in plan.messages if m.key == "unit:U02")
    assert u02.subject == "ผลคะแนน กองคลัง 4.2500"
    hr = next(m for m in plan.messages if m.key == "hr")
    assert hr.subject.startswith("[ลับ]")  # not overridden: built in


def test_unknown_placeholder_is_refused_before_anything_is_built(tmp_path: Path) -> None:
    (tmp_path / "hr.txt").write_text("เรื่อง {unit_name}\n\nเนื้อความ {n_units}\n", "utf-8")
    with pytest.raises(UsageError, match=r"hr.txt.*\{unit_name\}"):
        load_texts(tmp_path)
    (tmp_path / "hr.txt").write_text("ไม่มีบรรทัดว่าง\nเนื้อความ\n", "utf-8")
    with pytest.raises(UsageError, match="blank line"):
        load_texts(tmp_path)


def test_builtin_texts_load() -> None:
    texts = load_texts()
    assert set(texts) == {
        "unit_scored", "unit_rejected", "unit_missing", "unit_remind", "unit_remind_late",
        "hr", "executive",
    }  # fmt: skip


def test_missing_appeal_deadline_warns_in_the_dry_run(run_dir: Path, tmp_path: Path) -> None:
    fw = write_small_framework(tmp_path / "fw.xlsx", email_framework_rows(appeal_deadline=""))
    prepared = _prepare(run_dir, framework=fw)
    assert any("appeal" in w for w in prepared.plan.warnings)
    u02 = next(m for m in prepared.plan.messages if m.key == "unit:U02")
    body = u02.message.get_body().get_content()  # type: ignore[union-attr]
    assert "appeal_deadline not set" in body
    assert not _prepare(run_dir, framework=fw, appeal_deadline="2024-03-22").plan.warnings


def test_the_rounds_latest_pointer_names_the_run(run_dir: Path) -> None:
    """`--run <out>/2567/R1/latest` (a pointer file) means the newest run folder."""
    pointer = run_dir.parent / "latest"
    assert pointer.read_text(encoding="utf-8").strip() == run_dir.name
    result = CliRunner().invoke(app, ["email", "--run", str(pointer)])
    assert result.exit_code == 0, result.output
    assert any(p.suffix == ".eml" for p in (run_dir / "outbox").iterdir())


def test_result_message_is_arithmetic_and_says_pre_appeal_or_final(run_dir: Path) -> None:
    plan = _prepare(run_dir).plan
    u02 = next(m for m in plan.messages if m.key == "unit:U02")
    body = parse(u02.message.as_bytes(policy=POLICY)).get_body().get_content()  # type: ignore[union-attr]
    # the run has no appeal and its deadline (20 Mar 2567) is after its as-of date
    assert "สถานะของผล: ผลก่อนอุทธรณ์ (ยังไม่เป็นที่สุด)" in body
    total = body.index("คะแนนรวมก่อนหัก")
    assert total < body.index("หักคะแนน   ") < body.index("คะแนนสุดท้าย")
    assert "คะแนนที่ประกาศก่อนอุทธรณ์" in body  # the earlier figure, apart from the sum
    for role in ("hr", "executive"):
        m = next(m for m in plan.messages if m.key == role)
        text = parse(m.message.as_bytes(policy=POLICY)).get_body().get_content()  # type: ignore[union-attr]
        assert "ผลก่อนอุทธรณ์ (ยังไม่เป็นที่สุด)" in text, role


def _body(planned: Planned) -> str:
    assert planned.message is not None
    return str(parse(planned.message.as_bytes(policy=POLICY)).get_body().get_content())  # type: ignore[union-attr]


def test_a_scored_unit_with_a_flagged_file_is_told_what_a_resend_means(run_dir: Path) -> None:
    plan = _prepare(run_dir).plan
    u01, u02 = (next(m for m in plan.messages if m.key == k) for k in ("unit:U01", "unit:U02"))
    body = _body(u01)
    assert "ไฟล์ของหน่วยงานมีข้อสังเกตให้ตรวจสอบ" in body and "ถ้าข้อมูลถูกต้องแล้ว ไม่ต้องส่งใหม่" in body
    assert_accepts_and_charges_from(body, "7 มี.ค. 2567")
    assert "ข้อสังเกต" not in _body(u02) and "ไฟล์ที่ได้รับตั้งแต่" not in _body(u02)
    assert "\n\n\n" not in _body(u02)  # the empty note leaves no gap


def test_a_kpi_error_says_the_score_changes_when_the_correction_arrives(run_dir: Path) -> None:
    """U07 of the demo: a KPI's cell refused, the rest scored; the message must not read
    as final, and says whether (and from when) a correction costs points."""
    prepared = _prepare(run_dir)
    source = prepared.source
    flagged = InputFile(
        "2567_R1_U02.xlsx", "U02", "accepted_with_warnings", "cell_not_number (2.1)",
        ({"code": "cell_not_number", "severity": "error", "where": "รายงานผล!N16"},),
    )  # fmt: skip
    source = dataclasses.replace(source, inputs=(*source.inputs, flagged))
    closing = dict(source.framework.settings.extra, resubmit_deadline="20 มี.ค. 2567")
    fw = dataclasses.replace(
        source.framework,
        settings=dataclasses.replace(source.framework.settings, extra=closing),
    )
    source = dataclasses.replace(source, framework=fw)
    plan = build_plan(
        source, load_texts(), prepared.sender, date=NOW, message_id=lambda k: f"<{k}@x>",
        appeal_deadline="20 มี.ค. 2567",
    )  # fmt: skip
    body = _body(next(m for m in plan.messages if m.key == "unit:U02"))
    assert "ตัวชี้วัดที่มีข้อผิดพลาดได้ 0 คะแนนในผลนี้" in body
    assert "หากส่งไฟล์ฉบับแก้ไข: รับไฟล์ที่แก้ไขแล้วถึงวันที่ 20 มี.ค. 2567" in body
    assert "ไฟล์ที่ได้รับตั้งแต่วันที่ 7 มี.ค. 2567 หักคะแนนส่งล่าช้าวันละ 0.05" in body


def test_thai_subjects_of_every_length_decode_with_their_spaces() -> None:
    """Python 3.11's folder drops a space at a fold between encoded words ('แล้ว— สถาบัน');
    the subject of every message must arrive exactly as written, within 78-byte lines."""
    base = (
        "แบบรายงานผล รอบ 6 เดือน (1 ต.ค. 2566 – 31 มี.ค. 2567) ปีงบประมาณ 2567 "
        "เลยกำหนดส่งแล้ว — สถาบันพัฒนาสุขภาวะเขตเมือง ศูนย์อนามัยที่ 1 เชียงใหม่"
    )
    sender = Sender("kpr@dept.example", "กลุ่มพัฒนาระบบบริหาร")
    for n in range(1, len(base) + 1):
        subject = base[:n].strip() or "ก"
        msg = compose(
            sender, [Address(addr_spec="a@dept.example")], subject, "เนื้อความ", [],
            message_id="<x@dept.example>", date=NOW,
        )  # fmt: skip
        raw = msg.as_bytes(policy=POLICY)
        assert parse(raw)["Subject"] == subject, n
        assert max(len(line) for line in raw.split(b"\r\n")) <= 78, n


def test_the_runs_returned_copy_says_whether_and_until_when_a_correction_counts(
    run_dir: Path,
) -> None:
    """Wired through the run (writeall -> pool job -> returned copy), both writers' way."""
    import openpyxl

    wb = openpyxl.load_workbook(run_dir / "returned" / "2567_R1_U03_xlsx_แก้ไข.xlsx")
    note = [str(c.value) for row in wb["แก้ไข"].iter_rows() for c in row if c.value]
    fix = next(t for t in note if "round_mismatch" not in t and "วิธีแก้:" in t)
    assert fix.endswith(
        "(ยังรับไฟล์ที่แก้ไขแล้ว คิดคะแนนใหม่ในการประมวลผลครั้งถัดไป หักคะแนนส่งล่าช้าตั้งแต่วันที่ 7 มี.ค. 2567)"
    )
    assert any(t.startswith("ไฟล์นี้ไม่ผ่านการตรวจทั้งไฟล์") and "กำหนดส่ง 6 มี.ค. 2567" in t for t in note)


def test_an_address_a_message_cannot_carry_is_a_problem_not_a_crash() -> None:
    from kpi_batch.deliver.messages import recipients

    good = Planned(1, "unit:U01", "unit", "unit", "U01", to=("a@example.go.th",))
    assert [str(a) for a in recipients(good) or []] == ["a@example.go.th"]
    assert not good.problems
    bad = Planned(2, "unit:U02", "unit", "unit", "U02", to=("a@example.go.th", "two@@x"))
    assert recipients(bad) is None
    assert [p.code for p in bad.problems] == ["bad_address"]
