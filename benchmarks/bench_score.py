"""Time `score_round` (scoring + deductions + ranking + bands) on a large synthetic round,
against a plain per-row Python loop of the same rules, and check both give the same numbers.

    .venv/bin/python -m benchmarks.bench_score [--units 10000] [--kpis 15] [--repeat 3]

The framework has `--kpis` leaf KPIs per unit, in turn: higher-is-better value, lower-is-
better value, ratio, 6-month milestone with gaps (1:-:2:-:3), step method, and one in five
with 2-decimal thresholds; weights have one decimal and sum to 100. Values have 2 decimals,
2 % are missing, and some land exactly on thresholds and on rounding halves.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import time
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from types import MappingProxyType

import numpy as np
import pandas as pd

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
    Method,
    Round,
    Settings,
    Unit,
)
from kpi_batch.scoring.fastpath import score_floats
from kpi_batch.scoring.score import _float_values, build_plan
from kpi_batch.scoring.score_round import score_round

ROUND_ID = "r6"
DUE = dt.date(2024, 3, 6)
D = Decimal


def build(n_units: int, n_kpis: int, seed: int = 7) -> tuple[Framework, pd.DataFrame, pd.DataFrame]:
    rng = random.Random(seed)
    settings = Settings("กรมทดสอบ", 2567)
    rnd = Round(
        ROUND_ID,
        "รอบ 6 เดือน",
        dt.date(2023, 10, 1),
        dt.date(2024, 3, 31),
        dt.date(2024, 2, 29),
        DUE,
    )
    kinds = ["higher", "lower", "ratio", "milestone", "step"]
    kpis: list[Kpi] = []
    rows: list[tuple[Decimal | None, ...]] = []
    for j in range(n_kpis):
        kind = kinds[j % len(kinds)]
        kid = f"{j // 5 + 1}.{j % 5 + 1}"
        parent = f"{j // 5 + 1}"
        if kind == "milestone":
            kpis.append(Kpi(kid, kid, parent, "PB", KpiType.MILESTONE, Direction.HIGHER))
            rows.append((D(1), None, D(2), None, D(3)))
            continue
        direction = Direction.LOWER if kind == "lower" else Direction.HIGHER
        formula = Formula.RATIO if kind == "ratio" else Formula.VALUE
        method = Method.STEP if kind == "step" else Method.LINEAR
        kpis.append(
            Kpi(kid, kid, parent, "PB", KpiType.QUANTITATIVE, direction, "", formula, method)
        )
        base = D(rng.randint(40, 80)) + (D("0.25") if j % 5 == 4 else 0)
        gap = D(rng.choice([1, 2, 5])) + (D("0.5") if j % 5 == 4 else 0)
        ts = [base + gap * k for k in range(5)]
        rows.append(tuple(ts[::-1] if direction is Direction.LOWER else ts))
    parents = {f"{j // 5 + 1}": Kpi(f"{j // 5 + 1}", "มิติ") for j in range(n_kpis)}
    weights = [D(rng.randint(10, 100)) for _ in range(n_kpis)]
    total = sum(weights)
    weights = [(w * 100 / total).quantize(D("0.1")) for w in weights]
    weights[-1] += D(100) - sum(weights)
    units, kmap, agreements, criteria = [], {}, {}, {}
    shared_kpis = MappingProxyType({k.kpi_id: k for k in kpis} | parents)
    items = tuple(AgreementItem(k, w) for k, w in zip(kpis, weights, strict=True))
    res_rows = []
    for i in range(n_units):
        uid = f"U{i:05d}"
        units.append(Unit(uid, f"หน่วยงาน {i}", f"C{i % 4}", ()))
        kmap[uid] = shared_kpis
        agreements[uid] = items
        for k, row in zip(kpis, rows, strict=True):
            criteria[(uid, k.kpi_id, ROUND_ID)] = Criteria(row)
            rec: dict[str, object] = {"unit_id": uid, "kpi_id": k.kpi_id}
            rec |= dict.fromkeys(("value", "numerator", "denominator", "level"), np.nan)
            if rng.random() < 0.02:
                res_rows.append(rec)
                continue
            defined = [t for t in row if t is not None]
            lo, hi = float(min(defined)), float(max(defined))
            if k.kpi_type is KpiType.MILESTONE:
                rec["level"] = rng.choice([1, 1.5, 2, 2.5, 3, 0.5])
            elif k.formula is Formula.RATIO:
                den = rng.randint(50, 400)
                rec["numerator"] = float(
                    rng.randint(int(den * lo / 100) - 5, int(den * hi / 100) + 5)
                )
                rec["denominator"] = float(den)
            elif rng.random() < 0.1:
                rec["value"] = float(rng.choice(defined))
            else:
                rec["value"] = round(rng.uniform(lo - 3, hi + 3), rng.choice([2, 4, 5]))
            res_rows.append(rec)
    framework = Framework(
        settings=settings,
        rounds=(rnd,),
        clusters=tuple(Cluster(f"C{c}", f"กลุ่ม {c}") for c in range(4)),
        units=tuple(units),
        kpis=MappingProxyType(kmap),
        agreements=MappingProxyType(agreements),
        criteria=MappingProxyType(criteria),
        bands=(Band("A", "ดีเด่น", D("4.5")), Band("B", "ดี", D(3)), Band("C", "ปรับปรุง", D(0))),
    )
    results = pd.DataFrame(res_rows)
    submissions = pd.DataFrame(
        {
            "unit_id": [u.unit_id for u in units],
            "status": ["accepted"] * n_units,
            "submitted_on": [
                DUE + dt.timedelta(days=rng.choice([-3, 0, 0, 0, 1, 2, 7])) for _ in units
            ],
        }
    )
    return framework, results, submissions


# --- the baseline: one Python loop over rows, Fractions and Decimals, nothing clever -------


def _dec(x: float) -> Fraction | None:
    return None if x != x else Fraction(Decimal(repr(float(x))))


def _round4(x: Fraction) -> Decimal:
    """half_up to 4 places for x >= 0, in exact arithmetic."""
    return Decimal(math.floor(x * 10000 + Fraction(1, 2))).scaleb(-4)


def baseline(
    framework: Framework, results: pd.DataFrame, submissions: pd.DataFrame
) -> dict[str, tuple[Decimal, int]]:
    scale = framework.settings.scale
    by_key = {(r["unit_id"], r["kpi_id"]): r for r in results.to_dict("records")}
    final: dict[str, Decimal] = {}
    dates = dict(zip(submissions["unit_id"], submissions["submitted_on"], strict=True))
    for unit in framework.units:
        num, den = Fraction(0), Fraction(0)
        for item in framework.agreements[unit.unit_id]:
            k = item.kpi
            r = by_key[(unit.unit_id, k.kpi_id)]
            if k.kpi_type is KpiType.MILESTONE:
                x = _dec(r["level"])
            elif k.formula is Formula.RATIO:
                n_, d_ = _dec(r["numerator"]), _dec(r["denominator"])
                x = None if n_ is None or not d_ else n_ * 100 / d_
            else:
                x = _dec(r["value"])
            crit = framework.criteria[(unit.unit_id, k.kpi_id, ROUND_ID)]
            pairs = [
                (Fraction(t), Fraction(p))
                for t, p in zip(crit.thresholds, scale, strict=True)
                if t is not None
            ]
            s = Fraction(0)
            if x is not None:
                sign = 1 if k.direction is Direction.HIGHER else -1
                reached = [i for i, (t, _) in enumerate(pairs) if sign * x >= sign * t]
                if reached:
                    i = reached[-1]
                    if i == len(pairs) - 1 or k.method is Method.STEP:
                        s = pairs[i][1]
                    else:
                        (tp, p), (tq, q) = pairs[i], pairs[i + 1]
                        s = p + (x - tp) * (q - p) / (tq - tp)
            w = Fraction(item.weight)
            num += w * Fraction(_round4(s))
            den += w
        total = _round4(num / den)
        late = max(0, (dates[unit.unit_id] - DUE).days)
        ded = min(
            late * framework.settings.late_penalty_per_day, framework.settings.late_penalty_cap
        )
        final[unit.unit_id] = max(Decimal(0), total - ded).quantize(D("0.0001"), ROUND_HALF_UP)
    ordered = sorted(final.values(), reverse=True)
    first = {}
    for i, v in enumerate(ordered):
        first.setdefault(v, i + 1)
    return {u: (v, first[v]) for u, v in final.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=10_000)
    ap.add_argument("--kpis", type=int, default=15)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    framework, results, submissions = build(args.units, args.kpis)
    rows = len(results)

    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        out = score_round(framework, ROUND_ID, results, submissions)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    base = baseline(framework, results, submissions)
    t_base = time.perf_counter() - t0

    got = {
        u: (s, int(r))
        for u, s, r in zip(
            out.unit_scores["unit_id"],
            out.unit_scores["final_score"],
            out.unit_scores["rank"],
            strict=True,
        )
    }
    same = got == base
    rules = out.kpi_scores["rule"].value_counts().to_dict()

    # The arithmetic alone: the float64 fast path over every reported row, and how many rows
    # it hands to the exact path.
    plan = build_plan(framework, ROUND_ID)
    frame = plan.frame.merge(results, on=["unit_id", "kpi_id"])
    x = _float_values(frame)
    ok = np.isfinite(x)
    spec = frame["spec"].to_numpy()[ok]
    s = framework.settings
    t0 = time.perf_counter()
    fs = score_floats(
        x[ok],
        plan.thresholds[spec],
        np.array([float(p) for p in s.scale]),
        plan.higher[spec],
        plan.step[spec],
        s.below_lowest,
        s.decimals,
        s.rounding,
    )
    t_fast = time.perf_counter() - t0
    best = min(times)
    print(f"units x KPIs        {args.units} x {args.kpis} = {rows} KPI rows")
    runs = ", ".join(f"{t:.2f}" for t in times)
    per_row = best / rows * 1e6
    print(f"score_round (best)  {best:8.3f} s   ({per_row:6.2f} µs per KPI row; runs {runs})")
    print(f"per-row baseline    {t_base:8.3f} s   ({t_base / rows * 1e6:6.2f} µs per KPI row)")
    print(f"ratio               {t_base / best:8.2f} x")
    print(f"identical results   {same}  (final_score and rank of every unit)")
    print(f"rules               {rules}")
    print(
        f"float fast path     {t_fast:8.3f} s   for {ok.sum()} rows; "
        f"{fs.needs_exact.mean():.1%} sent to the exact path (on or next to a threshold,"
        " or near a rounding boundary)"
    )
    if not same:
        diff = [u for u in base if base[u] != got.get(u)][:5]
        raise SystemExit(
            f"baseline and score_round differ, e.g. {[(u, base[u], got.get(u)) for u in diff]}"
        )


if __name__ == "__main__":
    main()
