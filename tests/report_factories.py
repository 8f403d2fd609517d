"""Hand-made issues and intake registers for the report tests (no intake run needed)."""

from __future__ import annotations

import pandas as pd

from kpi_batch.issues import Issue, error, warning

FORMULA_TEXT = '=HYPERLINK("http://example.com","คลิก")'
UNITS = {"U01": "กองแผนงาน", "U02": "สำนักงานเลขานุการกรม", "U03": "ศูนย์อนามัยที่ 1"}


def sample_issues() -> list[Issue]:
    u01 = "inbox/U01_กองแผนงาน.xlsx"
    return [
        warning(
            "value_above_100", "ผลการดำเนินงานเกินร้อยละ 100 โปรดตรวจสอบ", "value above 100%",
            file=u01, sheet="results", cell="H9", value="120", unit_id="U01", kpi_id="1.2",
        ),
        error(
            "value_not_number", "ผลการดำเนินงานไม่ใช่ตัวเลข โปรดพิมพ์เป็นตัวเลข เช่น 80",
            "value is not a number", file=u01, sheet="results", cell="H7", value="แปดสิบ",
            unit_id="U01", kpi_id="1.1",
        ),
        error(
            "note_formula", "ข้อความนี้ดูเหมือนสูตร", "looks like a formula",
            file="inbox/U02.xlsx", sheet="results", cell="L3", value=FORMULA_TEXT, kpi_id="2",
        ),  # no unit_id on the issue: the report finds it through the register
        error(
            "template_outdated", "แบบฟอร์มเก่า โปรดใช้แบบฟอร์มใหม่", "outdated template",
            file="inbox/U03_old.xlsx", unit_id="U03",
        ),
        error(
            "adjustment_unknown_kpi", "ตัวชี้วัด '9.9' ไม่อยู่ในคำรับรองฯ", "unknown KPI",
            file="adjustments.xlsx", sheet="adjustments", cell="B4", value="9.9",
        ),
    ]  # fmt: skip


def sample_register() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "path": ["inbox/U01_กองแผนงาน.xlsx", "inbox/U02.xlsx", "inbox/U03_old.xlsx"],
            "sha256": ["a" * 64, "b" * 64, "c" * 64],
            "size": [12345, 2345, 345],
            "unit_id": ["U01", "U02", "U03"],
            "status": ["accepted", "accepted", "rejected"],
            "errors": [1, 1, 1],
            "warnings": [1, 0, 0],
            "reasons": ["", "", FORMULA_TEXT],
            "round_id": ["R1", "R1", "R1"],
        }
    )
