"""Reviews and appeals applied to a round's results (DOMAIN §6, §3.7). Pure.

`apply_adjustments` takes the results and submissions as intake delivered them and the
adjustments frame (one row per adjustment; its index is kept as `row`, so intake should
index it by the Excel row number), and applies the rows of the requested stages: review rows
first, then appeal rows, each stage in frame order, so a later row for the same field wins.
The pre-appeal score is the run with stages=("review",); the final score the run with
("review", "appeal"), both from the same inputs.

The adjustments frame is `schemas.adjustments.Adjustments` as `adjustments.load_adjustments`
returns it (the parsed `new_number` / `new_date` are used, `excel_row` names the row); a
frame with only the DOMAIN §6 text columns works too (`new_value` is parsed here).

Fields: value, numerator, denominator, level replace the reported number (blank clears it,
making the result missing); score sets the KPI score directly (blank clears an earlier set);
exempt 1 drops the KPI (0 takes it back); submitted_on replaces the submission date;
late_days (kpi_id `*`) adds a late item of that many days; as the reader's rules say
(one late item per unit and stage), an appeal's late_days replaces the review's. A row that
cannot be applied (unknown unit or KPI, bad number, `*` on a KPI field, ...) is skipped with
an Issue and does not appear in `applied`.

Working results frame (input of `score.score_kpis`): unit_id, kpi_id, value, numerator,
denominator, level (float64), exempt (bool), score_set (Decimal or None), note (Thai text of
what was changed, for the explanation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

from kpi_batch.issues import Issue, error
from kpi_batch.model import Framework
from kpi_batch.rounding import as_decimal
from kpi_batch.score import KEY, RESULT_FIELDS
from kpi_batch.thai import parse_date

STAGES = ("review", "appeal")
KPI_FIELDS = (*RESULT_FIELDS, "score", "exempt")
UNIT_FIELDS = ("submitted_on", "late_days")
FIELDS = (*KPI_FIELDS, *UNIT_FIELDS)
STAGE_TH = {"review": "ทบทวน", "appeal": "อุทธรณ์"}
APPLIED_COLUMNS = [
    "stage",
    "unit_id",
    "kpi_id",
    "field",
    "old_value",
    "new_value",
    "reason",
    "reference",
    "row",
]
_TRUE = {"1", "true", "yes", "y", "ใช่", "ยกเว้น"}
_FALSE = {"0", "false", "no", "n", "ไม่", ""}


@dataclass(frozen=True)
class Adjusted:
    results: pd.DataFrame  # the working results frame (module docstring)
    submissions: pd.DataFrame  # unit_id, status, submitted_on (dates replaced)
    late_extra: pd.DataFrame  # unit_id, days, stage, reason, reference
    applied: pd.DataFrame  # APPLIED_COLUMNS, in the order applied
    issues: tuple[Issue, ...]


def _text(x: object) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)) or x is pd.NA or x is pd.NaT:
        return ""
    return str(x).strip()


def _show(x: object) -> str:
    if isinstance(x, float):
        return "" if np.isnan(x) else str(as_decimal(x))
    if isinstance(x, dt.date):
        return x.isoformat()
    return _text(x)


def _typed(r: pd.Series) -> object:
    """The parsed new value when the reader gave one (new_number / new_date), else the text."""
    for col in ("new_number", "new_date"):
        v = r.get(col)
        if v is not None and not (isinstance(v, float) and np.isnan(v)) and v is not pd.NA:
            return v
    return r.get("new_value")


def _number(x: object) -> Decimal | None:
    """A number cell -> Decimal; None for blank; raises ValueError for anything else."""
    if isinstance(x, str) and not x.strip():
        return None
    try:
        return as_decimal(x)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(str(x)) from exc


def apply_adjustments(
    framework: Framework,
    results: pd.DataFrame,
    submissions: pd.DataFrame,
    adjustments: pd.DataFrame | None,
    stages: Sequence[str] = STAGES,
) -> Adjusted:
    """Apply the adjustments of `stages` (see the module docstring). Inputs are not changed."""
    work = results.reindex(columns=[*KEY, *RESULT_FIELDS]).reset_index(drop=True)
    for f in RESULT_FIELDS:
        work[f] = work[f].astype("float64")
    work["exempt"] = False
    work["score_set"] = pd.Series([None] * len(work), dtype=object)
    work["note"] = ""
    subs = submissions.reindex(columns=["unit_id", "status", "submitted_on"]).reset_index(drop=True)
    subs["submitted_on"] = subs["submitted_on"].astype(object)
    position = {k: i for i, k in enumerate(zip(work["unit_id"], work["kpi_id"], strict=True))}
    sub_pos = {u: i for i, u in enumerate(subs["unit_id"])}
    signed = {u: {a.kpi.kpi_id for a in items} for u, items in framework.agreements.items()}
    units = {u.unit_id for u in framework.units}
    extra: list[tuple[str, int, str, str, str]] = []
    applied: list[tuple[object, ...]] = []
    issues: list[Issue] = []
    new_rows: list[dict[str, object]] = []

    if adjustments is None or adjustments.empty:
        rows: list[tuple[object, pd.Series]] = []
    else:
        order = {s: i for i, s in enumerate(STAGES)}
        adj = adjustments.assign(
            _stage=adjustments["stage"].map(lambda s: _text(s).lower()),
            _field=adjustments["field"].map(lambda s: _text(s).lower()),
        )
        adj = adj[adj["_stage"].isin(list(stages)) | ~adj["_stage"].isin(list(STAGES))]
        adj = adj.assign(_order=adj["_stage"].map(lambda s: order.get(s, -1)))
        adj = adj.sort_values("_order", kind="stable")
        rows = list(adj.iterrows())

    for row_id, r in rows:
        stage, field = str(r["_stage"]), str(r["_field"])
        unit_id, kpi_id = _text(r["unit_id"]), _text(r["kpi_id"]) or "*"
        reason, reference = _text(r.get("reason")), _text(r.get("reference"))
        row_no = r.get("excel_row", row_id)
        where = {"sheet": "adjustments", "unit_id": unit_id, "kpi_id": kpi_id}
        raw = _typed(r)

        def bad(code: str, th: str, en: str, raw: object = raw, where: dict = where) -> None:
            issues.append(error(code, th, en, value=_show(raw), **where))

        if stage not in STAGES:
            bad("adjustment_stage", f"ขั้นตอน '{stage}' ไม่ถูกต้อง (review/appeal)", "unknown stage")
            continue
        if field not in FIELDS:
            bad("adjustment_field", f"ช่อง '{field}' ปรับไม่ได้", f"unknown field {field!r}")
            continue
        if unit_id not in units:
            bad("adjustment_unit", f"ไม่พบหน่วยงาน {unit_id}", f"unknown unit {unit_id!r}")
            continue
        try:
            if field in UNIT_FIELDS:
                old: object
                if field == "late_days":
                    d = _number(raw)
                    if d is None or d < 0 or d != d.to_integral_value():
                        raise ValueError(_show(raw))
                    # An appeal's late item replaces the review's (one per unit and stage).
                    old = sum(e[1] for e in extra if e[0] == unit_id)
                    extra[:] = [e for e in extra if e[0] != unit_id or e[2] == stage]
                    extra.append((unit_id, int(d), stage, reason, reference))
                else:
                    day = parse_date(raw.date() if isinstance(raw, pd.Timestamp) else raw)
                    if day is None:
                        raise ValueError(_show(raw))
                    i = sub_pos.get(unit_id)
                    if i is None:
                        sub_pos[unit_id] = i = len(subs)
                        subs.loc[i] = [unit_id, "missing", None]
                    old = subs.at[i, "submitted_on"]
                    subs.at[i, "submitted_on"] = day
                applied.append(
                    (
                        stage,
                        unit_id,
                        kpi_id,
                        field,
                        _show(old),
                        _show(raw),
                        reason,
                        reference,
                        row_no,
                    )
                )
                continue
            if kpi_id == "*" or kpi_id not in signed.get(unit_id, set()):
                bad(
                    "adjustment_kpi",
                    f"ไม่พบตัวชี้วัด {kpi_id} ในคำรับรองของหน่วยงาน {unit_id}",
                    f"{kpi_id!r} is not in the agreement of {unit_id}",
                )
                continue
            i = position.get((unit_id, kpi_id))
            if i is None:  # the unit sent no row for this KPI: start from an empty one
                i = position[(unit_id, kpi_id)] = len(work) + len(new_rows)
                new_rows.append(
                    {"unit_id": unit_id, "kpi_id": kpi_id, "exempt": False, "note": ""}
                    | {f: np.nan for f in RESULT_FIELDS}
                    | {"score_set": None}
                )
            target = new_rows[i - len(work)] if i >= len(work) else None

            def get(col: str, i: int = i, target: dict | None = target) -> object:
                return target[col] if target is not None else work.at[i, col]

            def put(col: str, v: object, i: int = i, target: dict | None = target) -> None:
                if target is not None:
                    target[col] = v
                else:
                    work.at[i, col] = v  # type: ignore[assignment]

            new: object
            if field == "exempt":
                flag = _text(raw).lower()
                if flag not in _TRUE | _FALSE:
                    raise ValueError(flag)
                old, new = get("exempt"), flag in _TRUE
            elif field == "score":
                d = _number(raw)
                if d is not None and not (0 <= d <= framework.settings.top_point):
                    raise ValueError(_show(raw))
                old, new = get("score_set"), d
            else:
                d = _number(raw)
                old, new = get(field), np.nan if d is None else float(d)
            put({"score": "score_set"}.get(field, field), new)
            note = f"{STAGE_TH[stage]}: {field} {_show(old) or '-'} → {_show(raw) or '-'}"
            if reason:
                note += f" ({reason})"
            prev = str(get("note"))
            put("note", f"{prev}; {note}" if prev else note)
            applied.append(
                (stage, unit_id, kpi_id, field, _show(old), _show(raw), reason, reference, row_no)
            )
        except ValueError:
            bad(
                "adjustment_value",
                f"ค่าใหม่ของ {field} ไม่ถูกต้อง",
                f"invalid new_value for {field}",
            )
    if new_rows:
        work = pd.concat([work, pd.DataFrame(new_rows)], ignore_index=True)
        work["exempt"] = work["exempt"].astype(bool)
    return Adjusted(
        results=work,
        submissions=subs,
        late_extra=pd.DataFrame(extra, columns=["unit_id", "days", "stage", "reason", "reference"]),
        applied=pd.DataFrame(applied, columns=APPLIED_COLUMNS),
        issues=tuple(issues),
    )
