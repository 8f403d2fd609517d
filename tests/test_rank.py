"""Ranks and bands (DOMAIN §3.8-3.9)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pandas as pd
from scoring_factories import ROUND, UnitSpec, framework, kpi, results, submissions

from kpi_batch.model import Band, BandMethod, Rounding
from kpi_batch.scoring.rank import assign_bands, band_limits, competition_ranks, equal_width_index
from kpi_batch.scoring.score_round import score_round

IDENT = [1, 2, 3, 4, 5]
BANDS = [("A", "ดีเด่น", 4.5), ("B", "ดีมาก", 4), ("C", "ดี", 3), ("D", "ต้องปรับปรุง", 0)]


def test_ties_share_a_rank_and_the_next_skips() -> None:
    got = competition_ranks(pd.Series([50, 40, 40, 30, None], dtype="Int64"))
    assert got.tolist() == [1, 2, 2, 4, pd.NA]


def _round(values: dict[str, float], clusters: dict[str, str], **settings: object):  # type: ignore[no-untyped-def]
    units = [UnitSpec(u, {"a": 1}, cluster_id=clusters[u]) for u in values]
    fw = framework([kpi("a", IDENT)], units, bands=BANDS, **settings)
    return score_round(
        fw, ROUND, results({(u, "a"): v for u, v in values.items()}), submissions(list(values))
    )


def test_overall_and_cluster_ranks_compare_rounded_scores() -> None:
    # 4.00004 and 4.00001 both round to 4.0000: a tie.
    values = {"u1": 4.5, "u2": 4.00004, "u3": 4.00001, "u4": 3.9, "u5": 3.2}
    clusters = {"u1": "x", "u2": "y", "u3": "x", "u4": "x", "u5": "y"}
    units = _round(values, clusters).unit_scores.set_index("unit_id")
    assert units["rank"].to_dict() == {"u1": 1, "u2": 2, "u3": 2, "u4": 4, "u5": 5}
    assert units["cluster_rank"].to_dict() == {"u1": 1, "u2": 1, "u3": 2, "u4": 3, "u5": 2}


def test_unranked_units_listed_last() -> None:
    fw = framework([kpi("a", IDENT)], {"z": {"a": 1}, "b": {"a": 1}, "c": {"a": 1}})
    subs = pd.DataFrame(
        {"unit_id": ["z", "b"], "status": ["accepted", "rejected"], "submitted_on": [None, None]}
    )
    out = score_round(fw, ROUND, results({("z", "a"): 2}), subs).unit_scores
    assert out["unit_id"].tolist() == ["z", "c", "b"]  # ranked, then missing, then rejected
    assert out["status"].tolist() == ["scored", "missing", "rejected"]
    assert out["band"].isna().tolist() == [True, True, True]  # no bands in this framework


def test_fixed_bands() -> None:
    values = {"u1": 4.5, "u2": 4.4999, "u3": 3, "u4": 1}
    units = _round(values, dict.fromkeys(values, "x")).unit_scores.set_index("unit_id")
    assert units["band"].to_dict() == {"u1": "A", "u2": "B", "u3": "C", "u4": "D"}
    assert units.loc["u1", "band_name"] == "ดีเด่น"


def test_equal_width_bands() -> None:
    # max 5, min 1, 4 bands -> width 1: [4,5] A, [3,4) B, [2,3) C, [1,2) D
    values = {"u1": 5, "u2": 4, "u3": 3.9999, "u4": 2, "u5": 1.5, "u6": 1}
    out = _round(values, dict.fromkeys(values, "x"), band_method="equal_width")
    units = out.unit_scores.set_index("unit_id")
    assert units["band"].to_dict() == {
        "u1": "A",
        "u2": "A",
        "u3": "B",
        "u4": "C",
        "u5": "D",
        "u6": "D",
    }
    limits = out.band_limits
    assert [str(x) for x in limits["lower"]] == ["4.0000", "3.0000", "2.0000", "1.0000"]
    assert [str(x) for x in limits["upper"][1:]] == ["4.0000", "3.0000", "2.0000"]
    assert pd.isna(limits["upper"][0])


def test_equal_width_all_equal_is_top_band() -> None:
    bands = [Band(b, n, Decimal(str(m))) for b, n, m in BANDS]
    got = assign_bands([Decimal(3), Decimal(3), None], bands, BandMethod.EQUAL_WIDTH)
    assert [None if b is None else b.band_id for b in got] == ["A", "A", None]
    assert band_limits([Decimal(3)], bands, BandMethod.EQUAL_WIDTH, 4, Rounding.HALF_UP)[
        "lower"
    ].tolist()[0] == Decimal("3.0000")


def test_equal_width_index_boundaries() -> None:
    lo, hi = Fraction(1), Fraction(4)  # width 1 with 3 bands
    assert [equal_width_index(Fraction(x), lo, hi, 3) for x in (4, 3, 2.5, 2, 1)] == [0, 0, 1, 1, 2]
