"""Raw submission frames + framework + round -> issues and the clean results. Pure.

Two pandera validations per run, each lazy and over every file at once: the defined names
(`SubmissionHeaders`, one row per file) and the table rows (`SubmissionRows`). Before each,
the framework's expectations are merged in as context columns, vectorised: is the unit
known, which KPIs did it sign, with which weight and criteria, is the KPI a percentage, a
ratio, a milestone. Each failure case becomes an `Issue` whose code is the check's name and
whose cell is the one the check is about (codes.py holds the messages).

Then: a file with a file-scope error is rejected; a row with a KPI-scope error is dropped (the
KPI is scored as missing); agreement KPIs with no row get `kpi_missing`. `clean` holds the
surviving rows of every file not rejected (duplicates between files are settled later, in
`register.py`), with the fields that do not apply to the KPI blanked.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import numpy as np
import pandas as pd
import pandera.errors
import pandera.pandas as pa

from kpi_batch.cells import is_empty_marker, is_not_applicable_marker
from kpi_batch.intake.codes import CHECKS, Scope
from kpi_batch.intake.frames import Place
from kpi_batch.issues import Issue
from kpi_batch.model import Formula, Framework, Kpi, KpiType
from kpi_batch.schemas.submission import (
    INPUT_KEYS,
    KIND,
    SubmissionHeaders,
    SubmissionRows,
    not_applicable_rows,
)
from kpi_batch.specs.template import FORMAT_VERSION as TEMPLATE_VERSION
from kpi_batch.thai import format_date_th

PERCENT_UNITS = ("ร้อยละ", "%", "เปอร์เซ็นต์", "percent")
_NUMBER, _TEXT, _EMPTY, _UNUSED = KIND["number"], KIND["text"], KIND["empty"], KIND["unused"]
_NA = KIND["not_applicable"]
_NA_CHECKS = (
    "result_not_applicable",
    "result_not_applicable_no_reason",
    "result_not_applicable_mixed",
)
_ROW_COLUMNS = list(SubmissionRows.to_schema().columns)
LEVEL_MAX = 5.0

# the defined name a header check is about
_HEADER_CELL = {
    "unit_unknown": "unit_id",
    "round_mismatch": "round_id",
    "fiscal_year_mismatch": "fiscal_year",
    "template_version_unsupported": "template_version",
    "framework_fingerprint_differs": "framework_fingerprint",
    "submitted_on_missing": "submitted_on",
    "submitted_on_invalid": "submitted_on",
    "submitted_on_implausible": "submitted_on",
}
_CELL_CHECKS = ("cell_excel_error", "cell_not_number")
_ISSUE_COLUMNS = [
    "file", "sheet", "excel_row", "unit_id", "kpi_id", "pct", "allows_more", "level_max",
    "expected_weight", "note",
    *(f"{k}_kind" for k in ("value", "numerator", "denominator", "level")),
]  # fmt: skip
_CLEAN_COLUMNS = [
    "unit_id", "kpi_id", *INPUT_KEYS, "note", "not_applicable", "file", "sheet", "excel_row",
]  # fmt: skip
# the table column a row check is about (cell_* checks use the failing column)
_ROW_KEY = {
    "kpi_extra": "kpi_id",
    "kpi_duplicate": "kpi_id",
    "value_out_of_range": "value",
    "value_looks_fraction": "value",
    "level_out_of_range": "level",
    "level_above_last_step": "level",
    "numerator_negative": "numerator",
    "denominator_not_positive": "denominator",
    "numerator_exceeds_denominator": "numerator",
    "weight_changed": "weight",
}


@dataclass
class Validation:
    issues: list[Issue]
    rejected_files: set[str]  # files with a file-scope error
    headers: pd.DataFrame  # one row per file read, with the context columns
    # surviving rows of files not rejected: IntakeResult.results' columns (intake/run.py)
    clean: pd.DataFrame


_CONTEXT = ("kpi_type", "ratio", "pct", "allows_more", "min_threshold", "level_max")


def _derive(kpi: Kpi, thresholds: tuple[Decimal | None, ...], width: int) -> tuple[object, ...]:
    """What a KPI's criteria imply for its row: type, ranges, the thresholds as floats."""
    values = [float(t) if t is not None else math.nan for t in thresholds]
    values += [math.nan] * (width - len(values))
    defined = [t for t in values if not math.isnan(t)]
    ratio = kpi.formula is Formula.RATIO
    unit_text = kpi.measure_unit.casefold()
    return (
        str(kpi.kpi_type or ""),
        ratio,
        ratio or any(p in unit_text for p in PERCENT_UNITS),
        bool(defined) and max(defined) > 100,
        min(defined) if defined else math.nan,
        max(defined) if defined else LEVEL_MAX,  # a milestone's last step in this round
        *values[:width],
    )


