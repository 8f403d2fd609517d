"""The run record: one immutable value that says what a run read, scored and is, built by
the pipeline (`pipeline.run` returns it in its `RunResult`).

The reports, the manifest, the history store and the archive are all written from it, so they
agree; none of them needs a stage's own result (the intake's, the scoring's) besides what is
here. Reports never read disk or the clock: all they show comes from here, so the same inputs
and as-of date give the same bytes. Where its files go in the run folder: `layout`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kpi_batch.issues import Issue
from kpi_batch.model import Framework, Round
from kpi_batch.run_layout import RunLayout
from kpi_batch.scoring.score_round import ScoredRound


@dataclass(frozen=True)
class RunRecord:
    framework: Framework
    round: Round
    as_of: dt.date
    run_id: str  # e.g. "2567/R1/2024-03-10_1"; shown in notes and print headers
    scored: ScoredRound
    # The intake register, one row per input file: path, sha256, size, unit_id, status,
    # errors, warnings, reasons (see kpi_batch.intake).
    inputs: pd.DataFrame
    # Every problem found in inputs (intake and adjustments), for the unit workbooks.
    input_issues: tuple[Issue, ...] = ()
    # Earlier runs of this fiscal year from the history store, one row per (run, unit):
    # run_id, as_of, round_id, unit_id, final_score, rank. None when there is no history yet.
    history: pd.DataFrame | None = None
    # Every file the round's runs saw, this run's included (`History.round_files` +
    # `round_state.with_run`): the round's state per unit. None: this run's register only.
    round_files: pd.DataFrame | None = None
    package_version: str = ""
    # The inbox the register's paths are relative to: returned copies are made from the
    # originals there. None (a record built without one): no returned copies.
    inbox: Path | None = None
    # Intake's own issues, `Issue.file` a register path: which files get a returned copy,
    # and where it is marked (input_issues adds the adjustments' and scoring's).
    intake_issues: tuple[Issue, ...] = ()
    # Intake's clean results and submissions, as scoring read them (kpi_results.csv).
    results: pd.DataFrame = field(default_factory=pd.DataFrame)
    submissions: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def fiscal_year(self) -> int:
        return self.framework.settings.fiscal_year

    @property
    def layout(self) -> RunLayout:
        """The names of this run's files inside its run folder."""
        return RunLayout(self.fiscal_year, self.round.round_id)

    def unit_name(self, unit_id: str) -> str:
        return self.framework.unit(unit_id).name
