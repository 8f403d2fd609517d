"""The framework reader and checker: a valid framework, then one test per rule.

Frameworks are written with `write_framework` from `tests.factories.small_framework_rows()`;
row i of a sheet's rows is Excel row i + 2 (the header is row 1).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from kpi_batch.cli import app
from kpi_batch.errors import FrameworkError
from kpi_batch.framework.criteria import derive_thresholds, middle_index
from kpi_batch.framework.load import load_framework
from kpi_batch.framework.sheet_models import MODELS
from kpi_batch.framework.summary import summarise
from kpi_batch.issues import Issue
from kpi_batch.model import (
    BandMethod,
    BelowLowest,
    DayCount,
    Direction,
    Formula,
    Framework,
    KpiType,
    Method,
    Rounding,
)
from kpi_batch.specs.framework import SHEETS
from tests.factories import Row, small_framework_rows, write_small_framework

D = Decimal
Rows = dict[str, list[Row]]


# -- helpers --------------------------------------------------------------------------------


def load(
    tmp_path: Path, rows: Rows | None = None, scale: tuple[str, ...] | None = None
) -> Framework:
    return load_framework(write_small_framework(tmp_path / "fw.xlsx", rows, scale))


def problems(
    tmp_path: Path, rows: Rows | None = None, scale: tuple[str, ...] | None = None
) -> list[Issue]:
    with pytest.raises(FrameworkError) as err:
        load(tmp_path, rows, scale)
    return list(err.value.issues)


def places(issues: list[Issue]) -> set[tuple[str, str]]:
    return {(i.code, i.where) for i in issues}


def assert_issue(issues: list[Issue], code: str, where: str) -> Issue:
    for issue in issues:
        if issue.code == code and issue.where == where:
            return issue
    raise AssertionError(f"no {code} at {where}; got:\n" + "\n".join(i.line() for i in issues))


def index(rows: list[Row], **match: str) -> int:
    """Position of the first row whose values include `match`."""
    return next(i for i, r in enumerate(rows) if all(r.get(k) == v for k, v in match.items()))


def excel_row(rows: list[Row], **match: str) -> int:
    return index(rows, **match) + 2


def setting(rows: Rows, key: str, value: object) -> Rows:
    """Set (or add) a settings row; value None removes it."""
    settings = [r for r in rows["settings"] if r["key"] != key]
    if value is not None:
        settings.append({"key": key, "value": value})
    rows["settings"] = settings
    return rows


def settings_cell(rows: Rows, key: str) -> str:
    return f"settings!B{excel_row(rows['settings'], key=key)}"


def edit_workbook(path: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


# -- a valid framework ----------------------------------------------------------------------


@pytest.fixture
def fw(tmp_path: Path) -> Framework:
    return load(tmp_path)


def test_settings_with_documented_defaults(fw: Framework) -> None:
    s = fw.settings
    assert (s.organisation, s.fiscal_year, s.fiscal_year_ce) == ("กรมตัวอย่าง (ทดสอบ)", 2567, 2024)
    assert s.scale == (D(1), D(2), D(3), D(4), D(5))
    assert s.decimals == 4 and s.rounding is Rounding.HALF_UP
    assert s.below_lowest is BelowLowest.ZERO and s.late_day_count is DayCount.CALENDAR
    assert (s.late_penalty_per_day, s.late_penalty_cap) == (D("0.05"), D("0.25"))
    assert s.band_method is BandMethod.FIXED and dict(s.extra) == {}


def test_rounds_clusters_units(fw: Framework) -> None:
    r1, r2 = fw.rounds
    assert (r1.round_id, r1.period_start, r1.period_end, r1.months) == (
        "R1",
        dt.date(2023, 10, 1),
        dt.date(2024, 3, 31),  # typed as "31 มี.ค. 2567"
        6,
    )
    assert (r1.data_cutoff, r1.due_date) == (dt.date(2024, 2, 29), dt.date(2024, 3, 6))
    assert r2.months == 12
    assert [c.cluster_id for c in fw.clusters] == ["C1", "C2"]
    assert [(u.unit_id, u.cluster_id) for u in fw.units] == [
        ("U01", "C1"),
        ("U02", "C1"),
        ("U03", "C2"),
        ("U04", "C2"),
    ]
    assert fw.unit("U02").emails == ("finance@dept.example", "chief.finance@dept.example")


def test_kpis_resolve_shared_rows_and_include_parents(fw: Framework) -> None:
    assert list(fw.kpis["U01"]) == ["1.1", "1.1.1", "1.1.2", "2.1", "3.1"]
    assert list(fw.kpis["U04"]) == ["1.1", "1.1.1", "5.1"]
    parent = fw.kpis["U01"]["1.1"]
    assert parent.is_parent and parent.kpi_type is None and parent.direction is None
    lower = fw.kpis["U01"]["1.1.2"]
    assert (lower.parent_id, lower.kpi_type, lower.direction) == (
        "1.1",
        KpiType.QUANTITATIVE,
        Direction.LOWER,
    )
    assert fw.kpis["U01"]["2.1"].formula is Formula.RATIO
    assert fw.kpis["U01"]["3.1"].kpi_type is KpiType.MILESTONE
    assert fw.kpis["U01"]["3.1"].direction is Direction.HIGHER  # milestones climb
    assert fw.kpis["U02"]["4.1"].method is Method.STEP
    # a unit's own row wins over `*`
    assert fw.kpis["U03"]["2.1"].name == "ร้อยละของโรงเรียนที่ผ่านเกณฑ์โภชนาการ"
    assert fw.kpis["U01"]["2.1"].name == "ร้อยละของการเบิกจ่ายงบประมาณ"


def test_agreements_in_weights_order(fw: Framework) -> None:
    assert [(i.kpi.kpi_id, i.weight) for i in fw.agreements["U01"]] == [
        ("1.1.1", D(20)),
        ("1.1.2", D(20)),
        ("2.1", D(30)),
        ("3.1", D(30)),
    ]
    assert fw.agreements["U03"][1].kpi.name == "ร้อยละของโรงเรียนที่ผ่านเกณฑ์โภชนาการ"


def test_criteria_only_for_weighted_pairs_with_star_resolved(fw: Framework) -> None:
    assert ("U01", "4.1", "R1") not in fw.criteria  # U01 did not sign 4.1
    weighted = sum(len(items) for items in fw.agreements.values())
    assert len(fw.criteria) == weighted * len(fw.rounds)
    assert fw.criteria[("U03", "2.1", "R2")].thresholds == (D(50), D(60), D(70), D(80), D(90))
    assert fw.criteria[("U03", "2.1", "R1")].thresholds == (D(60), D(65), D(70), D(75), D(80))
    assert fw.criteria[("U01", "2.1", "R2")].thresholds == (D(60), D(70), D(80), D(90), D(100))
    assert fw.criteria[("U01", "1.1.2", "R2")].thresholds == (D(54), D(52), D(50), D(48), D(46))
    milestone = fw.criteria_for("U01", "3.1", "R1")
    assert milestone.thresholds == (D(1), None, D(2), None, D(3))
    assert milestone.points(fw.settings.scale) == ((D(1), D(1)), (D(2), D(3)), (D(3), D(5)))


def test_derived_criteria(fw: Framework) -> None:
    derived = fw.criteria[("U01", "1.1.1", "R1")]
    assert derived.thresholds == (D(44), D(46), D(48), D(50), D(52))
    assert derived.derived_from == "R2"
    assert fw.criteria[("U04", "5.1", "R1")].thresholds == (D(30), D(40), D(50), D(60), D(70))
    assert fw.criteria[("U01", "1.1.1", "R2")].derived_from is None


def test_bands_recipients_holidays(fw: Framework) -> None:
    assert [(b.band_id, b.min_score) for b in fw.bands] == [
        ("A", D("4.5")),
        ("B", D(4)),
        ("C", D("3.5")),
        ("D", D(0)),
    ]
    assert [r.role for r in fw.recipients] == ["hr", "executive"]
    assert fw.recipients_for("hr")[0].email == "hr@dept.example"
    assert [h.date for h in fw.holidays] == [dt.date(2023, 12, 5), dt.date(2024, 4, 13)]


def test_fingerprint(fw: Framework, tmp_path: Path) -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", fw.fingerprint)
    assert fw.short_fingerprint == fw.fingerprint[:12]
    assert fw.source.endswith("fw.xlsx")


def test_fingerprint_of_the_shipped_example_is_pinned() -> None:
    """Templates already sent carry this value: a faster `fingerprint` (or any refactor)
    must give the same digest. Change the pin only when the example's content changes."""
    example = Path(__file__).parents[1] / "input_templates" / "framework_example.xlsx"
    assert load_framework(example).fingerprint == (
        "4ec613e594abfa1c01928454e9e9a74badf60b8083f78224277a6a6aad6be570"
    )


