"""Building the messages of a run: who gets what, Thai subjects and file names on the wire."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_batch.cli import app
from kpi_batch.deliver.batch import EmailRequest, Prepared, prepare
from kpi_batch.deliver.messages import POLICY
from kpi_batch.deliver.texts import load_texts
from kpi_batch.errors import UsageError
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
        "unit:U03": ("unit_rejected", ["2567_R1_U03_xlsx_แก้ไข.xlsx"]),
        "unit:U04": ("unit_missing", []),
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


def test_missing_unit_gets_a_reminder_naming_its_template(run_dir: Path) -> None:
    plan = _prepare(run_dir).plan
    u04 = next(m for m in plan.messages if m.key == "unit:U04")
    body = parse(u04.message.as_bytes(policy=POLICY)).get_body().get_content()  # type: ignore[union-attr]
    assert u04.subject.startswith("ติดตามแบบรายงานผล")
    assert "(2567_R1_U04.xlsx)" in body
    assert "กำหนดส่งรอบนี้ 6 มีนาคม 2567" in body


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
    assert set(texts) == {"unit_scored", "unit_rejected", "unit_missing", "hr", "executive"}


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
