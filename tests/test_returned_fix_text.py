"""Every fix text in a returned copy is one the unit can follow (issue 12, item 5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kpi_batch.intake.codes import CHECKS, Scope
from kpi_batch.issues import Severity
from kpi_batch.reports.returned_plan import FILE_TODO_TH, TODO_TH, fix_text, plan
from kpi_batch.scoring.late_terms import ResubmitTerms


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


TERMS = ResubmitTerms(
    round_due=dt.date(2024, 3, 6),
    due=dt.date(2024, 3, 6),
    penalty_from=dt.date(2024, 3, 7),
    closes=None,
    as_of=dt.date(2024, 3, 15),
    per_day=Decimal("0.05"),
    cap=Decimal("0.25"),
    day_word="วัน",
)
SHORT = "ยังรับไฟล์ที่แก้ไขแล้ว คิดคะแนนใหม่ในการประมวลผลครั้งถัดไป หักคะแนนส่งล่าช้าตั้งแต่วันที่ 7 มี.ค. 2567"


def test_every_error_says_whether_a_correction_is_accepted_and_from_when_it_is_late() -> None:
    for code, check in CHECKS.items():
        fix = fix_text(check.issue(file="f.xlsx"), TERMS)
        if check.severity is Severity.ERROR:
            assert fix.endswith(f"({SHORT})"), code
        else:
            assert fix == TODO_TH[check.severity], code  # a warning asks for no resend


def test_the_note_sheet_and_comments_carry_the_terms() -> None:
    error = CHECKS["cell_not_number"].issue(
        file="f.xlsx", sheet="รายงานผล", cell="N14", value="ดำเนินการแล้ว", kpi_id="1.1.1"
    )
    warning = CHECKS["submitted_on_missing"].issue(file="f.xlsx", sheet="รายงานผล", cell="F7")
    made = plan([error, warning], ["รายงานผล"], {}, "f.xlsx", True, TERMS)
    assert made.lines[2].text.endswith(TERMS.text_th)
    assert "ไฟล์ที่ได้รับตั้งแต่วันที่ 7 มี.ค. 2567" in TERMS.text_th
    rows = {r.values[-1]: r.values[4] for r in made.rows}
    assert rows["cell_not_number"].endswith(f"({SHORT})")
    assert SHORT not in rows["submitted_on_missing"]
    comments = {m.cell: m.comment for m in made.marks}
    assert SHORT in comments["N14"] and SHORT not in comments["F7"]
    only_warnings = plan([warning], ["รายงานผล"], {}, "f.xlsx", True, TERMS)
    assert all(TERMS.text_th not in line.text for line in only_warnings.lines)


def test_a_file_refused_as_a_whole_is_not_to_be_corrected_in_place() -> None:
    issue = CHECKS["round_mismatch"].issue(
        file="2567_R2_U13.xlsx", sheet="รายงานผล", cell="B8", value="R2", expected="R1"
    )
    line = plan([issue], ["รายงานผล"], {}, "2567_R2_U13.xlsx", True, TERMS).lines[2].text
    assert line.startswith("ไฟล์นี้ไม่ผ่านการตรวจทั้งไฟล์ และแก้ในไฟล์นี้ไม่ได้")
    assert "แบบรายงานผลเปล่า" in line and "แล้วส่งไฟล์นี้กลับ" not in line
    assert line.endswith(TERMS.text_th)
    kpi_error = CHECKS["cell_not_number"].issue(file="f.xlsx", sheet="รายงานผล", cell="N14")
    in_place = plan([kpi_error], ["รายงานผล"], {}, "f.xlsx", True).lines[2].text
    assert in_place.startswith("แก้ไขตามรายการด้านล่าง")