def test_fingerprint_follows_content_not_bytes(tmp_path: Path) -> None:
    base = load(tmp_path).fingerprint
    # re-saved by another program: different bytes, same content
    path = write_small_framework(tmp_path / "resaved.xlsx")
    edit_workbook(path, lambda wb: wb["weights"].cell(row=200, column=8, value=None))
    assert load_framework(path).fingerprint == base
    # the same numbers typed as text, a thresholds typed 96.0: same content
    rows = small_framework_rows()
    rows["weights"][0]["weight"] = "20"
    rows["criteria"][1]["5"] = 96.0
    assert load(tmp_path / "text", rows).fingerprint == base
    # delivery details are not part of it
    rows["units"][0]["email"] = "new.address@dept.example"
    rows["recipients"][0]["email"] = "pms@dept.example"
    rows["settings"].append({"key": "smtp_host", "value": "mail.dept.example"})
    assert load(tmp_path / "delivery", rows).fingerprint == base
    # a changed threshold is a new framework
    rows["criteria"][1]["5"] = 97
    assert load(tmp_path / "changed", rows).fingerprint != base


def test_thai_digits_and_be_text_dates(tmp_path: Path) -> None:
    rows = small_framework_rows()
    setting(rows, "fiscal_year", "๒๕๖๗")
    rows["rounds"][0]["due_date"] = "๖ มี.ค. ๒๕๖๗"
    rows["rounds"][1]["period_end"] = "30 กันยายน 2567"
    rows["rounds"][1]["data_cutoff"] = "31/08/2567"
    rows["weights"][0]["weight"] = "๒๐"
    rows["criteria"][1].update({"1": "๘๘", "2": "๙๐", "3": "๙๒", "4": "๙๔", "5": "๙๖"})
    fw = load(tmp_path, rows)
    assert fw.settings.fiscal_year == 2567
    assert fw.rounds[0].due_date == dt.date(2024, 3, 6)
    assert fw.rounds[1].period_end == dt.date(2024, 9, 30)
    assert fw.rounds[1].data_cutoff == dt.date(2024, 8, 31)
    assert fw.agreements["U01"][0].weight == D(20)
    assert fw.criteria[("U01", "1.1.1", "R1")].thresholds == (D(44), D(46), D(48), D(50), D(52))
    assert fw.fingerprint == load(tmp_path / "plain").fingerprint


