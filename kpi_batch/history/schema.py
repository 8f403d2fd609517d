"""The history database's schema and rows, without the database: what `history.py` stores.

- `MIGRATIONS`: the SQL of each schema version (`PRAGMA user_version`); never edit one that
  has shipped, add the next.
- `*_COLUMNS` / `TABLES`: each score table's stored columns and how values are kept: a
  Decimal as TEXT (`str(Decimal)`, exact), an int as INTEGER, text as TEXT. A float offered
  for a Decimal column is refused, never stored inexactly.
- `inputs_digest`, `scores_digest`: what makes two runs the same run (docs/history.md).

Pure: no disk, no clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pandas as pd

from kpi_batch.scoring.score_round import ScoredRound

SCHEMA_VERSION = 2
DIGEST_VERSION = 1

MIGRATIONS: dict[int, str] = {
    1: """
CREATE TABLE runs (
    run_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    fiscal_year INTEGER NOT NULL,
    round_id TEXT NOT NULL,
    as_of TEXT NOT NULL,
    inputs_digest TEXT NOT NULL,
    scores_digest TEXT NOT NULL,
    framework_fingerprint TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    package_version TEXT NOT NULL,
    same_as TEXT REFERENCES runs (run_id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('staged', 'committed'))
);
CREATE INDEX runs_by_round ON runs (fiscal_year, round_id, as_of);
CREATE TABLE unit_scores (
    run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    cluster_id TEXT NOT NULL,
    pre_appeal_score TEXT,
    deduction TEXT,
    final_score TEXT,
    band TEXT,
    band_name TEXT,
    rank INTEGER,
    cluster_rank INTEGER,
    days_late INTEGER,
    status TEXT NOT NULL,
    pre_appeal_total TEXT,
    final_total TEXT,
    n_kpis INTEGER,
    n_missing INTEGER,
    n_exempt INTEGER,
    PRIMARY KEY (run_id, unit_id)
);
CREATE TABLE kpi_scores (
    run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL,
    kpi_id TEXT NOT NULL,
    value TEXT,
    score TEXT,
    weight TEXT NOT NULL,
    weighted_score TEXT,
    status TEXT NOT NULL,
    pre_appeal_score TEXT,
    PRIMARY KEY (run_id, unit_id, kpi_id)
);
CREATE TABLE late_items (
    run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    unit_id TEXT NOT NULL,
    item TEXT NOT NULL,
    days INTEGER NOT NULL,
    penalty TEXT NOT NULL,
    stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    reference TEXT NOT NULL,
    PRIMARY KEY (run_id, line)
);
CREATE TABLE adjustments (
    run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    stage TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    kpi_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    reason TEXT NOT NULL,
    reference TEXT NOT NULL,
    PRIMARY KEY (run_id, line)
);
""",
    # The files each run saw, so that a round's state across runs (resubmissions) can be
    # read back: `kpi-batch status`, the status workbook. Not part of the scores digest.
    2: """
CREATE TABLE submission_files (
    run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    status TEXT NOT NULL,
    modified TEXT NOT NULL,
    received_on TEXT,
    reasons TEXT NOT NULL,
    PRIMARY KEY (run_id, line)
);
""",
}

# Stored columns of each score table and how their values are kept: Decimal -> TEXT,
# int -> INTEGER, str -> TEXT. Must match MIGRATIONS (a round-trip test reads every one).
Columns = tuple[tuple[str, type], ...]
UNIT_COLUMNS: Columns = (
    ("unit_id", str), ("unit_name", str), ("cluster_id", str),
    ("pre_appeal_score", Decimal), ("deduction", Decimal), ("final_score", Decimal),
    ("band", str), ("band_name", str), ("rank", int), ("cluster_rank", int),
    ("days_late", int), ("status", str), ("pre_appeal_total", Decimal),
    ("final_total", Decimal), ("n_kpis", int), ("n_missing", int), ("n_exempt", int),
)  # fmt: skip
KPI_COLUMNS: Columns = (
    ("unit_id", str), ("kpi_id", str), ("value", Decimal),
    ("score", Decimal), ("weight", Decimal), ("weighted_score", Decimal), ("status", str),
    ("pre_appeal_score", Decimal),
)  # fmt: skip
LATE_COLUMNS: Columns = (
    ("unit_id", str), ("item", str), ("days", int), ("penalty", Decimal), ("stage", str),
    ("reason", str), ("reference", str),
)  # fmt: skip
ADJUSTMENT_COLUMNS: Columns = (
    ("stage", str), ("unit_id", str), ("kpi_id", str), ("field", str), ("old_value", str),
    ("new_value", str), ("reason", str), ("reference", str),
)  # fmt: skip
TABLES = {
    "unit_scores": UNIT_COLUMNS,
    "kpi_scores": KPI_COLUMNS,
    "late_items": LATE_COLUMNS,  # numbered by `line`, in the run's order
    "adjustments": ADJUSTMENT_COLUMNS,  # numbered by `line`, in the order applied
}
NUMBERED = ("late_items", "adjustments")
# The files a run saw (register rows of known units), numbered by `line` in register order.
FILE_COLUMNS: Columns = (
    ("path", str), ("sha256", str), ("unit_id", str), ("status", str), ("modified", str),
    ("received_on", str), ("reasons", str),
)  # fmt: skip


def file_rows(register: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The register's rows that belong to a unit (not ignored files, not unreadable ones
    without a unit id), as `submission_files` values. `received_on` is the date the run
    took for the file (ISO), empty when it had none."""
    rows = []
    for rec in register.to_dict("records"):
        unit_id = str(rec.get("unit_id") or "")
        if not unit_id or rec.get("status") == "ignored":
            continue
        day = received_on(rec)
        rows.append(
            (str(rec.get("path") or ""), str(rec.get("sha256") or ""), unit_id,
             str(rec.get("status") or ""), str(rec.get("modified") or ""),
             day.isoformat() if day else None, str(rec.get("reasons") or ""))
        )  # fmt: skip
    return rows


