"""Read the adjustments workbook (DOMAIN.md §6): reviews by KPI owners and appeals.

`load_adjustments(path, framework)` returns `(frame, issues)`. The frame follows
`schemas.adjustments.Adjustments` and holds only rows that passed every check:

    unit_id, kpi_id, stage, field, new_value, reason, reference, excel_row,
    new_number, new_date

index = Excel row. `new_value` is normalised text (`73.5`, `1`, `2024-03-06`, `3`);
`new_number` is a `Decimal` for value, numerator, denominator, level, score, exempt (1/0)
and late_days; `new_date` a CE `datetime.date` for submitted_on.

Every adjustment changes somebody's score, so nothing is quietly dropped: a row that breaks
a rule is left out of the frame *and* reported as an ERROR at its cell (`adjustments!B7`).
Rules and their decisions (docs/adjustments.md repeats them for planning staff):

- `kpi_id` names a leaf KPI in the unit's agreement for the KPI fields (value, numerator,
  denominator, level, score, exempt); `*` is refused there, since one correction for every
  KPI of a unit is never what a KPI owner means. The unit fields (submitted_on, late_days)
  concern the submission as a whole and need `*`.
- A field must make sense for the KPI: numerator/denominator only on ratio KPIs, value on
  quantitative KPIs, level on milestone KPIs; score and exempt on any.
- One row per (unit, kpi, stage, field): two rows for the same thing cannot both be applied
  and we will not guess which one was meant, so both are left out. An `appeal` row for the
  same thing as a `review` row is not a duplicate; it replaces the review for the final
  score. This holds for late_days too: one extra late item per unit and stage.
- `reason` is required: HR wants every change justified. `reference` (memo, meeting) is
  optional. `new_value` is required too: to take a KPI out use exempt 1, to give it
  nothing use score 0.
- A submitted_on outside the fiscal year (plus half a year for the last round's reports) is
  accepted with a warning: it is probably a mistyped year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import python_calamine
from pandera.typing import DataFrame

from kpi_batch import cells
from kpi_batch.adjustments import codes
from kpi_batch.adjustments.codes import ADJUSTMENTS
from kpi_batch.adjustments.template import write_adjustments_template
from kpi_batch.catalogue import IssueKind
from kpi_batch.cells import decimal_text, parse_date
from kpi_batch.issues import Issue, Severity, cell_ref
from kpi_batch.model import Formula, Framework, KpiType
from kpi_batch.schemas.adjustments import AdjustmentRows, Adjustments
from kpi_batch.specs.adjustments import COLUMNS, FIELDS, SHEET, STAGES, UNIT_FIELDS, WHOLE_UNIT
from kpi_batch.thai import arabic_digits, format_date_th

__all__ = [
    "OUTPUT_COLUMNS",
    "Places",
    "cell_text",
    "check_rows",
    "empty_adjustments",
    "load_adjustments",
    "write_adjustments_template",
]

OUTPUT_COLUMNS = (*COLUMNS, "excel_row", "new_number", "new_date")


def load_adjustments(
    path: Path | str, framework: Framework
) -> tuple[DataFrame[Adjustments], list[Issue]]:
    """Read and check an adjustments workbook against the framework. Never raises on content."""
    file = str(path)
    rows, typed, cols, issues = _read_sheet(Path(path), file)
    if rows is None:
        return empty_adjustments(), issues
    frame, row_issues = check_rows(rows, typed, Places(SHEET, cols), framework, file)
    return frame, issues + row_issues


@dataclass
class Places:
    """Where a checked row's cells are, for its issues. The adjustments sheet: row = Excel
    row, a column key -> its column. A KPI owner's review workbook (review/check.py) turns
    one of its rows into several adjustment rows, so it passes `locate` (row, key -> cell)
    and `excel_row` (row -> the Excel row to name in messages)."""

    sheet: str
    columns: Mapping[str, int]
    locate: Callable[[int, str], str] | None = None
    excel_row: Callable[[int], int] | None = None
    rejected: set[int] = field(default_factory=set)  # rows with an error, filled by checks

    def cell(self, row: int, column: str) -> str:
        if self.locate is not None:
            return self.locate(row, column)
        return cell_ref(row, self.columns[column])

    def row(self, row: int) -> int:
        return row if self.excel_row is None else self.excel_row(row)


def check_rows(
    rows: pd.DataFrame,
    typed: Mapping[int, object],
    places: Places,
    framework: Framework,
    file: str,
) -> tuple[DataFrame[Adjustments], list[Issue]]:
    """Rows as text (`AdjustmentRows`, unique int index) and each row's new_value as typed
    (for the cell reader) -> the rows that pass every check (`Adjustments`, excel_row = the
    index) and every problem at its cell."""
    row_issues = _schema_issues(rows, places, file)
    row_issues += _framework_issues(rows, places, framework, file)
    parsed, parse_issues = _parse_values(rows, typed, places, framework, file)
    row_issues += parse_issues
    row_issues += _duplicate_issues(rows, places, file)

    keep = [r for r in rows.index if r not in places.rejected]
    frame = rows.loc[keep].copy()
    frame["new_value"] = pd.Series([parsed[r][0] for r in keep], index=frame.index, dtype="str")
    frame["excel_row"] = pd.Series(keep, index=frame.index, dtype="int64")
    frame["new_number"] = pd.Series([parsed[r][1] for r in keep], index=frame.index, dtype=object)
    frame["new_date"] = pd.Series([parsed[r][2] for r in keep], index=frame.index, dtype=object)
    frame = Adjustments.validate(frame[list(OUTPUT_COLUMNS)])
    row_issues.sort(key=lambda i: _position(i.cell))
    return frame, row_issues


def empty_adjustments() -> DataFrame[Adjustments]:
    """An `Adjustments` frame with no rows (no workbook, or nothing usable in it)."""
    frame = pd.DataFrame(
        {
            **{c: pd.Series([], dtype="str") for c in COLUMNS},
            "excel_row": pd.Series([], dtype="int64"),
            "new_number": pd.Series([], dtype=object),
            "new_date": pd.Series([], dtype=object),
        },
        index=pd.Index([], dtype="int64"),
    )
    return Adjustments.validate(frame)


# --- reading ---------------------------------------------------------------------------


_Sheet = tuple[pd.DataFrame | None, dict[int, object], dict[str, int], list[Issue]]


def _read_sheet(path: Path, file: str) -> _Sheet:
    """The sheet as text, index = Excel row; each row's new_value cell as calamine read it
    (numbers and dates are read from the cell, not its text); each key's 0-based column."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        if SHEET not in names:
            found = ", ".join(names)
            return (
                None,
                {},
                {},
                [codes.SHEET_MISSING.issue(file=file, found=found)],
            )
        grid = workbook.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    except (OSError, python_calamine.CalamineError, ValueError) as exc:
        return (
            None,
            {},
            {},
            [codes.FILE_UNREADABLE.issue(file=file, detail=exc)],
        )

    texts = [[cell_text(v) for v in row] for row in grid]
    # The header is the first row with anything in it (row 1 in the template).
    header_row = next((i + 1 for i, row in enumerate(texts) if any(row)), 1)
    header = [t.lower() for t in texts[header_row - 1]] if texts else []
    cols: dict[str, int] = {}
    issues: list[Issue] = []
    for col, key in enumerate(header):
        if key not in COLUMNS:
            continue  # extra columns (notes) are allowed and ignored
        if key in cols:
            issues.append(
                codes.COLUMN_DUPLICATE.issue(
                    file=file,
                    sheet=SHEET,
                    cell=cell_ref(header_row, col),
                    value=key,
                    first=cell_ref(header_row, cols[key]),
                )
            )
        else:
            cols[key] = col
    missing = [c for c in COLUMNS if c not in cols]
    if missing:
        issues.append(
            codes.COLUMN_MISSING.issue(file=file, sheet=SHEET, missing=", ".join(missing))
        )
    if issues:
        return None, {}, cols, issues

    records: dict[int, list[str]] = {}
    typed: dict[int, object] = {}
    at = cols["new_value"]
    for i in range(header_row, len(texts)):
        values = [texts[i][cols[c]] if cols[c] < len(texts[i]) else "" for c in COLUMNS]
        if any(values):
            records[i + 1] = values
            typed[i + 1] = grid[i][at] if at < len(grid[i]) else ""
    frame = pd.DataFrame.from_dict(records, orient="index", columns=list(COLUMNS), dtype="str")
    frame = frame.reindex(columns=list(COLUMNS)).astype("str")
    frame.index = pd.Index(list(records), dtype="int64")
    for key in ("stage", "field"):
        frame[key] = frame[key].str.lower()
    for key in ("unit_id", "kpi_id"):
        frame[key] = frame[key].map(arabic_digits)
    return frame, typed, cols, []


