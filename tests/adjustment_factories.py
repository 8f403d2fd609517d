"""A tiny in-memory framework, an adjustments-workbook writer, and the reader's frame.

`reader_frame(framework, rows)` is how tests hand adjustments to scoring: the rows are
written to a workbook and read back by `load_adjustments`, so the scoring core only ever
sees the frame the reader produces (and a test cannot feed it a row the reader refuses).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import xlsxwriter

from kpi_batch.adjustments.load import load_adjustments
from kpi_batch.issues import Severity
from kpi_batch.model import (
    AgreementItem,
    Cluster,
    Criteria,
    Direction,
    Formula,
    Framework,
    Kpi,
    KpiType,
    Round,
    Settings,
    Unit,
)
from kpi_batch.specs.adjustments import COLUMNS

HEADER = list(COLUMNS)


def tiny_framework(scale: tuple[str, ...] = ("1", "2", "3", "4", "5")) -> Framework:
    """Two units; U01 signed a plain, a ratio and a milestone KPI, U02 only the plain one."""
    plain = Kpi("1.1.1", "อัตราความพึงพอใจ", "1.1", "PB", KpiType.QUANTITATIVE, Direction.HIGHER)
    ratio = Kpi(
        "1.1.2",
        "ร้อยละเบิกจ่าย",
        "1.1",
        "PB",
        KpiType.QUANTITATIVE,
        Direction.HIGHER,
        formula=Formula.RATIO,
    )
    milestone = Kpi("2", "ระดับความสำเร็จ", None, "PB", KpiType.MILESTONE, Direction.HIGHER)
    parent = Kpi("1.1", "ตัวชี้วัดหลัก")
    year = Round(
        "r12",
        "12 เดือน",
        dt.date(2023, 10, 1),
        dt.date(2024, 9, 30),
        dt.date(2024, 9, 30),
        dt.date(2024, 10, 15),
    )
    thresholds = Criteria(tuple(Decimal(t) for t in (60, 65, 70, 75, 80)))
    return Framework(
        settings=Settings("กรมทดสอบ", 2567, scale=tuple(Decimal(p) for p in scale)),
        rounds=(year,),
        clusters=(Cluster("C1", "กลุ่ม 1"),),
        units=(Unit("U01", "กองแผนงาน", "C1", ()), Unit("U02", "กองคลัง", "C1", ())),
        kpis=MappingProxyType(
            {
                "U01": {k.kpi_id: k for k in (parent, plain, ratio, milestone)},
                "U02": {k.kpi_id: k for k in (parent, plain)},
            }
        ),
        agreements=MappingProxyType(
            {
                "U01": tuple(AgreementItem(k, Decimal(10)) for k in (plain, ratio, milestone)),
                "U02": (AgreementItem(plain, Decimal(10)),),
            }
        ),
        criteria=MappingProxyType(
            {(u, k, "r12"): thresholds for u in ("U01",) for k in ("1.1.1", "1.1.2", "2")}
        ),
        bands=(),
    )


def write_adjustment_rows(
    path: Path,
    rows: Sequence[Sequence[object]],
    header: Sequence[str] = HEADER,
    sheet: str = "adjustments",
) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    ws = wb.add_worksheet(sheet)
    dates = wb.add_format({"num_format": "d/m/yyyy"})
    ws.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, value, dates)
            elif isinstance(value, (int, float)):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    wb.close()
    return path


def reader_frame(framework: Framework, rows: Sequence[Sequence[object]]) -> pd.DataFrame:
    """`load_adjustments`' frame for `rows` (the sheet's columns in HEADER order, Excel rows
    2, 3, ...); fails the test if the reader refuses any of them."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write_adjustment_rows(Path(tmp) / "adjustments.xlsx", rows)
        frame, issues = load_adjustments(path, framework)
    errors = [i.line() for i in issues if i.severity is Severity.ERROR]
    assert not errors, errors
    return frame
