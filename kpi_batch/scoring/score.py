"""Results of one round -> KPI scores, unit totals and subtotals (DOMAIN §3.1-3.5). Pure.

Input is the *working results* frame that `adjust.apply_adjustments` returns: one row per
(unit_id, kpi_id) with the reported `value`, `numerator`, `denominator`, `level` (floats,
NaN when empty) and the adjustments' `exempt` (bool), `score_set` (Decimal or None) and
`note` (why the row was changed). Which number is the KPI's result:
milestone -> `level`; quantitative with `formula = ratio` -> numerator / denominator x 100;
otherwise `value`. A float is read as the decimal the officer typed (its shortest repr).

KPI scores are rounded to `decimals` with `rounding` first; the unit total is
Σ(W x S) / ΣW over the unit's non-exempt leaf KPIs computed from those rounded scores, and
rounded the same way (a missing result counts as 0, an exempt KPI leaves both sums). A KPI
the unit marked N/A with a reason (`not_applicable`) has no score of its own until a person
decides (exempt, a score, or a result); until then it counts in the total as a missing
result does (DOMAIN §3.3: 0 with its weight), never as exempt. Parent
KPIs and components get subtotals with the same formula over their leaves. Internally a
rounded score is an integer number of units of 10**-decimals, and weights are integers of
10**-places, so every sum here is exact integer arithmetic.

Frames returned (object columns hold Decimal, exactly `decimals` places for scores):
- `score_kpis` -> one row per agreement item: unit_id, kpi_id, kpi_name, parent_id,
  component, kpi_type, direction, formula, method, value, score, weight, status
  (scored / missing / not_applicable / exempt / set), rule (interpolate.Rule),
  lower_threshold, lower_point, upper_threshold, upper_point, explanation, and the integer
  helpers score_units, w_units.
- `unit_totals` -> unit_id, total (Decimal or None when every KPI is exempt), total_units,
  weight_sum, n_kpis, n_missing, n_exempt; and a `weighted_score` column added to the KPIs:
  W x S / ΣW, the KPI's share of the total (= W x S / 100 when weights sum to 100, as the
  manual's ค่าคะแนนถ่วงน้ำหนัก), rounded. Totals are computed from scores, not from the
  rounded weighted scores, so those may not add up to the total in the last decimal.
- `subtotals` -> unit_id, level (parent / component), group_id, name, weight, score, n_kpis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from kpi_batch.issues import Issue
from kpi_batch.model import Direction, Formula, Framework, KpiType, Method, Rounding
from kpi_batch.scoring import explain as ex
from kpi_batch.scoring.codes import NO_CRITERIA, RESULT_NOT_IN_AGREEMENT
from kpi_batch.scoring.fastpath import NONE, RULES, score_floats
from kpi_batch.scoring.interpolate import Pair, Rule, score_exact
from kpi_batch.scoring.rounding import (
    as_decimal,
    decimal_places,
    from_units,
    round_ratio,
    round_ratio_array,
    round_units,
)

KEY = ["unit_id", "kpi_id"]
RESULT_FIELDS = ("value", "numerator", "denominator", "level")
NOT_APPLICABLE = "not_applicable"  # working-frame column: marked N/A with a reason
_INT_LIMIT = 2**62


@dataclass(frozen=True)
class AgreementSpecs:
    """What every unit signed for in one round: rows of the agreement with scoring specs."""

    frame: pd.DataFrame  # one row per (unit_id, kpi_id) agreement item, spec = row of specs
    spec_pairs: tuple[tuple[Pair | None, ...], ...]  # spec -> (threshold, point) per column
    thresholds: np.ndarray  # specs x scale, float64, NaN blank
    higher: np.ndarray  # per spec
    step: np.ndarray  # per spec
    weight_places: int  # weights are integers of 10**-weight_places
    groups: pd.DataFrame  # unit_id, kpi_id, level (parent/component), group_id: subtotals


def build_plan(framework: Framework, round_id: str) -> AgreementSpecs:
    """Agreement items of every unit, each tied to its criteria for `round_id`."""
    scale = framework.settings.scale
    specs: dict[tuple[object, ...], int] = {}
    spec_pairs: list[tuple[Pair | None, ...]] = []
    rows: list[tuple[object, ...]] = []
    groups: list[tuple[str, str, str, str]] = []
    places = 0
    for unit in framework.units:
        kpis = framework.kpis.get(unit.unit_id, {})
        for item in framework.agreements.get(unit.unit_id, ()):
            kpi = item.kpi
            crit = framework.criteria.get((unit.unit_id, kpi.kpi_id, round_id))
            thresholds = crit.thresholds if crit is not None else (None,) * len(scale)
            direction = kpi.direction or Direction.HIGHER
            key = (thresholds, direction, kpi.method)
            spec = specs.get(key)
            if spec is None:
                spec = specs[key] = len(spec_pairs)
                spec_pairs.append(
                    tuple(
                        None if t is None else (t, p)
                        for t, p in zip(thresholds, scale, strict=True)
                    )
                )
            places = max(places, decimal_places(item.weight))
            rows.append(
                (
                    unit.unit_id,
                    kpi.kpi_id,
                    kpi.name,
                    kpi.parent_id or "",
                    kpi.component,
                    str(kpi.kpi_type or KpiType.QUANTITATIVE),
                    str(direction),
                    str(kpi.formula),
                    str(kpi.method),
                    item.weight,
                    spec,
                    crit is not None,
                )
            )
            chain: list[str] = []
            parent = kpi.parent_id
            while parent and parent not in chain and len(chain) < 10:
                chain.append(parent)
                parent_kpi = kpis.get(parent)
                parent = parent_kpi.parent_id if parent_kpi is not None else None
            groups.extend((unit.unit_id, kpi.kpi_id, "parent", p) for p in chain)
            if kpi.component:
                groups.append((unit.unit_id, kpi.kpi_id, "component", kpi.component))
    frame = pd.DataFrame(
        rows,
        columns=[
            *KEY,
            "kpi_name",
            "parent_id",
            "component",
            "kpi_type",
            "direction",
            "formula",
            "method",
            "weight",
            "spec",
            "has_criteria",
        ],
    )
    frame["spec"] = frame["spec"].astype(np.int64)
    table = np.array(
        [[np.nan if pair is None else float(pair[0]) for pair in pairs] for pairs in spec_pairs],
        dtype=np.float64,
    ).reshape(len(spec_pairs), len(scale))
    dirs = {key: i for i, key in enumerate(specs)}
    higher = np.array([k[1] == Direction.HIGHER for k in dirs], dtype=bool)
    step = np.array([k[2] == Method.STEP for k in dirs], dtype=bool)
    group_frame = pd.DataFrame(groups, columns=[*KEY, "level", "group_id"])
    return AgreementSpecs(frame, tuple(spec_pairs), table, higher, step, places, group_frame)


def _criteria_pairs(pairs: tuple[Pair | None, ...]) -> tuple[Pair, ...]:
    return tuple(p for p in pairs if p is not None)


def exact_value(kpi_type: str, formula: str, row: Mapping[str, object]) -> Fraction | None:
    """The KPI's result as an exact fraction, or None when it is missing (or x/0)."""
    if kpi_type == KpiType.MILESTONE:
        d = as_decimal(row["level"])
        return None if d is None else Fraction(d)
    if formula == Formula.RATIO:
        n, d = as_decimal(row["numerator"]), as_decimal(row["denominator"])
        if n is None or d is None or d == 0:
            return None
        return Fraction(n) * 100 / Fraction(d)
    d = as_decimal(row["value"])
    return None if d is None else Fraction(d)


