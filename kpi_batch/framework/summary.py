"""What `kpi-batch check-framework` shows for a valid framework: facts, then rich tables.

`summarise` is pure (a `Framework` in, plain values out) so tests can check the numbers;
`renderables` turns them into rich tables. Printing stays in cli.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from kpi_batch.framework.cells import decimal_text
from kpi_batch.issues import Issue
from kpi_batch.model import Framework, KpiType
from kpi_batch.thai import format_date_th

FULL_WEIGHT = Decimal(100)


@dataclass(frozen=True)
class UnitWeights:
    unit_id: str
    name: str
    cluster_id: str
    kpis: int
    total: Decimal

    @property
    def is_full(self) -> bool:
        return self.total == FULL_WEIGHT


@dataclass(frozen=True)
class OwnerKpis:
    owner_id: str
    name: str
    emails: tuple[str, ...]
    kpi_ids: tuple[str, ...]  # distinct KPI ids, in agreement order
    rows: int  # (unit, KPI) pairs: the rows of the owner's review workbook


@dataclass(frozen=True)
class DerivedRow:
    """One (unit, KPI, round) whose criteria the 6-month rule derived (DOMAIN §3.10)."""

    unit_id: str
    unit_name: str
    kpi_id: str
    kpi_name: str
    round_id: str
    derived_from: str  # the full-year round halved
    thresholds: tuple[Decimal | None, ...]  # aligned with the scale


def derived_thresholds(fw: Framework) -> tuple[DerivedRow, ...]:
    """Every derived threshold, by unit (framework order), the unit's KPIs, then round."""
    rounds = [r.round_id for r in fw.rounds]
    rows = []
    for unit in fw.units:
        for item in fw.agreements.get(unit.unit_id, ()):
            for round_id in rounds:
                found = fw.criteria.get((unit.unit_id, item.kpi.kpi_id, round_id))
                if found is None or not found.derived_from:
                    continue
                rows.append(
                    DerivedRow(
                        unit.unit_id,
                        unit.name,
                        item.kpi.kpi_id,
                        item.kpi.name,
                        round_id,
                        found.derived_from,
                        found.thresholds,
                    )
                )
    return tuple(rows)


@dataclass(frozen=True)
class FrameworkSummary:
    organisation: str
    fiscal_year: int
    scale: str
    fingerprint: str
    units_per_cluster: tuple[tuple[str, str, tuple[str, ...]], ...]  # id, name, unit ids
    leaf_kpis: int  # distinct weighted KPI ids
    quantitative: int
    milestone: int
    parents: int
    derived: int  # (unit, kpi, round) criteria from the 6-month rule
    weights: tuple[UnitWeights, ...]
    owners: tuple[OwnerKpis, ...] = ()
    # weighted KPI ids that some unit has without an owner (only when owners are used)
    unowned: tuple[str, ...] = ()

    @property
    def notes(self) -> tuple[UnitWeights, ...]:
        """Units whose weights do not total 100: allowed (the total divides by the weight
        sum), but usually a typo worth a second look."""
        return tuple(w for w in self.weights if not w.is_full)


def summarise(fw: Framework) -> FrameworkSummary:
    clusters = tuple(
        (c.cluster_id, c.name, tuple(u.unit_id for u in fw.units if u.cluster_id == c.cluster_id))
        for c in fw.clusters
    )
    leaves = {i.kpi.kpi_id: i.kpi for items in fw.agreements.values() for i in items}
    parents = {k for kpis in fw.kpis.values() for k, kpi in kpis.items() if kpi.is_parent}
    weights = tuple(
        UnitWeights(
            u.unit_id,
            u.name,
            u.cluster_id,
            len(fw.agreements.get(u.unit_id, ())),
            sum((i.weight for i in fw.agreements.get(u.unit_id, ())), Decimal(0)),
        )
        for u in fw.units
    )
    owners = tuple(
        OwnerKpis(
            o.owner_id,
            o.name,
            o.emails,
            tuple(dict.fromkeys(k for _, k in fw.owned_by(o.owner_id))),
            len(fw.owned_by(o.owner_id)),
        )
        for o in fw.owners
    )
    unowned = tuple(
        dict.fromkeys(
            i.kpi.kpi_id
            for u, items in fw.agreements.items()
            for i in items
            if (u, i.kpi.kpi_id) not in fw.kpi_owners
        )
    )
    return FrameworkSummary(
        organisation=fw.settings.organisation,
        fiscal_year=fw.settings.fiscal_year,
        scale=",".join(decimal_text(p) for p in fw.settings.scale),
        fingerprint=fw.short_fingerprint,
        units_per_cluster=clusters,
        leaf_kpis=len(leaves),
        quantitative=sum(1 for k in leaves.values() if k.kpi_type is KpiType.QUANTITATIVE),
        milestone=sum(1 for k in leaves.values() if k.kpi_type is KpiType.MILESTONE),
        parents=len(parents),
        derived=sum(1 for c in fw.criteria.values() if c.derived_from),
        weights=weights,
        owners=owners,
        unowned=unowned if fw.owners else (),
    )