def cell_text(value: object) -> str:
    """A cell as text: numbers without a spurious `.0`, dates as ISO, blanks as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        return decimal_text(Decimal(repr(value)))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


# --- checks ----------------------------------------------------------------------------


def _schema_issues(rows: pd.DataFrame, cols: Places, file: str) -> list[Issue]:
    try:
        AdjustmentRows.validate(rows, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    issues = []
    for case in cases.itertuples(index=False):
        column, code, row = str(case.column), str(case.check), case.index
        if row is None or pd.isna(row) or column not in cols.columns:
            # Not a cell problem: the frame is built by `_read_sheet`, so this is a bug.
            raise RuntimeError(f"unexpected schema failure: {column} {code}")
        issues.append(_row_issue(code, rows, int(row), column, cols, file))
    return issues


def _row_issue(
    code: str, rows: pd.DataFrame, row: int, column: str, cols: Places, file: str
) -> Issue:
    return _issue(ADJUSTMENTS[code], rows, row, column, cols, file)


def _issue(
    kind: IssueKind,
    rows: pd.DataFrame,
    row: int,
    column: str,
    cols: Places,
    file: str,
    **fields: Any,
) -> Issue:
    """The issue of `kind` at the row's `column` cell; an error leaves the row out."""
    issue = kind.issue(
        file=file,
        sheet=cols.sheet,
        cell=cols.cell(row, column),
        value=str(rows.at[row, column]),
        unit_id=str(rows.at[row, "unit_id"]),
        kpi_id=str(rows.at[row, "kpi_id"]),
        **fields,
    )
    if issue.severity is Severity.ERROR:
        cols.rejected.add(row)
    return issue