def agreement_frame(
    framework: Framework, round_id: str, criteria_keys: list[str], units: list[str]
) -> pd.DataFrame:
    """One row per (unit, signed KPI) of `units`: the weight, the KPI's type and ranges, and
    the criteria a correct table row shows."""
    unit_ids: list[str] = []
    kpi_ids: list[str] = []
    weights: list[float] = []
    codes: list[int] = []  # row of `derived` for each (unit, KPI)
    derived: list[tuple[object, ...]] = []
    memo: dict[tuple[int, tuple[Decimal | None, ...]], int] = {}
    as_float: dict[Decimal, float] = {}
    width = len(criteria_keys)
    criteria = framework.criteria
    for unit_id in units:
        items = framework.agreements.get(unit_id, ())
        for item in items:
            kpi = item.kpi
            crit = criteria.get((unit_id, kpi.kpi_id, round_id))
            key = (id(kpi), crit.thresholds if crit else ())
            code = memo.get(key)
            if code is None:
                code = memo[key] = len(derived)
                derived.append(_derive(kpi, key[1], width))
            codes.append(code)
            kpi_ids.append(kpi.kpi_id)
            weight = as_float.get(item.weight)
            if weight is None:
                weight = as_float[item.weight] = float(item.weight)
            weights.append(weight)
        unit_ids.extend([unit_id] * len(items))
    columns = [*_CONTEXT, *(f"expected_{k}" for k in criteria_keys)]
    out = pd.DataFrame({"unit_id": unit_ids, "kpi_id": kpi_ids, "expected_weight": weights})
    if not derived:
        return out.assign(**{c: pd.Series(dtype=object) for c in columns})
    # the few distinct KPI contexts, spread over the rows by position
    frame = pd.DataFrame.from_records(derived, columns=columns).take(codes)
    return pd.concat([out, frame.reset_index(drop=True)], axis=1)


def _values(column: pd.Series) -> list[Any]:
    """A column as Python values. (pandas 3's string arrays hand out their items one
    `__getitem__` at a time when iterated; their object buffer does not.)"""
    return column.to_numpy(dtype=object).tolist()


def _records(frame: pd.DataFrame, index: list[int]) -> dict[int, dict[str, Any]]:
    """`frame.to_dict("index")`, built from whole columns (pandas' builds each cell)."""
    columns = list(frame.columns)
    values = [_values(frame[c]) for c in columns]
    rows = zip(index, zip(*values, strict=True), strict=True)
    return {at: dict(zip(columns, row, strict=True)) for at, row in rows}


def _failures(model: type[pa.DataFrameModel], frame: pd.DataFrame) -> pd.DataFrame:
    try:
        model.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        unknown = {str(c) for c in cases["check"].unique()} - set(CHECKS)
        if unknown:  # a schema (dtype, column) failure: the frames are ours, so a bug
            raise RuntimeError(f"intake frame broke its schema: {cases.head(10)}") from exc
        cases = cases[["check", "column", "index"]].rename(columns={"index": "row"})
        return cases.drop_duplicates(["check", "row", "column"])
    return pd.DataFrame(columns=["check", "column", "row"])


