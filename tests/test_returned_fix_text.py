"""Every fix text in a returned copy is one the unit can follow (issue 12, item 5)."""

from __future__ import annotations

from kpi_batch.intake.codes import CHECKS, Scope
from kpi_batch.issues import Severity
from kpi_batch.reports.returned_plan import FILE_TODO_TH, TODO_TH, fix_text


def test_file_level_errors_send_the_unit_to_the_blank_template() -> None:
    issue = CHECKS["round_mismatch"].issue(
        file="2567_R2_U13.xlsx", sheet="รายงานผล", cell="B8", value="R2", expected="R1"
    )
    assert fix_text(issue) == FILE_TODO_TH
    assert "แบบฟอร์มเปล่า" in FILE_TODO_TH and "แก้ไขเซลล์นี้" not in FILE_TODO_TH


def test_every_code_gets_a_fix_matching_its_scope() -> None:
    for code, check in CHECKS.items():
        issue = check.issue(file="f.xlsx")
        expected = (
            FILE_TODO_TH
            if check.scope is Scope.FILE and check.severity is Severity.ERROR
            else TODO_TH[check.severity]
        )
        assert fix_text(issue) == expected, code