def _framework_issues(
    rows: pd.DataFrame, cols: Places, framework: Framework, file: str
) -> list[Issue]:
    """Unit and KPI exist, `*` used where it belongs, the field fits the KPI."""
    units = {u.unit_id for u in framework.units}
    issues = []
    for row, r in _records(rows):
        unit, kpi, field = str(r["unit_id"]), str(r["kpi_id"]), str(r["field"])

        def add(kind: IssueKind, column: str, row: int = row, **fields: object) -> None:
            issues.append(_issue(kind, rows, row, column, cols, file, **fields))

        if not unit:
            continue
        if unit not in units:
            add(codes.UNKNOWN_UNIT, "unit_id")
            continue
        if not kpi or field not in FIELDS:
            continue
        if field in UNIT_FIELDS:
            if kpi != WHOLE_UNIT:
                add(codes.NEEDS_WHOLE_UNIT, "kpi_id", field=field)
            continue
        if kpi == WHOLE_UNIT:
            add(codes.WHOLE_UNIT_NOT_ALLOWED, "kpi_id", field=field)
            continue
        agreement = {item.kpi.kpi_id: item.kpi for item in framework.agreements.get(unit, ())}
        if kpi not in agreement:
            add(codes.UNKNOWN_KPI, "kpi_id")
            continue
        fit = _field_fits(field, agreement[kpi].kpi_type, agreement[kpi].formula)
        if fit:
            add(codes.FIELD_NOT_FOR_KPI, "field", field=field, why_th=fit[0], why_en=fit[1])
    return issues


def _field_fits(field: str, kpi_type: KpiType | None, formula: Formula) -> tuple[str, str] | None:
    """None when `field` applies to such a KPI, else (Thai, English) saying why not."""
    milestone = kpi_type is KpiType.MILESTONE
    if field == "level" and not milestone:
        return "เป็นตัวชี้วัดเชิงปริมาณ (ใช้ value)", "is quantitative (use value)"
    if field == "value" and milestone:
        return "เป็นตัวชี้วัดแบบขั้นตอน (ใช้ level)", "is a milestone KPI (use level)"
    if field in ("numerator", "denominator") and (milestone or formula is not Formula.RATIO):
        return "ไม่ได้คำนวณจากตัวตั้ง/ตัวหาร (ใช้ value หรือ level)", "is not a ratio KPI"
    return None