def _float_values(frame: pd.DataFrame) -> np.ndarray:
    milestone = (frame["kpi_type"] == KpiType.MILESTONE).to_numpy()
    ratio = (frame["formula"] == Formula.RATIO).to_numpy()
    value = frame["value"].to_numpy(dtype=np.float64, na_value=np.nan)
    level = frame["level"].to_numpy(dtype=np.float64, na_value=np.nan)
    num = frame["numerator"].to_numpy(dtype=np.float64, na_value=np.nan)
    den = frame["denominator"].to_numpy(dtype=np.float64, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(den == 0, np.nan, num / den * 100.0)
    return np.where(milestone, level, np.where(ratio, r, value))


# Extra places a ratio shows in its explanation when it does not end within `decimals`:
# the interpolation line must be checkable by hand, and 52.4799 (rounded for display)
# would give 4.2400 where the exact 52.47987... gives 4.2399.
RATIO_EXTRA_PLACES = 4


def _ratio_display(
    row: Mapping[str, object], decimals: int, rounding: Rounding
) -> tuple[Decimal | None, str, str]:
    """A ratio's value as shown (rounded for display only), its explanation prefix, and
    the value as the explanation's arithmetic uses it (more places, `≈`, when inexact)."""
    n, d = as_decimal(row["numerator"]), as_decimal(row["denominator"])
    if n is None or d is None or d == 0:
        return None, "", ""
    (a, b), (c, e) = n.as_integer_ratio(), d.as_integer_ratio()
    top, bottom = 100 * a * e, b * c
    shown = from_units(round_ratio(top * 10**decimals, bottom, rounding), decimals)
    if (top * 10**decimals) % bottom == 0:
        text = ex.num(shown)
        return shown, f"ร้อยละ {ex.num(n)} ÷ {ex.num(d)} × 100 = {text}", text
    places = decimals + RATIO_EXTRA_PLACES
    text = f"{from_units(round_ratio(top * 10**places, bottom, Rounding.TRUNCATE), places):f}"
    return shown, f"ร้อยละ {ex.num(n)} ÷ {ex.num(d)} × 100 ≈ {text}…", f"{text}…"


def score_kpis(
    framework: Framework, plan: AgreementSpecs, results: pd.DataFrame
) -> tuple[pd.DataFrame, list[Issue]]:
    """Score every agreement item of the plan from the working results frame."""
    settings = framework.settings
    decimals, rounding = settings.decimals, settings.rounding
    issues: list[Issue] = []
    cols = [*KEY, *RESULT_FIELDS, NOT_APPLICABLE, "exempt", "score_set", "note"]
    work = results.reindex(columns=cols)
    frame = plan.frame.merge(work, on=KEY, how="left", validate="one_to_one")
    extra = work.merge(plan.frame[KEY], on=KEY, how="left", indicator=True)
    for r in extra.loc[extra["_merge"] == "left_only", KEY].itertuples(index=False):
        issues.append(RESULT_NOT_IN_AGREEMENT.issue(unit_id=str(r.unit_id), kpi_id=str(r.kpi_id)))
    n = len(frame)
    exempt = frame["exempt"].fillna(False).astype(bool).to_numpy()
    score_set = frame["score_set"].to_numpy(dtype=object)
    is_set = np.array([s is not None and s is not pd.NA and s == s for s in score_set], bool)
    is_set &= ~exempt
    x = _float_values(frame)
    unresolved = ~exempt & ~is_set & ~np.isfinite(x)
    marked = frame[NOT_APPLICABLE].astype("boolean").fillna(False).to_numpy(dtype=bool)
    pending = unresolved & marked  # N/A, awaiting a decision: no score, 0 in the total
    missing = unresolved & ~marked
    scored = ~exempt & ~is_set & ~unresolved

    units = np.zeros(n, dtype=np.int64)
    rule = np.full(n, "", dtype=object)
    lower_col = np.full(n, NONE, dtype=np.int64)
    upper_col = np.full(n, NONE, dtype=np.int64)
    spec = frame["spec"].to_numpy()
    idx = np.flatnonzero(scored)
    if len(idx):
        fs = score_floats(
            x[idx],
            plan.thresholds[spec[idx]],
            np.array([float(p) for p in settings.scale], dtype=np.float64),
            plan.higher[spec[idx]],
            plan.step[spec[idx]],
            settings.below_lowest,
            decimals,
            rounding,
        )
        units[idx] = fs.units
        rule[idx] = np.asarray(RULES, dtype=object)[fs.rule]
        lower_col[idx] = fs.lower
        upper_col[idx] = fs.upper
        exact_rows = idx[fs.needs_exact]
    else:
        exact_rows = idx
    pairs_of = plan.spec_pairs
    lowers: list[Pair | None] = [
        None if c == NONE else pairs_of[s][c] for s, c in zip(spec, lower_col, strict=True)
    ]
    uppers: list[Pair | None] = [
        None if c == NONE else pairs_of[s][c] for s, c in zip(spec, upper_col, strict=True)
    ]
    kpi_type = frame["kpi_type"].tolist()
    formula = frame["formula"].tolist()
    direction = frame["direction"].tolist()
    method = frame["method"].tolist()
    fields = {f: frame[f].to_numpy(dtype=np.float64, na_value=np.nan) for f in RESULT_FIELDS}

    def row(i: int) -> dict[str, object]:
        return {f: fields[f][i] for f in RESULT_FIELDS}

    for i in exact_rows:
        xv = exact_value(kpi_type[i], formula[i], row(i))
        assert xv is not None  # a finite float value has an exact one
        outcome = score_exact(
            xv,
            _criteria_pairs(pairs_of[spec[i]]),
            Direction(direction[i]),
            Method(method[i]),
            settings.below_lowest,
        )
        units[i] = round_units(outcome.raw, decimals, rounding)
        rule[i] = str(outcome.rule)
        lowers[i], uppers[i] = outcome.lower, outcome.upper
    for i in np.flatnonzero(is_set):
        units[i] = round_units(score_set[i], decimals, rounding)
        rule[i] = str(Rule.SET)
    rule[missing] = str(Rule.MISSING)
    rule[pending] = str(Rule.NOT_APPLICABLE)
    rule[exempt] = str(Rule.EXEMPT)

    status = np.where(
        exempt, "exempt", np.where(is_set, "set", np.where(missing, "missing", "scored"))
    )
    status = np.where(pending, "not_applicable", status)
    no_criteria = scored & ~frame["has_criteria"].to_numpy()
    for r in frame.loc[no_criteria, KEY].itertuples(index=False):
        issues.append(NO_CRITERIA.issue(unit_id=str(r.unit_id), kpi_id=str(r.kpi_id)))

    ratio = (frame["formula"] == Formula.RATIO).to_numpy() & (
        frame["kpi_type"] != KpiType.MILESTONE
    ).to_numpy()
    plain = np.where(
        (frame["kpi_type"] == KpiType.MILESTONE).to_numpy(), fields["level"], fields["value"]
    )
    values: list[Decimal | None] = [as_decimal(v) for v in plain.tolist()]
    prefixes = [""] * n
    value_texts = ["" if v is None else ex.num(v) for v in values]
    for i in np.flatnonzero(ratio):
        values[i], prefixes[i], value_texts[i] = _ratio_display(row(int(i)), decimals, rounding)
    notes = frame["note"].fillna("").astype(str).tolist()
    higher = (frame["direction"] == Direction.HIGHER).tolist()
    scores = [from_units(u, decimals) for u in units.tolist()]
    score_texts = [f"{x:f}" for x in scores]
    rules = {str(r): r for r in Rule}
    texts = [
        ex.explain(
            rules[rule[i]],
            score_texts[i],
            value_texts[i],
            lowers[i],
            uppers[i],
            higher[i],
            f"{prefixes[i]}; {notes[i]}" if prefixes[i] and notes[i] else prefixes[i] or notes[i],
        )
        for i in range(n)
    ]

    out = frame.drop(
        columns=[
            *RESULT_FIELDS, NOT_APPLICABLE, "exempt", "score_set", "note", "spec", "has_criteria"
        ]
    )  # fmt: skip
    out["value"] = _objects(values, out.index)
    no_score = (exempt | pending).tolist()
    out["score"] = _objects(
        [None if e else x for x, e in zip(scores, no_score, strict=True)], out.index
    )
    out["status"] = status
    out["rule"] = rule.astype(str)
    out["lower_threshold"] = _objects([None if p is None else p[0] for p in lowers], out.index)
    out["lower_point"] = _objects([None if p is None else p[1] for p in lowers], out.index)
    out["upper_threshold"] = _objects([None if p is None else p[0] for p in uppers], out.index)
    out["upper_point"] = _objects([None if p is None else p[1] for p in uppers], out.index)
    out["explanation"] = texts
    out["score_units"] = units
    w_units = [int(w.scaleb(plan.weight_places)) for w in frame["weight"].tolist()]
    small = all(abs(w) < 2**31 for w in w_units)
    out["w_units"] = np.array(w_units, dtype=np.int64 if small else object)
    return out, issues


def _objects(values: Sequence[object], index: pd.Index) -> pd.Series:
    return pd.Series(values, index=index, dtype=object)


def _weighted_sums(
    keys: pd.DataFrame, w: np.ndarray, k: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Σw and Σw·k per key; also w·k and each row's Σw. int64 when no sum can overflow
    (|w|·|k|·rows < 2**62), Python ints otherwise, so the result is always exact."""
    wmax = int(np.max(np.abs(w), initial=0))
    kmax = int(np.max(np.abs(k), initial=0))
    safe = wmax * max(kmax, 1) * max(len(w), 1) < _INT_LIMIT
    wa = np.asarray(w, dtype=np.int64 if safe else object)
    ka = np.asarray(k, dtype=np.int64 if safe else object)
    df = keys.reset_index(drop=True).assign(w=wa, wk=wa * ka)
    grouped = df.groupby(list(keys.columns), sort=False)
    row_w = grouped["w"].transform("sum").to_numpy()
    sums = grouped[["w", "wk"]].sum().reset_index()
    return sums, df["wk"].to_numpy(), row_w


def _divide(num: np.ndarray, den: np.ndarray, rounding: Rounding) -> list[int | None]:
    """num / den rounded per row; None where den == 0."""
    if num.dtype == np.int64 and den.dtype == np.int64:
        ok = den != 0
        q = round_ratio_array(num, np.where(ok, den, 1), rounding)
        return [int(v) if o else None for v, o in zip(q, ok, strict=True)]
    return [
        None if int(d) == 0 else round_ratio(int(n), int(d), rounding)
        for n, d in zip(num, den, strict=True)
    ]


def unit_totals(
    framework: Framework, plan: AgreementSpecs, kpis: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Unit totals from the rounded KPI scores; also returns `kpis` with `weighted_score`."""
    decimals, rounding = framework.settings.decimals, framework.settings.rounding
    counted = (kpis["status"] != "exempt").to_numpy()
    w = np.where(counted, kpis["w_units"].to_numpy(), 0)
    sums, wk, row_w = _weighted_sums(kpis[["unit_id"]], w, kpis["score_units"].to_numpy())
    total_units = _divide(sums["wk"].to_numpy(), sums["w"].to_numpy(), rounding)
    totals = sums[["unit_id"]].copy()
    totals["total"] = _objects(
        [None if t is None else from_units(t, decimals) for t in total_units], totals.index
    )
    totals["total_units"] = pd.array(total_units, dtype="Int64")
    totals["weight_sum"] = _objects(
        [from_units(int(d), plan.weight_places) for d in sums["w"]], totals.index
    )
    flags = kpis.assign(missing=kpis["status"] == "missing", exempt=kpis["status"] == "exempt")
    counts = flags.groupby("unit_id", sort=False).agg(
        n_kpis=("kpi_id", "size"), n_missing=("missing", "sum"), n_exempt=("exempt", "sum")
    )
    totals = totals.merge(counts, left_on="unit_id", right_index=True)
    weighted = _divide(wk, row_w, rounding)
    with_ws = kpis.copy()
    # an N/A awaiting a decision has no score, so no weighted score either (0 in the total)
    shown = counted & (kpis["status"] != "not_applicable").to_numpy()
    with_ws["weighted_score"] = _objects(
        [
            None if q is None or not c else from_units(q, decimals)
            for q, c in zip(weighted, shown, strict=True)
        ],
        kpis.index,
    )
    return totals, with_ws


def subtotals(framework: Framework, plan: AgreementSpecs, kpis: pd.DataFrame) -> pd.DataFrame:
    """Subtotals per parent KPI (every ancestor) and per component, same formula as the total."""
    decimals, rounding = framework.settings.decimals, framework.settings.rounding
    cols = ["unit_id", "level", "group_id", "weight", "score", "n_kpis", "name"]
    counted = kpis.loc[kpis["status"] != "exempt", [*KEY, "w_units", "score_units"]]
    g = counted.merge(plan.groups, on=KEY)
    if g.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    by = ["unit_id", "level", "group_id"]
    sums, _, _ = _weighted_sums(g[by], g["w_units"].to_numpy(), g["score_units"].to_numpy())
    sizes = g.groupby(by, sort=False).size().rename("n_kpis")
    sums = sums.merge(sizes, left_on=by, right_index=True)
    scores = _divide(sums["wk"].to_numpy(), sums["w"].to_numpy(), rounding)
    sums["score"] = _objects(
        [None if q is None else from_units(q, decimals) for q in scores], sums.index
    )
    sums["weight"] = _objects(
        [from_units(int(d), plan.weight_places) for d in sums["w"].tolist()], sums.index
    )
    names = {}
    for unit_id, level, group_id in sums[by].drop_duplicates().itertuples(index=False):
        kpi = framework.kpis.get(unit_id, {}).get(group_id) if level == "parent" else None
        names[(unit_id, level, group_id)] = kpi.name if kpi is not None else group_id
    sums["name"] = [names[k] for k in zip(*(sums[c].tolist() for c in by), strict=True)]
    return sums[cols]
