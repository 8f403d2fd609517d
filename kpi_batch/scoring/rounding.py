"""Decimal rounding of scores: the 4th decimal decides salary steps, so it must be exact.

A binary float cannot hold 2.00005, and Python's `round()` rounds half to even, so both give
the wrong 4th decimal on a planning officer's calculator check. Everything here works on
`Decimal`, `Fraction` or integers. `half_up` is what a person does: halves go away from zero
(2.00005 -> 2.0001); `half_even` is banker's rounding; `truncate` drops the extra digits
(towards zero).

Scores inside the scoring core are kept as integer *units* of 10**-decimals (3.6000 is 36000
units at 4 decimals): sums and products of units are exact, and `from_units` turns them back
into a `Decimal` with exactly `decimals` places for the output frames.
"""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from kpi_batch.model import Rounding

_DECIMAL_MODES = {
    Rounding.HALF_UP: ROUND_HALF_UP,
    Rounding.HALF_EVEN: ROUND_HALF_EVEN,
    Rounding.TRUNCATE: ROUND_DOWN,
}

Number = Decimal | Fraction | int


def as_decimal(x: object) -> Decimal | None:
    """A number as the user typed it: a float becomes the decimal of its shortest repr.

    Excel stores 73.3 as the double nearest to 73.3; `repr` gives back "73.3", which is what
    the officer typed. Returns None for None, NaN, pd.NA and empty text.
    """
    if x is None:
        return None
    if isinstance(x, Decimal):
        return None if x.is_nan() else x
    if isinstance(x, bool):
        return Decimal(int(x))
    if isinstance(x, int):
        return Decimal(x)
    if isinstance(x, float | np.floating):
        f = float(x)
        if math.isnan(f):
            return None
        if math.isinf(f):
            raise ValueError(f"not a finite number: {x!r}")
        if f.is_integer() and abs(f) < 2**53:
            return Decimal(int(f))  # 73.0 was typed as 73
        return Decimal(repr(f))
    if isinstance(x, np.integer):
        return Decimal(int(x))
    if isinstance(x, Fraction):
        raise TypeError("a Fraction has no typed form; round it with round_number")
    text = str(x).strip()
    if not text or text.lower() in {"nan", "<na>", "none"}:
        return None
    from kpi_batch.thai import arabic_digits  # local: thai is tiny, keeps this import-light

    return Decimal(arabic_digits(text).replace(",", ""))


def round_number(x: Number, decimals: int, mode: Rounding) -> Decimal:
    """Round exactly to `decimals` places; the result carries exactly that many places."""
    return from_units(round_units(x, decimals, mode), decimals)


def round_units(x: Number, decimals: int, mode: Rounding) -> int:
    """`x` rounded to `decimals` places, as an integer count of 10**-decimals."""
    if isinstance(x, Decimal):
        # Enough precision that quantize never loses digits before it rounds.
        with localcontext() as ctx:
            ctx.prec = max(28, x.adjusted() + decimals + 5)
            q = x.quantize(Decimal(1).scaleb(-decimals), rounding=_DECIMAL_MODES[Rounding(mode)])
        return int(q.scaleb(decimals))
    fr = Fraction(x)
    return round_ratio(fr.numerator * 10**decimals, fr.denominator, mode)


def round_ratio(num: int, den: int, mode: Rounding) -> int:
    """num / den rounded to an integer with `mode` (den != 0), in exact integer arithmetic."""
    if den < 0:
        num, den = -num, -den
    sign = -1 if num < 0 else 1
    q, r = divmod(abs(num), den)
    if mode == Rounding.HALF_UP:
        q += 2 * r >= den
    elif mode == Rounding.HALF_EVEN:
        q += 2 * r > den or (2 * r == den and q % 2 == 1)
    return sign * q


def round_ratio_array(
    num: npt.NDArray[np.int64], den: npt.NDArray[np.int64], mode: Rounding
) -> npt.NDArray[np.int64]:
    """Vectorised `round_ratio` for int64 arrays with den > 0 (callers check for overflow)."""
    sign = np.where(num < 0, -1, 1)
    q, r = np.divmod(np.abs(num), den)
    if mode == Rounding.HALF_UP:
        q = q + (2 * r >= den)
    elif mode == Rounding.HALF_EVEN:
        q = q + ((2 * r > den) | ((2 * r == den) & (q % 2 == 1)))
    return np.asarray(sign * q, dtype=np.int64)


def to_units(x: Decimal, decimals: int) -> int:
    """An already-rounded Decimal -> integer units; refuses a value with more places."""
    scaled = x.scaleb(decimals)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{x} has more than {decimals} decimal places")
    return int(scaled)


@lru_cache(maxsize=65536)
def from_units(units: int, decimals: int) -> Decimal:
    """36000 units at 4 decimals -> Decimal('3.6000')."""
    return Decimal(int(units)).scaleb(-decimals)


def pad(x: Decimal, decimals: int) -> Decimal:
    """0.1 -> 0.1000 at 4 decimals, for display; never rounds (0.00005 stays as it is)."""
    return x.quantize(Decimal(1).scaleb(-decimals)) if decimal_places(x) <= decimals else x


def decimal_places(x: Decimal) -> int:
    """How many places after the point `x` is written with (0 for integers)."""
    exp = x.as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0
