"""History store: `<out>/history.sqlite`, every run's unit and KPI scores, for trends and diffs.

One SQLite file beside the run folders (stdlib sqlite3, no server; copy the output folder
and the history goes with it). Tables (schema version in `PRAGMA user_version`):

    runs          one row per run folder: run_id (e.g. 2567/R1/2024-03-15_1), seq (order
                  recorded), fiscal_year, round_id, as_of, inputs_digest, scores_digest,
                  framework_fingerprint, manifest_sha256, package_version, same_as, state
    unit_scores   the run's scores.csv columns and more, per unit
    kpi_scores    per unit and KPI: value, score, weight, weighted_score, status, ...
    late_items    per unit: each late item, its days, penalty and reason
    adjustments   every review and appeal row the run applied

Scores are Decimals stored as TEXT (`str(Decimal)`), never REAL: what comes back is the
same Decimal, digit for digit.

No duplicate history: a run whose round, as-of date, inputs digest and scores digest equal
an earlier run's is a re-run. It still gets its run folder (the officer asked for the
files), but only a `runs` row with `same_as` naming the earlier run; no second set of
scores. Two-phase recording, with the run folder as the judge: the rows are committed as
`staged` before the folder is moved into place and settled right after (folder there ->
`committed`, not there -> deleted); a crash in between is settled by the next run. Readers
see committed runs only. See docs/history.md.

The schema, the stored columns and the digests are in `history_schema.py` (pure).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from kpi_batch.errors import HistoryError, UsageError
from kpi_batch.history.diff import RunScores
from kpi_batch.history.schema import (
    FILE_COLUMNS,
    MIGRATIONS,
    NUMBERED,
    SCHEMA_VERSION,
    TABLES,
    Columns,
    file_rows,
    from_sql,
    inputs_digest,
    scores_digest,
    table_rows,
)
from kpi_batch.manifest import sha256_file
from kpi_batch.run_record import RunRecord

DB_NAME = "history.sqlite"
# Another program holding the database (a viewer, a second run): SQLite waits BUSY_TIMEOUT
# seconds, then we pause and try again, BUSY_ATTEMPTS times in all, then say "busy".
BUSY_TIMEOUT, BUSY_ATTEMPTS, BUSY_PAUSE = 10.0, 3, 1.0
STAGED, COMMITTED = "staged", "committed"

TREND_COLUMNS = ["run_id", "as_of", "round_id", "unit_id", "final_score", "rank"]
ROUND_FILE_COLUMNS = ["seq", "run_id", "as_of", *(name for name, _ in FILE_COLUMNS)]
RUN_LIST_COLUMNS = [
    "run_id", "fiscal_year", "round_id", "as_of", "units_scored", "units_unscored",
    "mean_score", "inputs_digest", "package_version", "reruns",
]  # fmt: skip


@dataclass(frozen=True)
class StoredRun:
    """A run's identity in the history: who it is and what it was computed from."""

    run_id: str
    fiscal_year: int
    round_id: str
    as_of: dt.date
    inputs_digest: str
    scores_digest: str
    framework_fingerprint: str
    manifest_sha256: str
    package_version: str


# --- the store -------------------------------------------------------------------------


