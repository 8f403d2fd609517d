"""The framework as the rest of the program sees it: typed, immutable, already checked.

`framework.py` builds a `Framework` from the planning office's workbook; everything downstream
(templates, intake, scoring, reports, e-mail) only reads it. Numbers that end up in scores
(thresholds, weights, penalties, band limits) are `Decimal` so that what the planning officer
typed is what we compute with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType


class Rounding(StrEnum):
    HALF_UP = "half_up"
    HALF_EVEN = "half_even"
    TRUNCATE = "truncate"


class BelowLowest(StrEnum):
    ZERO = "zero"
    LOWEST = "lowest"
    EXTRAPOLATE = "extrapolate"


class DayCount(StrEnum):
    CALENDAR = "calendar"
    BUSINESS = "business"


class DueDateRoll(StrEnum):
    NEXT_WORKING_DAY = "next_working_day"  # ป.พ.พ. มาตรา 193/8
    NONE = "none"


class BandMethod(StrEnum):
    FIXED = "fixed"
    EQUAL_WIDTH = "equal_width"


class KpiType(StrEnum):
    QUANTITATIVE = "quantitative"
    MILESTONE = "milestone"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class Method(StrEnum):
    LINEAR = "linear"
    STEP = "step"


class Formula(StrEnum):
    VALUE = "value"  # blank in the workbook: the unit reports the value itself
    RATIO = "ratio"  # numerator / denominator x 100


DEFAULT_SCALE: tuple[Decimal, ...] = tuple(Decimal(p) for p in (1, 2, 3, 4, 5))


@dataclass(frozen=True)
class Settings:
    organisation: str
    fiscal_year: int  # Buddhist era, e.g. 2567
    scale: tuple[Decimal, ...] = DEFAULT_SCALE
    decimals: int = 4
    rounding: Rounding = Rounding.HALF_UP
    below_lowest: BelowLowest = BelowLowest.ZERO
    late_penalty_per_day: Decimal = Decimal("0.05")
    late_penalty_cap: Decimal = Decimal("0.25")
    late_day_count: DayCount = DayCount.CALENDAR
    due_date_roll: DueDateRoll = DueDateRoll.NEXT_WORKING_DAY
    band_method: BandMethod = BandMethod.FIXED
    # Keys the format does not name (smtp_host, appeal_deadline, ...) are kept, not dropped.
    extra: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def fiscal_year_ce(self) -> int:
        return self.fiscal_year - 543

    @property
    def top_point(self) -> Decimal:
        return self.scale[-1]


@dataclass(frozen=True)
class Round:
    round_id: str
    name: str
    period_start: dt.date
    period_end: dt.date
    data_cutoff: dt.date
    due_date: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.period_start <= day <= self.period_end

    @property
    def months(self) -> int:
        """Length of the period in whole months (6 for Oct-Mar, 12 for the fiscal year)."""
        end = self.period_end + dt.timedelta(days=1)
        return (end.year - self.period_start.year) * 12 + end.month - self.period_start.month


@dataclass(frozen=True)
class Cluster:
    cluster_id: str
    name: str


@dataclass(frozen=True)
class Unit:
    unit_id: str
    name: str
    cluster_id: str
    emails: tuple[str, ...]


@dataclass(frozen=True)
class Kpi:
    """One KPI as a given unit sees it (shared `*` rows already resolved)."""

    kpi_id: str
    name: str
    parent_id: str | None = None
    component: str = ""
    kpi_type: KpiType | None = None  # None for parent rows
    direction: Direction | None = None
    measure_unit: str = ""
    formula: Formula = Formula.VALUE
    method: Method = Method.LINEAR

    @property
    def is_parent(self) -> bool:
        return self.kpi_type is None


@dataclass(frozen=True)
class Criteria:
    """Thresholds for one unit, KPI and round, aligned with `Settings.scale`.

    `thresholds[i]` is the result needed for `scale[i]`; None means the point cannot be
    reached in this round. `derived_from` names the round whose criteria were halved (the
    6-month rule), so reports can show where the numbers came from.
    """

    thresholds: tuple[Decimal | None, ...]
    derived_from: str | None = None

    def points(self, scale: tuple[Decimal, ...]) -> tuple[tuple[Decimal, Decimal], ...]:
        """The defined (threshold, point) pairs, in scale order."""
        return tuple((t, p) for t, p in zip(self.thresholds, scale, strict=True) if t is not None)

    def last_step(self) -> Decimal | None:
        """For a milestone KPI, the highest step this round defines (None: no criteria).

        A step beyond it scores no more than the last step itself (DOMAIN §3.2: at or beyond
        the top threshold gives the top point), so a unit's level is limited to 0..last step.
        """
        defined = [t for t in self.thresholds if t is not None]
        return max(defined) if defined else None


@dataclass(frozen=True)
class AgreementItem:
    """A leaf KPI a unit signed for, with its weight: one row of the unit's template."""

    kpi: Kpi
    weight: Decimal


