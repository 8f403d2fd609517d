"""One KPI result -> its score, in exact arithmetic (DOMAIN §3.1-3.2).

This is the reference path: every rule written once, plainly, over `Fraction`s built from the
decimals the officer typed. `score.py` scores whole frames with a float64 fast path and falls
back to `score_exact` for any row the float result could get wrong; the property tests and the
benchmark check the two agree.

Rules (thresholds `t`, points `p`; only the defined (t, p) pairs of the round take part):
- higher is better: a value reaches t when value >= t; lower is better: when value <= t.
- linear: between adjacent defined pairs (t_p, p) and (t_q, q), reached t_p but not t_q,
  score = p + (v - t_p) x (q - p) / (t_q - t_p)   (บัญญัติไตรยางศ์). Blank points are skipped,
  so a 6-month milestone table 1:1, 2:-, 3:2, 4:-, 5:3 gives steps 1, 2, 3 -> 1, 3, 5.
- at or beyond the highest defined threshold: that threshold's point, never more.
- below the lowest defined threshold: `below_lowest` zero -> 0; lowest -> the lowest defined
  point; extrapolate -> the first segment's line continued down, floored at 0 (with a single
  defined point there is no line, so 0).
- step: the point of the highest threshold reached; below the lowest, `lowest` gives the
  lowest point and `zero` / `extrapolate` give 0 (a step table has no line to extend).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from kpi_batch.model import BelowLowest, Direction, Method

Pair = tuple[Decimal, Decimal]  # (threshold, point)


class Rule(StrEnum):
    """How a KPI's score came about; reports and explanations key on it."""

    INTERPOLATE = "interpolate"  # between two defined points
    AT_POINT = "at_point"  # exactly on a threshold (linear method)
    CAP = "cap"  # at or beyond the highest defined threshold
    STEP = "step"  # method = step, below the highest threshold
    BELOW_ZERO = "below_zero"  # below the lowest threshold -> 0
    BELOW_LOWEST = "below_lowest"  # below the lowest threshold -> the lowest point
    EXTRAPOLATE = "extrapolate"  # below the lowest threshold, first segment continued
    NO_CRITERIA = "no_criteria"  # the round defines no point at all -> 0
    MISSING = "missing"  # no result reported -> 0
    # marked N/A with a reason: no score until a person decides; 0 in the total meanwhile
    NOT_APPLICABLE = "not_applicable"
    EXEMPT = "exempt"  # dropped, weights re-normalised
    SET = "set"  # score set directly by an adjustment


@dataclass(frozen=True)
class Outcome:
    rule: Rule
    raw: Fraction  # exact score before rounding
    lower: Pair | None = None  # the pair the value reached (or the first pair when below)
    upper: Pair | None = None  # the next pair (the second pair when extrapolating)


def _reached(x: Fraction, t: Decimal, direction: Direction) -> bool:
    return x >= t if direction == Direction.HIGHER else x <= t


def line(x: Fraction, lo: Pair, hi: Pair) -> Fraction:
    """p + (x - t_p) x (q - p) / (t_q - t_p); exact."""
    (tp, p), (tq, q) = lo, hi
    return Fraction(p) + (x - Fraction(tp)) * Fraction(q - p) / Fraction(tq - tp)


def score_exact(
    x: Fraction,
    pairs: Sequence[Pair],
    direction: Direction,
    method: Method = Method.LINEAR,
    below_lowest: BelowLowest = BelowLowest.ZERO,
) -> Outcome:
    """Score the exact result `x` against the round's defined (threshold, point) pairs."""
    if not pairs:
        return Outcome(Rule.NO_CRITERIA, Fraction(0))
    reached = [k for k, (t, _) in enumerate(pairs) if _reached(x, t, direction)]
    if not reached:
        first = pairs[0]
        if below_lowest == BelowLowest.LOWEST:
            return Outcome(Rule.BELOW_LOWEST, Fraction(first[1]), first)
        if below_lowest == BelowLowest.EXTRAPOLATE and method == Method.LINEAR and len(pairs) > 1:
            return Outcome(
                Rule.EXTRAPOLATE, max(Fraction(0), line(x, first, pairs[1])), first, pairs[1]
            )
        return Outcome(Rule.BELOW_ZERO, Fraction(0), first)
    k = reached[-1]
    lo = pairs[k]
    if k == len(pairs) - 1:
        return Outcome(Rule.CAP, Fraction(lo[1]), lo)
    hi = pairs[k + 1]
    if method == Method.STEP:
        return Outcome(Rule.STEP, Fraction(lo[1]), lo, hi)
    if x == lo[0]:
        return Outcome(Rule.AT_POINT, Fraction(lo[1]), lo, hi)
    return Outcome(Rule.INTERPOLATE, line(x, lo, hi), lo, hi)