def test_ids_typed_as_numbers_and_title_row_above_header(tmp_path: Path) -> None:
    rows = small_framework_rows()
    for sheet in ("kpis", "criteria", "weights"):
        for row in rows[sheet]:
            if row["kpi_id"] == "2.1":
                row["kpi_id"] = 2.1  # Excel keeps a number
    path = write_small_framework(tmp_path / "fw.xlsx", rows)
    edit_workbook(path, lambda wb: wb["units"].insert_rows(1, amount=2))
    fw = load_framework(path)
    assert fw.agreements["U01"][2].kpi.kpi_id == "2.1"
    assert [u.unit_id for u in fw.units] == ["U01", "U02", "U03", "U04"]


def test_other_settings_and_extra_keys(tmp_path: Path) -> None:
    rows = small_framework_rows()
    for key, value in [
        ("decimals", 2),
        ("rounding", "Half_Even"),
        ("below_lowest", "extrapolate"),
        ("late_penalty_per_day", 0.1),
        ("late_penalty_cap", "0.5"),
        ("late_day_count", "business"),
        ("band_method", "equal_width"),
        ("smtp_host", "mail.dept.example"),
    ]:
        setting(rows, key, value)
    s = load(tmp_path, rows).settings
    assert (s.decimals, s.rounding, s.below_lowest) == (
        2,
        Rounding.HALF_EVEN,
        BelowLowest.EXTRAPOLATE,
    )
    assert (s.late_penalty_per_day, s.late_penalty_cap) == (D("0.1"), D("0.5"))
    assert (s.late_day_count, s.band_method) == (DayCount.BUSINESS, BandMethod.EQUAL_WIDTH)
    assert dict(s.extra) == {"smtp_host": "mail.dept.example"}


def test_a_50_75_100_scale(tmp_path: Path) -> None:
    rows = small_framework_rows()
    setting(rows, "scale", "50, 75, 100")
    for row in rows["criteria"]:
        values = [row.pop(str(p), None) for p in range(1, 6)]
        row.update({"50": values[0], "75": values[2], "100": values[4]})
    rows["criteria"][index(rows["criteria"], kpi_id="3.1", round_id="R1")].update(
        {"50": 1, "75": None, "100": 3}
    )
    fw = load(tmp_path, rows, scale=("50", "75", "100"))
    assert fw.settings.scale == (D(50), D(75), D(100)) and fw.settings.top_point == D(100)
    derived = fw.criteria[("U01", "1.1.1", "R1")]  # 88/92/96 -> middle 48, same steps
    assert derived.thresholds == (D(44), D(48), D(52)) and derived.derived_from == "R2"


# -- the 6-month rule -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full_year", "half"),
    [
        ((88, 90, 92, 94, 96), (44, 46, 48, 50, 52)),
        ((60, 70, 80, 90, 100), (30, 40, 50, 60, 70)),
        ((54, 52, 50, 48, 46), (27, 25, 23, 21, 19)),  # lower is better: top threshold 46
        ((80, 85, 90, 95, 99), ("39.5", "44.5", "49.5", "54.5", "58.5")),  # uneven steps kept
        ((None, None, 92, 94, 96), (None, None, 48, 50, 52)),
    ],
)
def test_derive_thresholds(full_year: tuple[Any, ...], half: tuple[Any, ...]) -> None:
    source = tuple(None if t is None else D(t) for t in full_year)
    expected = tuple(None if t is None else D(t) for t in half)
    assert derive_thresholds(source, middle_index(source)) == expected


def test_middle_index() -> None:
    assert middle_index((D(1), D(2), D(3), D(4), D(5))) == 2
    assert middle_index((D(50), D(75), D(100))) == 1
    assert middle_index((D(1), D(2), D(3), D(4))) == 1


