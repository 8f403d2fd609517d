"""Tiny frameworks and result frames for the scoring tests, built from the model directly.

`framework(...)` takes a compact description: KPIs as `kpi(...)` specs with their criteria
per round, and units with their weights. Everything not given has the DOMAIN defaults
(scale 1..5, 4 decimals, half_up, one 12-month round due 2024-10-07).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from types import MappingProxyType

import numpy as np
import pandas as pd
from adjustment_factories import reader_frame

from kpi_batch.model import (
    AgreementItem,
    Band,
    BandMethod,
    BelowLowest,
    Cluster,
    Criteria,
    DayCount,
    Direction,
    DueDateRoll,
    Formula,
    Framework,
    Holiday,
    Kpi,
    KpiType,
    Method,
    Round,
    Rounding,
    Settings,
    Unit,
)

ROUND = "r12"
DUE = dt.date(2024, 10, 7)

Num = int | float | str | Decimal | None


def D(x: Num) -> Decimal | None:
    return None if x is None else Decimal(str(x))


@dataclass(frozen=True)
class KpiSpec:
    kpi_id: str
    criteria: Sequence[Num] | Mapping[str, Sequence[Num]]  # one row, or per round
    kpi_type: KpiType = KpiType.QUANTITATIVE
    direction: Direction = Direction.HIGHER
    formula: Formula = Formula.VALUE
    method: Method = Method.LINEAR
    parent_id: str | None = None
    component: str = ""
    name: str = ""


def kpi(
    kpi_id: str, criteria: Sequence[Num] | Mapping[str, Sequence[Num]], **kw: object
) -> KpiSpec:
    return KpiSpec(kpi_id, criteria, **kw)  # type: ignore[arg-type]


@dataclass
class UnitSpec:
    unit_id: str
    weights: Mapping[str, Num]
    cluster_id: str = "c1"
    name: str = ""


@dataclass
class Spec:
    kpis: Sequence[KpiSpec]
    units: Sequence[UnitSpec]
    settings: dict[str, object] = field(default_factory=dict)
    parents: Mapping[str, tuple[str, str | None]] = field(
        default_factory=dict
    )  # id -> name, parent
    bands: Sequence[tuple[str, str, Num]] = ()
    holidays: Iterable[dt.date] = ()
    rounds: Sequence[Round] = ()


def default_rounds() -> tuple[Round, ...]:
    return (
        Round(
            "r6",
            "รอบ 6 เดือน",
            dt.date(2023, 10, 1),
            dt.date(2024, 3, 31),
            dt.date(2024, 2, 29),
            dt.date(2024, 3, 6),
        ),
        Round(
            ROUND,
            "รอบ 12 เดือน",
            dt.date(2023, 10, 1),
            dt.date(2024, 9, 30),
            dt.date(2024, 9, 30),
            DUE,
        ),
    )


def framework(
    kpis: Sequence[KpiSpec],
    units: Sequence[UnitSpec] | Mapping[str, Mapping[str, Num]],
    *,
    parents: Mapping[str, tuple[str, str | None]] | None = None,
    bands: Sequence[tuple[str, str, Num]] = (),
    holidays: Iterable[dt.date] = (),
    **settings: object,
) -> Framework:
    if isinstance(units, Mapping):
        units = [UnitSpec(u, w) for u, w in units.items()]
    if "scale" in settings:
        settings["scale"] = tuple(Decimal(str(p)) for p in settings["scale"])  # type: ignore[attr-defined]
    enums = {
        "rounding": Rounding,
        "below_lowest": BelowLowest,
        "late_day_count": DayCount,
        "due_date_roll": DueDateRoll,
        "band_method": BandMethod,
    }
    for key, enum in enums.items():
        if key in settings:
            settings[key] = enum(settings[key])
    for key in ("late_penalty_per_day", "late_penalty_cap"):
        if key in settings:
            settings[key] = Decimal(str(settings[key]))
    st = replace(Settings("กรมทดสอบ", 2567), **settings)  # type: ignore[arg-type]
    rounds = default_rounds()
    specs = {k.kpi_id: k for k in kpis}
    parent_kpis = {pid: Kpi(pid, name, parent_id=pp) for pid, (name, pp) in (parents or {}).items()}
    kpi_map: dict[str, Mapping[str, Kpi]] = {}
    agreements: dict[str, tuple[AgreementItem, ...]] = {}
    criteria: dict[tuple[str, str, str], Criteria] = {}
    clusters: dict[str, Cluster] = {}
    model_units = []
    for u in units:
        clusters.setdefault(u.cluster_id, Cluster(u.cluster_id, f"กลุ่ม {u.cluster_id}"))
        model_units.append(Unit(u.unit_id, u.name or f"หน่วยงาน {u.unit_id}", u.cluster_id, ()))
        seen: dict[str, Kpi] = dict(parent_kpis)
        items = []
        for kpi_id, w in u.weights.items():
            s = specs[kpi_id]
            k = Kpi(
                kpi_id,
                s.name or f"ตัวชี้วัด {kpi_id}",
                parent_id=s.parent_id,
                component=s.component,
                kpi_type=s.kpi_type,
                direction=s.direction,
                formula=s.formula,
                method=s.method,
            )
            seen[kpi_id] = k
            items.append(AgreementItem(k, Decimal(str(w))))
            per_round = s.criteria if isinstance(s.criteria, Mapping) else {ROUND: s.criteria}
            for rid, row in per_round.items():
                assert len(row) == len(st.scale), (kpi_id, row)
                criteria[(u.unit_id, kpi_id, rid)] = Criteria(tuple(D(t) for t in row))
        kpi_map[u.unit_id] = MappingProxyType(seen)
        agreements[u.unit_id] = tuple(items)
    return Framework(
        settings=st,
        rounds=rounds,
        clusters=tuple(clusters.values()),
        units=tuple(model_units),
        kpis=MappingProxyType(kpi_map),
        agreements=MappingProxyType(agreements),
        criteria=MappingProxyType(criteria),
        bands=tuple(Band(b, n, Decimal(str(m))) for b, n, m in bands),
        holidays=tuple(Holiday(d, "วันหยุด") for d in holidays),
    )


def results(rows: Mapping[tuple[str, str], Num | Mapping[str, Num]]) -> pd.DataFrame:
    """{(unit, kpi): 73} or {(unit, kpi): {"numerator": 11, "denominator": 15}}."""
    out = []
    for (u, k), v in rows.items():
        fields = v if isinstance(v, Mapping) else {"value": v}
        rec: dict[str, object] = {"unit_id": u, "kpi_id": k}
        for f in ("value", "numerator", "denominator", "level"):
            x = fields.get(f)
            rec[f] = np.nan if x is None else float(x)
        out.append(rec)
    return pd.DataFrame(
        out, columns=["unit_id", "kpi_id", "value", "numerator", "denominator", "level"]
    )


def submissions(
    units: Iterable[str] | Mapping[str, dt.date | None], status: str = "accepted"
) -> pd.DataFrame:
    """Every unit accepted and on time unless a date (or a status via `statuses`) is given."""
    dates = units if isinstance(units, Mapping) else {u: DUE for u in units}
    return pd.DataFrame(
        {
            "unit_id": list(dates),
            "status": [status] * len(dates),
            "submitted_on": [d for d in dates.values()],
        }
    )


def adjustments(fw: Framework, *rows: tuple[str, str, str, str, object, str]) -> pd.DataFrame:
    """The adjustments reader's frame for (unit_id, kpi_id, stage, field, new_value, reason)
    rows, at Excel rows 2.. with reference "ref" (see adjustment_factories.reader_frame)."""
    return reader_frame(fw, [(*r, "ref") for r in rows])


STD = [60, 65, 70, 75, 80]  # the manual's higher-is-better example
LOWER = [54, 52, 50, 48, 46]  # the manual's lower-is-better example
MILESTONE_6M = [1, None, 2, None, 3]  # 6-month milestone table with gaps
