"""Time the KPI owners' review workbooks: write one per owner, read them back and check them.

    .venv/bin/python -m benchmarks.bench_review [--units 2000] [--owners 15]

The framework is `tests/template_factories.synthetic_framework` (15 KPIs per unit); owner k owns
KPI k, so each of the owners' workbooks has one row per unit. Before reading, 50 rows of
each workbook are filled as an owner would (openpyxl, outside the timings).

Measured in the same run, with the same rows:
- ours: `write_review_workbook` (formats, table, validations, protection, instructions) and
  `read_review` + `check_book` (bounded read, identity, ownership, locked cells, the
  adjustments reader's checks);
- baseline: a bare xlsxwriter write of the same cells (no formats) and a bare
  python-calamine read of the sheet (`to_python`), nothing checked.
Prints seconds and the ratio ours / baseline for each half.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import xlsxwriter
from python_calamine import CalamineWorkbook

from kpi_batch.model import Framework, KpiType, Owner
from kpi_batch.review.check import RunView, check_book
from kpi_batch.review.fill import fill_review
from kpi_batch.review.read import ReviewBook, read_review
from kpi_batch.review.rows import ReviewRow
from kpi_batch.review.workbook import columns, write_review_workbook
from tests.template_factories import synthetic_framework


def with_owners(fw: Framework, n_owners: int) -> Framework:
    leaves = [i.kpi.kpi_id for i in next(iter(fw.agreements.values()))]
    owners = tuple(
        Owner(f"O{k + 1:02d}", f"กองเจ้าภาพตัวชี้วัดที่ {k + 1}", (f"o{k + 1}@x.example",))
        for k in range(n_owners)
    )
    owned = {
        (u, kpi_id): owners[j % n_owners].owner_id
        for u in fw.agreements
        for j, kpi_id in enumerate(leaves)
        if j < n_owners
    }
    return replace(fw, owners=owners, kpi_owners=MappingProxyType(owned))


def rows_for(fw: Framework, owner_id: str) -> list[ReviewRow]:
    rows = []
    for n, (unit_id, kpi_id) in enumerate(fw.owned_by(owner_id)):
        kpi = fw.kpis[unit_id][kpi_id]
        milestone = kpi.kpi_type is KpiType.MILESTONE
        value = "" if milestone else str(40 + n % 13)
        rows.append(
            ReviewRow(
                unit_id=unit_id,
                unit_name=fw.unit(unit_id).name if n < 50 else f"หน่วยงานที่ {unit_id}",
                kpi=kpi,
                reported={
                    "value": value,
                    "numerator": "",
                    "denominator": "",
                    "level": "3" if milestone else "",
                    "note": "ดำเนินการตามแผนครบถ้วน" if n % 7 == 0 else "",
                },
                score="3.5000",
                explanation=f"{value or 3} อยู่ระหว่าง 46 (2 คะแนน) และ 48 (3 คะแนน) → 3.5000",
                days_late=str(n % 3),
            )
        )
    return rows


def bare_write(path: Path, keys: tuple[str, ...], rows: list[ReviewRow]) -> None:
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True})
    ws = wb.add_worksheet("s")
    ws.write_row(0, 0, keys)
    for i, r in enumerate(rows, start=1):
        values = {
            "unit_id": r.unit_id, "unit_name": r.unit_name, "kpi_id": r.kpi.kpi_id,
            "kpi_name": r.kpi.name, **r.reported, "days_late": r.days_late,
            "score": r.score, "explanation": r.explanation,
        }  # fmt: skip
        ws.write_row(i, 0, [values.get(k, "") for k in keys])
    wb.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--owners", type=int, default=15)
    args = parser.parse_args()
    fw = with_owners(synthetic_framework(args.units, 15), args.owners)
    rnd = fw.round("R1")
    by_owner = {o.owner_id: rows_for(fw, o.owner_id) for o in fw.owners}
    n_rows = sum(map(len, by_owner.values()))
    view = RunView(
        "R1",
        frozenset(fw.agreements),
        {
            (r.unit_id, r.kpi.kpi_id): {
                k: Decimal(r.reported[k]) if r.reported[k] else None
                for k in ("value", "numerator", "denominator", "level")
            }
            for rows in by_owner.values()
            for r in rows
        },
    )
    with tempfile.TemporaryDirectory() as tmp:
        ours, bare = Path(tmp) / "ours", Path(tmp) / "bare"
        ours.mkdir()
        bare.mkdir()
        start = time.perf_counter()
        for owner in fw.owners:
            write_review_workbook(
                ours / f"{owner.owner_id}.xlsx", fw, rnd, owner, "2567/R1/x", "review",
                by_owner[owner.owner_id],
            )  # fmt: skip
        write_ours = time.perf_counter() - start
        start = time.perf_counter()
        for owner in fw.owners:
            bare_write(bare / f"{owner.owner_id}.xlsx", columns("review"), by_owner[owner.owner_id])
        write_bare = time.perf_counter() - start

        for owner in fw.owners:  # 50 corrections per owner, as an owner would type them
            edits = {
                (r.unit_id, r.kpi.kpi_id): {
                    ("new_level" if r.kpi.kpi_type is KpiType.MILESTONE else "new_score"): "4",
                    "reason": "ตรวจหลักฐานแล้ว",
                }
                for r in by_owner[owner.owner_id][:50]
            }
            fill_review(ours / f"{owner.owner_id}.xlsx", edits)

        start = time.perf_counter()
        applied = 0
        for owner in fw.owners:
            book = read_review(ours / f"{owner.owner_id}.xlsx")
            assert isinstance(book, ReviewBook), book
            checked = check_book(book, fw, view)
            assert not [i for i in checked.issues if i.severity.value == "error"], checked.issues
            applied += len(checked.adjustments)
        read_ours = time.perf_counter() - start
        start = time.perf_counter()
        for owner in fw.owners:
            workbook = CalamineWorkbook.from_path(str(bare / f"{owner.owner_id}.xlsx"))
            workbook.get_sheet_by_name("s").to_python()
        read_bare = time.perf_counter() - start
    print(f"{args.owners} owners, {n_rows} rows ({args.units} units), {applied} changes read back")
    print(f"write: ours {write_ours:.2f} s, bare xlsxwriter {write_bare:.2f} s,"
          f" ratio {write_ours / write_bare:.2f}x")  # fmt: skip
    print(f"read+check: ours {read_ours:.2f} s, bare calamine {read_bare:.2f} s,"
          f" ratio {read_ours / read_bare:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