def test_derive_for_a_lower_is_better_kpi(tmp_path: Path) -> None:
    rows = small_framework_rows()
    i = index(rows["criteria"], kpi_id="1.1.2", round_id="R1")
    rows["criteria"][i].update({"1": None, "2": None, "3": "Derive", "4": None, "5": None})
    derived = load(tmp_path, rows).criteria[("U01", "1.1.2", "R1")]
    assert derived.thresholds == (D(27), D(25), D(23), D(21), D(19))
    assert derived.derived_from == "R2"


def test_derive_for_a_milestone_kpi_is_refused(tmp_path: Path) -> None:
    rows = small_framework_rows()
    i = index(rows["criteria"], kpi_id="3.1", round_id="R1")
    rows["criteria"][i].update({"1": None, "2": None, "3": "derive", "4": None, "5": None})
    assert_issue(problems(tmp_path, rows), "FW_BAD_DERIVE", f"criteria!F{i + 2}")


@pytest.mark.parametrize(
    ("change", "column"),
    [
        ({"3": None, "5": "derive"}, "H"),  # not the middle point's column
        ({"1": 40}, "F"),  # derive with other thresholds filled
    ],
)
def test_derive_in_the_wrong_place(tmp_path: Path, change: dict[str, Any], column: str) -> None:
    rows = small_framework_rows()
    i = index(rows["criteria"], kpi_id="1.1.1", round_id="R1")
    rows["criteria"][i].update(change)
    assert_issue(problems(tmp_path, rows), "FW_BAD_DERIVE", f"criteria!{column}{i + 2}")


def test_derive_in_the_full_year_round(tmp_path: Path) -> None:
    rows = small_framework_rows()
    i = index(rows["criteria"], unit_id="U04", kpi_id="5.1", round_id="R2")
    rows["criteria"][i].update({"1": None, "2": None, "3": "derive", "4": None, "5": None})
    assert_issue(problems(tmp_path, rows), "FW_BAD_DERIVE", f"criteria!F{i + 2}")


def test_derive_without_a_full_year_round(tmp_path: Path) -> None:
    rows = small_framework_rows()
    rows["rounds"][1]["period_end"] = dt.date(2024, 8, 31)
    issues = problems(tmp_path, rows)
    i = index(rows["criteria"], kpi_id="1.1.1", round_id="R1")
    assert_issue(issues, "FW_DERIVE_NO_SOURCE", f"criteria!F{i + 2}")


def test_derive_source_without_top_threshold(tmp_path: Path) -> None:
    rows = small_framework_rows()
    rows["criteria"][index(rows["criteria"], kpi_id="1.1.1", round_id="R2")]["5"] = None
    i = index(rows["criteria"], kpi_id="1.1.1", round_id="R1")
    assert_issue(problems(tmp_path, rows), "FW_DERIVE_NO_SOURCE", f"criteria!F{i + 2}")


def test_derive_below_zero(tmp_path: Path) -> None:
    rows = small_framework_rows()
    j = index(rows["criteria"], kpi_id="1.1.2", round_id="R2")
    rows["criteria"][j].update({"1": 10, "2": 8, "3": 6, "4": 4, "5": 2})  # -> 5 3 1 -1 -3
    i = index(rows["criteria"], kpi_id="1.1.2", round_id="R1")
    rows["criteria"][i].update({"1": None, "2": None, "3": "derive", "4": None, "5": None})
    assert_issue(problems(tmp_path, rows), "FW_DERIVE_NEGATIVE", f"criteria!F{i + 2}")


# -- structure ------------------------------------------------------------------------------


def test_missing_sheet(tmp_path: Path) -> None:
    path = write_small_framework(tmp_path / "fw.xlsx")
    edit_workbook(path, lambda wb: wb.remove(wb["bands"]))
    with pytest.raises(FrameworkError) as err:
        load_framework(path)
    assert places(list(err.value.issues)) == {("FW_MISSING_SHEET", "bands")}


def test_optional_sheets_may_be_left_out(tmp_path: Path) -> None:
    rows = small_framework_rows()
    del rows["recipients"], rows["holidays"]
    fw = load(tmp_path, rows)
    assert fw.recipients == () and fw.holidays == ()


def test_missing_column(tmp_path: Path) -> None:
    path = write_small_framework(tmp_path / "fw.xlsx")
    edit_workbook(path, lambda wb: wb["weights"].delete_cols(3))  # weight
    with pytest.raises(FrameworkError) as err:
        load_framework(path)
    assert_issue(list(err.value.issues), "FW_MISSING_COLUMN", "weights!C1")


def test_duplicate_column(tmp_path: Path) -> None:
    path = write_small_framework(tmp_path / "fw.xlsx")
    edit_workbook(path, lambda wb: wb["bands"].cell(row=1, column=4, value="name"))
    with pytest.raises(FrameworkError) as err:
        load_framework(path)
    assert_issue(list(err.value.issues), "FW_DUPLICATE_COLUMN", "bands!D1")


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "fw.xlsx"
    path.write_text("not a workbook")
    with pytest.raises(FrameworkError) as err:
        load_framework(path)
    assert [i.code for i in err.value.issues] == ["FW_FILE_UNREADABLE"]
    assert err.value.issues[0].where == str(path)