def validate(
    headers: pd.DataFrame,
    rows: pd.DataFrame,
    places: dict[str, Place],
    framework: Framework,
    round_id: str,
    as_of: dt.date,
    criteria_keys: list[str],
) -> Validation:
    rnd = framework.round(round_id)
    issues: list[Issue] = []
    if headers.empty:  # nothing readable in the inbox
        clean = pd.DataFrame(columns=_CLEAN_COLUMNS).astype(
            {k: float for k in INPUT_KEYS} | {"excel_row": "int64", "not_applicable": bool}
        )
        return Validation(issues, set(), headers.assign(checked=True), clean)
    agreed_units = {u for u, items in framework.agreements.items() if items}
    h = headers.copy()
    h["unit_known"] = h["unit_id"].isin(agreed_units)
    h["run_round"] = round_id
    h["expected_year"] = str(framework.settings.fiscal_year)
    h["expected_fingerprint"] = framework.fingerprint
    h["earliest"] = rnd.period_start
    h["as_of"] = as_of
    header_cases = _failures(SubmissionHeaders, h).drop_duplicates(["check", "row"])
    for code, _, at in header_cases.itertuples(index=False):
        record = cast(pd.Series, h.loc[int(at)])
        issues.append(_header_issue(str(code), record, places, round_id, as_of))
    rejected = {i.file for i in issues if CHECKS[i.code].scope is Scope.FILE}
    h["checked"] = ~h["file"].isin(rejected)

    units = sorted(set(h.loc[h["checked"], "unit_id"].tolist()))
    agreement = agreement_frame(framework, round_id, criteria_keys, units)
    r = _row_context(rows, h, agreement, criteria_keys)
    cases = _failures(SubmissionRows, r[_ROW_COLUMNS])
    # one issue per check and row; the cell checks, one per failing column
    per_cell = cases["check"].isin(_CELL_CHECKS)
    cases = pd.concat([cases[per_cell], cases[~per_cell].drop_duplicates(["check", "row"])])
    cases = cases.sort_values("row", kind="stable")
    rejected_rows: set[int] = set()
    at_rows = cases["row"].astype(int).tolist()
    failing = sorted(set(at_rows))
    wanted = _ISSUE_COLUMNS + [c for k in criteria_keys for c in (k, f"expected_{k}", f"{k}_kind")]
    records = _records(r.loc[failing, wanted], failing)  # one lookup, not one per issue
    found = zip(_values(cases["check"]), _values(cases["column"]), at_rows, strict=True)
    for code, column, at in found:
        row = records[at]
        issue = _row_issue(str(code), str(column), row, places[str(row["file"])], criteria_keys)
        issues.append(issue)
        if CHECKS[issue.code].scope is Scope.KPI:
            rejected_rows.add(at)
    issues.extend(_missing_kpis(r, h, agreement, places))

    keep = r["in_agreement"] & ~r["file"].isin(rejected) & ~r.index.isin(list(rejected_rows))
    r["not_applicable"] = not_applicable_rows(r)
    clean = r.loc[keep, _CLEAN_COLUMNS]
    for key in INPUT_KEYS:
        clean[key] = clean[key].where(r.loc[keep, f"{key}_kind"] == _NUMBER)
    return Validation(issues, rejected, h, clean.reset_index(drop=True))


def _row_context(
    rows: pd.DataFrame, headers: pd.DataFrame, agreement: pd.DataFrame, criteria_keys: list[str]
) -> pd.DataFrame:
    r = rows.merge(headers[["file", "unit_id", "checked"]], on="file", how="left")
    r = r.merge(agreement, on=["unit_id", "kpi_id"], how="left", indicator="_match")
    r.index = rows.index
    r["in_agreement"] = r["checked"] & (r.pop("_match") == "both")
    for col in ("ratio", "pct", "allows_more"):
        r[col] = r[col].astype("boolean").fillna(False).astype(bool)
    r["level_max"] = r["level_max"].fillna(LEVEL_MAX)
    milestone = r["kpi_type"] == KpiType.MILESTONE.value
    uses = {
        "value": r["in_agreement"] & ~milestone & ~r["ratio"],
        "numerator": r["in_agreement"] & r["ratio"],
        "denominator": r["in_agreement"] & r["ratio"],
        "level": r["in_agreement"] & milestone,
    }
    for key, used in uses.items():
        r[f"{key}_kind"] = r[f"{key}_kind"].where(used, _UNUSED).astype(np.int8)
    r["duplicate"] = r["in_agreement"] & r.duplicated(["file", "kpi_id"], keep=False)
    same = pd.Series(True, index=r.index)
    for key in criteria_keys:
        typed, expected = r[key], r[f"expected_{key}"]
        both_empty = typed.isna() & expected.isna() & (r[f"{key}_kind"] != _TEXT)
        equal = np.isclose(typed, expected, rtol=0, atol=1e-9)
        same &= (r[f"{key}_kind"] == _UNUSED) | both_empty | pd.Series(equal, index=r.index)
    r["criteria_same"] = same
    r["unit_id"] = r["unit_id"].fillna("")
    r["note_given"] = _reason_given(r["note"])
    return r


def _reason_given(notes: pd.Series) -> pd.Series:
    """A note that gives a reason: not blank and not only `-` or `N/A` (nearly every note is
    blank, so only the others are looked at one by one)."""
    given = notes.fillna("").astype(str).str.strip() != ""
    for i in np.flatnonzero(given.to_numpy()).tolist():
        text = str(notes.iat[i])
        if is_empty_marker(text) or is_not_applicable_marker(text):
            given.iat[i] = False
    return given


def _header_issue(
    code: str, h: pd.Series, places: dict[str, Place], round_id: str, as_of: dt.date
) -> Issue:
    name = _HEADER_CELL[code]
    place = places[h["file"]]
    sheet, cell = place.name_cell(name)
    modified = format_date_th(h["modified"].date())
    fields: dict[str, str] = {"date": modified}
    value = str(h[name]) if name != "submitted_on" else str(h["submitted_on_text"])
    if code == "round_mismatch":
        fields["expected"] = round_id
    elif code == "fiscal_year_mismatch":
        fields["expected"] = str(h["expected_year"])
    elif code == "template_version_unsupported":
        fields["expected"] = TEMPLATE_VERSION
    elif code == "submitted_on_implausible":
        day = h["submitted_on"]
        value = format_date_th(day)
        if day > as_of:
            fields["detail"] = f"หลังวันที่ประมวลผล {format_date_th(as_of)} / after the run date"
        else:
            fields["detail"] = (
                f"ก่อนเริ่มรอบ {format_date_th(h['earliest'])} / before the round's period"
            )
    return CHECKS[code].issue(
        file=h["file"], sheet=sheet, cell=cell, value=value, unit_id=h["unit_id"], **fields
    )


