"""A round is a loop, not one run: each unit's state across the round's runs. Pure.

    round_states(files, unit_ids) -> {unit_id: UnitState}

`files` is one row per (run, file) as history keeps them (`History.round_files`, plus the
run being written): `seq` (the order runs were recorded), `run_id`, `as_of`, `path`,
`sha256`, `unit_id`, `status` (the intake register's), `modified`, `received_on`, `reasons`.

A file is known by its bytes (sha256): the same file seen by three runs is one file, and
what the latest of them said about it stands. Files are ordered by arrival: the run that
first saw it, then its modification time, then its path. The state:

- `ส่งแล้ว` (submitted): the newest file was accepted, and no file of the unit was rejected;
- `แก้แล้ว` (corrected): the newest file was accepted, after a rejected one;
- `รอแก้ไข` (to correct): the newest file was rejected (an older accepted one, if any, is
  still the one scored, so `has_accepted` says whether a reminder is due);
- `ยังไม่ส่ง` (not sent): no file at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd

from kpi_batch.history.schema import as_date


class RoundState(StrEnum):
    SUBMITTED = "ส่งแล้ว"
    CORRECTED = "แก้แล้ว"
    TO_CORRECT = "รอแก้ไข"
    NOT_SENT = "ยังไม่ส่ง"


STATE_EN = {
    RoundState.SUBMITTED: "submitted",
    RoundState.CORRECTED: "corrected",
    RoundState.TO_CORRECT: "to_correct",
    RoundState.NOT_SENT: "not_sent",
}
# Chase first what needs a person, then what is done (status workbook, `kpi-batch status`).
CHASE_ORDER = {
    RoundState.TO_CORRECT: 0,
    RoundState.NOT_SENT: 1,
    RoundState.CORRECTED: 2,
    RoundState.SUBMITTED: 3,
}
# Statuses of a file the run could use (a superseded file was usable, a newer one won).
USABLE = frozenset({"accepted", "accepted_with_warnings", "superseded"})


@dataclass(frozen=True)
class FileSeen:
    path: str  # as the latest run that saw it named it
    sha256: str
    status: str  # what the latest run that saw it said
    received_on: dt.date | None
    modified: str
    reasons: str
    first_run: str  # the run that first saw it
    first_seq: int

    @property
    def usable(self) -> bool:
        return self.status in USABLE


@dataclass(frozen=True)
class UnitState:
    unit_id: str
    state: RoundState
    files: tuple[FileSeen, ...]  # in order of arrival
    has_accepted: bool  # some file of the round was usable: no reminder

    @property
    def last_issue(self) -> str:
        """Why the newest rejected file was rejected (empty when none was)."""
        rejected = [f for f in self.files if not f.usable and f.reasons]
        return rejected[-1].reasons if rejected else ""


def round_states(files: pd.DataFrame, unit_ids: Iterable[str]) -> dict[str, UnitState]:
    """Each unit of `unit_ids`, in that order; files of other units are left out."""
    wanted = list(dict.fromkeys(unit_ids))
    seen: dict[str, dict[str, FileSeen]] = {u: {} for u in wanted}
    ordered = files.sort_values("seq", kind="stable") if not files.empty else files
    for rec in ordered.to_dict("records"):
        unit = str(rec.get("unit_id") or "")
        if unit not in seen:
            continue
        key = str(rec.get("sha256") or "") or f"path:{rec.get('path')}"
        first = seen[unit].get(key)
        seen[unit][key] = FileSeen(
            path=str(rec.get("path") or ""),
            sha256=str(rec.get("sha256") or ""),
            status=str(rec.get("status") or ""),
            received_on=as_date(rec.get("received_on")),
            modified=str(rec.get("modified") or ""),
            reasons=str(rec.get("reasons") or ""),
            first_run=first.first_run if first else str(rec.get("run_id") or ""),
            first_seq=first.first_seq if first else int(rec.get("seq") or 0),
        )
    return {unit: _state(unit, seen[unit].values()) for unit in wanted}


def _state(unit_id: str, files: Iterable[FileSeen]) -> UnitState:
    arrived = tuple(sorted(files, key=lambda f: (f.first_seq, f.modified, f.path)))
    if not arrived:
        return UnitState(unit_id, RoundState.NOT_SENT, (), False)
    has_accepted = any(f.usable for f in arrived)
    if not arrived[-1].usable:
        state = RoundState.TO_CORRECT
    elif any(not f.usable for f in arrived):
        state = RoundState.CORRECTED
    else:
        state = RoundState.SUBMITTED
    return UnitState(unit_id, state, arrived, has_accepted)


def with_run(
    files: pd.DataFrame, run_id: str, as_of: dt.date, rows: Iterable[tuple[Any, ...]]
) -> pd.DataFrame:
    """`files` (earlier runs) plus the rows of the run being written (`schema.file_rows`),
    which comes after every run recorded."""
    seq = int(files["seq"].max()) + 1 if not files.empty else 1
    names = [c for c in files.columns if c not in ("seq", "run_id", "as_of")]
    this = pd.DataFrame([(seq, run_id, as_of, *r) for r in rows], columns=list(files.columns))
    if files.empty:
        return this
    if this.empty:
        return files
    return pd.concat([files, this[["seq", "run_id", "as_of", *names]]], ignore_index=True)


def state_counts(states: Mapping[str, UnitState]) -> dict[RoundState, int]:
    counts = dict.fromkeys(RoundState, 0)
    for s in states.values():
        counts[s.state] += 1
    return counts
