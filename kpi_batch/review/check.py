"""A returned review workbook -> review- or appeal-stage adjustments and issues. Pure.

Each filled input cell of a row becomes one adjustment row (DOMAIN §6b: "as if typed into
§6"): `new_value` -> value, `new_numerator` -> numerator, ..., `exempt` -> exempt. Those rows
then go through the very checks of the adjustments workbook (`adjustments.load.check_rows`:
fields that fit the KPI, numbers read the same way, Thai digits, score range, duplicates),
with every problem named at the owner's cell. Before that, what only a review workbook has:

- identity by the defined names: a known owner, this framework's fiscal year, the run's
  round, a known stage and format version; otherwise the whole file is refused;
- an owner changes only their own KPIs (`kpis.owner_id`) of units in the run;
- a reason whenever any input of the row is filled (a reason alone changes nothing and is
  reported, so a forgotten value does not pass unnoticed);
- the locked cells (what the unit reported, names) still hold what the run shows; an edit
  there is reported and not used (corrections go in the yellow columns).

Applied rows carry the owner in `reason` ("... — เจ้าภาพตัวชี้วัด <name>") and the place in
`reference` (`<file> ทบทวนผล!P12; <owner's reference>`), so the unit's result, the audit
trail and the run-to-run diff all show who decided.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

import pandas as pd
from pandera.typing import DataFrame

from kpi_batch.adjustments.load import Places, cell_text, check_rows, empty_adjustments
from kpi_batch.issues import Issue, cell_ref
from kpi_batch.model import Framework, Owner
from kpi_batch.review.codes import review_issue
from kpi_batch.review.read import ReviewBook
from kpi_batch.schemas.adjustments import Adjustments
from kpi_batch.specs.adjustments import COLUMNS
from kpi_batch.specs.review import (
    COLUMNS as REVIEW_COLUMNS,
)
from kpi_batch.specs.review import (
    EXEMPT_CHOICES,
    INPUT_FIELDS,
    REVIEW_VERSION,
    STAGES,
)
from kpi_batch.thai import arabic_digits

LOCKED_NUMBERS = ("value", "numerator", "denominator", "level")


@dataclass(frozen=True)
class RunView:
    """What this run holds, to check a review workbook against."""

    round_id: str
    accepted: frozenset[str]  # units with an accepted submission
    # (unit_id, kpi_id) -> reported value/numerator/denominator/level (None: empty)
    reported: Mapping[tuple[str, str], Mapping[str, Decimal | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Checked:
    file: str
    owner: Owner | None
    stage: str
    adjustments: DataFrame[Adjustments]  # reason/reference carry the owner and the cell
    places: tuple[str, ...]  # one per adjustment row: "<file> <sheet>!<cell>"
    issues: tuple[Issue, ...]


def text(value: object) -> str:
    """A cell as the adjustments reader's text: 85.0 -> '85', Thai digits kept (the reader
    converts them), dates ISO, blanks ''."""
    return cell_text(value)


def _ident(value: object) -> str:
    return arabic_digits(text(value))


def _decimal(value: object) -> Decimal | None:
    raw = arabic_digits(text(value)).replace(",", "")
    try:
        return Decimal(raw) if raw else None
    except ArithmeticError:
        return None


def check_book(book: ReviewBook, framework: Framework, view: RunView) -> Checked:
    name = PurePath(book.file).name
    owner, stage, issues = _identity(book, framework, view)
    if owner is None or issues:
        return Checked(book.file, owner, stage, empty_adjustments(), (), tuple(issues))
    missing = [k for k in REVIEW_COLUMNS if k not in book.columns]
    if missing:
        issues.append(
            review_issue(
                "review_column_missing",
                book,
                cell_ref(book.header_row, max(book.columns.values(), default=-1) + 1),
                ", ".join(missing),
            )
        )
        return Checked(book.file, owner, stage, empty_adjustments(), (), tuple(issues))

    records: list[list[str]] = []
    typed: list[object] = []  # each record's value as the owner typed it (the cell reader's)
    origin: list[tuple[int, str]] = []  # per adjustment row: (Excel row, input key)
    owned = set(framework.owned_by(owner.owner_id))
    units = {u.unit_id: u for u in framework.units}
    for excel_row, cells in book.rows:
        unit_id = _ident(book.value(cells, "unit_id"))
        kpi_id = _ident(book.value(cells, "kpi_id"))
        filled = [k for k in INPUT_FIELDS if text(book.value(cells, k))]
        reason = text(book.value(cells, "reason"))
        reference = text(book.value(cells, "reference"))

        def at(key: str, row: int = excel_row) -> str:
            return cell_ref(row, book.columns[key])

        if not unit_id and not kpi_id:
            if filled or reason:
                issues.append(review_issue("review_row_without_ids", book, at("unit_id")))
            continue
        if unit_id not in units:
            issues.append(review_issue("review_unknown_unit", book, at("unit_id"), unit_id))
            continue
        if (unit_id, kpi_id) not in owned:
            if filled or reason:  # an unfilled stray row changes nothing
                other = framework.kpi_owners.get((unit_id, kpi_id), "")
                issues.append(
                    review_issue(
                        "review_not_owner",
                        book,
                        at("kpi_id"),
                        kpi_id,
                        unit=unit_id,
                        owner=owner.owner_id,
                        other=other or "-",
                    )
                )
            continue
        issues += _locked_changes(book, cells, excel_row, unit_id, kpi_id, framework, view)
        if unit_id not in view.accepted:
            if filled:
                issues.append(review_issue("review_unit_not_in_run", book, at("unit_id"), unit_id))
            continue
        if not filled:
            if reason or reference:
                issues.append(
                    review_issue("review_reason_without_change", book, at("reason"), reason)
                )
            continue
        if not reason:
            issues.append(
                review_issue("review_reason_missing", book, at("reason"), unit=unit_id, kpi=kpi_id)
            )
            continue
        for key in filled:
            raw = book.value(cells, key)
            value = text(raw)
            if key == "exempt":
                value = EXEMPT_CHOICES.get(value, value)
                raw = value if value in EXEMPT_CHOICES.values() else raw
            typed.append(raw)
            records.append([unit_id, kpi_id, stage, INPUT_FIELDS[key], value, reason, reference])
            origin.append((excel_row, key))

    if not records:
        return Checked(book.file, owner, stage, empty_adjustments(), (), tuple(_unique(issues)))
    index = pd.Index(range(2, len(records) + 2), dtype="int64")  # Adjustments wants >= 2
    rows = pd.DataFrame(records, columns=list(COLUMNS), index=index, dtype="str")
    spot = dict(zip(index.tolist(), origin, strict=True))
    as_typed = dict(zip(index.tolist(), typed, strict=True))

    def locate(row: int, column: str) -> str:
        excel_row, key = spot[row]
        if column in ("field", "new_value"):
            return cell_ref(excel_row, book.columns[key])
        if column == "stage":
            return book.name_cells["stage"]
        return cell_ref(excel_row, book.columns[column])

    places = Places(book.sheet, dict.fromkeys(COLUMNS, 0), locate, lambda r: spot[r][0])
    frame, found = check_rows(rows, as_typed, places, framework, book.file)
    issues += found
    where = [f"{name} {book.sheet}!{locate(int(r), 'new_value')}" for r in frame.index]
    frame = frame.assign(
        excel_row=[spot[int(r)][0] for r in frame.index],
        reason=[f"{r} — เจ้าภาพตัวชี้วัด {owner.name}" for r in frame["reason"]],
        reference=[
            f"{w}; {ref}" if ref else w for w, ref in zip(where, frame["reference"], strict=True)
        ],
    )
    frame = Adjustments.validate(frame.astype({"reason": "str", "reference": "str"}))
    return Checked(book.file, owner, stage, frame, tuple(where), tuple(_unique(issues)))


def _identity(
    book: ReviewBook, framework: Framework, view: RunView
) -> tuple[Owner | None, str, list[Issue]]:
    names = {n: text(v) for n, v in book.names.items()}
    issues: list[Issue] = []

    def bad(code: str, name: str, **params: str) -> None:
        issues.append(review_issue(code, book, book.name_cells[name], names[name], **params))

    owner = next((o for o in framework.owners if o.owner_id == _ident(names["owner_id"])), None)
    if owner is None:
        bad("review_unknown_owner", "owner_id")
    if _ident(names["fiscal_year"]) != str(framework.settings.fiscal_year):
        bad("review_wrong_year", "fiscal_year", expected=str(framework.settings.fiscal_year))
    if _ident(names["round_id"]) != view.round_id:
        bad("review_wrong_round", "round_id", expected=view.round_id)
    stage = names["stage"].lower()
    if stage not in STAGES:
        bad("review_bad_stage", "stage")
    if _ident(names["review_version"]) != REVIEW_VERSION:
        bad("review_bad_version", "review_version", expected=REVIEW_VERSION)
    return owner, stage, issues


def _locked_changes(
    book: ReviewBook,
    cells: list[object],
    excel_row: int,
    unit_id: str,
    kpi_id: str,
    framework: Framework,
    view: RunView,
) -> list[Issue]:
    """Read-only cells that no longer hold what the run shows (the sheet was unprotected,
    or the unit sent a new file since the workbook was made)."""
    found = []
    reported = view.reported.get((unit_id, kpi_id), {})
    for key in LOCKED_NUMBERS:
        shown = _decimal(book.value(cells, key))
        expected = reported.get(key)
        if (shown is None) != (expected is None) or (
            shown is not None and expected is not None and shown != expected
        ):
            found.append(
                review_issue(
                    "review_locked_changed",
                    book,
                    cell_ref(excel_row, book.columns[key]),
                    text(book.value(cells, key)),
                    column=key,
                    expected="-" if expected is None else format(expected, "f"),
                )
            )
    if text(book.value(cells, "kpi_name")) != framework.kpis[unit_id][kpi_id].name:
        found.append(
            review_issue(
                "review_locked_changed",
                book,
                cell_ref(excel_row, book.columns["kpi_name"]),
                text(book.value(cells, "kpi_name")),
                column="kpi_name",
                expected=framework.kpis[unit_id][kpi_id].name,
            )
        )
    return found


def _unique(issues: list[Issue]) -> list[Issue]:
    """One issue per code and cell: a row's missing reason fails each of its fields."""
    return list({(i.code, i.sheet, i.cell, i.file): i for i in issues}.values())
