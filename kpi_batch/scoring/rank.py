"""Unit scores -> ranks and bands (DOMAIN §3.8-3.9). Pure.

Ranks compare the *rounded* final scores (as integer units, so 3.60004 and 3.60001 that
both print 3.6000 tie): highest first, equal scores share a rank and the next rank skips
(1, 2, 2, 4), overall and within each cluster. Units without an accepted submission get
no rank; `order_units` lists them after every ranked unit, by status then unit_id.

Bands:
- fixed: the band with the highest `min_score` <= the final score; a score below every
  `min_score` gets no band.
- equal_width (003 PMS rule, แบบอิงกลุ่ม): width = (max - min of this run's final scores)
  / number of bands; bands are taken from the highest `min_score` down (framework order
  breaks ties) and named from the top. Band k (k = 0 at the top) covers
  [max - (k+1) x width, max - k x width); the top band includes max, the bottom band
  includes min. A score exactly on a limit goes to the higher band, as `min_score <= score`
  does for fixed bands. When every score is equal (width 0) every unit is in the top band.
  The limits are exact fractions; `band_limits` shows them rounded for people.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from kpi_batch.model import Band, BandMethod, Rounding
from kpi_batch.scoring.rounding import round_number

BAND_LIMIT_COLUMNS = ["band_id", "name", "lower", "upper"]


def competition_ranks(units: pd.Series) -> pd.Series:
    """1, 2, 2, 4 ranks of integer scores, highest first; NA stays NA (Int64)."""
    return units.rank(method="min", ascending=False).astype("Int64")


def rank_units(frame: pd.DataFrame) -> pd.DataFrame:
    """Add `rank` and `cluster_rank` from `final_units` (Int64, NA = unranked)."""
    out = frame.copy()
    units = out["final_units"].astype("Float64")  # exact: units stay far below 2**53
    out["rank"] = competition_ranks(units)
    out["cluster_rank"] = (
        units.groupby(out["cluster_id"], sort=False)
        .rank(method="min", ascending=False)
        .astype("Int64")
    )
    return out


def order_units(frame: pd.DataFrame) -> pd.DataFrame:
    """Ranked units by rank then unit_id; unranked after them by status then unit_id."""
    key = frame.assign(_unranked=frame["rank"].isna())
    key = key.sort_values(["_unranked", "rank", "status", "unit_id"], kind="stable")
    return key.drop(columns="_unranked").reset_index(drop=True)


def ordered_bands(bands: Sequence[Band]) -> list[Band]:
    """Bands from the top: highest min_score first, framework order for ties."""
    return [b for _, b in sorted(enumerate(bands), key=lambda ib: (-ib[1].min_score, ib[0]))]


def fixed_band(score: Decimal, bands: Sequence[Band]) -> Band | None:
    reached = [b for b in ordered_bands(bands) if b.min_score <= score]
    return reached[0] if reached else None


def equal_width_index(score: Fraction, low: Fraction, high: Fraction, n: int) -> int:
    """0 = top band; see the module docstring for the limits."""
    if high == low:
        return 0
    width = (high - low) / n
    k = math.ceil((high - score) / width) - 1
    return min(max(k, 0), n - 1)


def assign_bands(
    scores: Sequence[Decimal | None], bands: Sequence[Band], method: BandMethod
) -> list[Band | None]:
    """The band of each score (None for no score or no band)."""
    if not bands:
        return [None for _ in scores]
    if method == BandMethod.FIXED:
        return [None if s is None else fixed_band(s, bands) for s in scores]
    present = [Fraction(s) for s in scores if s is not None]
    if not present:
        return [None for _ in scores]
    top = ordered_bands(bands)
    low, high = min(present), max(present)
    return [
        None if s is None else top[equal_width_index(Fraction(s), low, high, len(top))]
        for s in scores
    ]


def band_limits(
    scores: Sequence[Decimal | None],
    bands: Sequence[Band],
    method: BandMethod,
    decimals: int,
    rounding: Rounding,
) -> pd.DataFrame:
    """The score range of every band in this run, for the HR report (rounded for display;
    upper is None for the top band and lower is None when it has no lower limit)."""
    top = ordered_bands(bands)
    rows: list[tuple[str, str, Decimal | None, Decimal | None]] = []
    if method == BandMethod.FIXED:
        for i, b in enumerate(top):
            upper = top[i - 1].min_score if i else None
            rows.append((b.band_id, b.name, b.min_score, upper))
        return pd.DataFrame(rows, columns=BAND_LIMIT_COLUMNS)
    present = [Fraction(s) for s in scores if s is not None]
    low = min(present, default=Fraction(0))
    high = max(present, default=Fraction(0))
    width = (high - low) / len(top) if top else Fraction(0)
    for k, b in enumerate(top):
        lo = low if k == len(top) - 1 else high - (k + 1) * width
        hi = None if k == 0 else high - k * width
        rows.append(
            (
                b.band_id,
                b.name,
                round_number(lo, decimals, rounding),
                None if hi is None else round_number(hi, decimals, rounding),
            )
        )
    return pd.DataFrame(rows, columns=BAND_LIMIT_COLUMNS)
