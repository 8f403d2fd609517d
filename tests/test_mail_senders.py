"""A saved e-mail whose sender the framework does not list for the unit is a warning naming
the address and the unit (issue 16); a registered sender gives none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from submission_factories import fill_template
from template_factories import small_framework
from test_intake_mail import GOOD, _mail

from kpi_batch.intake import run_intake
from kpi_batch.templates.workbook import write_unit_template

AS_OF = dt.date(2024, 4, 10)
SENT = dt.datetime(2024, 4, 3, 3, 0, tzinfo=dt.UTC)


def test_unregistered_sender_is_a_warning_naming_address_and_unit(tmp_path: Path) -> None:
    fw = small_framework()  # U01's address is u1@example.go.th, U02's u2@example.go.th
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for unit, sender in (("U01", "U1@Example.go.th"), ("U02", "someone@evil.example")):
        blank = write_unit_template(fw, unit, "R1", tmp_path / f"{unit}.xlsx")
        data = fill_template(blank, GOOD, submitted_on=dt.date(2024, 4, 3)).read_bytes()
        mail = _mail(sender, SENT, [("แบบรายงาน.xlsx", data)])
        (inbox / f"{unit}.eml").write_bytes(mail.as_bytes())
    result = run_intake(inbox, fw, "R1", AS_OF)
    flagged = [i for i in result.issues if i.code == "mail_sender_unregistered"]
    assert [(i.file, i.unit_id, i.value, i.severity) for i in flagged] == [
        ("U02.eml#แบบรายงาน.xlsx", "U02", "someone@evil.example", "warning")
    ]
    (issue,) = flagged
    assert "someone@evil.example" in issue.message_th and "U02" in issue.message_th
    assert "u2@example.go.th" in issue.message_th  # what is registered, to compare
    assert "someone@evil.example" in issue.message_en
    register = result.register.set_index("path")
    assert register.loc["U02.eml#แบบรายงาน.xlsx", "status"] == "accepted_with_warnings"
    assert "mail_sender_unregistered" in register.loc["U02.eml#แบบรายงาน.xlsx", "reasons"]
    assert register.loc["U01.eml#แบบรายงาน.xlsx", "status"] == "accepted"  # case ignored
