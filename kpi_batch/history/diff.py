"""Run-to-run differences per unit, and why each unit moved. Pure.

    diff_runs(a, b) -> RunDiff        # a = the earlier run, b = the later one

For every unit whose score, rank or status changed, or whose results changed, a `UnitDiff`
with the reasons in Thai, as a planning officer would write them in a memo:

    อันดับ −3 (2 → 5), คะแนน −0.3500 (3.4500 → 3.1000): หักคะแนนส่งช้า −0.25 (ส่งรายงานช้า 5 วัน);
    ตัวชี้วัด 1.1.3 ผล 82 → 74 (คะแนน 4.4 → 2.8)

Reasons, in this order: the unit's status (missing → scored ...); then deductions and KPI
changes by how much each moved the final score (a deduction by its penalty, a KPI by its
weighted score, W × S / ΣW); then review and appeal rows that appeared, changed or went.
Units are sorted by the largest movement: status changes first, then by the size of the
score change, then of the rank change. Numbers inside reasons are shown without trailing
zeros (`82`, `−0.25`); the scores in the headline keep their decimals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from kpi_batch.specs.adjustments import FIELD_TH

MINUS = "\u2212"  # the minus sign, as in the manuals: −0.25
ARROW = "→"
BLANK = "ว่าง"
UNIT_STATUS_TH = {
    "scored": "คิดคะแนนแล้ว",
    "missing": "ไม่ได้ส่ง",
    "rejected": "ส่งแต่ไม่ผ่านการตรวจ",
    None: "ไม่อยู่ในการประมวลผล",
}
KPI_STATUS_TH = {
    "scored": "รายงานผลแล้ว",
    "missing": "ไม่รายงานผล",
    "not_applicable": "แจ้งไม่มีผล (N/A) รอพิจารณา",
    "exempt": "ได้รับยกเว้น",
    "set": "กำหนดคะแนนโดยเจ้าภาพ/คณะกรรมการ",
}
KEPT = ("exempt", "set")  # statuses whose score does not follow the reported value
STAGE_TH = {"review": "ทบทวนโดยเจ้าภาพตัวชี้วัด", "appeal": "อุทธรณ์"}
# Reason kinds, in the order they are listed when their movement is equal.
STATUS, DEDUCTION, KPI, ADJUSTMENT, OTHERS = "status", "deduction", "kpi", "adjustment", "others"
_KIND_ORDER = {STATUS: 0, DEDUCTION: 1, KPI: 2, ADJUSTMENT: 3, OTHERS: 4}
Row = dict[str, Any]


@dataclass(frozen=True)
class RunScores:
    """One run as the history store keeps it (Decimals for scores, None when empty).

    units: unit_id, unit_name, final_score, rank, band, status (in the run's order)
    kpis: unit_id, kpi_id, value, score, weight, weighted_score, status
    late_items: unit_id, item (submission / adjustment), days, penalty, stage, reason
    adjustments: stage, unit_id, kpi_id, field, old_value, new_value, reason
    """

    run_id: str
    as_of: dt.date
    units: pd.DataFrame
    kpis: pd.DataFrame
    late_items: pd.DataFrame
    adjustments: pd.DataFrame


@dataclass(frozen=True)
class Reason:
    kind: str
    text: str
    impact: Decimal  # change of the final score this reason accounts for (0 when unknown)


@dataclass(frozen=True)
class UnitDiff:
    unit_id: str
    unit_name: str
    score_a: Decimal | None
    score_b: Decimal | None
    rank_a: int | None
    rank_b: int | None
    status_a: str | None  # None: the unit is not in that run
    status_b: str | None
    band_a: str | None
    band_b: str | None
    reasons: tuple[Reason, ...]

    @property
    def change(self) -> Decimal | None:
        if self.score_a is None or self.score_b is None:
            return None
        return self.score_b - self.score_a

    @property
    def rank_move(self) -> int | None:
        """Places gained (+) or lost (−): rank 2 → 5 is −3."""
        if self.rank_a is None or self.rank_b is None:
            return None
        return self.rank_a - self.rank_b

    @property
    def status_changed(self) -> bool:
        return self.status_a != self.status_b

    def headline(self) -> str:
        parts = []
        if self.rank_a != self.rank_b:
            move = self.rank_move
            ranks = f"{_rank(self.rank_a)} {ARROW} {_rank(self.rank_b)}"
            parts.append(f"อันดับ {_signed_int(move)} ({ranks})" if move else f"อันดับ {ranks}")
        if self.score_a != self.score_b:
            scores = f"{_exact(self.score_a)} {ARROW} {_exact(self.score_b)}"
            change = self.change
            parts.append(
                f"คะแนน {_signed(change, exact=True)} ({scores})" if change else f"คะแนน {scores}"
            )
        if self.band_a != self.band_b and self.band_a and self.band_b:
            parts.append(f"กลุ่มคะแนน {self.band_a} {ARROW} {self.band_b}")
        return ", ".join(parts) or "คะแนนและอันดับเท่าเดิม"

    def text(self) -> str:
        """`headline: reason; reason` — one line per unit."""
        return f"{self.headline()}: " + "; ".join(r.text for r in self.reasons)

    def sort_key(self) -> tuple[int, Decimal, int]:
        change = abs(self.change) if self.change is not None else Decimal(0)
        return (0 if self.status_changed else 1, -change, -abs(self.rank_move or 0))


@dataclass(frozen=True)
class RunDiff:
    run_a: str
    run_b: str
    as_of_a: dt.date
    as_of_b: dt.date
    units: tuple[UnitDiff, ...]  # changed units, largest movement first
    unchanged: int  # units with nothing to report


def diff_runs(a: RunScores, b: RunScores) -> RunDiff:
    units_a, units_b = _by(a.units, "unit_id"), _by(b.units, "unit_id")
    order = list(units_b) + [u for u in units_a if u not in units_b]
    frames = ("late_items", "kpis", "adjustments")
    rows_a = {name: _grouped(getattr(a, name)) for name in frames}
    rows_b = {name: _grouped(getattr(b, name)) for name in frames}
    changed: list[UnitDiff] = []
    for unit_id in order:
        found = _unit_diff(
            units_a.get(unit_id),
            units_b.get(unit_id),
            {name: rows.get(unit_id, []) for name, rows in rows_a.items()},
            {name: rows.get(unit_id, []) for name, rows in rows_b.items()},
        )
        if found is not None:
            changed.append(found)
    changed.sort(key=UnitDiff.sort_key)  # stable: ties keep run b's order
    return RunDiff(a.run_id, b.run_id, a.as_of, b.as_of, tuple(changed), len(order) - len(changed))


def _unit_diff(
    ua: Row | None, ub: Row | None, a: dict[str, list[Row]], b: dict[str, list[Row]]
) -> UnitDiff | None:
    """One unit's diff from its unit row and its late items, KPIs and adjustments in each
    run; None when nothing changed."""
    unit_id = str(_get(ub, "unit_id") or _get(ua, "unit_id"))
    status_a, status_b = _get(ua, "status"), _get(ub, "status")
    reasons: list[Reason] = []
    if status_a != status_b:
        reasons.append(
            Reason(
                STATUS,
                f"สถานะ {UNIT_STATUS_TH.get(status_a, status_a)} {ARROW} "
                f"{UNIT_STATUS_TH.get(status_b, status_b)} ({status_a or '-'} → {status_b or '-'})",
                Decimal(0),
            )
        )
    elif status_b == "scored":
        numeric = _deduction_reasons(a["late_items"], b["late_items"])
        numeric += _kpi_reasons(a["kpis"], b["kpis"])
        numeric.sort(key=lambda r: (-abs(r.impact), _KIND_ORDER[r.kind]))  # stable
        reasons += numeric
    reasons += _adjustment_reasons(a["adjustments"], b["adjustments"])
    score_a, score_b = _get(ua, "final_score"), _get(ub, "final_score")
    rank_a, rank_b = _int(_get(ua, "rank")), _int(_get(ub, "rank"))
    if not reasons:
        if score_a == score_b and rank_a == rank_b:
            return None
        reasons.append(
            Reason(
                OTHERS,
                "คะแนนเท่าเดิม อันดับเปลี่ยนตามหน่วยงานอื่น (score unchanged; other units moved)"
                if score_a == score_b
                else "ไม่พบการเปลี่ยนแปลงรายตัวชี้วัด (no KPI-level change found)",
                Decimal(0),
            )
        )
    return UnitDiff(
        unit_id=unit_id,
        unit_name=str(_get(ub, "unit_name") or _get(ua, "unit_name") or ""),
        score_a=score_a,
        score_b=score_b,
        rank_a=rank_a,
        rank_b=rank_b,
        status_a=status_a,
        status_b=status_b,
        band_a=_get(ua, "band"),
        band_b=_get(ub, "band"),
        reasons=tuple(reasons),
    )


def _deduction_reasons(items_a: list[Row], items_b: list[Row]) -> list[Reason]:
    """Late items matched by what they are: the submission itself, or an adjustment item by
    its reason. Only a change of penalty is a reason (more days past the cap change nothing)."""

    def key(item: Mapping[str, Any]) -> tuple[str, str]:
        return (str(item["item"]), "" if item["item"] == "submission" else str(item["reason"]))

    by_a = {key(i): i for i in items_a}
    by_b = {key(i): i for i in items_b}
    reasons = []
    for k in list(by_b) + [k for k in by_a if k not in by_b]:
        ia, ib = by_a.get(k), by_b.get(k)
        pa = _get(ia, "penalty") or Decimal(0)
        pb = _get(ib, "penalty") or Decimal(0)
        if pa == pb:
            continue
        what = k[1] or "ส่งรายงานช้า"
        days_a, days_b = _get(ia, "days"), _get(ib, "days")
        if pa == 0:
            text = f"หักคะแนนส่งช้า {_signed(-pb)} ({what} {days_b} วัน)"
        elif pb == 0:
            text = f"ยกเลิกหักคะแนนส่งช้า {_signed(pa)} (เดิม {what} {days_a} วัน)"
        else:
            text = (
                f"หักคะแนนส่งช้า {_signed(-pa)} {ARROW} {_signed(-pb)} "
                f"({what} {days_a} {ARROW} {days_b} วัน)"
            )
        reasons.append(Reason(DEDUCTION, text, pa - pb))
    return reasons


def _kpi_reasons(kpis_a: list[Row], kpis_b: list[Row]) -> list[Reason]:
    by_a = {str(k["kpi_id"]): k for k in kpis_a}
    by_b = {str(k["kpi_id"]): k for k in kpis_b}
    reasons = []
    for kpi_id in list(by_b) + [k for k in by_a if k not in by_b]:
        ka, kb = by_a.get(kpi_id), by_b.get(kpi_id)
        parts: list[str] = []
        if ka is None:
            parts.append("เพิ่มในคำรับรอง")
        elif kb is None:
            parts.append("ไม่อยู่ในคำรับรองแล้ว")
        elif ka["status"] != kb["status"]:
            parts.append(KPI_STATUS_TH.get(kb["status"], str(kb["status"])))
        va, vb = _get(ka, "value"), _get(kb, "value")
        sa, sb = _get(ka, "score"), _get(kb, "score")
        wa, wb = _get(ka, "weight"), _get(kb, "weight")
        value_changed = ka is not None and kb is not None and va != vb
        if value_changed:
            parts.append(f"ผล {_num(va)} {ARROW} {_num(vb)}")
        if sa != sb:
            scores = f"คะแนน {_exact(sa)} {ARROW} {_exact(sb)}"
            parts.append(f"({scores})" if value_changed else scores)
        if ka is not None and kb is not None and wa != wb:
            parts.append(f"น้ำหนัก {_num(wa)} {ARROW} {_num(wb)}")
        if not parts:
            continue
        if ka is not None and kb is not None and ka["status"] == kb["status"] in KEPT:
            parts.append(f"({KPI_STATUS_TH[kb['status']]})")  # why the score did not follow
        impact = (_get(kb, "weighted_score") or Decimal(0)) - (
            _get(ka, "weighted_score") or Decimal(0)
        )
        reasons.append(Reason(KPI, f"ตัวชี้วัด {kpi_id} " + " ".join(parts), impact))
    return reasons


def _adjustment_reasons(rows_a: list[Row], rows_b: list[Row]) -> list[Reason]:
    """Review and appeal rows matched by (stage, KPI, field); new, changed or withdrawn."""

    def key(row: Mapping[str, Any]) -> tuple[str, str, str]:
        return (str(row["stage"]), str(row["kpi_id"]), str(row["field"]))

    by_a = {key(r): r for r in rows_a}
    by_b = {key(r): r for r in rows_b}
    reasons = []
    for k in list(by_b) + [k for k in by_a if k not in by_b]:
        ra, rb = by_a.get(k), by_b.get(k)
        stage, kpi_id, field = k
        where = "ทั้งหน่วยงาน" if kpi_id == "*" else f"ตัวชี้วัด {kpi_id}"
        label = FIELD_TH.get(field, field)
        if ra is not None and rb is not None:
            if ra["new_value"] == rb["new_value"]:
                continue
            text = (
                f"{STAGE_TH.get(stage, stage)}: {where} {label} "
                f"{ra['new_value']} {ARROW} {rb['new_value']} ({rb['reason']})"
            )
        elif rb is not None:
            text = (
                f"{STAGE_TH.get(stage, stage)}: {where} {label} {ARROW} {rb['new_value']} "
                f"({rb['reason']})"
            )
        else:
            assert ra is not None
            text = f"ยกเลิก{STAGE_TH.get(stage, stage)}: {where} {label} {ra['new_value']}"
        reasons.append(Reason(ADJUSTMENT, text, Decimal(0)))
    return reasons


# --- helpers ---------------------------------------------------------------------------


def _by(frame: pd.DataFrame, key: str) -> dict[str, Row]:
    return {str(rec[key]): rec for rec in _records(frame)}


def _grouped(frame: pd.DataFrame) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for rec in _records(frame):
        out.setdefault(str(rec["unit_id"]), []).append(rec)
    return out


def _records(frame: pd.DataFrame) -> list[Row]:
    return [{str(k): _clean(v) for k, v in rec.items()} for rec in frame.to_dict("records")]


def _clean(value: Any) -> Any:
    """pandas' missing markers (NaN, NA, NaT) -> None; everything else as is."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    return value


def _get(row: Mapping[str, Any] | None, key: str) -> Any:
    return None if row is None else row.get(key)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _num(value: Decimal | None) -> str:
    """82.0000 -> 82, 0.2500 -> 0.25, None -> ว่าง (exact: no float on the way)."""
    if value is None:
        return BLANK
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def _exact(value: Decimal | None) -> str:
    return BLANK if value is None else f"{value:f}"


def _signed(value: Decimal | None, exact: bool = False) -> str:
    if value is None:
        return BLANK
    shown = _exact(abs(value)) if exact else _num(abs(value))
    if value < 0:
        return MINUS + shown
    return "+" + shown if value > 0 else shown


def _signed_int(value: int | None) -> str:
    if value is None:
        return ""
    return f"{MINUS}{-value}" if value < 0 else f"+{value}" if value > 0 else "0"


def _rank(value: int | None) -> str:
    return "-" if value is None else str(value)