Parsed = tuple[str, Decimal | None, dt.date | None]


def _parse_values(
    rows: pd.DataFrame,
    typed: Mapping[int, object],
    cols: Places,
    framework: Framework,
    file: str,
) -> tuple[dict[int, Parsed], list[Issue]]:
    """new_value for its field -> (normalised text, number, date), or an issue at its cell."""
    top = framework.settings.top_point
    fy_start = dt.date(framework.settings.fiscal_year_ce - 1, 10, 1)
    fy_end = dt.date(framework.settings.fiscal_year_ce, 9, 30)
    parsed: dict[int, Parsed] = {}
    issues: list[Issue] = []
    for row, r in _records(rows):
        text, field = str(r["new_value"]), str(r["field"])
        parsed[row] = (text, None, None)
        if not text or field not in FIELDS:
            continue

        def add(kind: IssueKind, row: int = row, **fields: object) -> None:
            issues.append(_issue(kind, rows, row, "new_value", cols, file, **fields))

        if field == "submitted_on":
            day = parse_date(typed[row])
            if day is None:
                add(codes.BAD_DATE)
                continue
            parsed[row] = (day.isoformat(), None, day)
            if not fy_start <= day <= fy_end + dt.timedelta(days=183):
                add(
                    codes.DATE_UNUSUAL,
                    date_th=format_date_th(day),
                    date=day.isoformat(),
                    fiscal_year=framework.settings.fiscal_year,
                )
            continue

        number = cells.decimal(typed[row])
        if number is None:
            add(codes.BAD_NUMBER, variant="not_a_number")
            continue
        if field == "exempt" and number not in (0, 1):
            add(codes.BAD_EXEMPT)
            continue
        if field == "late_days" and (number < 0 or number != number.to_integral_value()):
            add(codes.BAD_LATE_DAYS)
            continue
        if field == "score" and not 0 <= number <= top:
            add(codes.SCORE_OUT_OF_RANGE, score=decimal_text(number), top=decimal_text(top))
            continue
        if field == "denominator" and number == 0:
            add(codes.BAD_NUMBER, variant="zero_denominator")
            continue
        if field in ("numerator", "denominator", "level") and number < 0:
            add(codes.BAD_NUMBER, variant="negative", field=field)
            continue
        parsed[row] = (decimal_text(number), number, None)
    return parsed, issues


def _duplicate_issues(rows: pd.DataFrame, cols: Places, file: str) -> list[Issue]:
    first: dict[tuple[str, ...], int] = {}
    reported: set[int] = set()
    issues = []
    for row, r in _records(rows):
        key = (str(r["unit_id"]), str(r["kpi_id"]), str(r["stage"]), str(r["field"]))
        if not all(key) or key[2] not in STAGES or key[3] not in FIELDS:
            continue
        if key not in first:
            first[key] = row
            continue
        earlier = first[key]
        fields = {"first_row": cols.row(earlier), "this_row": cols.row(row), "key": ", ".join(key)}
        issues.append(_issue(codes.DUPLICATE, rows, row, "unit_id", cols, file, **fields))
        if earlier not in reported:  # the first row is left out too: mark it once
            reported.add(earlier)
            issues.append(_issue(codes.DUPLICATE, rows, earlier, "unit_id", cols, file, **fields))
    return issues


def _records(rows: pd.DataFrame) -> Iterator[tuple[int, dict[str, str]]]:
    """(Excel row, {column: text}) in sheet order."""
    yield from zip(rows.index.tolist(), rows.to_dict("records"), strict=True)


def _position(cell: str) -> tuple[int, int]:
    """'AB12' -> (12, 27): sorts issues in reading order."""
    m = re.fullmatch(r"([A-Z]+)(\d+)", cell)
    if not m:
        return (0, 0)
    col = 0
    for ch in m[1]:
        col = col * 26 + ord(ch) - 64
    return (int(m[2]), col)
