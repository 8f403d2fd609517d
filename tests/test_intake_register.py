"""Statuses, duplicates and the lateness source (register.py, pure)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kpi_batch.intake.codes import CHECKS
from kpi_batch.intake.discover import Found
from kpi_batch.intake.register import STATUSES, FileOutcome, register_frame, settle

BKK_NOON = 1_712_124_000  # 2024-04-03 13:00 in Bangkok


def _outcome(
    rel: str,
    unit: str = "U01",
    day: dt.date | None = dt.date(2024, 4, 3),
    mtime: float = BKK_NOON,
    *,
    rejected: bool = False,
    ignored: str = "",
    warnings: int = 0,
) -> FileOutcome:
    found = Found(Path(rel), rel, 100, mtime, ".xlsx", ignored)
    o = FileOutcome(found, sha256="x", unit_id=unit, round_id="R1", workbook_date=day)
    if rejected:
        o.rejected = True
        o.issues.append(CHECKS["round_mismatch"].issue(file=rel, value="R2", expected="R1"))
    for _ in range(warnings):
        o.issues.append(CHECKS["result_empty"].issue(file=rel, kpi_id="1.1"))
    return o


def _status(outcomes: list[FileOutcome]) -> dict[str, str]:
    settle(outcomes, "R1")
    return {o.found.rel: o.status for o in outcomes}


def test_latest_submitted_on_wins_then_latest_file_time() -> None:
    assert _status(
        [_outcome("a", day=dt.date(2024, 4, 3), mtime=BKK_NOON + 9999),
         _outcome("b", day=dt.date(2024, 4, 4))]
    ) == {"a": "superseded", "b": "accepted"}  # fmt: skip
    assert _status([_outcome("a", mtime=BKK_NOON + 60), _outcome("b")]) == {
        "a": "accepted",
        "b": "superseded",
    }


def test_a_file_without_a_date_competes_with_its_file_date() -> None:
    undated = _outcome("a", day=None, mtime=BKK_NOON + 2 * 86_400)  # saved 5 Apr
    assert _status([undated, _outcome("b")]) == {"a": "accepted", "b": "superseded"}
    assert undated.date_source == "date_to_confirm"
    assert undated.received_on is None  # the file's date orders duplicates, never charges
    assert undated.order_date == dt.date(2024, 4, 5)


def test_a_rejected_file_never_supersedes() -> None:
    statuses = _status([_outcome("old"), _outcome("new", day=dt.date(2024, 4, 9), rejected=True)])
    assert statuses == {"old": "accepted", "new": "rejected"}


def test_reasons_and_sources_in_the_register() -> None:
    outcomes = [
        _outcome("a"),
        _outcome("b", day=dt.date(2024, 4, 1)),
        _outcome("c", warnings=2, unit="U02"),
        _outcome("~$a", ignored="lock_file", unit=""),
    ]
    settle(outcomes, "R1")
    reg = register_frame(outcomes).set_index("path")
    assert reg.loc["b", "superseded_by"] == "a"
    assert "a" in reg.loc["b", "reasons"]
    assert reg.loc["c", "status"] == "accepted_with_warnings"
    assert reg.loc["c", "reasons"] == "result_empty ×2 (1.1)"
    assert reg.loc["c", ["errors", "warnings"]].tolist() == [0, 2]
    assert reg.loc["~$a", "status"] == "ignored"
    assert reg.loc["a", "date_source"] == "workbook"


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["U01", "U02", "U03"]),
            st.one_of(st.none(), st.dates(dt.date(2024, 3, 1), dt.date(2024, 4, 30))),
            st.integers(0, 10**6),
            st.booleans(),
            st.sampled_from(["", "", "", "hidden"]),
        ),
        max_size=25,
    )
)
def test_statuses_add_up_and_one_file_wins_per_unit(files: list[tuple]) -> None:  # type: ignore[type-arg]
    outcomes = [
        _outcome(f"f{i}", unit, day, BKK_NOON + dt_, rejected=bad, ignored=ign)
        for i, (unit, day, dt_, bad, ign) in enumerate(files)
    ]
    settle(outcomes, "R1")
    assert all(o.status in STATUSES for o in outcomes)
    reg = register_frame(outcomes)
    assert len(reg) == len(files)
    assert reg["status"].value_counts().sum() == len(files)
    for unit in ("U01", "U02", "U03"):
        usable = [
            o for o in outcomes if o.unit_id == unit and not o.rejected and not o.found.ignored
        ]
        winners = [o for o in usable if o.status.startswith("accepted")]
        assert len(winners) == (1 if usable else 0)
        if winners:
            best = max(usable, key=lambda o: (o.order_date, o.found.mtime, o.found.rel))
            assert winners[0] is best
