"""Time `write_templates` for a large synthetic framework (built in memory).

    .venv/bin/python -m benchmarks.bench_templates [--units 1000] [--kpis 15]

Prints seconds in total and per template. Each unit signs `--kpis` leaf KPIs under three
parents: value, ratio and milestone KPIs in turn, one in five with derived criteria.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from kpi_batch.model import (
    AgreementItem,
    Band,
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
from kpi_batch.templates.workbook import write_templates

D = Decimal


def synthetic_framework(n_units: int, n_kpis: int) -> Framework:
    rounds = (
        Round("R1", "รอบ 6 เดือน", dt.date(2023, 10, 1), dt.date(2024, 3, 31),
              dt.date(2024, 3, 31), dt.date(2024, 4, 5)),
        Round("R2", "รอบ 12 เดือน", dt.date(2023, 10, 1), dt.date(2024, 9, 30),
              dt.date(2024, 9, 30), dt.date(2024, 10, 7)),
    )  # fmt: skip
    clusters = tuple(Cluster(f"C{i}", f"กลุ่มหน่วยงานที่ {i}") for i in range(1, 5))
    units = tuple(
        Unit(f"U{i:04d}", f"ศูนย์อนามัยและสำนักงานเขตสุขภาพที่ {i}", f"C{i % 4 + 1}", ())
        for i in range(1, n_units + 1)
    )
    kpis: dict[str, Kpi] = {}
    for p in range(1, 4):
        kpis[str(p)] = Kpi(
            str(p), f"ตัวชี้วัดหลักที่ {p} ด้านการพัฒนาคุณภาพบริการ", component="Performance Base"
        )
    leaves = []
    for k in range(n_kpis):
        kpi_id = f"{k % 3 + 1}.{k // 3 + 1}"
        kind = k % 3
        kpi = Kpi(
            kpi_id,
            f"ร้อยละของหน่วยบริการที่ผ่านเกณฑ์มาตรฐานการดำเนินงานส่งเสริมสุขภาพ ตัวชี้วัดที่ {k + 1}",
            parent_id=str(k % 3 + 1),
            component="Performance Base",
            kpi_type=KpiType.MILESTONE if kind == 2 else KpiType.QUANTITATIVE,
            direction=Direction.HIGHER,
            measure_unit="ระดับ" if kind == 2 else "ร้อยละ",
            formula=Formula.RATIO if kind == 1 else Formula.VALUE,
        )
        kpis[kpi_id] = kpi
        leaves.append(kpi)
    view = MappingProxyType(kpis)
    criteria: dict[tuple[str, str, str], Criteria] = {}
    agreements: dict[str, tuple[AgreementItem, ...]] = {}
    for u in units:
        agreements[u.unit_id] = tuple(AgreementItem(k, D(100) / n_kpis) for k in leaves)
        for j, k in enumerate(leaves):
            if k.kpi_type == KpiType.MILESTONE:
                r1 = (D(1), None, D(2), None, D(3))
                r2 = (D(1), D(2), D(3), D(4), D(5))
            else:
                r2 = (D(88), D(90), D(92), D(94), D(96))
                r1 = (D(44), D(46), D(48), D(50), D(52))
            derived = "R2" if j % 5 == 0 and k.kpi_type != KpiType.MILESTONE else None
            criteria[(u.unit_id, k.kpi_id, "R1")] = Criteria(r1, derived_from=derived)
            criteria[(u.unit_id, k.kpi_id, "R2")] = Criteria(r2)
    return Framework(
        settings=Settings(organisation="กรมอนามัย", fiscal_year=2567),
        rounds=rounds,
        clusters=clusters,
        units=units,
        kpis=MappingProxyType({u.unit_id: view for u in units}),
        agreements=MappingProxyType(agreements),
        criteria=MappingProxyType(criteria),
        bands=(Band("A", "ดีเด่น", D(4)),),
        fingerprint="ab" * 32,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--kpis", type=int, default=15)
    args = parser.parse_args()
    fw = synthetic_framework(args.units, args.kpis)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        paths = write_templates(fw, "R1", Path(tmp))
        seconds = time.perf_counter() - start
        size = sum(p.stat().st_size for p in paths) / len(paths)
    print(
        f"{len(paths)} templates x {args.kpis} KPIs: {seconds:.2f} s total, "
        f"{seconds / len(paths) * 1000:.1f} ms per template, {size / 1024:.1f} kB each"
    )


if __name__ == "__main__":
    main()
