"""The small framework (tests/factories.py) with KPI owners, for the owner and review tests.

Owners: `QA` owns 1.1.1 and 1.1.2, `FIN` owns 2.1 (U03's own 2.1 row leaves its owner blank
and so keeps FIN), `ORG` owns 3.1; 4.1 and 5.1 have no owner.
"""

from __future__ import annotations

from pathlib import Path

from tests.factories import Row, small_framework_rows, write_small_framework

OWNERS = (
    ("QA", "กลุ่มงานคุณภาพ", "qa@dept.example"),
    ("FIN", "กองคลัง", "fin@dept.example; fin.head@dept.example"),
    ("ORG", "กลุ่มพัฒนาองค์กร", "org@dept.example"),
)
OWNED = {"1.1.1": "QA", "1.1.2": "QA", "2.1": "FIN", "3.1": "ORG"}


def owner_framework_rows() -> dict[str, list[Row]]:
    rows = small_framework_rows()
    rows["owners"] = [{"owner_id": o, "name": n, "email": e} for o, n, e in OWNERS]
    for row in rows["kpis"]:
        if row["unit_id"] == "*" and row["kpi_id"] in OWNED:
            row["owner_id"] = OWNED[row["kpi_id"]]
    return rows


def write_owner_framework(path: Path, rows: dict[str, list[Row]] | None = None) -> Path:
    return write_small_framework(path, owner_framework_rows() if rows is None else rows)
