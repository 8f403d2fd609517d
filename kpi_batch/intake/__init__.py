"""Intake: the inbox of returned workbooks -> register, clean results, submissions, issues.

Stages, one module each: `discover` (walk the inbox), `container` (safety checks on the
bytes, before any parser), `load` (python-calamine values with their cells), `normalise`
(one cell), `frames` (all files -> two frames), `validate` (pandera, pure), `register`
(statuses, duplicates, lateness), `run` (`run_intake`, the only one that reads files).
The check codes are in `codes`; docs/intake.md explains them for planning staff.
"""

from kpi_batch.intake.container import Limits
from kpi_batch.intake.run import IntakeResult, run_intake

__all__ = ["IntakeResult", "Limits", "run_intake"]
