"""The demo's KPI-owner loop: review sheets from the round's closing run, two owners fill
theirs as owners do, and the files come back for the final run (`kpi-batch demo`).

RH (reproductive health) corrects one unit's teenage birth rate, typed in Thai digits; FIN
(finance) corrects one unit's disbursement. The other owners send nothing back, which
changes nothing. Same values every time (the first row with a value).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kpi_batch.review.check import text
from kpi_batch.review.fill import fill_review
from kpi_batch.review.read import ReviewBook, read_review
from kpi_batch.review.sheets import write_review_sheets

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@dataclass(frozen=True)
class OwnerLoop:
    sheets: Path  # what review-sheets wrote (what would be e-mailed)
    returned: Path  # the two owners' filled workbooks (what came back)
    changes: tuple[str, ...]  # what the owners changed, for the demo's summary


def owner_loop(run_dir: Path, root: Path) -> OwnerLoop:
    sheets, returned = root / "reviews" / "sent", root / "reviews" / "returned"
    written = {w.owner.owner_id: w for w in write_review_sheets(run_dir, sheets)}
    returned.mkdir(parents=True, exist_ok=True)
    changes = []
    for owner_id, column, change, reason in (
        ("RH", "value", Decimal("-2.5"), "ตรวจทะเบียนเกิดของจังหวัดแล้ว ตัวเลขที่รายงานรวมอายุ 20 ปี"),
        ("FIN", "numerator", Decimal("60"), "ยอดเบิกจ่ายตามระบบ GFMIS ณ 31 มี.ค. 2567"),
    ):
        w = written.get(owner_id)
        if w is None or w.path is None:
            continue
        first = _first_row(w.path, column)
        value = Decimal(first[column]) + change
        typed = format(value.normalize(), "f").translate(THAI if owner_id == "RH" else {})
        pair = (first["unit_id"], first["kpi_id"])
        fill_review(
            w.path,
            {
                pair: {
                    f"new_{column}": typed,
                    "reason": reason,
                    "reference": f"บันทึก {owner_id} 3/2567",
                }
            },
            returned / f"{owner_id}_ตรวจแล้ว.xlsx",
        )
        changes.append(
            f"{w.owner.name}: {pair[0]} ตัวชี้วัด {pair[1]} {column} {first[column]} → {typed}"
        )
    return OwnerLoop(sheets, returned, tuple(changes))


def _first_row(path: Path, column: str) -> dict[str, str]:
    book = read_review(path)
    assert isinstance(book, ReviewBook), book
    for _, cells in book.rows:
        found = {k: text(book.value(cells, k)) for k in ("unit_id", "kpi_id", column)}
        if found[column]:  # a unit that reported a value (not a KPI left empty)
            return found
    raise ValueError(f"{path}: no row with a reported {column}")