@dataclass(frozen=True)
class Band:
    band_id: str
    name: str
    min_score: Decimal


@dataclass(frozen=True)
class Recipient:
    role: str  # "hr" or "executive"
    name: str
    email: str


@dataclass(frozen=True)
class Owner:
    """A KPI owner (เจ้าภาพตัวชี้วัด): checks what units report on their KPIs."""

    owner_id: str
    name: str
    emails: tuple[str, ...]


@dataclass(frozen=True)
class Holiday:
    date: dt.date
    name: str


@dataclass(frozen=True)
class Framework:
    settings: Settings
    rounds: tuple[Round, ...]
    clusters: tuple[Cluster, ...]
    units: tuple[Unit, ...]
    # unit_id -> kpi_id -> Kpi, every KPI the unit sees (parents included), `*` resolved
    kpis: Mapping[str, Mapping[str, Kpi]]
    # unit_id -> the leaf KPIs it signed for, in agreement order
    agreements: Mapping[str, tuple[AgreementItem, ...]]
    # (unit_id, kpi_id, round_id) -> criteria, `*` resolved and `derive` rows derived
    criteria: Mapping[tuple[str, str, str], Criteria]
    bands: tuple[Band, ...]
    recipients: tuple[Recipient, ...] = ()
    holidays: tuple[Holiday, ...] = ()
    owners: tuple[Owner, ...] = ()
    # (unit_id, kpi_id) -> owner_id for the leaf KPIs of each agreement that have an owner
    # (the unit's own kpis row first, then the `*` row). Like e-mail addresses, owners are
    # not part of the fingerprint: naming an owner does not make sent templates outdated.
    kpi_owners: Mapping[tuple[str, str], str] = field(default_factory=lambda: MappingProxyType({}))
    # sha256 of the framework's meaningful content; templates carry it so intake can tell
    # a template made from an older framework version.
    fingerprint: str = ""
    source: str = ""  # the path it was read from, for reports

    @property
    def short_fingerprint(self) -> str:
        """The first 12 hex digits: enough to tell versions apart on screen and in reports."""
        return self.fingerprint[:12]

    def round(self, round_id: str) -> Round:
        for r in self.rounds:
            if r.round_id == round_id:
                return r
        raise KeyError(round_id)

    def round_for_date(self, day: dt.date) -> Round | None:
        """The shortest round whose period contains `day` (6-month before 12-month)."""
        matching = [r for r in self.rounds if r.contains(day)]
        return min(
            matching, key=lambda r: (r.period_end - r.period_start, r.round_id), default=None
        )

    def unit(self, unit_id: str) -> Unit:
        for u in self.units:
            if u.unit_id == unit_id:
                return u
        raise KeyError(unit_id)

    def cluster(self, cluster_id: str) -> Cluster:
        for c in self.clusters:
            if c.cluster_id == cluster_id:
                return c
        raise KeyError(cluster_id)

    def criteria_for(self, unit_id: str, kpi_id: str, round_id: str) -> Criteria:
        return self.criteria[(unit_id, kpi_id, round_id)]

    def owner(self, owner_id: str) -> Owner:
        for o in self.owners:
            if o.owner_id == owner_id:
                return o
        raise KeyError(owner_id)

    def owned_by(self, owner_id: str) -> list[tuple[str, str]]:
        """(unit_id, kpi_id) of every agreement KPI the owner answers for, in agreement order."""
        return [
            (unit_id, item.kpi.kpi_id)
            for unit_id, items in self.agreements.items()
            for item in items
            if self.kpi_owners.get((unit_id, item.kpi.kpi_id)) == owner_id
        ]

    def recipients_for(self, role: str) -> tuple[Recipient, ...]:
        return tuple(r for r in self.recipients if r.role == role)