class History:
    """A connection to `<out>/history.sqlite`.

    `History.open(out)` creates or upgrades the file and settles staged runs: the pipeline
    calls it while it holds the output folder's run lock. `History.read(out)` opens an
    existing file read-only for the commands that only look (None when there is none)."""

    def __init__(self, conn: sqlite3.Connection, out: Path) -> None:
        self.conn = conn
        self.out = out

    @property
    def path(self) -> Path:
        return self.out / DB_NAME

    @classmethod
    def open(cls, out: Path) -> History:
        conn = _connect(out / DB_NAME, read_only=False)
        history = cls(conn, out)
        try:
            history._migrate()
            history.settle_staged()
        except BaseException:
            conn.close()
            raise
        return history

    @classmethod
    def read(cls, out: Path) -> History | None:
        path = out / DB_NAME
        if not path.is_file():
            return None
        conn = _connect(path, read_only=True)
        version = _user_version(conn, path)
        if version > SCHEMA_VERSION:
            conn.close()
            raise _newer(path, version)
        if version < SCHEMA_VERSION:  # empty, or older: upgraded by the next run
            conn.close()
            return None
        return cls(conn, out)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            _retry_busy(lambda: self.conn.execute("BEGIN IMMEDIATE"), self.path)
            yield self.conn
            self.conn.execute("COMMIT")
        except HistoryError:
            self._rollback()
            raise
        except sqlite3.Error as exc:
            self._rollback()
            if _is_busy(exc):
                raise _busy(self.path, exc) from exc
            raise HistoryError(
                f"บันทึกประวัติใน {self.path} ไม่สำเร็จ: {exc} / could not write history"
            ) from exc
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def _migrate(self) -> None:
        version = _user_version(self.conn, self.path)
        if version > SCHEMA_VERSION:
            raise _newer(self.path, version)
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self._transaction() as conn:
                for statement in _statements(MIGRATIONS[target]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {target}")

    # --- recording (the pipeline, under the run lock) ------------------------------------

    @contextmanager
    def recording(
        self, ctx: RunRecord, *, adjustments_sha256: str | None, manifest: Path
    ) -> Iterator[str | None]:
        """Record the run as staged; the caller moves its folder into place inside the
        block. Yields the earlier run this one repeats exactly (None when it is new)."""
        rows = table_rows(ctx.scored)
        record = StoredRun(
            run_id=ctx.run_id,
            fiscal_year=ctx.fiscal_year,
            round_id=ctx.round.round_id,
            as_of=ctx.as_of,
            inputs_digest=inputs_digest(
                ctx.inputs,
                ctx.framework.fingerprint,
                adjustments_sha256,
                ctx.round.round_id,
                ctx.as_of,
            ),
            scores_digest=scores_digest(rows),
            framework_fingerprint=ctx.framework.fingerprint,
            manifest_sha256=sha256_file(manifest),
            package_version=ctx.package_version,
        )
        same_as = self.stage(record, rows, file_rows(ctx.inputs))
        try:
            yield same_as
        finally:
            self.settle(record.run_id)

    def stage(
        self,
        record: StoredRun,
        rows: dict[str, list[tuple[Any, ...]]],
        files: Sequence[tuple[Any, ...]] = (),
    ) -> str | None:
        """Write the run as staged (one transaction); returns the run it repeats, if any.
        `files` (the files the run saw) are kept for every run, re-runs too: they say what
        was in the inbox that day, which the round's state is read from."""
        with self._transaction() as conn:
            # A run id comes back only when its folder (and every later one of that day)
            # was removed by hand; the removed run's history goes with it.
            conn.execute("DELETE FROM runs WHERE run_id = ?", (record.run_id,))
            found = conn.execute(
                "SELECT run_id FROM runs WHERE state = 'committed' AND same_as IS NULL"
                " AND fiscal_year = ? AND round_id = ? AND as_of = ?"
                " AND inputs_digest = ? AND scores_digest = ? ORDER BY seq LIMIT 1",
                (
                    record.fiscal_year,
                    record.round_id,
                    record.as_of.isoformat(),
                    record.inputs_digest,
                    record.scores_digest,
                ),
            ).fetchone()
            same_as = None if found is None else str(found[0])
            conn.execute(
                "INSERT INTO runs (run_id, seq, fiscal_year, round_id, as_of, inputs_digest,"
                " scores_digest, framework_fingerprint, manifest_sha256, package_version,"
                " same_as, state) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM runs),"
                " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.run_id,
                    record.fiscal_year,
                    record.round_id,
                    record.as_of.isoformat(),
                    record.inputs_digest,
                    record.scores_digest,
                    record.framework_fingerprint,
                    record.manifest_sha256,
                    record.package_version,
                    same_as,
                    STAGED,
                ),
            )
            if same_as is None:
                for table, columns in TABLES.items():
                    _insert(conn, table, columns, record.run_id, rows[table])
            _insert(conn, "submission_files", FILE_COLUMNS, record.run_id, files)
        return same_as

    def settle(self, run_id: str) -> None:
        """A staged run whose folder is in place is committed; one whose folder is not is
        deleted (the run failed or crashed before its folder was moved)."""
        with self._transaction() as conn:
            if (self.out / run_id).is_dir():
                conn.execute(
                    "UPDATE runs SET state = 'committed' WHERE run_id = ? AND state = 'staged'",
                    (run_id,),
                )
            else:
                conn.execute("DELETE FROM runs WHERE run_id = ? AND state = 'staged'", (run_id,))

    def settle_staged(self) -> None:
        staged = self.conn.execute("SELECT run_id FROM runs WHERE state = 'staged'").fetchall()
        for (run_id,) in staged:
            self.settle(str(run_id))

    # --- reading -------------------------------------------------------------------------

    def _committed(self) -> list[dict[str, Any]]:
        """Committed runs in the order recorded, each with `source`: the run whose scores
        it has (itself, or the run it repeats)."""
        cursor = self.conn.execute(
            "SELECT run_id, seq, fiscal_year, round_id, as_of, inputs_digest,"
            " package_version, same_as FROM runs WHERE state = 'committed' ORDER BY seq"
        )
        names = [d[0] for d in cursor.description]
        runs = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for run in runs:
            run["source"] = run["same_as"] or run["run_id"]
            run["as_of"] = dt.date.fromisoformat(run["as_of"])
        return runs

    def trend(self, fiscal_year: int, round_id: str, as_of: dt.date) -> pd.DataFrame | None:
        """Earlier runs for the executive trend sheet (`RunRecord.history`), or None.

        Runs of the same fiscal year up to this as-of date; one per (round, as-of date), the
        one recorded last (a re-run on the same day replaces the earlier one); none for this
        run's own round and as-of date, which this run replaces."""
        latest: dict[tuple[str, dt.date], dict[str, Any]] = {}
        for run in self._committed():
            if run["fiscal_year"] != fiscal_year or run["as_of"] > as_of:
                continue
            if (run["round_id"], run["as_of"]) == (round_id, as_of):
                continue
            latest[(run["round_id"], run["as_of"])] = run
        rows = []
        for run in sorted(latest.values(), key=lambda r: (r["as_of"], r["seq"])):
            for unit_id, score, rank in self.conn.execute(
                "SELECT unit_id, final_score, rank FROM unit_scores WHERE run_id = ?",
                (run["source"],),
            ):
                rows.append(
                    (run["run_id"], run["as_of"], run["round_id"], unit_id,
                     from_sql(score, Decimal), rank)
                )  # fmt: skip
        if not rows:
            return None
        frame = pd.DataFrame(rows, columns=TREND_COLUMNS)
        frame["rank"] = frame["rank"].astype("Int64")
        return frame

    def round_files(self, fiscal_year: int, round_id: str) -> pd.DataFrame:
        """Every file the committed runs of a round saw, one row per (run, file), in the
        order recorded: `ROUND_FILE_COLUMNS` (the input of `round_state.round_states`)."""
        rows = []
        for run in self._committed():
            if run["fiscal_year"] != fiscal_year or run["round_id"] != round_id:
                continue
            names = ", ".join(name for name, _ in FILE_COLUMNS)
            for values in self.conn.execute(
                f"SELECT {names} FROM submission_files WHERE run_id = ? ORDER BY line",
                (run["run_id"],),
            ):
                rows.append((run["seq"], run["run_id"], run["as_of"], *values))
        return pd.DataFrame(rows, columns=ROUND_FILE_COLUMNS)

    def latest_run(self, round_id: str | None = None) -> dict[str, Any] | None:
        """The last committed run (of `round_id`, when given), or None."""
        runs = [r for r in self._committed() if round_id is None or r["round_id"] == round_id]
        return runs[-1] if runs else None

    def runs(self, round_id: str | None = None) -> pd.DataFrame:
        """One row per recorded result (re-runs listed under the run they repeat)."""
        committed = self._committed()
        reruns: dict[str, list[str]] = {}
        for run in committed:
            if run["same_as"]:
                reruns.setdefault(run["same_as"], []).append(run["run_id"])
        rows = []
        for run in committed:
            if run["same_as"] or (round_id is not None and run["round_id"] != round_id):
                continue
            units = self.conn.execute(
                "SELECT status, final_score FROM unit_scores WHERE run_id = ?", (run["run_id"],)
            ).fetchall()
            scores = [Decimal(s) for status, s in units if status == "scored" and s is not None]
            rows.append(
                (run["run_id"], run["fiscal_year"], run["round_id"], run["as_of"],
                 sum(1 for status, _ in units if status == "scored"),
                 sum(1 for status, _ in units if status != "scored"),
                 _mean(scores), run["inputs_digest"], run["package_version"],
                 tuple(reruns.get(run["run_id"], ())))
            )  # fmt: skip
        return pd.DataFrame(rows, columns=RUN_LIST_COLUMNS)

    def resolve(self, ref: str) -> dict[str, Any]:
        """A committed run by id (`2567/R1/2024-02-20_1`, or a path ending in it), or
        `latest` (the last recorded) / `previous` (the last one with other scores)."""
        committed = self._committed()
        if not committed:
            raise UsageError(f"ยังไม่มีประวัติการประมวลผลใน {self.path} / no runs recorded yet")
        if ref == "latest":
            return committed[-1]
        if ref == "previous":
            last = committed[-1]["source"]
            for run in reversed(committed):
                if run["source"] != last:
                    return run
            raise UsageError("มีผลการประมวลผลเพียงชุดเดียว ไม่มีครั้งก่อนให้เปรียบเทียบ / no previous run")
        norm = ref.replace("\\", "/").strip().rstrip("/")
        for run in committed:
            if norm == run["run_id"] or norm.endswith("/" + run["run_id"]):
                return run
        known = ", ".join(r["run_id"] for r in committed[-5:])
        raise UsageError(
            f"ไม่พบการประมวลผล {ref} ในประวัติ ดูรายการด้วย kpi-batch history (ล่าสุด: {known}) / "
            f"unknown run {ref!r}; see `kpi-batch history`"
        )

    def last_of_round(self, fiscal_year: int, round_id: str) -> RunScores | None:
        """The last committed run of the fiscal year's round (what a new run of the round
        is compared with: its changes workbook), or None."""
        runs = [
            r
            for r in self._committed()
            if r["fiscal_year"] == fiscal_year and r["round_id"] == round_id
        ]
        return self.load(runs[-1]["run_id"]) if runs else None

    def load(self, ref: str) -> RunScores:
        """A run's scores for `diff.diff_runs` (a re-run gives the scores it repeats)."""
        run = self.resolve(ref)
        source = run["source"]
        return RunScores(
            run_id=run["run_id"],
            as_of=run["as_of"],
            units=self.frame("unit_scores", source),
            kpis=self.frame("kpi_scores", source),
            late_items=self.frame("late_items", source),
            adjustments=self.frame("adjustments", source),
        )

    def frame(self, table: str, run_id: str) -> pd.DataFrame:
        """One run's rows of a score table, in the order recorded, with Python values."""
        columns = TABLES[table]
        names = [name for name, _ in columns]
        order = "line" if table in NUMBERED else "rowid"
        cursor = self.conn.execute(
            f"SELECT {', '.join(names)} FROM {table} WHERE run_id = ? ORDER BY {order}",
            (run_id,),
        )
        rows = [
            [from_sql(v, kind) for v, (_, kind) in zip(row, columns, strict=True)]
            for row in cursor.fetchall()
        ]
        frame = pd.DataFrame(rows, columns=names)
        for name, kind in columns:
            if kind is int:
                frame[name] = frame[name].astype("Int64")
            elif kind is Decimal:
                frame[name] = frame[name].astype(object)
        return frame


