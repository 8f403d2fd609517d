"""Row heights the writers set fit the text as LibreOffice prints it (tests/print_fit.py)."""

from __future__ import annotations

import pytest
from print_fit import LINE_EM, metrics, needed_height, wrapped_lines

from kpi_batch.text_width import LAST_LINE_EM, advance, text_width
from kpi_batch.workbook_style import FONT, row_height

NAMES = [
    "ระดับความสำเร็จการบริหารผลการปฏิบัติราชการ (Performance Management System : PMS) "
    "ของหน่วยงานในสังกัดสำนักงานปลัดกระทรวงสาธารณสุข",
    "ร้อยละการเบิกจ่ายงบประมาณและก่อหนี้ผูกพันภาพรวมของหน่วยงานในสังกัดสำนักงานปลัดกระทรวง"
    "สาธารณสุข (ส่วนกลาง) ประจำปีงบประมาณ พ.ศ. 2567",
    "แบบฟอร์มนี้เป็นของรอบ R2 แต่รอบที่ประมวลผลคือ R1 กรุณากรอกผลในแบบฟอร์มของรอบ R1 "
    "แล้วส่งใหม่ [round_mismatch]",
    "รับแล้ว บางตัวชี้วัดมีปัญหา (accepted_with_warnings)",
]


def test_marks_above_and_below_take_no_width() -> None:
    assert advance("ี") == advance("่") == 0
    assert text_width("ที่") == text_width("ท")
    assert text_width("0" * 10) == pytest.approx(10 * 568 / 544)  # digits of the bold weight


@pytest.mark.parametrize("size", [12, 14, 16])
@pytest.mark.parametrize("width", [12, 20, 34, 40, 70])
@pytest.mark.parametrize("text", NAMES)
def test_row_height_fits_the_printed_lines(text: str, width: int, size: int) -> None:
    """The writers' estimate never gives fewer points than the text needs printed."""
    digit_pt = metrics(FONT, False).advance("0") * 14  # the workbooks' default font
    face = metrics(FONT, True)  # bold is the wider
    lines = wrapped_lines(text, width * digit_pt - 2, face, size)
    assert row_height([(text, width)], size) >= needed_height(lines, size)


def test_line_pitch_agrees_with_the_measured_render() -> None:
    assert LAST_LINE_EM < LINE_EM
