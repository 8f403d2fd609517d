"""Saved e-mails in the inbox (intake/mail.py through run_intake): a corpus of .eml files,
each with its status, received date (Asia/Bangkok) and sender asserted; counts add up."""

from __future__ import annotations

import datetime as dt
import os
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import intake_corpus as corpus
import pytest
from submission_factories import fill_template
from template_factories import small_framework

from kpi_batch.intake import IntakeResult, run_intake
from kpi_batch.templates.workbook import write_unit_template

AS_OF = dt.date(2024, 4, 10)
GOOD = {"1.1": 73, "1.2": (45, 50), "2.1": 2.5, "2.2": 9}
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
# 23:30 UTC on 3 Apr is 06:30 on 4 Apr in Bangkok: the date changes with the zone
LATE_EVENING_UTC = dt.datetime(2024, 4, 3, 23, 30, tzinfo=dt.UTC)


def _mail(
    sender: str, when: dt.datetime, attachments: list[tuple[str, bytes]], subject: str = "รายงาน"
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "plan@dept.example"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when)
    msg.set_content("ส่งแบบรายงานผลตามแนบ")
    for name, data in attachments:
        # (charset, language, name): RFC 2231 on the wire, as Thunderbird and Outlook write it
        msg.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename=("utf-8", "", name))
    return msg


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[IntakeResult, Path]:
    fw = small_framework(n_units=6)
    root = tmp_path_factory.mktemp("mail")
    inbox, blanks = root / "inbox", root / "blanks"
    inbox.mkdir()
    blanks.mkdir()

    def filled(unit: str, submitted_on: dt.date | None = dt.date(2024, 4, 3)) -> bytes:
        blank = write_unit_template(fw, unit, "R1", blanks / f"{unit}.xlsx")
        out = fill_template(blank, GOOD, out=blanks / f"{unit}_f.xlsx", submitted_on=submitted_on)
        return out.read_bytes()

    bkk = dt.timezone(dt.timedelta(hours=7))
    # plain: one attachment, a Thai name (RFC 2231 on the wire), no submitted_on typed
    plain = _mail("u01@dept.example", LATE_EVENING_UTC, [("แบบรายงาน.xlsx", filled("U01", None))])
    assert b"filename*0*=utf-8''%E0%B9%81" in plain.as_bytes()
    (inbox / "plain.eml").write_bytes(plain.as_bytes())
    # multipart with two attachments (two units sent by one office)
    two = _mail(
        "centre@dept.example",
        dt.datetime(2024, 4, 5, 9, 0, tzinfo=bkk),
        [("U02.xlsx", filled("U02")), ("U03.xlsx", filled("U03"))],
    )
    (inbox / "two.eml").write_bytes(two.as_bytes())
    # forwarded as an attachment: the unit's own e-mail (4 Apr, from U04's registered
    # address) inside staff's (9 Apr)
    inner = _mail("u4@example.go.th", dt.datetime(2024, 4, 4, 16, 0, tzinfo=bkk),
                  [("U04.xlsx", filled("U04"))])  # fmt: skip
    outer = _mail("staff@dept.example", dt.datetime(2024, 4, 9, 8, 0, tzinfo=bkk), [], "Fwd")
    outer.add_attachment(inner)
    (inbox / "sub").mkdir()
    (inbox / "sub" / "fwd.eml").write_bytes(outer.as_bytes())
    # no spreadsheet: a covering letter only
    letter = _mail("u05@dept.example", LATE_EVENING_UTC, [])
    letter.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="a.pdf")
    (inbox / "letter.eml").write_bytes(letter.as_bytes())
    # malformed: not an e-mail at all
    (inbox / "broken.eml").write_bytes(b"\x00\x01PK\x03\x04 not a message \xff\xfe")
    # a zip bomb attached: the container checks apply to attachments as to files
    blank06 = write_unit_template(fw, "U06", "R1", blanks / "U06.xlsx")
    bomb = corpus.inflating_bomb(blank06, blanks / "bomb.xlsx", gigabytes=0.2)
    (inbox / "bomb.eml").write_bytes(
        _mail("u06@dept.example", LATE_EVENING_UTC, [("U06.xlsx", bomb.read_bytes())]).as_bytes()
    )
    # an Outlook .msg: ignored, staff told to save as .eml
    (inbox / "outlook.msg").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    return run_intake(inbox, fw, "R1", AS_OF), inbox


