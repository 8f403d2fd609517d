"""Confidentiality checks: each attachment is read back and must belong to the addressee."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_batch.cli import app
from kpi_batch.deliver.batch import EmailRequest, Prepared, prepare
from kpi_batch.deliver.checks import check_message, identify_workbook
from kpi_batch.deliver.messages import Attachment, Planned, Sender, compose
from kpi_batch.deliver.source import RunFile, sha256_bytes
from tests.email_factories import Handler, base_run, copy_run, smtp_server

NOW = dt.datetime(2024, 3, 11, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return base_run(tmp_path_factory)


@pytest.fixture
def run_dir(work: Path, tmp_path: Path) -> Path:
    return copy_run(work, tmp_path)


def _prepare(run_dir: Path) -> Prepared:
    return prepare(EmailRequest(run_dir), now=NOW, token="t0")


def _message(prepared: Prepared, key: str) -> Planned:
    return next(m for m in prepared.plan.messages if m.key == key)


def _with_attachments(prepared: Prepared, key: str, files: list[RunFile]) -> Planned:
    """The planned message `key`, rebuilt with other attachments (as a bug might)."""
    planned = _message(prepared, key)
    attachments = tuple(Attachment(f.name, f, "result", "") for f in files)
    message = compose(
        Sender("kpr@dept.example"),
        [a for a in planned.message["To"].addresses],  # type: ignore[index]
        planned.subject,
        "body",
        attachments,
        message_id="<x@dept.example>",
        date=NOW,
    )
    return dataclasses.replace(planned, attachments=attachments, message=message, problems=[])


def test_identify_every_workbook_of_a_run(run_dir: Path) -> None:
    def kind(rel: str) -> tuple[str, str]:
        identity = identify_workbook((run_dir / rel).read_bytes())
        return identity.kind, identity.unit_id

    assert kind("units/result_2567_R1_U01.xlsx") == ("unit_result", "U01")
    assert kind("units/result_2567_R1_U02.xlsx") == ("unit_result", "U02")
    assert kind("returned/2567_R1_U01_xlsx_แก้ไข.xlsx") == ("submission", "U01")
    assert kind("returned/2567_R1_U03_xlsx_แก้ไข.xlsx") == ("submission", "U03")
    assert kind("hr_2567_R1.xlsx") == ("hr", "")
    assert kind("executive_2567_R1.xlsx") == ("executive", "")
    assert kind("validation_report.xlsx")[0] == "unknown"
    assert identify_workbook(b"not a zip").kind == "unknown"


def test_the_real_plan_passes(run_dir: Path) -> None:
    prepared = _prepare(run_dir)
    assert not prepared.plan.blocked
    assert all(m.ready for m in prepared.plan.messages)


def test_another_units_result_in_a_units_message_is_caught(run_dir: Path) -> None:
    prepared = _prepare(run_dir)
    u02_file = prepared.source.files["units/result_2567_R1_U02.xlsx"]
    planned = _with_attachments(prepared, "unit:U01", [u02_file])
    problems = check_message(planned, prepared.source.framework)
    assert [p.code for p in problems] == ["not_this_audience"]
    assert problems[0].blocks_all
    assert "U02" in problems[0].message


def test_swapped_file_in_the_run_folder_blocks_the_whole_batch(run_dir: Path) -> None:
    """Unit U02's result workbook put in U01's slot: caught by content and by checksum,
    and nothing at all is sent."""
    units = run_dir / "units"
    (units / "result_2567_R1_U01.xlsx").write_bytes(
        (units / "result_2567_R1_U02.xlsx").read_bytes()
    )
    prepared = _prepare(run_dir)
    u01 = _message(prepared, "unit:U01")
    codes = {p.code for p in u01.problems}
    assert codes == {"not_this_audience", "changed_after_run"}
    assert prepared.plan.blocked
    assert all(not p.problems for p in prepared.plan.messages if p.key != "unit:U01")

    handler = Handler()
    with smtp_server(handler) as port:
        result = CliRunner().invoke(
            app,
            ["email", "--run", str(run_dir), "--send", "--smtp-host", "127.0.0.1",
             "--smtp-port", str(port), "--backoff", "0"],
        )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert handler.received == []
    assert "not_this_audience" in result.output


def test_returned_copy_of_another_unit_is_caught(run_dir: Path) -> None:
    prepared = _prepare(run_dir)
    u03_returned = prepared.source.files["returned/2567_R1_U03_xlsx_แก้ไข.xlsx"]
    planned = _with_attachments(prepared, "unit:U01", [u03_returned])
    problems = check_message(planned, prepared.source.framework)
    assert [p.code for p in problems] == ["not_this_audience"]


def test_hr_workbook_never_goes_to_a_unit_or_the_executives(run_dir: Path) -> None:
    prepared = _prepare(run_dir)
    hr_file = prepared.source.files["hr_2567_R1.xlsx"]
    for key in ("unit:U02", "executive"):
        planned = _with_attachments(prepared, key, [hr_file])
        codes = {p.code for p in check_message(planned, prepared.source.framework)}
        assert codes == {"hr_to_non_hr", "not_this_audience"}, key
    # and in the real plan only the hr message carries it
    for m in prepared.plan.messages:
        kinds = [identify_workbook(a.file.data).kind for a in m.attachments]
        assert ("hr" in kinds) == (m.key == "hr")


def test_an_address_not_in_the_framework_is_caught(run_dir: Path) -> None:
    prepared = _prepare(run_dir)
    planned = _message(prepared, "unit:U02")
    assert planned.message is not None
    del planned.message["To"]
    planned.message["To"] = "finance@dept.example, someone@else.example"
    planned = dataclasses.replace(planned, to=("finance@dept.example", "someone@else.example"))
    codes = [p.code for p in check_message(planned, prepared.source.framework)]
    assert codes == ["address_not_in_framework"]


def test_a_bcc_is_caught(run_dir: Path) -> None:
    prepared = _prepare(run_dir)
    planned = _message(prepared, "hr")
    assert planned.message is not None
    planned.message["Bcc"] = "hr@dept.example"
    codes = [p.code for p in check_message(planned, prepared.source.framework)]
    assert codes == ["extra_recipients"]


def test_a_file_changed_after_the_run_is_caught(run_dir: Path) -> None:
    prepared = _prepare(run_dir)
    planned = _message(prepared, "executive")
    original = planned.attachments[0].file
    changed = dataclasses.replace(original, data=original.data + b"\0")
    changed = dataclasses.replace(changed, sha256=sha256_bytes(changed.data))
    planned = _with_attachments(prepared, "executive", [changed])
    codes = [p.code for p in check_message(planned, prepared.source.framework)]
    assert "changed_after_run" in codes
