"""One unit's slice of a run, as plain values: what its result workbook is written from.

`UnitIndex(ctx).data(unit_id)` picks the unit's rows out of the ScoredRound and the
inputs, for every unit at once (one pass per frame instead of one filter per unit, which
matters at 10,000 units). Only this unit's rows are taken, so nothing written
from a `UnitData` can name another unit; the only figures about the others are counts (how
many units were ranked) — band limits are left out when they come from this run's scores
(`equal_width`), since they would give away the top and bottom scores.

Everything here is plain (str, int, Decimal, None, tuples), so a `UnitData` pickles
cheaply for a worker process.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

import pandas as pd

from kpi_batch.issues import Issue
from kpi_batch.model import BandMethod
from kpi_batch.reports.marks import state_line
from kpi_batch.reports.settings_text import round_line, settings_rows
from kpi_batch.reports.tables import plain
from kpi_batch.run_record import RunRecord
from kpi_batch.scoring.rank import ordered_bands
from kpi_batch.thai import format_date_th
from kpi_batch.workdays import effective_due_date

Record = dict[str, Any]


@dataclass(frozen=True)
class RunInfo:
    """What every unit workbook of a run shares."""

    organisation: str
    fiscal_year: int
    round_id: str
    round_name: str
    round_line: str
    period: str
    due_date: dt.date
    as_of: dt.date
    run_id: str
    fingerprint: str
    package_version: str
    decimals: int
    scale: tuple[Decimal, ...]
    late_penalty_per_day: Decimal
    late_penalty_cap: Decimal
    band_method: str
    settings: tuple[tuple[str, str], ...]
    n_ranked: int
    band_count: int = 5
    state_line: str = ""  # pre-appeal or final, and what it means (reports/marks.py)


@dataclass(frozen=True)
class KpiLine:
    kpi_id: str
    name: str
    parent_id: str
    component: str
    measure_unit: str
    weight: Decimal
    thresholds: tuple[Decimal | None, ...]
    derived_from: str | None
    value: Decimal | None = None
    score: Decimal | None = None
    weighted_score: Decimal | None = None
    status: str | None = None
    explanation: str = ""


@dataclass(frozen=True)
class UnitData:
    unit_id: str
    unit_name: str
    cluster_id: str
    cluster_name: str
    scores: Record  # the unit's unit_scores row (plain values)
    n_cluster_ranked: int
    band_index: int | None
    band_span: tuple[Decimal | None, Decimal | None] | None  # fixed bands only
    kpis: tuple[KpiLine, ...]
    subtotals: tuple[Record, ...]
    late_items: tuple[Record, ...]
    adjustments: tuple[Record, ...]
    issues: tuple[Issue, ...]
    files: tuple[Record, ...]  # this unit's rows of the intake register
    weight_sum: Decimal

    @property
    def scored(self) -> bool:
        return self.scores.get("status") == "scored"


def _records(frame: pd.DataFrame) -> list[Record]:
    return [{str(k): plain(v) for k, v in r.items()} for r in frame.to_dict("records")]


class _Rows:
    """A frame's rows by unit, made records only when that unit's turn comes: as records
    all at once, 150,000 KPI rows of 21 columns held over 200 MB."""

    def __init__(self, frame: pd.DataFrame, key: str = "unit_id") -> None:
        self.columns = [str(c) for c in frame.columns]
        self.values = [frame[c].tolist() for c in frame.columns]
        self.positions: dict[str, list[int]] = {}
        if key in frame.columns:
            for i, owner in enumerate(frame[key].tolist()):
                self.positions.setdefault(str(plain(owner)), []).append(i)

    def records(self, unit_id: str) -> list[Record]:
        return [
            {c: plain(v[i]) for c, v in zip(self.columns, self.values, strict=True)}
            for i in self.positions.get(unit_id, ())
        ]

    def owners(self, column: str) -> dict[str, str]:
        """{value of `column`: unit} for the rows that have one."""
        values = self.values[self.columns.index(column)] if column in self.columns else []
        owner: dict[str, str] = {}
        for unit, rows in self.positions.items():
            for i in rows:
                if value := plain(values[i]):
                    owner[str(value)] = unit
        return owner


def run_info(ctx: RunRecord) -> RunInfo:
    fw, st = ctx.framework, ctx.framework.settings
    ranks = ctx.scored.unit_scores["rank"]
    return RunInfo(
        organisation=st.organisation,
        fiscal_year=st.fiscal_year,
        round_id=ctx.round.round_id,
        round_name=ctx.round.name,
        round_line=round_line(ctx),
        period=f"{format_date_th(ctx.round.period_start)} – {format_date_th(ctx.round.period_end)}",
        due_date=effective_due_date(ctx.framework, ctx.round.round_id),
        as_of=ctx.as_of,
        run_id=ctx.run_id,
        fingerprint=fw.fingerprint,
        package_version=ctx.package_version,
        decimals=st.decimals,
        scale=st.scale,
        late_penalty_per_day=st.late_penalty_per_day,
        late_penalty_cap=st.late_penalty_cap,
        band_method=str(st.band_method),
        settings=tuple(settings_rows(st)),
        n_ranked=int(ranks.notna().sum()),
        band_count=len(fw.bands),
        state_line=state_line(ctx),
    )


class UnitIndex:
    """Every frame of the run split by unit once; `data(unit_id)` is then cheap."""

    def __init__(self, ctx: RunRecord) -> None:
        self.ctx = ctx
        scored = ctx.scored
        self.units = {str(r["unit_id"]): r for r in _records(scored.unit_scores)}
        self.kpis = _Rows(scored.kpi_scores)
        self.subtotals = _Rows(scored.subtotals)
        self.late = _Rows(scored.late_items)
        self.adjustments = _Rows(scored.adjustments)
        self.files = _Rows(ctx.inputs)
        unit_of_file = self.files.owners("path")
        self.issues: dict[str, list[Issue]] = {}
        for issue in (*ctx.input_issues, *scored.issues):
            owner = issue.unit_id or unit_of_file.get(issue.file, "")
            if owner:
                self.issues.setdefault(owner, []).append(issue)
        self.cluster_ranked: dict[str, int] = {}
        for r in self.units.values():
            if r.get("rank") is not None:
                c = str(r["cluster_id"])
                self.cluster_ranked[c] = self.cluster_ranked.get(c, 0) + 1
        bands = ordered_bands(ctx.framework.bands)
        self.band_index = {b.band_id: i for i, b in enumerate(bands)}
        self.band_span: dict[str, tuple[Decimal | None, Decimal | None]] = {}
        if ctx.framework.settings.band_method == BandMethod.FIXED:
            for i, b in enumerate(bands):
                self.band_span[b.band_id] = (b.min_score, bands[i - 1].min_score if i else None)

    def data(self, unit_id: str) -> UnitData:
        ctx = self.ctx
        unit = ctx.framework.unit(unit_id)
        cluster = ctx.framework.cluster(unit.cluster_id)
        scores = self.units.get(unit_id, {"unit_id": unit_id, "status": "missing"})
        band = scores.get("band")
        kpis = _kpi_lines(ctx, unit_id, {str(r["kpi_id"]): r for r in self.kpis.records(unit_id)})
        return UnitData(
            unit_id=unit.unit_id,
            unit_name=unit.name,
            cluster_id=unit.cluster_id,
            cluster_name=cluster.name,
            scores=scores,
            n_cluster_ranked=self.cluster_ranked.get(unit.cluster_id, 0),
            band_index=self.band_index.get(band) if band is not None else None,
            band_span=self.band_span.get(band) if band is not None else None,
            kpis=kpis,
            subtotals=tuple(self.subtotals.records(unit_id)),
            late_items=tuple(self.late.records(unit_id)),
            adjustments=tuple(self.adjustments.records(unit_id)),
            issues=tuple(dict.fromkeys(self.issues.get(unit_id, ()))),
            files=tuple(_file_record(r) for r in self.files.records(unit_id)),
            weight_sum=sum((k.weight for k in kpis if k.status != "exempt"), start=Decimal(0)),
        )


def _file_record(r: Record) -> Record:
    path = str(r.get("path") or "")
    return {
        "file": PurePosixPath(path.replace("\\", "/")).name,
        "status": str(r.get("status") or ""),
        "sha256": str(r.get("sha256") or ""),
    }


def _kpi_lines(ctx: RunRecord, unit_id: str, scored: Mapping[str, Record]) -> tuple[KpiLine, ...]:
    """The unit's agreement in its order, with this round's criteria and, when scored, the
    KPI's result; a scored KPI outside the agreement (there should be none) comes last."""
    fw, round_id = ctx.framework, ctx.round.round_id
    lines = []
    seen = set()
    for item in fw.agreements.get(unit_id, ()):
        k = item.kpi
        crit = fw.criteria.get((unit_id, k.kpi_id, round_id))
        r = scored.get(k.kpi_id, {})
        seen.add(k.kpi_id)
        lines.append(
            KpiLine(
                kpi_id=k.kpi_id,
                name=k.name,
                parent_id=k.parent_id or "",
                component=k.component,
                measure_unit=k.measure_unit,
                weight=item.weight,
                thresholds=crit.thresholds if crit else (None,) * len(fw.settings.scale),
                derived_from=crit.derived_from if crit else None,
                value=r.get("value"),
                score=r.get("score"),
                weighted_score=r.get("weighted_score"),
                status=r.get("status"),
                explanation=str(r.get("explanation") or ""),
            )
        )
    for kpi_id, r in scored.items():
        if kpi_id not in seen:
            lines.append(
                KpiLine(
                    kpi_id=kpi_id,
                    name=str(r.get("kpi_name") or ""),
                    parent_id=str(r.get("parent_id") or ""),
                    component=str(r.get("component") or ""),
                    measure_unit="",
                    weight=r.get("weight") or Decimal(0),
                    thresholds=(None,) * len(fw.settings.scale),
                    derived_from=None,
                    value=r.get("value"),
                    score=r.get("score"),
                    weighted_score=r.get("weighted_score"),
                    status=r.get("status"),
                    explanation=str(r.get("explanation") or ""),
                )
            )
    return tuple(lines)


def issue_place(issue: Issue) -> str:
    return f"{issue.sheet}!{issue.cell}" if issue.sheet and issue.cell else issue.sheet


def sorted_issues(issues: Sequence[Issue]) -> list[Issue]:
    """Errors first, then by file, sheet and reading order of the cell (B9 before B10)."""

    def key(i: Issue) -> tuple[object, ...]:
        m = re.fullmatch(r"([A-Za-z]*)(\d*)", i.cell)
        letters, digits = (m[1], m[2]) if m else (i.cell, "")
        place = (int(digits or 0), len(letters), letters.upper())
        return (i.severity != "error", i.file, i.sheet, place, i.code)

    return sorted(issues, key=key)
