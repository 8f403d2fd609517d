"""`scores.csv` and `kpi_scores.csv` (DOMAIN §7): the run's numbers for other programs.

    write_scores_csv(ctx, path) -> Path        # one row per unit of the framework
    write_kpi_scores_csv(ctx, path) -> Path    # one row per scored unit and KPI

- UTF-8 with a BOM (Excel opens Thai text correctly only then), comma-separated, CRLF line
  ends (RFC 4180), a header row of exactly the DOMAIN keys in their order.
- scores.csv: `unit_id, unit_name, cluster_id, pre_appeal_score, deduction, final_score,
  band, rank, cluster_rank, days_late, status`, in the HR order (rank order, unscored last);
  a missing or rejected unit has empty score, deduction, band, rank and days_late cells.
- kpi_scores.csv: `unit_id, kpi_id, value, score, weight, weighted_score`, units with an
  accepted submission only (the others have no KPI results); an exempt KPI has empty score
  and weighted_score, a KPI left empty an empty value.
- Numbers are written from the Decimals, never through float: every number has exactly
  `decimals` places (3.6000, weight 20.0000), except a typed value with more places than
  that, which is written as typed rather than rounded. Ranks and days are integers.
- Written by `kpi_batch.csvfiles.write_csv`, the tool's one CSV writer: a text cell
  starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, so that a name such as
  `=HYPERLINK(...)` stays text when someone double-clicks the file into Excel (CSV
  injection); numbers are written as numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from kpi_batch.csvfiles import Verbatim, safe_cell, write_csv
from kpi_batch.reports.tables import is_blank
from kpi_batch.run_layout import RunLayout
from kpi_batch.run_record import RunRecord
from kpi_batch.schemas.scoring import HR_COLUMNS, KPI_SCORE_COLUMNS
from kpi_batch.scoring.rounding import pad

SCORES_NAME = RunLayout.SCORES  # when given a folder
KPI_SCORES_NAME = RunLayout.KPI_SCORES


def write_scores_csv(ctx: RunRecord, path: Path) -> Path:
    """Write scores.csv to `path` (a folder gets `scores.csv`); returns the file."""
    frame = ctx.scored.unit_scores
    rows = frame[list(HR_COLUMNS)].itertuples(index=False, name=None)
    return _write(_target(path, SCORES_NAME), HR_COLUMNS, rows, ctx.framework.settings.decimals)


def write_kpi_scores_csv(ctx: RunRecord, path: Path) -> Path:
    """Write kpi_scores.csv to `path` (a folder gets `kpi_scores.csv`); returns the file."""
    frame = ctx.scored.kpi_scores
    rows = frame[list(KPI_SCORE_COLUMNS)].itertuples(index=False, name=None)
    return _write(
        _target(path, KPI_SCORES_NAME), KPI_SCORE_COLUMNS, rows, ctx.framework.settings.decimals
    )


def _target(path: Path, name: str) -> Path:
    target = path / name if path.is_dir() else path
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def write_rows(
    target: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], decimals: int
) -> Path:
    """Any table of the run as CSV by the rules above (also kpi_results.csv)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return _write(target, header, rows, decimals)


def _write(
    target: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], decimals: int
) -> Path:
    return write_csv(target, header, ([cell(v, decimals) for v in row] for row in rows))


def cell(value: Any, decimals: int) -> str:
    """One value as CSV text (see the module docstring)."""
    if is_blank(value):
        return ""
    if isinstance(value, Decimal):
        return Verbatim(f"{pad(value, decimals):f}")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or hasattr(value, "__index__"):
        return Verbatim(str(int(value)))
    if isinstance(value, float):
        raise TypeError(f"a float reached the CSV writer: {value!r}; scores must be Decimals")
    return safe_cell(value)
