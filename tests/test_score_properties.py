"""Properties of the arithmetic (STYLE: property tests, as pandera does).

- the float64 fast path never disagrees with the exact path on a row it trusts, including
  values on thresholds and scores exactly on rounding halves;
- a score is monotonic in the value in the KPI's direction and bounded by [0, top point];
- unit scores do not depend on row order or on multiplying every weight by a constant;
- ranks are competition ranks consistent with the sorted scores.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scoring_factories import ROUND, UnitSpec, framework, kpi, results, submissions

from kpi_batch.model import BelowLowest, Direction, Method, Rounding
from kpi_batch.scoring.fastpath import NONE, RULES, score_floats
from kpi_batch.scoring.interpolate import score_exact
from kpi_batch.scoring.rounding import round_units
from kpi_batch.scoring.score_round import score_round

SCALES = [
    (1, 2, 3, 4, 5),
    (50, 75, 100),
    (Decimal("0.05"), Decimal("0.1"), Decimal("0.15"), Decimal("0.2"), Decimal("0.25")),
]
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def tables(draw: st.DrawFn) -> tuple[tuple[Decimal, ...], list[Decimal | None], Direction]:
    """A scale and monotonic thresholds with some blanks (at least one defined)."""
    scale = tuple(Decimal(str(p)) for p in draw(st.sampled_from(SCALES)))
    places = draw(st.integers(0, 4))
    start = draw(st.integers(-5000, 100000))
    steps = draw(st.lists(st.integers(1, 5000), min_size=len(scale), max_size=len(scale)))
    ts = []
    acc = start
    for s in steps:
        acc += s
        ts.append(Decimal(acc).scaleb(-places))
    direction = draw(st.sampled_from(list(Direction)))
    if direction == Direction.LOWER:
        ts = ts[::-1]
    blanks = draw(st.lists(st.booleans(), min_size=len(scale), max_size=len(scale)))
    row: list[Decimal | None] = [None if b else t for t, b in zip(ts, blanks, strict=True)]
    if all(t is None for t in row):
        row[0] = ts[0]
    return scale, row, direction


@st.composite
def values_for(
    draw: st.DrawFn, scale: tuple[Decimal, ...], row: list[Decimal | None], decimals: int
) -> Decimal:
    """Values that stress the fast path: on thresholds, next to them, scores on halves."""
    pairs = [(t, p) for t, p in zip(row, scale, strict=True) if t is not None]
    kind = draw(st.sampled_from(["threshold", "near", "half", "any"]))
    t0 = draw(st.sampled_from(pairs))[0]
    if kind == "threshold":
        return t0
    if kind == "near":
        return t0 + draw(st.sampled_from([-1, 1])) * Decimal(1).scaleb(-draw(st.integers(4, 9)))
    if kind == "half" and len(pairs) > 1:
        k = draw(st.integers(0, len(pairs) - 2))
        (tp, p), (tq, q) = pairs[k], pairs[k + 1]
        j = draw(
            st.integers(
                0, 2 * 10**decimals * int(abs(q - p)) if q - p >= 1 else 2 * 10**decimals // 20
            )
        )
        target = Fraction(p) + Fraction(2 * j + 1, 2 * 10**decimals) / (2 if q - p < 1 else 1)
        x = Fraction(tp) + (target - Fraction(p)) * Fraction(tq - tp) / Fraction(q - p)
        d = Decimal(x.numerator) / Decimal(x.denominator)
        assume(Fraction(d) == x and len(d.normalize().as_tuple().digits) <= 15)
        return d
    lo = min(t for t, _ in pairs) - 10
    hi = max(t for t, _ in pairs) + 10
    return Decimal(str(draw(st.floats(float(lo), float(hi), allow_nan=False)))).quantize(
        Decimal("0.0001")
    )


@FAST
@given(data=st.data())
def test_fast_path_agrees_with_exact(data: st.DataObject) -> None:
    scale, row, direction = data.draw(tables())
    decimals = data.draw(st.sampled_from([2, 4]))
    rounding = data.draw(st.sampled_from(list(Rounding)))
    below = data.draw(st.sampled_from(list(BelowLowest)))
    method = data.draw(st.sampled_from(list(Method)))
    xs = data.draw(st.lists(values_for(scale, row, decimals), min_size=1, max_size=20))
    n = len(xs)
    thresholds = np.array([[np.nan if t is None else float(t) for t in row]] * n)
    fs = score_floats(
        np.array([float(x) for x in xs]),
        thresholds,
        np.array([float(p) for p in scale]),
        np.full(n, direction == Direction.HIGHER),
        np.full(n, method == Method.STEP),
        below,
        decimals,
        rounding,
    )
    pairs = [(t, p) for t, p in zip(row, scale, strict=True) if t is not None]
    columns = [i for i, t in enumerate(row) if t is not None]
    for i, x in enumerate(xs):
        exact = score_exact(Fraction(x), pairs, direction, method, below)
        if fs.needs_exact[i]:
            continue
        assert fs.units[i] == round_units(exact.raw, decimals, rounding), (x, exact)
        assert RULES[fs.rule[i]] == exact.rule
        lower = None if fs.lower[i] == NONE else pairs[columns.index(int(fs.lower[i]))]
        upper = None if fs.upper[i] == NONE else pairs[columns.index(int(fs.upper[i]))]
        assert (lower, upper) == (exact.lower, exact.upper)


def test_fast_path_sends_the_manual_trap_to_the_exact_path() -> None:
    fs = score_floats(
        np.array([65.00025, 73.0, 73.1]),
        np.array([[60.0, 65, 70, 75, 80]] * 3),
        np.array([1.0, 2, 3, 4, 5]),
        np.full(3, True),
        np.full(3, False),
        BelowLowest.ZERO,
        4,
        Rounding.HALF_UP,
    )
    assert fs.needs_exact.tolist() == [True, False, False]
    assert fs.units[1:].tolist() == [36000, 36200]


def _one_kpi_round(
    values: list[float],
    direction: Direction,
    below: BelowLowest,
    method: Method,
    row: list[Decimal | None],
    scale: tuple[Decimal, ...],
):  # type: ignore[no-untyped-def]
    units = {f"u{i:03d}": {"k": 1} for i in range(len(values))}
    fw = framework(
        [kpi("k", row, direction=direction, method=method)],
        units,
        below_lowest=below,
        scale=scale,
    )
    res = results({(u, "k"): v for u, v in zip(units, values, strict=True)})
    return fw, score_round(fw, ROUND, res, submissions(list(units)))


@SLOW
@given(data=st.data())
def test_score_monotonic_and_bounded(data: st.DataObject) -> None:
    scale, row, direction = data.draw(tables())
    below = data.draw(st.sampled_from(list(BelowLowest)))
    method = data.draw(st.sampled_from(list(Method)))
    values = sorted(
        float(v) for v in data.draw(st.lists(values_for(scale, row, 4), min_size=2, max_size=12))
    )
    _, out = _one_kpi_round(values, direction, below, method, row, scale)
    kpis = out.kpi_scores.sort_values("unit_id")
    scores = [Decimal(s) for s in kpis["score"]]
    if direction == Direction.LOWER:
        scores = scores[::-1]
    assert scores == sorted(scores)  # values ascend -> scores ascend (descend when lower)
    assert all(Decimal(0) <= s <= scale[-1] for s in scores)


@st.composite
def rounds(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    n_units = draw(st.integers(1, 8))
    kpis = [kpi(f"k{j}", [60, 65, 70, 75, 80]) for j in range(3)]
    units = []
    vals = {}
    for i in range(n_units):
        weights = {
            f"k{j}": draw(st.integers(1, 40)) for j in range(3) if draw(st.booleans()) or j == 0
        }
        units.append(UnitSpec(f"u{i}", weights, cluster_id=draw(st.sampled_from(["x", "y"]))))
        for k in weights:
            v = draw(st.one_of(st.none(), st.integers(5500, 8500).map(lambda v: v / 100)))
            vals[(f"u{i}", k)] = v
    return units, kpis, vals


@SLOW
@given(
    rounds(),
    st.integers(0, 2**32 - 1),
    st.sampled_from([Decimal("0.5"), Decimal(3), Decimal("7.25")]),
)
def test_invariant_to_row_order_and_weight_scale(r, seed: int, factor: Decimal) -> None:  # type: ignore[no-untyped-def]
    units, kpis, vals = r
    fw = framework(kpis, units)
    res = results(vals)
    subs = submissions([u.unit_id for u in units])
    base = score_round(fw, ROUND, res, subs).unit_scores.set_index("unit_id")
    shuffled = score_round(
        fw,
        ROUND,
        res.sample(frac=1, random_state=seed % 1000),
        subs.sample(frac=1, random_state=seed % 997),
    ).unit_scores.set_index("unit_id")
    scaled_units = [
        UnitSpec(
            u.unit_id, {k: Decimal(str(w)) * factor for k, w in u.weights.items()}, u.cluster_id
        )
        for u in units
    ]
    scaled = score_round(framework(kpis, scaled_units), ROUND, res, subs).unit_scores.set_index(
        "unit_id"
    )
    cols = ["final_score", "rank", "cluster_rank"]
    pd.testing.assert_frame_equal(base[cols], shuffled.loc[base.index, cols])
    pd.testing.assert_frame_equal(base[cols], scaled.loc[base.index, cols])

    # Ranks: 1 + number of units with a strictly higher score, overall and in the cluster.
    final = base["final_score"]
    for u in base.index:
        assert base.loc[u, "rank"] == 1 + sum(final > final[u])
        same = base["cluster_id"] == base.loc[u, "cluster_id"]
        assert base.loc[u, "cluster_rank"] == 1 + sum(final[same] > final[u])
    assert sorted(base["rank"]) == base.sort_values("final_score", ascending=False)["rank"].tolist()