def _insert(
    conn: sqlite3.Connection,
    table: str,
    columns: Columns,
    run_id: str,
    rows: Sequence[tuple[Any, ...]],
) -> None:
    numbered = table in NUMBERED or table == "submission_files"
    names = ["run_id", *(["line"] if numbered else []), *(name for name, _ in columns)]
    marks = ", ".join("?" for _ in names)
    conn.executemany(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
        [(run_id, *((i,) if numbered else ()), *row) for i, row in enumerate(rows, start=1)],
    )


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    try:
        if read_only:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT
            )
        else:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT)
        conn.isolation_level = None  # transactions are explicit (BEGIN IMMEDIATE ... COMMIT)
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        raise HistoryError(
            f"เปิดไฟล์ประวัติ {path} ไม่ได้: {exc} / cannot open the history database"
        ) from exc
    return conn


def _is_busy(exc: sqlite3.Error) -> bool:
    """Another program holds the database (SQLITE_BUSY / SQLITE_LOCKED): not damage."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in (5, 6):  # SQLITE_BUSY, SQLITE_LOCKED
        return True
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc).lower()


def _busy(path: Path, exc: sqlite3.Error) -> HistoryError:
    waited = BUSY_TIMEOUT * BUSY_ATTEMPTS
    return HistoryError(
        f"ไฟล์ประวัติ {path} ถูกโปรแกรมอื่นเปิดใช้อยู่ (รอแล้ว {waited:.0f} วินาที) — ปิดโปรแกรมที่เปิด"
        f"ไฟล์นี้ (เช่น DB Browser, Excel) หรือรอให้การประมวลผลอื่นเสร็จ แล้วสั่งใหม่ ไม่ต้องย้ายหรือลบไฟล์ / "
        f"{path} is busy (held by another program; waited {waited:.0f} s): close it and run "
        f"again; the file is fine, do not move it ({exc})"
    )


_T = TypeVar("_T")


def _retry_busy(action: Callable[[], _T], path: Path) -> _T:
    """`action`, tried again while the database is busy (SQLite waits BUSY_TIMEOUT each
    time), then a message that says busy."""
    for attempt in range(1, BUSY_ATTEMPTS + 1):
        try:
            return action()
        except sqlite3.Error as exc:
            if not _is_busy(exc):
                raise
            if attempt == BUSY_ATTEMPTS:
                raise _busy(path, exc) from exc
            time.sleep(BUSY_PAUSE * attempt)
    raise AssertionError("unreachable")


def _user_version(conn: sqlite3.Connection, path: Path) -> int:
    try:
        row = _retry_busy(lambda: conn.execute("PRAGMA user_version").fetchone(), path)
        return int(row[0])
    except sqlite3.DatabaseError as exc:
        raise HistoryError(
            f"ไฟล์ประวัติ {path} เสียหายหรือไม่ใช่ฐานข้อมูล SQLite — ย้ายไฟล์ออกแล้วประมวลผลใหม่ / "
            f"{path} is not a readable SQLite database: {exc}"
        ) from exc


def _newer(path: Path, version: int) -> HistoryError:
    return HistoryError(
        f"ไฟล์ประวัติ {path} สร้างโดย kpi-batch รุ่นที่ใหม่กว่า (schema {version}) — ให้ปรับรุ่นโปรแกรม / "
        f"{path} has schema version {version}; this kpi-batch knows {SCHEMA_VERSION}"
    )


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _mean(scores: Sequence[Decimal]) -> Decimal | None:
    """The mean, rounded half-up to the scores' own number of places."""
    if not scores:
        return None
    exact = sum(scores, Decimal(0)) / len(scores)
    return exact.quantize(scores[0], rounding=ROUND_HALF_UP)