def test_empty_sheet(tmp_path: Path) -> None:
    rows = small_framework_rows()
    rows["bands"] = []
    assert_issue(problems(tmp_path, rows), "FW_EMPTY_SHEET", "bands!A2")


def test_required_value(tmp_path: Path) -> None:
    rows = small_framework_rows()
    rows["units"][1]["name"] = "  "
    assert_issue(problems(tmp_path, rows), "FW_REQUIRED_VALUE", "units!B3")


# -- duplicates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "position", "where"),
    [
        ("units", 0, "units!A6"),
        ("clusters", 0, "clusters!A4"),
        ("rounds", 0, "rounds!A4"),
        ("bands", 0, "bands!A6"),
        ("kpis", 1, "kpis!B10"),
        ("weights", 0, "weights!B15"),
        ("criteria", 0, "criteria!C15"),
        ("settings", 0, "settings!A6"),
    ],
)
def test_duplicate_ids(tmp_path: Path, sheet: str, position: int, where: str) -> None:
    rows = small_framework_rows()
    rows[sheet].append(dict(rows[sheet][position]))
    issue = assert_issue(problems(tmp_path, rows), "FW_DUPLICATE_ID", where)
    assert f"แถว {position + 2}" in issue.message_th


@pytest.mark.parametrize(
    ("sheet", "column", "where"),
    [("units", "unit_id", "units!A6"), ("rounds", "round_id", "rounds!A4"),
     ("kpis", "kpi_id", "kpis!B10")],
)  # fmt: skip
def test_ids_differing_only_in_case_are_duplicates(
    tmp_path: Path, sheet: str, column: str, where: str
) -> None:
    """`U01` and `u01` are one file name on Windows (DOMAIN.md §4: unique ignoring case)."""
    rows = small_framework_rows()
    position = 1 if sheet == "kpis" else 0
    first = rows[sheet][position]
    first[column] = f"{first[column]}a"  # a letter in every id, whatever the factory uses
    repeat = {**first, column: str(first[column]).swapcase()}
    rows[sheet].append(repeat)
    issue = assert_issue(problems(tmp_path, rows), "FW_DUPLICATE_ID_CASE", where)
    original = str(first[column])
    assert f"{original}'" in issue.message_th and "ตัวพิมพ์เล็ก/ใหญ่" in issue.message_th


# -- references -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "position", "column", "value", "code", "where"),
    [
        ("units", 0, "cluster_id", "C9", "FW_UNKNOWN_CLUSTER", "units!C2"),
        ("weights", 0, "unit_id", "U99", "FW_UNKNOWN_UNIT", "weights!A2"),
        ("weights", 0, "unit_id", "*", "FW_UNKNOWN_UNIT", "weights!A2"),
        ("kpis", 0, "unit_id", "U99", "FW_UNKNOWN_UNIT", "kpis!A2"),
        ("criteria", 6, "unit_id", "U99", "FW_UNKNOWN_UNIT", "criteria!A8"),
        ("weights", 0, "kpi_id", "9.9", "FW_UNKNOWN_KPI", "weights!B2"),
        ("weights", 0, "kpi_id", "5.1", "FW_UNKNOWN_KPI", "weights!B2"),  # U04's own KPI
        ("criteria", 0, "kpi_id", "9.9", "FW_UNKNOWN_KPI", "criteria!B2"),
        ("criteria", 0, "round_id", "R9", "FW_UNKNOWN_ROUND", "criteria!C2"),
        ("kpis", 1, "parent_id", "9", "FW_UNKNOWN_PARENT", "kpis!C3"),
        ("kpis", 1, "parent_id", "1.1.1", "FW_PARENT_CYCLE", "kpis!C3"),
    ],
)
def test_unknown_references(
    tmp_path: Path, sheet: str, position: int, column: str, value: str, code: str, where: str
) -> None:
    rows = small_framework_rows()
    rows[sheet][position][column] = value
    assert_issue(problems(tmp_path, rows), code, where)


def test_shared_kpi_parent_must_be_shared(tmp_path: Path) -> None:
    rows = small_framework_rows()
    rows["kpis"].append({"unit_id": "U04", "kpi_id": "5", "name": "กลุ่มของศูนย์"})
    rows["kpis"][index(rows["kpis"], unit_id="*", kpi_id="4.1")]["parent_id"] = "5"
    assert_issue(problems(tmp_path, rows), "FW_UNKNOWN_PARENT", "kpis!C7")


def test_parent_cycle_through_two_rows(tmp_path: Path) -> None:
    rows = small_framework_rows()
    rows["kpis"][0]["parent_id"] = "1.1.1"  # 1.1 -> 1.1.1 -> 1.1
    issues = problems(tmp_path, rows)
    assert {("FW_PARENT_CYCLE", "kpis!C2"), ("FW_PARENT_CYCLE", "kpis!C3")} <= places(issues)


