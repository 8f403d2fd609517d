"""Float64 scoring of many KPI rows at once, with a proof of when it may be trusted.

`score_exact` (interpolate.py) costs a few microseconds of `Fraction` arithmetic per row.
Here the same rules run vectorised in float64, and every row whose float result *could* round
differently from the exact one is flagged for `score_exact`. A row is trusted only when its
value is clearly away from every threshold (so comparisons, and with them the rule and the
segment, are the exact ones) and its scaled score is clearly away from every rounding
boundary (so float and exact round to the same integer).

Error bound (u = 2**-53, the unit roundoff). Inputs: a typed threshold or point converted
from Decimal is within u|t| of the exact decimal; a reported value is the double nearest its
shortest repr, within u|x|; a ratio 100 x num / den goes through 2 conversions, a division
and a product, so within 4u|x| + O(u^2). We take dx = 5u|x|, dt = 2u|t|, dp = 2u|p|.
For s = p + A x P / B with A = x - t_p, B = t_q - t_p, P = q - p, first-order propagation
(each float operation adds at most u times its result) gives
    dA <= dx + dt_p + u|A|,   dB <= dt_p + dt_q + u|B|,   dP <= dp_p + dp_q + u|P|
    dR <= dA/|B| + |R| dB/|B| + u|R|            (R = A / B)
    dG <= dR|P| + |R| dP + u|G|                 (G = R x P)
    ds <= dp_p + dG + u|s|
and scaling by 10**decimals (exact for decimals <= 22) adds u|S|. The bound is multiplied by
4 to cover the second-order terms and the rounding of the bound's own arithmetic. A row is
trusted when its distance to the nearest rounding boundary (a half for half_up / half_even,
an integer for truncate) exceeds the bound, and |x - t| exceeds dx + dt for every defined
threshold. Then the exact score lies strictly on the same side of every boundary and the
float rounding is the exact rounding. `tests/test_score_properties.py` checks this against
`score_exact` on adversarial inputs (values on thresholds, scores on halves).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kpi_batch.model import BelowLowest, Rounding

U = 2.0**-53
SAFETY = 4.0
NONE = -1  # segment index when there is no such point

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class FloatScores:
    units: I64  # rounded score in units of 10**-decimals (valid where ~needs_exact)
    rule: npt.NDArray[np.int8]  # index into RULES
    lower: I64  # column of the lower pair, or NONE
    upper: I64  # column of the upper pair, or NONE
    needs_exact: Bool


# Rule codes used by this module, in the order of interpolate.Rule names.
RULES = ("interpolate", "at_point", "cap", "step", "below_zero", "below_lowest", "extrapolate")
_INTERP, _AT, _CAP, _STEP, _ZERO, _LOWEST, _EXTRA = range(7)


def score_floats(
    x: F64,
    thresholds: F64,
    points: F64,
    higher: Bool,
    step: Bool,
    below_lowest: BelowLowest,
    decimals: int,
    rounding: Rounding,
) -> FloatScores:
    """Score n values against n rows of thresholds (NaN = blank) on one scale of m points."""
    n, m = thresholds.shape
    cols = np.arange(m)
    sgn = np.where(higher, 1.0, -1.0)
    defined = ~np.isnan(thresholds)
    # Orient every row so that "reached" means oriented value >= oriented threshold.
    xo = x * sgn
    to = thresholds * sgn[:, None]
    reached = defined & (to <= xo[:, None])
    last = np.where(reached, cols, NONE).max(axis=1)
    after = defined & (cols[None, :] > last[:, None])
    nxt = np.where(after, cols, m).min(axis=1)
    first = np.where(defined, cols, m).min(axis=1)
    second = np.where(defined & (cols[None, :] > first[:, None]), cols, m).min(axis=1)

    below = last == NONE
    top = ~below & (nxt == m)
    inner = ~below & ~top
    extrapolate = below & (below_lowest == BelowLowest.EXTRAPOLATE) & ~step & (second < m)

    rule = np.full(n, _INTERP, dtype=np.int8)
    rule[inner & step] = _STEP
    rule[top] = _CAP
    if below_lowest == BelowLowest.LOWEST:
        rule[below] = _LOWEST
    else:
        rule[below] = _ZERO
    rule[extrapolate] = _EXTRA

    lo = np.where(below, first, last)
    hi = np.where(below, np.where(extrapolate, second, m), nxt)
    lo_c = np.clip(lo, 0, m - 1)
    hi_c = np.clip(hi, 0, m - 1)
    rows = np.arange(n)
    t_lo = thresholds[rows, lo_c]
    t_hi = thresholds[rows, hi_c]
    p_lo = points[lo_c]
    p_hi = points[hi_c]

    use_line = (inner & ~step) | extrapolate
    with np.errstate(invalid="ignore", divide="ignore"):
        a = np.where(use_line, x - t_lo, 0.0)
        b = np.where(use_line, t_hi - t_lo, 1.0)
        p = np.where(use_line, p_hi - p_lo, 0.0)
        r = a / b
        g = r * p
    s = np.where(use_line, p_lo + g, 0.0)
    s = np.where((inner & step) | top | (below & (below_lowest == BelowLowest.LOWEST)), p_lo, s)
    s = np.where(below & ~extrapolate & (below_lowest != BelowLowest.LOWEST), 0.0, s)
    s = np.where(extrapolate, np.maximum(s, 0.0), s)

    # The error bound of the module docstring, per row.
    dx = 5 * U * np.abs(x)
    dt_lo = 2 * U * np.abs(t_lo)
    dt_hi = 2 * U * np.abs(t_hi)
    dp_lo = 2 * U * np.abs(p_lo)
    dp_hi = 2 * U * np.abs(p_hi)
    da = dx + dt_lo + U * np.abs(a)
    db = dt_lo + dt_hi + U * np.abs(b)
    dpp = dp_lo + dp_hi + U * np.abs(p)
    dr = da / np.abs(b) + np.abs(r) * db / np.abs(b) + U * np.abs(r)
    dg = dr * np.abs(p) + np.abs(r) * dpp + U * np.abs(g)
    ds = np.where(use_line, dp_lo + dg + U * np.abs(s), dp_lo + U * np.abs(s))

    scale = 10.0**decimals
    scaled = s * scale
    err = SAFETY * (ds * scale + U * np.abs(scaled))
    frac = scaled - np.floor(scaled)
    if rounding == Rounding.TRUNCATE:
        dist = np.minimum(frac, 1.0 - frac)
        units = np.trunc(scaled)
    else:
        dist = np.abs(frac - 0.5)
        units = np.rint(scaled)  # away from halves, every half mode is "nearest"

    # Comparisons are trusted only away from every threshold (the slack covers x and t).
    near_threshold = (
        defined & (np.abs(x[:, None] - thresholds) <= (dx[:, None] + 2 * U * np.abs(thresholds)))
    ).any(axis=1)
    needs_exact = (
        near_threshold
        | ~(dist > err)  # also catches NaN
        | (np.abs(scaled) >= 2.0**50)
        | ~np.isfinite(x)
        | (first == m)  # no criteria at all
    )
    units = np.where(needs_exact, 0, units).astype(np.int64)
    return FloatScores(
        units=units,
        rule=rule,
        lower=np.where(lo < m, lo, NONE).astype(np.int64),
        upper=np.where(hi < m, hi, NONE).astype(np.int64),
        needs_exact=needs_exact,
    )
