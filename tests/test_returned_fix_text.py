"""Every fix text in a returned copy is one the unit can follow (issue 12, item 5)."""

from __future__ import annotations

from kpi_batch.intake.codes import CHECKS, Scope
from kpi_batch.issues import Severity
from kpi_batch.reports.returned_plan import FILE_TODO_TH, TODO_TH, fix_text, plan


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


TERMS = (
    "ยังรับไฟล์ที่แก้ไขแล้ว และจะคิดคะแนนใหม่ในการประมวลผลครั้งถัดไป — กำหนดส่ง 6 มี.ค. 2567 "
    "ไฟล์ที่ได้รับตั้งแต่วันที่ 7 มี.ค. 2567 หักคะแนนส่งล่าช้าวันละ 0.05 ไม่เกิน 0.25 คะแนน"
)


def test_every_error_says_whether_a_correction_is_accepted_and_from_when_it_is_late() -> None:
    for code, check in CHECKS.items():
        fix = fix_text(check.issue(file="f.xlsx"), TERMS)
        if check.severity is Severity.ERROR:
            assert fix.endswith(f"({TERMS})"), code
        else:
            assert fix == TODO_TH[check.severity], code  # a warning asks for no resend


def test_the_note_sheet_and_comments_carry_the_terms() -> None:
    error = CHECKS["cell_not_number"].issue(
        file="f.xlsx", sheet="รายงานผล", cell="N14", value="ดำเนินการแล้ว", kpi_id="1.1.1"
    )
    warning = CHECKS["submitted_on_missing"].issue(file="f.xlsx", sheet="รายงานผล", cell="F7")
    made = plan([error, warning], ["รายงานผล"], {}, "f.xlsx", True, TERMS)
    assert TERMS in made.lines[2].text
    rows = {r.values[-1]: r.values[4] for r in made.rows}
    assert rows["cell_not_number"].endswith(f"({TERMS})")
    assert TERMS not in rows["submitted_on_missing"]
    comments = {m.cell: m.comment for m in made.marks}
    assert TERMS in comments["N14"] and TERMS not in comments["F7"]
    only_warnings = plan([warning], ["รายงานผล"], {}, "f.xlsx", True, TERMS)
    assert all(TERMS not in line.text for line in only_warnings.lines)
