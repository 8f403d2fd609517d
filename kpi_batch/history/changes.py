"""The run-to-run diff as rows of a workbook: one row per unit, old and new. Pure.

    change_rows(a, b, diff_runs(a, b)) -> list[ChangeRow]

Every unit of either run gets a row (`kpi-batch diff` prints only the changed ones): the
changed units first, largest movement first as `diff_runs` sorts them, then the unchanged
ones in the later run's order (its ranking). Bands are the framework's Thai names as the
run stored them. `run_scores` turns a run still being written into the `RunScores` the
history store would give back for it, so the run can compare itself with the one before
without reading its own rows back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from kpi_batch.history.diff import UNIT_STATUS_TH, RunDiff, RunScores, UnitDiff
from kpi_batch.history.schema import TABLES, from_sql, table_rows
from kpi_batch.scoring.score_round import ScoredRound

UNCHANGED_TH = "ไม่เปลี่ยนแปลง"
_FRAMES = ("units", "kpis", "late_items", "adjustments")
_TABLE_OF = dict(zip(_FRAMES, TABLES, strict=True))


@dataclass(frozen=True)
class ChangeRow:
    unit_id: str
    unit_name: str
    score_a: Decimal | None
    score_b: Decimal | None
    change: Decimal | None
    rank_a: int | None
    rank_b: int | None
    band_a: str | None  # Thai band name
    band_b: str | None
    status_a: str | None  # None: not in that run
    status_b: str | None
    reasons: tuple[str, ...]  # Thai, one per reason; (UNCHANGED_TH,) when nothing moved

    @property
    def changed(self) -> bool:
        return self.reasons != (UNCHANGED_TH,)


def run_scores(scored: ScoredRound, run_id: str, as_of: dt.date) -> RunScores:
    """This run's scores as `History.load` would return them once recorded (same values:
    the stored rows, read back)."""
    rows = table_rows(scored)
    frames = {}
    for name, table in _TABLE_OF.items():
        columns = TABLES[table]
        values = [
            [from_sql(v, kind) for v, (_, kind) in zip(row, columns, strict=True)]
            for row in rows[table]
        ]
        frames[name] = pd.DataFrame(values, columns=[c for c, _ in columns], dtype=object)
    return RunScores(run_id=run_id, as_of=as_of, **frames)


def change_rows(a: RunScores, b: RunScores, diff: RunDiff) -> list[ChangeRow]:
    units_a = _units(a)
    units_b = _units(b)
    changed = {u.unit_id: u for u in diff.units}
    order = [u.unit_id for u in diff.units]
    order += [u for u in dict.fromkeys([*units_b, *units_a]) if u not in changed]
    return [_row(unit_id, units_a.get(unit_id), units_b.get(unit_id), changed) for unit_id in order]


def status_text(status: str | None) -> str:
    return UNIT_STATUS_TH.get(status, status or "")


def _row(
    unit_id: str, ua: dict[str, Any] | None, ub: dict[str, Any] | None, diff: dict[str, UnitDiff]
) -> ChangeRow:
    found = diff.get(unit_id)
    score_a, score_b = _get(ua, "final_score"), _get(ub, "final_score")
    change = score_b - score_a if score_a is not None and score_b is not None else None
    return ChangeRow(
        unit_id=unit_id,
        unit_name=str(_get(ub, "unit_name") or _get(ua, "unit_name") or ""),
        score_a=score_a,
        score_b=score_b,
        change=change,
        rank_a=_get(ua, "rank"),
        rank_b=_get(ub, "rank"),
        band_a=_get(ua, "band_name") or _get(ua, "band"),
        band_b=_get(ub, "band_name") or _get(ub, "band"),
        status_a=_get(ua, "status"),
        status_b=_get(ub, "status"),
        reasons=tuple(r.text for r in found.reasons) if found else (UNCHANGED_TH,),
    )


def _units(run: RunScores) -> dict[str, dict[str, Any]]:
    frame = run.units.astype(object)
    records = frame.where(frame.notna(), None).to_dict("records")
    return {str(r["unit_id"]): {str(k): v for k, v in r.items()} for r in records}


def _get(row: dict[str, Any] | None, key: str) -> Any:
    return None if row is None else row.get(key)
