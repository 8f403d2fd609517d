"""In-memory frameworks (no framework workbook needed): small ones for the template tests,
large synthetic ones for the benchmarks (`benchmarks/` imports this module, so the tests and
the benchmarks build their frameworks the same way)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
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

D = Decimal
# FY2567: R1 (6 months) and R2 (12 months), closing 31 Mar and 30 Sep, due 5 Apr and 7 Oct.
ROUNDS = (
    Round("R1", "รอบ 6 เดือน", dt.date(2023, 10, 1), dt.date(2024, 3, 31),
          dt.date(2024, 3, 31), dt.date(2024, 4, 5)),
    Round("R2", "รอบ 12 เดือน", dt.date(2023, 10, 1), dt.date(2024, 9, 30),
          dt.date(2024, 9, 30), dt.date(2024, 10, 7)),
)  # fmt: skip
HYPERLINK_NAME = '=HYPERLINK("http://example.com","คลิก")'


def _d(*values: object) -> tuple[Decimal | None, ...]:
    return tuple(None if v is None else D(str(v)) for v in values)


def kpis() -> dict[str, Kpi]:
    return {
        "1": Kpi("1", "ผลสัมฤทธิ์ตามภารกิจหลัก", component="Performance Base"),
        "1.1": Kpi(
            "1.1",
            "ร้อยละของเด็กอายุ 0–5 ปี มีพัฒนาการสมวัย",
            parent_id="1",
            component="Performance Base",
            kpi_type=KpiType.QUANTITATIVE,
            direction=Direction.HIGHER,
            measure_unit="ร้อยละ",
        ),
        "1.2": Kpi(
            "1.2",
            "ร้อยละของหญิงตั้งครรภ์ที่ได้รับการฝากครรภ์ครั้งแรกก่อนหรือเท่ากับ 12 สัปดาห์",
            parent_id="1",
            component="Performance Base",
            kpi_type=KpiType.QUANTITATIVE,
            direction=Direction.HIGHER,
            measure_unit="ร้อยละ",
            formula=Formula.RATIO,
        ),
        "2.1": Kpi(
            "2.1",
            "ระดับความสำเร็จของการพัฒนาองค์กรสู่ระบบราชการ 4.0",
            component="Potential Base",
            kpi_type=KpiType.MILESTONE,
            direction=Direction.HIGHER,
            measure_unit="ระดับ",
        ),
        "2.2": Kpi(
            "2.2",
            "อัตราส่วนการตายมารดาไทยต่อการเกิดมีชีพแสนคน",
            component="Potential Base",
            kpi_type=KpiType.QUANTITATIVE,
            direction=Direction.LOWER,
            measure_unit="ต่อแสน",
        ),
    }


def small_framework(
    n_units: int = 3, scale: tuple[str, ...] = ("1", "2", "3", "4", "5")
) -> Framework:
    """FY2567, rounds R1 (6 months, 2.2 derived from R2) and R2 (12 months).

    Unit U03 is named like a formula, to prove framework text is written as text.
    """
    rounds = ROUNDS
    clusters = (Cluster("C1", "กลุ่มส่วนกลาง"), Cluster("C2", "กลุ่มศูนย์อนามัย"))
    units = tuple(
        Unit(
            f"U{i:02d}" if i < 100 else f"U{i}",
            HYPERLINK_NAME if i == 3 else f"ศูนย์อนามัยที่ {i}",
            "C1" if i % 2 else "C2",
            (f"u{i}@example.go.th",),
        )
        for i in range(1, n_units + 1)
    )
    k = kpis()
    weights = {"1.1": D(30), "1.2": D("20.5"), "2.1": D(25), "2.2": D(15)}
    five = len(scale) == 5
    criteria_r2 = {
        "1.1": _d(60, 65, 70, 75, 80) if five else _d(60, 70, 80),
        "1.2": _d(80, 85, 90, 95, 100) if five else _d(80, 90, 100),
        "2.1": _d(1, 2, 3, 4, 5) if five else _d(1, 3, 5),
        "2.2": _d(24, 23, 22, 21, 20) if five else _d(24, 22, 20),
    }
    criteria_r1 = {
        "1.1": _d(50, 55, 60, 65, 70) if five else _d(50, 60, 70),
        "1.2": _d(40, 42.5, 45, 47.5, 50) if five else _d(40, 45, 50),
        "2.1": _d(1, None, 2, None, 3) if five else _d(1, 2, 3),
        "2.2": _d(14, 12, 10, 8, 6) if five else _d(14, 10, 6),
    }
    criteria: dict[tuple[str, str, str], Criteria] = {}
    agreements: dict[str, tuple[AgreementItem, ...]] = {}
    for u in units:
        agreements[u.unit_id] = tuple(AgreementItem(k[kid], w) for kid, w in weights.items())
        for kid in weights:
            criteria[(u.unit_id, kid, "R2")] = Criteria(criteria_r2[kid])
            derived = "R2" if kid == "2.2" else None
            criteria[(u.unit_id, kid, "R1")] = Criteria(criteria_r1[kid], derived_from=derived)
    return Framework(
        settings=Settings(
            organisation="กรมอนามัย",
            fiscal_year=2567,
            scale=tuple(D(p) for p in scale),
        ),
        rounds=rounds,
        clusters=clusters,
        units=units,
        kpis=MappingProxyType({u.unit_id: MappingProxyType(k) for u in units}),
        agreements=MappingProxyType(agreements),
        criteria=MappingProxyType(criteria),
        bands=(Band("A", "ดีเด่น", D(4)),),
        fingerprint="0123456789abcdef" * 4,
        source="memory",
    )


def synthetic_framework(n_units: int, n_kpis: int) -> Framework:
    """`n_units` units in four clusters, each signing `n_kpis` leaf KPIs under three
    parents: value, ratio and milestone KPIs in turn, one in five with R1 criteria derived
    from R2 (the benchmarks' framework)."""
    rounds = ROUNDS
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