# -- KPI rows -------------------------------------------------------------------------------


def test_parent_with_a_kpi_type(tmp_path: Path) -> None:
    rows = small_framework_rows()
    rows["kpis"][0].update({"kpi_type": "quantitative", "direction": "higher"})
    assert_issue(problems(tmp_path, rows), "FW_PARENT_FIELDS", "kpis!F2")


def test_parent_row_with_leaf_fields(tmp_path: Path) -> None:
    rows = small_framework_rows()
    rows["kpis"][0]["direction"] = "higher"
    assert_issue(problems(tmp_path, rows), "FW_PARENT_FIELDS", "kpis!G2")


def test_milestone_lower_or_ratio(tmp_path: Path) -> None:
    rows = small_framework_rows()
    i = index(rows["kpis"], kpi_id="3.1")
    rows["kpis"][i].update({"direction": "lower", "formula": "ratio"})
    issues = problems(tmp_path, rows)
    assert_issue(issues, "FW_KPI_FIELDS", f"kpis!G{i + 2}")
    assert_issue(issues, "FW_KPI_FIELDS", f"kpis!I{i + 2}")


def test_quantitative_kpi_needs_a_direction(tmp_path: Path) -> None:
    rows = small_framework_rows()
    i = index(rows["kpis"], kpi_id="4.1")
    del rows["kpis"][i]["direction"]
    assert_issue(problems(tmp_path, rows), "FW_REQUIRED_VALUE", f"kpis!G{i + 2}")


# -- weights --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weight", "code"),
    [(0, "FW_WEIGHT_NOT_POSITIVE"), (-5, "FW_WEIGHT_NOT_POSITIVE"), ("ยี่สิบ", "FW_BAD_NUMBER")],
)
def test_weight_must_be_a_positive_number(tmp_path: Path, weight: object, code: str) -> None:
    rows = small_framework_rows()
    rows["weights"][2]["weight"] = weight
    issues = problems(tmp_path, rows)
    assert places(issues) == {(code, "weights!C4")}


def test_weighted_parent(tmp_path: Path) -> None:
    rows = small_framework_rows()
    rows["weights"].append({"unit_id": "U03", "kpi_id": "1.1", "weight": 10})
    issue = assert_issue(problems(tmp_path, rows), "FW_WEIGHTED_PARENT", "weights!B15")
    assert "kpi_type" in issue.message_th


def test_weighted_kpi_and_its_parent(tmp_path: Path) -> None:
    rows = small_framework_rows()
    rows["kpis"][0].update({"kpi_type": "quantitative", "direction": "higher"})
    rows["weights"].append({"unit_id": "U01", "kpi_id": "1.1", "weight": 10})
    issues = problems(tmp_path, rows)
    assert_issue(issues, "FW_WEIGHTED_PARENT", "weights!B15")
    assert_issue(issues, "FW_PARENT_FIELDS", "kpis!F2")


def test_unit_without_weights(tmp_path: Path) -> None:
    rows = small_framework_rows()
    rows["units"].append({"unit_id": "U05", "name": "กองใหม่", "cluster_id": "C1"})
    assert places(problems(tmp_path, rows)) == {("FW_NO_WEIGHTS", "units!A6")}


def test_weighted_kpi_without_criteria_for_a_round(tmp_path: Path) -> None:
    rows = small_framework_rows()
    del rows["criteria"][index(rows["criteria"], kpi_id="4.1", round_id="R2")]
    issues = problems(tmp_path, rows)
    u02 = excel_row(rows["weights"], unit_id="U02", kpi_id="4.1")
    u03 = excel_row(rows["weights"], unit_id="U03", kpi_id="4.1")
    assert places(issues) == {
        ("FW_MISSING_CRITERIA", f"weights!B{u02}"),
        ("FW_MISSING_CRITERIA", f"weights!B{u03}"),
    }
    assert "R2" in issues[0].message_th and issues[0].unit_id == "U02"


# -- criteria -------------------------------------------------------------------------------


def test_thresholds_must_ascend_for_higher(tmp_path: Path) -> None:
    rows = small_framework_rows()
    i = index(rows["criteria"], kpi_id="2.1", round_id="R1")
    rows["criteria"][i]["3"] = 64  # 60 65 64 75 80
    issue = assert_issue(problems(tmp_path, rows), "FW_NOT_MONOTONIC", f"criteria!F{i + 2}")
    assert "มากกว่า" in issue.message_th and "65" in issue.message_th


def test_thresholds_must_descend_for_lower(tmp_path: Path) -> None:
    rows = small_framework_rows()
    i = index(rows["criteria"], kpi_id="1.1.2", round_id="R2")
    rows["criteria"][i].update({"1": 46, "2": 48, "3": 50, "4": 52, "5": 54})  # ascending
    issue = assert_issue(problems(tmp_path, rows), "FW_NOT_MONOTONIC", f"criteria!E{i + 2}")
    assert "น้อยกว่า" in issue.message_th