def received_on(record: Mapping[Any, Any]) -> dt.date | None:
    """The date a register row says the file was received: `received_on` when intake
    records it (issue 13, DOMAIN §3.6), else the `submitted_on` the run charged from."""
    for key in ("received_on", "submitted_on"):
        day = as_date(record.get(key))
        if day is not None:
            return day
    return None


def as_date(value: Any) -> dt.date | None:
    """A date, datetime or ISO text as a date; None for anything else (None, NaT, NaN)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def inputs_digest(
    register: pd.DataFrame,
    framework_fingerprint: str,
    adjustments_sha256: str | None,
    round_id: str,
    as_of: dt.date,
) -> str:
    """sha256 over what decides a run's scores: the sorted sha256 of every input file the
    intake looked at (ignored files such as a covering note are left out), the framework's
    fingerprint, the adjustments file's sha256, the round and the as-of date. File names
    and folders do not count: moving the inbox keeps the digest."""
    files = sorted(
        str(sha)
        for sha, status in zip(register["sha256"], register["status"], strict=True)
        if status != "ignored" and isinstance(sha, str) and sha
    )
    payload = {
        "digest_version": DIGEST_VERSION,
        "inputs": files,
        "framework": framework_fingerprint,
        "adjustments": adjustments_sha256 or "",
        "round_id": round_id,
        "as_of": as_of.isoformat(),
    }
    return _sha256_json(payload)


def table_rows(scored: ScoredRound) -> dict[str, list[tuple[Any, ...]]]:
    """The rows this run adds to each score table, as SQL values (Decimals as text)."""
    frames: dict[str, pd.DataFrame] = {
        "unit_scores": scored.unit_scores,
        "kpi_scores": scored.kpi_scores,
        "late_items": scored.late_items,
        "adjustments": scored.adjustments,
    }
    return {table: _sql_rows(frames[table], columns) for table, columns in TABLES.items()}


def scores_digest(rows: dict[str, list[tuple[Any, ...]]]) -> str:
    """sha256 over everything stored for a run: equal digests, equal history rows."""
    return _sha256_json({k: rows[k] for k in sorted(rows)})


def _sha256_json(payload: object) -> str:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sql_rows(frame: pd.DataFrame, columns: Columns) -> list[tuple[Any, ...]]:
    names = [name for name, _ in columns]
    kinds = [kind for _, kind in columns]
    return [
        tuple(to_sql(v, kind, name) for v, kind, name in zip(row, kinds, names, strict=True))
        for row in frame[names].itertuples(index=False, name=None)
    ]


def to_sql(value: Any, kind: type, name: str) -> str | int | None:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if kind is Decimal:
        if not isinstance(value, Decimal):  # a float here would lose the exact score
            raise TypeError(f"history: {name} must be a Decimal, got {type(value).__name__}")
        return str(value)
    if kind is int:
        return int(value)
    return str(value)


def from_sql(value: Any, kind: type) -> Any:
    if value is None:
        return None
    if kind is Decimal:
        return Decimal(value)
    return kind(value)