def _row_issue(
    code: str, column: str, row: Mapping[Any, Any], place: Place, criteria_keys: list[str]
) -> Issue:
    excel_row = int(row["excel_row"])
    fields: dict[str, str] = {}
    if code in ("cell_excel_error", "cell_not_number"):
        key = column.removesuffix("_kind")
    elif code == "ratio_incomplete":
        key = "numerator" if row["numerator_kind"] == _EMPTY else "denominator"
    elif code == "result_empty":
        key = next(k for k in INPUT_KEYS if row[f"{k}_kind"] != _UNUSED)
    elif code in _NA_CHECKS:
        key = next(k for k in INPUT_KEYS if row[f"{k}_kind"] == _NA)
        fields["note_cell"] = f"{row['sheet']}!{place.cell('note', excel_row)}"
        fields["detail"] = str(row["note"])
    elif code == "criteria_changed":
        key = next(
            (k for k in criteria_keys if not _same(row[k], row[f"expected_{k}"], row[f"{k}_kind"])),
            criteria_keys[0] if criteria_keys else "kpi_id",
        )
        fields["expected"] = " / ".join(_num(row[f"expected_{k}"]) for k in criteria_keys)
        typed = " / ".join(place.typed(k, excel_row) or "-" for k in criteria_keys)
        return CHECKS[code].issue(
            file=row["file"], sheet=row["sheet"], cell=place.cell(key, excel_row), value=typed,
            unit_id=row["unit_id"], kpi_id=row["kpi_id"], **fields,
        )  # fmt: skip
    else:
        key = _ROW_KEY[code]
    if code == "weight_changed":
        fields["expected"] = _num(row["expected_weight"])
    elif code == "numerator_exceeds_denominator":
        fields["expected"] = place.typed("denominator", excel_row)
    elif code == "value_out_of_range":
        fields["detail"] = "0–100" if row["pct"] and not row["allows_more"] else "≥ 0"
    elif code in ("level_out_of_range", "level_above_last_step"):
        fields["limit"] = _num(row["level_max"])
        steps = (row[f"expected_{k}"] for k in criteria_keys)
        fields["steps"] = ", ".join(_num(t) for t in steps if not np.isnan(t))
    value = place.typed(key, excel_row)
    return CHECKS[code].issue(
        file=row["file"],
        sheet=row["sheet"],
        cell=place.cell(key, excel_row),
        value=value,
        unit_id=row["unit_id"],
        kpi_id=row["kpi_id"],
        **fields,
    )


def _same(typed: float, expected: float, kind: int) -> bool:
    if kind == _UNUSED:
        return True
    if np.isnan(typed) and np.isnan(expected):
        return kind != _TEXT
    return bool(np.isclose(typed, expected, rtol=0, atol=1e-9))


def _num(x: float) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "-"
    return f"{x:g}" if float(x) != int(x) else str(int(x))


def _missing_kpis(
    r: pd.DataFrame, h: pd.DataFrame, agreement: pd.DataFrame, places: dict[str, Place]
) -> list[Issue]:
    """Agreement KPIs of a checked file with no row in its table, in file then agreement
    order (an anti-join, done with sets: 24,000 pairs in a few milliseconds)."""
    signed: dict[str, list[str]] = {}
    for unit_id, kpi_id in zip(
        _values(agreement["unit_id"]), _values(agreement["kpi_id"]), strict=True
    ):
        signed.setdefault(unit_id, []).append(kpi_id)
    rows = r.loc[r["in_agreement"]]
    present = set(zip(_values(rows["file"]), _values(rows["kpi_id"]), strict=True))
    checked = h.loc[h["checked"]]
    issues = []
    for file, unit_id in zip(_values(checked["file"]), _values(checked["unit_id"]), strict=True):
        for kpi_id in signed.get(unit_id, ()):
            if (file, kpi_id) in present:
                continue
            place = places[file]
            issues.append(
                CHECKS["kpi_missing"].issue(
                    file=file,
                    sheet=place.sheet,
                    cell=place.cell("kpi_id", place.header_row),
                    unit_id=unit_id,
                    kpi_id=kpi_id,
                )
            )
    return issues