def test_equal_thresholds_are_not_strictly_monotonic(tmp_path: Path) -> None:
    rows = small_framework_rows()
    i = index(rows["criteria"], kpi_id="3.1", round_id="R1")  # 1 - 2 - 3
    rows["criteria"][i]["5"] = 2
    assert_issue(problems(tmp_path, rows), "FW_NOT_MONOTONIC", f"criteria!H{i + 2}")


def test_threshold_not_a_number(tmp_path: Path) -> None:
    rows = small_framework_rows()
    rows["criteria"][2]["4"] = "ร้อยละ 80"  # "80%" is 80 (docs/cells.md)
    assert places(problems(tmp_path, rows)) == {("FW_BAD_NUMBER", "criteria!G4")}


def test_empty_criteria_row(tmp_path: Path) -> None:
    rows = small_framework_rows()
    rows["criteria"].append({"unit_id": "U01", "kpi_id": "2.1", "round_id": "R1"})
    assert_issue(problems(tmp_path, rows), "FW_EMPTY_CRITERIA", "criteria!D15")


def test_criteria_columns_must_match_the_scale(tmp_path: Path) -> None:
    rows = setting(small_framework_rows(), "scale", "50,75,100")
    issues = problems(tmp_path, rows)  # the sheet still has columns 1..5
    assert {i.code for i in issues} == {"FW_CRITERIA_COLUMNS"}
    assert {i.where for i in issues} >= {"criteria!D1", "criteria!H1", "criteria!I1"}


@pytest.mark.parametrize("scale", ["5,4,3,2,1", "1,2,a", "5", "1,1,2"])
def test_bad_scale(tmp_path: Path, scale: str) -> None:
    rows = setting(small_framework_rows(), "scale", scale)
    issues = problems(tmp_path, rows)
    assert places(issues) == {("FW_BAD_SCALE", settings_cell(rows, "scale"))}


# -- enumerations, dates, e-mail, settings --------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "position", "column", "where"),
    [
        ("kpis", 1, "kpi_type", "kpis!F3"),
        ("kpis", 1, "direction", "kpis!G3"),
        ("kpis", 3, "formula", "kpis!I5"),
        ("kpis", 5, "method", "kpis!J7"),
        ("recipients", 0, "role", "recipients!A2"),
    ],
)
def test_bad_enumeration_in_a_column(
    tmp_path: Path, sheet: str, position: int, column: str, where: str
) -> None:
    rows = small_framework_rows()
    rows[sheet][position][column] = "maybe"
    issues = problems(tmp_path, rows)
    assert places(issues) == {("FW_BAD_ENUM", where)}
    assert "maybe" in issues[0].message_th


@pytest.mark.parametrize("key", ["rounding", "below_lowest", "late_day_count", "band_method"])
def test_bad_enumeration_in_settings(tmp_path: Path, key: str) -> None:
    rows = setting(small_framework_rows(), key, "maybe")
    assert places(problems(tmp_path, rows)) == {("FW_BAD_ENUM", settings_cell(rows, key))}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("decimals", 11),
        ("decimals", -1),
        ("decimals", 2.5),
        ("late_penalty_per_day", -0.05),
        ("late_penalty_cap", "ห้าสิบสตางค์"),
    ],
)
def test_bad_number_settings(tmp_path: Path, key: str, value: object) -> None:
    rows = setting(small_framework_rows(), key, value)
    assert places(problems(tmp_path, rows)) == {("FW_BAD_SETTING", settings_cell(rows, key))}


@pytest.mark.parametrize("key", ["organisation", "fiscal_year"])
def test_required_settings(tmp_path: Path, key: str) -> None:
    rows = setting(small_framework_rows(), key, None)
    assert places(problems(tmp_path, rows)) == {("FW_MISSING_SETTING", "settings")}


@pytest.mark.parametrize("year", [2024, 67, "สองพันห้าร้อย", 2567.5])
def test_fiscal_year_must_be_a_be_year(tmp_path: Path, year: object) -> None:
    rows = setting(small_framework_rows(), "fiscal_year", year)
    assert places(problems(tmp_path, rows)) == {
        ("FW_BAD_FISCAL_YEAR", settings_cell(rows, "fiscal_year"))
    }


@pytest.mark.parametrize(
    ("sheet", "position", "column", "where"),
    [
        ("rounds", 0, "period_start", "rounds!C2"),
        ("rounds", 1, "due_date", "rounds!F3"),
        ("holidays", 1, "date", "holidays!A3"),
    ],
)
def test_dates_that_do_not_parse(
    tmp_path: Path, sheet: str, position: int, column: str, where: str
) -> None:
    rows = small_framework_rows()
    rows[sheet][position][column] = "31 ก.พ. 2567"
    assert places(problems(tmp_path, rows)) == {("FW_BAD_DATE", where)}


def test_period_start_after_end(tmp_path: Path) -> None:
    rows = small_framework_rows()
    rows["rounds"][0]["period_start"] = dt.date(2024, 4, 1)
    assert_issue(problems(tmp_path, rows), "FW_PERIOD_ORDER", "rounds!D2")


