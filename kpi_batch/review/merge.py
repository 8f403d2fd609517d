"""The adjustments workbook and the owners' review workbooks -> one set of adjustments. Pure.

Rows are keyed as the adjustments reader keys them: (unit, KPI, stage, field). The same key
from two places (the adjustments workbook and a review workbook, or two copies of one
owner's workbook) with the same new value is one change, applied once. With different
values we cannot know which was meant: neither is applied, and each place gets an error
naming all of them (`review_conflict`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from pandera.typing import DataFrame

from kpi_batch.adjustments.load import empty_adjustments
from kpi_batch.issues import Issue
from kpi_batch.review.codes import REVIEW
from kpi_batch.schemas.adjustments import Adjustments

KEY = ["unit_id", "kpi_id", "stage", "field"]


@dataclass(frozen=True)
class Source:
    """Checked adjustment rows and where each came from ("<file> <sheet>!<cell>")."""

    file: str
    sheet: str
    frame: DataFrame[Adjustments]
    places: tuple[str, ...]


def workbook_source(file: str, frame: DataFrame[Adjustments]) -> Source:
    """The adjustments workbook's rows, placed by Excel row (`adjustments!7:7`)."""
    rows = [f"{file} adjustments!{r}:{r}" for r in frame["excel_row"].tolist()]
    return Source(file, "adjustments", frame, tuple(rows))


def merge(sources: Sequence[Source]) -> tuple[DataFrame[Adjustments], list[Issue]]:
    frames = [s.frame.assign(_place=list(s.places), _src=i) for i, s in enumerate(sources)]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return empty_adjustments(), []
    rows = pd.concat(frames, ignore_index=True)
    issues: list[Issue] = []
    drop: set[int] = set()
    keep_first: set[int] = set()
    for key, group in rows.groupby(KEY, sort=False):
        if len(group) == 1:
            continue
        if group["new_value"].nunique() == 1:
            keep_first.update(group.index[1:].tolist())  # the same change twice: once
            continue
        drop.update(group.index.tolist())
        places = " และ ".join(group["_place"])
        what = "/".join(str(k) for k in key)
        for _, r in group.iterrows():
            file, _, where = str(r["_place"]).rpartition(" ")
            sheet, _, cell = where.partition("!")
            issues.append(
                REVIEW["review_conflict"].issue(
                    file=file,
                    sheet=sheet,
                    cell=cell,
                    value=str(r["new_value"]),
                    unit_id=str(r["unit_id"]),
                    kpi_id=str(r["kpi_id"]),
                    change=what,
                    places=places,
                )
            )
    kept = rows.drop(index=sorted(drop | keep_first)).drop(columns=["_place", "_src"])
    return Adjustments.validate(kept.reset_index(drop=True)), issues