def _row(result: IntakeResult, path: str) -> dict:
    reg = result.register.set_index("path")
    return reg.loc[path].to_dict()


def test_statuses_and_counts_add_up(run: tuple[IntakeResult, Path]) -> None:
    result, inbox = run
    statuses = dict(zip(result.register["path"], result.register["status"], strict=True))
    assert statuses == {
        "bomb.eml": "opened",
        "bomb.eml#U06.xlsx": "rejected",
        "broken.eml": "rejected",
        "letter.eml": "ignored",
        "outlook.msg": "ignored",
        "plain.eml": "opened",
        "plain.eml#แบบรายงาน.xlsx": "accepted_with_warnings",  # submitted_on empty
        "sub/fwd.eml": "opened",
        "sub/fwd.eml#U04.xlsx": "accepted",
        "two.eml": "opened",
        "two.eml#U02.xlsx": "accepted_with_warnings",  # e-mail 5 Apr, typed 3 Apr
        "two.eml#U03.xlsx": "accepted_with_warnings",
    }
    files_on_disk = sum(len(f) for _, _, f in os.walk(inbox))
    attachments = sum("#" in p for p in statuses)
    assert len(result.register) == files_on_disk + attachments
    assert not any(p.name.count("#") for p in inbox.rglob("*")), "nothing written to the inbox"
    assert (result.register["sha256"].str.len() == 64).all()  # every row hashed


def test_received_date_is_the_emails_in_bangkok(run: tuple[IntakeResult, Path]) -> None:
    result, _ = run
    plain = _row(result, "plain.eml#แบบรายงาน.xlsx")
    assert (plain["received_on"], plain["date_source"]) == (dt.date(2024, 4, 4), "email")
    assert plain["sender"] == "u01@dept.example" and plain["container"] == "plain.eml"
    two = _row(result, "two.eml#U03.xlsx")
    assert (two["received_on"], two["date_source"]) == (dt.date(2024, 4, 5), "email")
    # the forwarded unit's own e-mail, not the day staff forwarded it
    fwd = _row(result, "sub/fwd.eml#U04.xlsx")
    assert (fwd["received_on"], fwd["sender"]) == (dt.date(2024, 4, 4), "u4@example.go.th")
    subs = result.submissions.set_index("unit_id")
    assert subs.loc["U01", "submitted_on"].date() == dt.date(2024, 4, 4)
    assert subs.loc["U01", "date_source"] == "email"


def test_two_days_between_email_and_workbook_is_flagged(run: tuple[IntakeResult, Path]) -> None:
    result, _ = run
    codes = {i.code for i in result.issues if i.file == "two.eml#U02.xlsx"}
    assert "received_dates_differ" in codes  # e-mail 5 Apr, typed 3 Apr
    fwd = {i.code for i in result.issues if i.file == "sub/fwd.eml#U04.xlsx"}
    assert "received_dates_differ" not in fwd  # 4 Apr and 3 Apr: one day apart


def test_reasons_say_why(run: tuple[IntakeResult, Path]) -> None:
    result, _ = run
    assert "u01@dept.example" in _row(result, "plain.eml")["reasons"]
    assert ".eml" in _row(result, "outlook.msg")["reasons"]
    assert "ไม่มีไฟล์แนบที่เป็นแบบรายงาน" in _row(result, "letter.eml")["reasons"]
    assert "mail_malformed" in _row(result, "broken.eml")["reasons"]
    assert "file_zip_bomb" in _row(result, "bomb.eml#U06.xlsx")["reasons"]
