"""The round's state per unit across runs (issue 13 item 5): a pure function of history rows."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi_batch.history.round_state import RoundState, round_states, with_run
from kpi_batch.history.store import ROUND_FILE_COLUMNS

UNITS = ["U01", "U02", "U03", "U04"]


def row(
    seq: int, path: str, sha: str, unit: str, status: str, day: str, reasons: str = "",
    modified: str = "",
) -> tuple[object, ...]:  # fmt: skip
    run = f"2567/R1/2024-03-{seq:02d}_1"
    as_of = dt.date(2024, 3, seq)
    modified = modified or f"2024-03-{seq:02d}T09:00:00"
    return (seq, run, as_of, path, sha, unit, status, modified, day, reasons)


def frame(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=ROUND_FILE_COLUMNS)


# Three runs of round R1:
# - U01 accepted in run 1 and seen again (same bytes) in runs 2 and 3: ส่งแล้ว throughout;
# - U02 nothing in run 1, a rejected file in run 2, a corrected one in run 3;
# - U03 accepted in run 1, then a newer rejected file in run 3 (the old one still scores);
# - U04 never sends.
RUN1 = [row(1, "U01.xlsx", "a1", "U01", "accepted", "2024-03-01"),
        row(1, "U03.xlsx", "c1", "U03", "accepted", "2024-03-01")]  # fmt: skip
RUN2 = [row(2, "U01.xlsx", "a1", "U01", "accepted", "2024-03-01"),
        row(2, "U03.xlsx", "c1", "U03", "accepted", "2024-03-01"),
        row(2, "U02.xlsx", "b1", "U02", "rejected", "2024-03-02",
            "รอบไม่ตรง [round_mismatch]")]  # fmt: skip
RUN3 = [row(3, "U01.xlsx", "a1", "U01", "accepted", "2024-03-01"),
        row(3, "U02.xlsx", "b1", "U02", "rejected", "2024-03-02", "รอบไม่ตรง [round_mismatch]"),
        # saved before the rejected one, but first seen by a later run: it came later
        row(3, "U02_แก้ไข.xlsx", "b2", "U02", "accepted", "2024-03-03",
            modified="2024-02-28"),
        row(3, "U03.xlsx", "c1", "U03", "accepted", "2024-03-01"),
        row(3, "U03_v2.xlsx", "c2", "U03", "rejected", "2024-03-03",
            "ไฟล์เสีย [file_corrupt]")]  # fmt: skip


def states_after(*runs: list[tuple[object, ...]]) -> dict[str, RoundState]:
    rows = [r for run in runs for r in run]
    return {u: s.state for u, s in round_states(frame(rows), UNITS).items()}


def test_state_transitions_over_three_runs() -> None:
    assert states_after(RUN1) == {
        "U01": RoundState.SUBMITTED,
        "U02": RoundState.NOT_SENT,
        "U03": RoundState.SUBMITTED,
        "U04": RoundState.NOT_SENT,
    }
    assert states_after(RUN1, RUN2) == {
        "U01": RoundState.SUBMITTED,
        "U02": RoundState.TO_CORRECT,
        "U03": RoundState.SUBMITTED,
        "U04": RoundState.NOT_SENT,
    }
    assert states_after(RUN1, RUN2, RUN3) == {
        "U01": RoundState.SUBMITTED,
        "U02": RoundState.CORRECTED,
        "U03": RoundState.TO_CORRECT,  # its newest file was rejected
        "U04": RoundState.NOT_SENT,
    }


def test_files_are_known_by_their_bytes_and_ordered_by_arrival() -> None:
    states = round_states(frame([*RUN1, *RUN2, *RUN3]), UNITS)
    u01, u02, u03, u04 = (states[u] for u in UNITS)
    assert len(u01.files) == 1  # seen by three runs, one file
    assert [f.path for f in u02.files] == ["U02.xlsx", "U02_แก้ไข.xlsx"]
    assert u02.files[0].first_run == "2567/R1/2024-03-02_1"
    assert u02.files[1].received_on == dt.date(2024, 3, 3)
    assert u02.has_accepted and u03.has_accepted and not u04.has_accepted
    assert u02.last_issue == "รอบไม่ตรง [round_mismatch]"
    assert u03.last_issue == "ไฟล์เสีย [file_corrupt]"
    assert u01.last_issue == "" and u04.files == ()


def test_a_rejected_file_alone_has_no_accepted_file() -> None:
    states = round_states(frame(RUN2), ["U02"])
    assert states["U02"].state is RoundState.TO_CORRECT
    assert not states["U02"].has_accepted


def test_the_run_being_written_comes_after_the_recorded_ones() -> None:
    earlier = frame([*RUN1, *RUN2])
    this = [r[3:] for r in RUN3]  # schema.file_rows: path ... reasons
    both = with_run(earlier, "2567/R1/2024-03-03_1", dt.date(2024, 3, 3), this)
    assert set(both["seq"]) == {1, 2, 3}
    assert round_states(both, ["U02"])["U02"].state is RoundState.CORRECTED
    alone = with_run(frame([]), "x", dt.date(2024, 3, 3), this)
    assert set(alone["seq"]) == {1}