@pytest.mark.parametrize(
    ("sheet", "value", "where", "named"),
    [
        ("units", "plan@dept.example, boss@dept.example", "units!D2", None),
        ("units", "plan@dept.example; boss.dept.example", "units!D2", "boss.dept.example"),
        ("recipients", "hr at dept.example", "recipients!C2", "hr at dept.example"),
    ],
)
def test_malformed_email(
    tmp_path: Path, sheet: str, value: str, where: str, named: str | None
) -> None:
    rows = small_framework_rows()
    rows[sheet][0]["email"] = value
    issues = problems(tmp_path, rows)
    assert places(issues) == {("FW_BAD_EMAIL", where)}
    if named:
        assert issues[0].value == named


# -- every problem at once ------------------------------------------------------------------


def test_several_problems_are_all_listed_in_workbook_order(tmp_path: Path) -> None:
    rows = small_framework_rows()
    setting(rows, "decimals", 12)
    rows["rounds"][1]["due_date"] = "พรุ่งนี้"
    rows["units"][2]["cluster_id"] = "C3"
    rows["kpis"][2]["direction"] = "down"
    rows["criteria"][4]["2"] = 59
    rows["weights"][0]["weight"] = 0
    rows["weights"][5]["kpi_id"] = "7.7"
    rows["bands"][1]["min_score"] = "สี่"
    issues = problems(tmp_path, rows)
    assert [(i.code, i.where) for i in issues] == [
        ("FW_BAD_SETTING", settings_cell(rows, "decimals")),
        ("FW_BAD_DATE", "rounds!F3"),
        ("FW_UNKNOWN_CLUSTER", "units!C4"),
        ("FW_BAD_ENUM", "kpis!G4"),
        ("FW_NOT_MONOTONIC", "criteria!E6"),
        ("FW_WEIGHT_NOT_POSITIVE", "weights!C2"),
        ("FW_UNKNOWN_KPI", "weights!B7"),
        ("FW_BAD_NUMBER", "bands!C3"),
    ]
    assert all(
        i.line().startswith(f"{i.where}: ") and i.line().endswith(f"[{i.code}]") for i in issues
    )
    assert all(i.message_en for i in issues)


def test_a_bad_round_date_does_not_hide_that_rounds_criteria_problems(tmp_path: Path) -> None:
    rows = small_framework_rows()
    bad_round = rows["rounds"][0]
    bad_round["due_date"] = "31 ก.พ. 2567"
    row = next(
        i
        for i, r in enumerate(rows["criteria"])
        if r["round_id"] == bad_round["round_id"]
        and r.get("1") is not None
        and r.get("2") is not None
        and r.get("2") != "derive"
    )
    rows["criteria"][row]["2"] = rows["criteria"][row]["1"]  # not strictly monotonic
    codes = {i.code for i in problems(tmp_path, rows)}
    assert {"FW_BAD_DATE", "FW_NOT_MONOTONIC"} <= codes


# -- contract and documentation -------------------------------------------------------------


def test_schemas_name_the_format_columns() -> None:
    for sheet, columns in SHEETS.items():
        assert tuple(MODELS[sheet].to_schema().columns) == columns


def test_summary_counts(fw: Framework) -> None:
    s = summarise(fw)
    assert [(c, len(u)) for c, _, u in s.units_per_cluster] == [("C1", 2), ("C2", 2)]
    assert (s.leaf_kpis, s.quantitative, s.milestone, s.parents, s.derived) == (6, 5, 1, 1, 4)
    assert [(w.unit_id, w.total) for w in s.notes] == [("U03", D(90))]


# -- the command ----------------------------------------------------------------------------


def test_cli_valid_framework_exits_0(tmp_path: Path) -> None:
    path = write_small_framework(tmp_path / "fw.xlsx")
    result = CliRunner().invoke(app, ["check-framework", str(path)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "กรมตัวอย่าง (ทดสอบ)" in out and "2567" in out
    assert "R1" in out and "R2" in out and "กลุ่มอำนวยการ" in out
    assert "U03" in out and "90" in out and "not 100" in out
    assert load_framework(path).short_fingerprint in out


def test_cli_invalid_framework_exits_2_with_every_line(tmp_path: Path) -> None:
    rows = small_framework_rows()
    rows["units"][0]["cluster_id"] = "C9"
    rows["weights"][0]["weight"] = -1
    path = write_small_framework(tmp_path / "fw.xlsx", rows)
    result = CliRunner().invoke(app, ["check-framework", str(path)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert any(
        line.startswith("units!C2: ") and line.endswith("[FW_UNKNOWN_CLUSTER]") for line in lines
    )
    assert any(
        line.startswith("weights!C2: ") and "[FW_WEIGHT_NOT_POSITIVE]" in line for line in lines
    )


def test_cli_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check-framework", str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 2
    assert "[FW_FILE_UNREADABLE]" in result.output