def renderables(fw: Framework) -> list[RenderableType]:
    s = summarise(fw)
    settings = fw.settings
    head = Text()
    head.append(f"{s.organisation}\n", style="bold")
    head.append(
        f"ปีงบประมาณ / fiscal year {s.fiscal_year} (CE {settings.fiscal_year_ce - 1}-"
        f"{settings.fiscal_year_ce}) · scale {s.scale} · ทศนิยม / decimals {settings.decimals}"
        f" ({settings.rounding.value}) · fingerprint {s.fingerprint}"
    )
    out: list[RenderableType] = [head, _rounds(fw), _clusters(s)]
    out.append(
        Text(
            f"ตัวชี้วัดที่มีน้ำหนัก / weighted KPIs: {s.leaf_kpis} (quantitative {s.quantitative},"
            f" milestone {s.milestone}) · ตัวชี้วัดหลัก / parents: {s.parents}"
            f" · เกณฑ์ที่คำนวณตามกฎ 6 เดือน / derived criteria: {s.derived}"
            f" · กลุ่มคะแนน / bands: {len(fw.bands)} · ผู้รับรายงาน / recipients:"
            f" {len(fw.recipients)} · วันหยุด / holidays: {len(fw.holidays)}"
        )
    )
    out.append(_weights(s))
    out.append(_derived(fw))
    out += _owners(s)
    out.append(Text("ผ่านการตรวจสอบ / framework OK", style="bold green"))
    return out


def _rounds(fw: Framework) -> Table:
    table = Table(title="รอบการประเมิน / rounds", title_justify="left")
    for header in (
        "รอบ / round",
        "ชื่อ / name",
        "ช่วงเวลา / period",
        "เดือน / months",
        "ตัดข้อมูล / cut-off",
        "กำหนดส่ง / due",
    ):
        table.add_column(header)
    for r in fw.rounds:
        table.add_row(
            r.round_id,
            r.name,
            f"{format_date_th(r.period_start)} – {format_date_th(r.period_end)}",
            str(r.months),
            format_date_th(r.data_cutoff),
            format_date_th(r.due_date),
        )
    return table


def _clusters(s: FrameworkSummary) -> Table:
    table = Table(title="กลุ่มหน่วยงาน / clusters", title_justify="left")
    for header in ("กลุ่ม / cluster", "ชื่อ / name", "หน่วยงาน / units", "รหัส / ids"):
        table.add_column(header)
    for cluster_id, name, units in s.units_per_cluster:
        table.add_row(cluster_id, name, str(len(units)), ", ".join(units))
    return table


def _weights(s: FrameworkSummary) -> Table:
    table = Table(title="น้ำหนักรวมรายหน่วยงาน / weight totals", title_justify="left")
    for header in (
        "หน่วยงาน / unit",
        "ชื่อ / name",
        "กลุ่ม / cluster",
        "ตัวชี้วัด / KPIs",
        "น้ำหนักรวม / total",
    ):
        table.add_column(header)
    for w in s.weights:
        total = decimal_text(w.total) + ("" if w.is_full else " *")
        table.add_row(
            w.unit_id,
            w.name,
            w.cluster_id,
            str(w.kpis),
            total,
            style=None if w.is_full else "yellow",
        )
    return table


def _owners(s: FrameworkSummary) -> list[RenderableType]:
    if not s.owners:
        return [
            Text(
                "ยังไม่กำหนดเจ้าภาพตัวชี้วัด (ชีต owners) — ส่งแบบทบทวนผล (review-sheets) ไม่ได้"
                " / no KPI owners: review-sheets has no one to write for",
                style="dim",
            )
        ]
    table = Table(title="เจ้าภาพตัวชี้วัด / KPI owners", title_justify="left")
    for header in (
        "เจ้าภาพ / owner",
        "ชื่อ / name",
        "อีเมล / e-mail",
        "ตัวชี้วัด / KPIs",
        "แถวทบทวน / review rows",
    ):
        table.add_column(header)
    for o in s.owners:
        table.add_row(
            o.owner_id, o.name, "; ".join(o.emails), ", ".join(o.kpi_ids) or "-", str(o.rows)
        )
    # KPIs without an owner: a warning after the summary (FW_KPI_NO_OWNER)
    return [table]


def _derived(fw: Framework) -> RenderableType:
    rows = derived_thresholds(fw)
    if not rows:
        return Text("ไม่มีเกณฑ์ที่คำนวณตามกฎ 6 เดือน / no derived criteria", style="dim")
    table = Table(
        title="เกณฑ์ที่คำนวณตามกฎ 6 เดือน (ระดับ 3 = ระดับ 5 ของรอบ 12 เดือน ÷ 2 ช่วงห่างเท่าเดิม)"
        f" / derived 6-month criteria: {len(rows)}",
        title_justify="left",
    )
    for header in ("หน่วยงาน / unit", "ตัวชี้วัด / KPI", "รอบ / round", "จากรอบ / from"):
        table.add_column(header)
    for point in fw.settings.scale:
        table.add_column(f"ระดับ {decimal_text(point)}", justify="right")
    for r in rows:
        table.add_row(
            r.unit_id,
            r.kpi_id,
            r.round_id,
            r.derived_from,
            *(decimal_text(t) if t is not None else "–" for t in r.thresholds),
        )
    return table


def warning_lines(warnings: Sequence[Issue]) -> list[str]:
    """The heading and one `sheet!CELL: ข้อความ [code]` line per warning (none: nothing)."""
    if not warnings:
        return []
    return [
        f"คำเตือน {len(warnings)} รายการ (กรอบตัวชี้วัดใช้ได้ แต่ควรตรวจ) / {len(warnings)}"
        " warning(s): the framework is accepted",
        *issue_lines(warnings),
    ]


def issue_lines(issues: Sequence[Issue]) -> list[str]:
    """`sheet!CELL: Thai message [code]`, one per problem, in workbook order."""
    return [i.line() for i in issues]
