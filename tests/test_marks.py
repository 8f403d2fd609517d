"""Marks every result print carries: pre/post-appeal, sign-off, deduction reasons, palette."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from types import MappingProxyType

import openpyxl
import pytest

from kpi_batch.reports.executive import write_executive_workbook
from kpi_batch.reports.hr import HR_SHEET, write_hr_workbook
from kpi_batch.reports.marks import SIGNERS, deduction_reasons, result_state
from kpi_batch.reports.palette import band_colours
from kpi_batch.reports.unit import write_unit_workbook
from kpi_batch.run_record import RunRecord
from kpi_batch.scoring.appeal_state import MARK_TH, AppealState, appeal_state
from tests.run_record_factories import small_record

MAR_10, MAR_20 = dt.date(2024, 3, 10), dt.date(2024, 3, 20)


@pytest.mark.parametrize(
    ("applied", "deadline", "as_of", "state"),
    [
        (False, None, MAR_10, AppealState.PRE_APPEAL),  # no deadline: still open
        (False, MAR_20, MAR_10, AppealState.PRE_APPEAL),  # before the deadline
        (False, MAR_20, MAR_20, AppealState.PRE_APPEAL),  # the deadline day itself
        (False, MAR_10, MAR_20, AppealState.FINAL),  # deadline past
        (True, MAR_20, MAR_10, AppealState.FINAL),  # an appeal was applied
        (True, None, MAR_10, AppealState.FINAL),
    ],
)
def test_appeal_state_rule(
    applied: bool, deadline: dt.date | None, as_of: dt.date, state: AppealState
) -> None:
    assert appeal_state(applied, deadline, as_of) is state


def _without_appeals(ctx: RunRecord, deadline: str | None) -> RunRecord:
    scored = dataclasses.replace(
        ctx.scored, adjustments=ctx.scored.adjustments.iloc[0:0].reset_index(drop=True)
    )
    extra = {} if deadline is None else {"appeal_deadline": deadline}
    settings = dataclasses.replace(ctx.framework.settings, extra=MappingProxyType(extra))
    fw = dataclasses.replace(ctx.framework, settings=settings)
    return dataclasses.replace(ctx, scored=scored, framework=fw)


def test_small_record_has_an_appeal_so_it_is_final() -> None:
    ctx = small_record()
    assert result_state(ctx) is AppealState.FINAL
    open_ctx = _without_appeals(ctx, "31 ธ.ค. 2567")
    assert result_state(open_ctx) is AppealState.PRE_APPEAL
    assert result_state(_without_appeals(ctx, "2024-01-01")) is AppealState.FINAL


def _texts(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    return [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]


@pytest.mark.parametrize("state", list(AppealState))
def test_hr_executive_and_unit_prints_carry_the_mark_and_sign_off(
    tmp_path: Path, state: AppealState
) -> None:
    ctx = small_record()
    if state is AppealState.PRE_APPEAL:
        ctx = _without_appeals(ctx, "31 ธ.ค. 2567")
    other = MARK_TH[
        AppealState.FINAL if state is AppealState.PRE_APPEAL else AppealState.PRE_APPEAL
    ]
    hr = _texts(write_hr_workbook(ctx, tmp_path / "hr.xlsx"))
    ex = _texts(write_executive_workbook(ctx, tmp_path / "ex.xlsx"))
    unit = _texts(write_unit_workbook(ctx, "U01", tmp_path / "u01.xlsx"))
    for name, texts in (("hr", hr), ("executive", ex), ("unit", unit)):
        joined = "\n".join(texts)
        assert MARK_TH[state] in joined, name
        assert other not in joined, name
        if name != "unit":  # the committee signs the HR and executive prints
            for who in SIGNERS:
                assert who in texts, (name, who)


def test_every_deduction_has_its_reason_on_the_hr_row(tmp_path: Path) -> None:
    ctx = small_record()
    reasons = deduction_reasons(ctx)
    charged = ctx.scored.unit_scores
    charged = charged[charged["deduction"].map(lambda d: d is not None and d > 0)]
    assert len(charged) and set(charged["unit_id"]) == set(reasons)
    wb = openpyxl.load_workbook(write_hr_workbook(ctx, tmp_path / "hr.xlsx"))
    ws = wb[HR_SHEET]
    rows = list(ws[ws.tables["hr"].ref])
    keys = [str(c.value).rsplit("(", 1)[1].rstrip(")") for c in rows[0]]
    by_unit = {r[0].value: dict(zip(keys, (c.value for c in r), strict=True)) for r in rows[1:]}
    for unit_id, text in reasons.items():
        assert by_unit[unit_id]["deduction_reasons"] == text
        assert "วัน −" in text


@pytest.mark.parametrize("count", range(1, 10))
def test_band_colours_are_distinct_green_on_top_red_at_the_bottom(count: int) -> None:
    colours = band_colours(count)
    assert len(colours) == count == len(set(colours))
    assert colours[0] == band_colours(5)[0]
    if count > 1:
        assert colours[-1] == band_colours(5)[-1]


def _band_fills(path: Path, sheet: str) -> dict[str, str]:
    """band name -> fill colour of the cells showing it."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, str] = {}
    for row in wb[sheet].iter_rows():
        for c in row:
            if c.fill.fill_type == "solid" and isinstance(c.value, str):
                out.setdefault(c.value, str(c.fill.fgColor.rgb)[-6:])
    return out


def test_hr_and_executive_colour_each_band_alike(tmp_path: Path) -> None:
    ctx = small_record()
    hr = _band_fills(write_hr_workbook(ctx, tmp_path / "hr.xlsx"), HR_SHEET)
    ex = _band_fills(write_executive_workbook(ctx, tmp_path / "ex.xlsx"), "อันดับรวม (league)")
    names = [b.name for b in ctx.framework.bands]
    shared = [n for n in names if n in hr and n in ex]
    assert len(shared) >= 2
    for name in shared:
        assert hr[name] == ex[name], name
    assert len({hr[n] for n in shared}) == len(shared)
