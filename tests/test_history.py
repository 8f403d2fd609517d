"""history.sqlite: schema, exact Decimals, one copy of a repeated run, staged runs settled by
their folder, the executive trend's rows, and run look-up for `diff`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from kpi_batch.errors import HistoryError, UsageError
from kpi_batch.history.schema import (
    SCHEMA_VERSION,
    TABLES,
    inputs_digest,
    scores_digest,
    table_rows,
)
from kpi_batch.history.store import DB_NAME, History, StoredRun
from kpi_batch.run_record import RunRecord
from tests.executive_factories import sample_context

FEB, MAR = dt.date(2024, 2, 20), dt.date(2024, 3, 15)


def ctx_for(run_id: str, as_of: dt.date, base: RunRecord | None = None) -> RunRecord:
    return dataclasses.replace(base or sample_context(history=False), run_id=run_id, as_of=as_of)


def record(out: Path, ctx: RunRecord, *, move: bool = True) -> str | None:
    """What the pipeline does: record staged, move the folder into place, settle."""
    staging = out / ".staging" / ctx.run_id.replace("/", "_")
    staging.mkdir(parents=True)
    manifest = staging / "manifest.json"
    manifest.write_text(f'{{"run_id": "{ctx.run_id}"}}', encoding="utf-8")
    with (
        History.open(out) as history,
        history.recording(ctx, adjustments_sha256=None, manifest=manifest) as same_as,
    ):
        if move:
            (out / ctx.run_id).parent.mkdir(parents=True, exist_ok=True)
            staging.rename(out / ctx.run_id)
    return same_as


def read(out: Path) -> History:
    history = History.read(out)
    assert history is not None
    return history


def count(out: Path, table: str) -> int:
    with sqlite3.connect(out / DB_NAME) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


# --- schema ----------------------------------------------------------------------------


def test_schema_is_created_once_and_versioned(tmp_path: Path) -> None:
    History.open(tmp_path).close()
    History.open(tmp_path).close()  # again: nothing to do, no error
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"runs", "submission_files", *TABLES}


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    History.open(tmp_path).close()
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(HistoryError, match="schema version"):
        History.open(tmp_path)
    with pytest.raises(HistoryError, match="schema version"):
        History.read(tmp_path)


def test_a_file_that_is_not_sqlite_is_refused_with_advice(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not a database, just text " * 40)
    with pytest.raises(HistoryError, match="ย้ายไฟล์ออก"):
        History.open(tmp_path)


def test_read_without_a_file_is_none(tmp_path: Path) -> None:
    assert History.read(tmp_path) is None
    assert not (tmp_path / DB_NAME).exists()  # looking does not create it


# --- recording -------------------------------------------------------------------------


def test_scores_come_back_as_the_same_decimals(tmp_path: Path) -> None:
    ctx = ctx_for("2567/r12/2024-03-15_1", MAR)
    assert record(tmp_path, ctx) is None
    with read(tmp_path) as history:
        run = history.load("2567/r12/2024-03-15_1")
    units = ctx.scored.unit_scores
    for col in ("final_score", "pre_appeal_score", "deduction"):
        want = [None if pd.isna(v) else v for v in units[col]]
        got = list(run.units.set_index("unit_id").loc[units["unit_id"], col])
        assert [str(v) for v in got] == [str(v) for v in want]  # digits and places
    assert list(run.units["rank"]) == list(units["rank"])
    kpis = ctx.scored.kpi_scores
    assert [str(v) for v in run.kpis["score"]] == [str(v) for v in kpis["score"]]
    assert [str(v) for v in run.kpis["value"]] == [str(v) for v in kpis["value"]]
    late = run.late_items.set_index("unit_id")
    assert late.loc["U05", "penalty"] == Decimal("0.1500")
    assert str(late.loc["U05", "penalty"]) == "0.1500"
    assert list(run.adjustments["stage"]) == ["review", "appeal"]
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        kinds = {r[0] for r in conn.execute("SELECT typeof(final_score) FROM unit_scores")}
    assert kinds == {"text", "null"}  # never REAL


def test_a_float_score_is_refused_not_stored_inexactly() -> None:
    ctx = sample_context(history=False)
    units = ctx.scored.unit_scores.copy()
    units["final_score"] = units["final_score"].map(lambda v: None if v is None else float(v))
    scored = dataclasses.replace(ctx.scored, unit_scores=units)
    with pytest.raises(TypeError, match="final_score must be a Decimal"):
        table_rows(scored)


def test_rerunning_identical_inputs_keeps_one_copy(tmp_path: Path) -> None:
    first = ctx_for("2567/r12/2024-03-15_1", MAR)
    record(tmp_path, first)
    rows = count(tmp_path, "unit_scores"), count(tmp_path, "kpi_scores")
    assert record(tmp_path, ctx_for("2567/r12/2024-03-15_2", MAR, first)) == first.run_id
    assert (count(tmp_path, "unit_scores"), count(tmp_path, "kpi_scores")) == rows
    with read(tmp_path) as history:
        runs = history.runs()
        again = history.load("2567/r12/2024-03-15_2")
    assert list(runs["run_id"]) == [first.run_id]
    assert runs.iloc[0]["reruns"] == ("2567/r12/2024-03-15_2",)
    assert again.run_id == "2567/r12/2024-03-15_2"
    assert list(again.units["final_score"]) == list(first.scored.unit_scores["final_score"])


def test_same_inputs_with_other_scores_is_a_new_result(tmp_path: Path) -> None:
    # e.g. a program fix changed a score: history must not hide it behind the old run.
    first = ctx_for("2567/r12/2024-03-15_1", MAR)
    record(tmp_path, first)
    units = first.scored.unit_scores.copy()
    units.loc[units["unit_id"] == "U01", "final_score"] = Decimal("1.2345")
    changed = dataclasses.replace(
        ctx_for("2567/r12/2024-03-15_2", MAR, first),
        scored=dataclasses.replace(first.scored, unit_scores=units),
    )
    assert record(tmp_path, changed) is None
    with read(tmp_path) as history:
        assert len(history.runs()) == 2


def test_a_run_that_fails_before_its_folder_moves_leaves_no_history(tmp_path: Path) -> None:
    record(tmp_path, ctx_for("2567/r12/2024-02-20_1", FEB))
    before = {t: count(tmp_path, t) for t in ("runs", *TABLES)}
    with pytest.raises(OSError), History.open(tmp_path) as history:
        ctx = ctx_for("2567/r12/2024-03-15_1", MAR)
        manifest = tmp_path / "manifest.json"
        manifest.write_text("{}", encoding="utf-8")
        with history.recording(ctx, adjustments_sha256=None, manifest=manifest):
            raise OSError("disk full while moving the run folder")
    assert {t: count(tmp_path, t) for t in ("runs", *TABLES)} == before


def test_a_crash_between_staging_and_the_move_is_settled_by_the_folder(tmp_path: Path) -> None:
    ctx_moved = ctx_for("2567/r12/2024-03-15_1", MAR)
    ctx_lost = ctx_for("2567/r12/2024-03-16_1", dt.date(2024, 3, 16))
    with History.open(tmp_path) as history:
        for ctx in (ctx_moved, ctx_lost):  # staged, then "the power went off"
            rows = table_rows(ctx.scored)
            history.stage(_record_of(ctx, rows), rows)
        assert history.runs().empty  # readers never see staged runs
    (tmp_path / ctx_moved.run_id).mkdir(parents=True)  # this one's folder did get moved
    History.open(tmp_path).close()  # the next run settles them
    with read(tmp_path) as history:
        assert list(history.runs()["run_id"]) == [ctx_moved.run_id]
    assert count(tmp_path, "unit_scores") == len(ctx_moved.scored.unit_scores)


def _record_of(ctx: RunRecord, rows: dict[str, list[tuple[Any, ...]]]) -> StoredRun:
    return StoredRun(
        run_id=ctx.run_id,
        fiscal_year=ctx.fiscal_year,
        round_id=ctx.round.round_id,
        as_of=ctx.as_of,
        inputs_digest="x",
        scores_digest=scores_digest(rows),
        framework_fingerprint="",
        manifest_sha256="",
        package_version="test",
    )


# --- digests ---------------------------------------------------------------------------


def register(*files: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(files, columns=["path", "sha256", "status"])


def test_inputs_digest_is_about_content_not_names_or_order() -> None:
    a = register(("a.xlsx", "11", "accepted"), ("b.xlsx", "22", "rejected"))
    b = register(("renamed/b.xlsx", "22", "rejected"), ("x.xlsx", "11", "accepted"),
                 ("อ่านก่อน.txt", "33", "ignored"))  # fmt: skip
    digest = inputs_digest(a, "fp", None, "R1", MAR)
    assert inputs_digest(b, "fp", None, "R1", MAR) == digest
    assert inputs_digest(a, "fp", None, "R1", FEB) != digest
    assert inputs_digest(a, "fp2", None, "R1", MAR) != digest
    assert inputs_digest(a, "fp", "adj", "R1", MAR) != digest
    assert inputs_digest(a, "fp", None, "R2", MAR) != digest
    changed = register(("a.xlsx", "12", "accepted"), ("b.xlsx", "22", "rejected"))
    assert inputs_digest(changed, "fp", None, "R1", MAR) != digest


# --- reading ---------------------------------------------------------------------------


def test_trend_has_earlier_runs_one_per_day_and_not_this_one(tmp_path: Path) -> None:
    base = sample_context(history=False)
    record(tmp_path, ctx_for("2567/r12/2024-02-20_1", FEB, base))
    units = base.scored.unit_scores.copy()
    units["final_score"] = [None if v is None else v + 1 for v in units["final_score"]]
    corrected = dataclasses.replace(base.scored, unit_scores=units)
    record(tmp_path, dataclasses.replace(ctx_for("2567/r12/2024-02-20_2", FEB), scored=corrected))
    record(tmp_path, ctx_for("2567/r12/2024-03-15_1", MAR, base))
    with read(tmp_path) as history:
        march = history.trend(2567, "r12", MAR)
        april = history.trend(2567, "r12", dt.date(2024, 4, 10))
        february = history.trend(2567, "r12", FEB)
        other_year = history.trend(2568, "r12", dt.date(2024, 11, 10))
    assert march is not None and april is not None
    assert list(march.columns) == ["run_id", "as_of", "round_id", "unit_id", "final_score", "rank"]
    assert list(dict.fromkeys(march["run_id"])) == ["2567/r12/2024-02-20_2"]  # _2 replaced _1
    u01 = march.set_index("unit_id").loc["U01", "final_score"]
    assert u01 == base.scored.unit_scores.set_index("unit_id").loc["U01", "final_score"] + 1
    assert list(dict.fromkeys(april["run_id"])) == [
        "2567/r12/2024-02-20_2",
        "2567/r12/2024-03-15_1",
    ]
    assert february is None and other_year is None  # nothing earlier / another year


def test_resolve_by_id_path_latest_and_previous(tmp_path: Path) -> None:
    base = sample_context(history=False)
    record(tmp_path, ctx_for("2567/r12/2024-02-20_1", FEB, base))
    units = base.scored.unit_scores.copy()
    units.loc[units["unit_id"] == "U01", "final_score"] = Decimal("1.0000")
    march = dataclasses.replace(
        ctx_for("2567/r12/2024-03-15_1", MAR),
        scored=dataclasses.replace(base.scored, unit_scores=units),
    )
    record(tmp_path, march)
    record(tmp_path, ctx_for("2567/r12/2024-03-15_2", MAR, march))  # same as _1
    with read(tmp_path) as history:
        assert history.resolve("latest")["run_id"] == "2567/r12/2024-03-15_2"
        assert history.resolve("previous")["run_id"] == "2567/r12/2024-02-20_1"
        path = str(tmp_path / "2567" / "r12" / "2024-02-20_1") + "/"
        assert history.resolve(path)["run_id"] == "2567/r12/2024-02-20_1"
        with pytest.raises(UsageError, match="ไม่พบการประมวลผล 2567/r12/2024-01-01_1"):
            history.resolve("2567/r12/2024-01-01_1")
        runs = history.runs(round_id="r12")
        assert list(runs["units_scored"]) == [7, 7]
        assert list(runs["units_unscored"]) == [2, 2]
        assert history.runs(round_id="R9").empty


def test_a_run_id_reused_after_its_folder_was_removed_replaces_its_rows(tmp_path: Path) -> None:
    first = ctx_for("2567/r12/2024-03-15_1", MAR)
    record(tmp_path, first)
    record(tmp_path, ctx_for("2567/r12/2024-03-15_2", MAR, first))  # a re-run of _1
    for name in ("2024-03-15_1", "2024-03-15_2"):  # both folders deleted by hand
        shutil.rmtree(tmp_path / "2567" / "r12" / name)
    units = first.scored.unit_scores.copy()
    units.loc[units["unit_id"] == "U01", "final_score"] = Decimal("0.5000")
    again = dataclasses.replace(first, scored=dataclasses.replace(first.scored, unit_scores=units))
    assert record(tmp_path, again) is None
    with read(tmp_path) as history:
        assert list(history.runs()["run_id"]) == [first.run_id]
        assert history.runs().iloc[0]["reruns"] == ()
        scores = history.load(first.run_id).units.set_index("unit_id")["final_score"]
    assert scores["U01"] == Decimal("0.5000")
