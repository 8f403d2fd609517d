"""Who sent a saved e-mail's attachment, against the unit it claims (issue 16). Pure.

A template's token proves which unit it was issued to, not who sent it back: anyone holding
U02's file can mail it. A sender address that the framework does not list for the unit
(`units.email`, several separated by `;`) is therefore a warning naming the address and the
unit, for staff to check with the unit; it rejects nothing (a unit's staff may write from a
personal or a colleague's address). Addresses compare ignoring case.
"""

from __future__ import annotations

from collections.abc import Iterable

from kpi_batch.intake.codes import CHECKS
from kpi_batch.issues import Issue
from kpi_batch.model import Framework


def sender_issues(framework: Framework, claims: Iterable[tuple[str, str, str]]) -> list[Issue]:
    """`claims`: (file, unit_id the workbook names, sender of the e-mail it came in; "" for
    a file not from an e-mail). One `mail_sender_unregistered` per file whose sender is not
    one of the unit's addresses; units not in the framework are left to `unit_unknown`."""
    registered = {
        u.unit_id: {e.strip().casefold() for e in u.emails if e.strip()} for u in framework.units
    }
    issues = []
    for file, unit_id, sender in claims:
        addresses = registered.get(unit_id)
        if not sender or addresses is None or sender.strip().casefold() in addresses:
            continue
        listed = "; ".join(sorted(addresses)) or "-"
        issues.append(
            CHECKS["mail_sender_unregistered"].issue(
                file=file, value=sender, unit_id=unit_id, expected=listed
            )
        )
    return issues
