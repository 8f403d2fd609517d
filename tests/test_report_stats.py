"""Summary figures of the executive workbook, exact on hand-computed examples."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from kpi_batch.model import Cluster, Rounding
from kpi_batch.reports.stats import (
    ALL,
    Run,
    band_counts,
    cluster_summary,
    run_means,
    score_changes,
    score_stats,
    summarise,
    target_point,
    trend_scores,
)

D = Decimal
HALF_UP, HALF_EVEN = Rounding.HALF_UP, Rounding.HALF_EVEN


def units_frame(u4: tuple[str, str | None] = ("scored", "3.6665")) -> pd.DataFrame:
    """Four scored units (one exactly 3.0000, one late), one missing, one rejected.

    Scored, sorted: 2.5001, 3.0000, 3.6665, 4.0000
    mean   = 13.1666 / 4 = 3.29165  -> half_up 3.2917, half_even 3.2916
    median = (3.0000 + 3.6665) / 2 = 3.33325 -> half_up 3.3333, half_even 3.3332
    at 3.0000 or more: 3 of 4 = 0.7500 (with the missing and rejected counted as 0 the mean
    would be 13.1666 / 6 = 2.1944: they must not be).
    """
    rows = [
        ("U1", "c1", "scored", "4.0000", "4.0000", 0, "A", 1),
        ("U2", "c1", "scored", "3.0000", "3.0000", 0, "B", 3),
        ("U3", "c2", "scored", "2.5001", "2.4001", 0, "C", 4),
        ("U4", "c2", u4[0], u4[1], "3.6665", 2, "B", 2),
        ("U5", "c1", "missing", None, None, None, None, None),
        ("U6", "c2", "rejected", None, None, None, None, None),
    ]
    frame = pd.DataFrame(
        [(u, f"หน่วยงาน {u}", c, st, None if f is None else D(f), None if p is None else D(p),
          late, band, rank) for u, c, st, f, p, late, band, rank in rows],
        columns=["unit_id", "unit_name", "cluster_id", "status", "final_score",
                 "pre_appeal_score", "days_late", "band", "rank"],
    )  # fmt: skip
    frame["days_late"] = frame["days_late"].astype("Int64")
    frame["rank"] = frame["rank"].astype("Int64")
    return frame


def test_summary_exact() -> None:
    s = summarise(units_frame(), D(3), 4, HALF_UP)
    assert (s.units, s.scored, s.on_time, s.late, s.missing, s.rejected) == (6, 4, 3, 1, 1, 1)
    assert s.scores.mean == D("3.2917")
    assert s.scores.median == D("3.3333")
    assert (s.scores.minimum, s.scores.maximum) == (D("2.5001"), D("4.0000"))
    assert s.at_target == 3  # U2 at exactly 3.0000 counts
    assert s.share_at_target == D("0.7500")
    assert str(s.scores.mean) == "3.2917"  # exactly `decimals` places


def test_summary_uses_the_framework_rounding() -> None:
    s = summarise(units_frame(), D(3), 4, HALF_EVEN)
    assert (s.scores.mean, s.scores.median) == (D("3.2916"), D("3.3332"))


def test_median_of_odd_count_and_share_of_thirds() -> None:
    st = score_stats([D("1.0000"), D("5.0000"), D("2.0000")], 4, HALF_UP)
    assert (st.n, st.median, st.mean) == (3, D("2.0000"), D("2.6667"))
    just_under = units_frame(u4=("scored", "2.9999"))
    assert summarise(just_under, D(3), 4, HALF_UP).share_at_target == D("0.5000")
    three = units_frame(u4=("missing", None))
    assert summarise(three, D(3), 4, HALF_UP).share_at_target == D("0.6667")  # 2 of 3


def test_no_scored_unit_gives_empty_figures() -> None:
    frame = units_frame()
    frame = frame[frame["status"] != "scored"]
    s = summarise(frame, D(3), 4, HALF_UP)
    assert (s.scored, s.scores.mean, s.scores.median, s.share_at_target) == (0, None, None, None)


def test_a_late_unit_without_date_counts_as_on_time() -> None:
    frame = units_frame()
    frame["days_late"] = pd.array([0, pd.NA, 0, 2, pd.NA, pd.NA], dtype="Int64")
    s = summarise(frame, D(3), 4, HALF_UP)
    assert (s.on_time, s.late) == (3, 1)


@pytest.mark.parametrize(
    ("scale", "target"),
    [((1, 2, 3, 4, 5), 3), ((50, 75, 100), 75), ((0, 1, 2, 3), 1)],
)
def test_target_point_is_the_middle_of_the_scale(scale: tuple[int, ...], target: int) -> None:
    assert target_point(tuple(D(p) for p in scale)) == D(target)


def test_cluster_summary() -> None:
    clusters = [Cluster("c1", "กลุ่ม 1"), Cluster("c2", "กลุ่ม 2"), Cluster("c3", "ว่าง")]
    frame = cluster_summary(units_frame(), clusters, 4, HALF_UP)
    assert list(frame["cluster_id"]) == ["c1", "c2", "c3"]
    c1, c2, c3 = frame.to_dict("records")
    assert (c1["units"], c1["scored"], c1["mean"], c1["median"]) == (3, 2, D("3.5000"), D("3.5000"))
    # (2.5001 + 3.6665) / 2 = 3.0833 exactly
    assert (c2["mean"], c2["minimum"], c2["maximum"]) == (D("3.0833"), D("2.5001"), D("3.6665"))
    assert (c3["units"], c3["scored"], c3["mean"]) == (0, 0, None)


def test_score_changes_exact() -> None:
    changes = score_changes(units_frame())
    assert list(changes["unit_id"]) == ["U3"]
    assert changes["change"].iloc[0] == D("0.1000")
    assert str(changes["change"].iloc[0]) == "0.1000"


def test_band_counts_from_the_top_with_shares() -> None:
    rows = band_counts(units_frame(), ["A", "B", "C", "D"], 4, HALF_UP)
    assert rows == [
        ("A", 1, D("0.2500")),
        ("B", 2, D("0.5000")),
        ("C", 1, D("0.2500")),
        ("D", 0, D("0.0000")),
    ]
    frame = units_frame()
    frame["band"] = ["A", "B", None, "B", None, None]  # U3 below every band
    assert band_counts(frame, ["A", "B", "C"], 4, HALF_UP)[-1] == (None, 1, D("0.2500"))


def history_frame() -> pd.DataFrame:
    rows = [
        ("run-2", dt.date(2024, 9, 10), "r12", "U1", "3.0000"),
        ("run-2", dt.date(2024, 9, 10), "r12", "U3", 2.0001),  # a float from SQLite
        ("run-2", dt.date(2024, 9, 10), "r12", "U5", None),
        ("run-1", "2024-08-10", "r12", "U1", "2.0000"),
        ("run-1", "2024-08-10", "r12", "U2", "2.5000"),
        ("run-1", "2024-08-10", "r12", "U3", "1.0001"),
        ("now", dt.date(2024, 10, 10), "r12", "U1", "9.9999"),  # stale copy of this run
    ]
    return pd.DataFrame(rows, columns=["run_id", "as_of", "round_id", "unit_id", "final_score"])


def test_trend_orders_runs_and_puts_this_run_last() -> None:
    now = Run("now", dt.date(2024, 10, 10), "r12")
    runs, scores = trend_scores(history_frame(), units_frame(), now)
    assert [r.run_id for r in runs] == ["run-1", "run-2", "now"]
    assert runs[0].as_of == dt.date(2024, 8, 10)
    assert scores["U1"] == {"run-1": D("2.0000"), "run-2": D("3.0000"), "now": D("4.0000")}
    assert scores["U3"]["run-2"] == D("2.0001")
    assert list(scores)[:6] == ["U1", "U2", "U3", "U4", "U5", "U6"]


def test_run_means_exact_overall_and_per_cluster() -> None:
    now = Run("now", dt.date(2024, 10, 10), "r12")
    runs, scores = trend_scores(history_frame(), units_frame(), now)
    cluster_of = {"U1": "c1", "U2": "c1", "U3": "c2", "U4": "c2", "U5": "c1", "U6": "c2"}
    means = run_means(runs, scores, cluster_of, ["c1", "c2"], 4, HALF_UP).set_index("run_id")
    # run-1: (2.0000 + 2.5000 + 1.0001) / 3 = 1.83336... -> 1.8334; c1 (2 + 2.5) / 2 = 2.2500
    assert means.at["run-1", ALL] == D("1.8334")
    assert means.at["run-1", "c1"] == D("2.2500")
    assert means.at["run-1", "c2"] == D("1.0001")
    # run-2: (3.0000 + 2.0001) / 2 = 2.50005 -> half_up 2.5001; U5 had no score
    assert means.at["run-2", ALL] == D("2.5001")
    assert means.at["now", ALL] == D("3.2917")
