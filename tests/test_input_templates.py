"""input_templates/ is produced by code: the committed files match the generator part by part,
and the example is a sound FY2567 framework that the reader accepts."""

from __future__ import annotations

import datetime as dt
import importlib
import re
import zipfile
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kpi_batch.errors import FrameworkError
from kpi_batch.framework.example import example_framework_rows
from kpi_batch.input_templates import (
    ADJUSTMENTS_NAME,
    EXAMPLE_NAME,
    RECEIPTS_NAME,
    REGENERATE_COMMAND,
    TEMPLATE_NAME,
    generate_input_templates,
    main,
)
from kpi_batch.specs.framework import (
    DERIVE,
    INSTRUCTIONS_SHEET,
    RECIPIENT_ROLES,
    SHARED_UNIT,
    SHEETS,
)
from kpi_batch.thai import parse_date

COMMITTED = Path(__file__).resolve().parents[1] / "input_templates"
SCALE = ("1", "2", "3", "4", "5")
FY_START, FY_END = dt.date(2023, 10, 1), dt.date(2024, 9, 30)

# Parts whose content may legitimately change from run to run. The writer pins the document
# timestamps, so this only strips them in case a future writer stops honouring the pin.
_VOLATILE = {"docProps/core.xml": re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*<")}


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for name, pattern in _VOLATILE.items():
        if name in parts:
            parts[name] = pattern.sub(b"<", parts[name])
    return parts


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("input_templates")
    generate_input_templates(out)
    return out


@pytest.mark.parametrize("name", [TEMPLATE_NAME, EXAMPLE_NAME, ADJUSTMENTS_NAME, RECEIPTS_NAME])
def test_committed_file_matches_generator(name: str, regenerated: Path) -> None:
    hint = f"regenerate with `{REGENERATE_COMMAND}` and commit input_templates/"
    committed_path = COMMITTED / name
    assert committed_path.exists(), f"input_templates/{name} is missing; {hint}"
    committed, fresh = _parts(committed_path), _parts(regenerated / name)
    assert sorted(committed) == sorted(fresh), (
        f"input_templates/{name} has parts {sorted(set(committed) ^ set(fresh))} "
        f"that the generator does not agree on; {hint}"
    )
    stale = [part for part in sorted(fresh) if committed[part] != fresh[part]]
    assert not stale, f"input_templates/{name} is out of date ({', '.join(stale)}); {hint}"


def test_generation_is_deterministic(tmp_path: Path) -> None:
    first = generate_input_templates(tmp_path / "a")
    second = generate_input_templates(tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


# --- the example's content -------------------------------------------------------------


@pytest.fixture(scope="module")
def rows() -> dict[str, list[dict[str, Any]]]:
    return example_framework_rows()


def _resolved(rows: list[dict[str, Any]], key: tuple[str, ...]) -> dict[tuple[Any, ...], Any]:
    """Index rows by `key` (unit_id first), keeping `*` rows under unit_id '*'."""
    return {tuple(r[k] for k in key): r for r in rows}


def _lookup(index: dict[tuple[Any, ...], Any], unit_id: str, *rest: str) -> Any:
    """A unit's own row wins over the shared `*` row."""
    return index.get((unit_id, *rest)) or index.get((SHARED_UNIT, *rest))


def _thresholds(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row.get(p) for p in SCALE)


def _derive(full_year: tuple[Any, ...]) -> tuple[Decimal, ...]:
    """DOMAIN §3.10: level 3 = (12-month level-5 threshold) / 2, same interval."""
    top, below = Decimal(str(full_year[4])), Decimal(str(full_year[3]))
    interval = top - below
    middle = top / 2
    return tuple(middle + (i - 2) * interval for i in range(5))


def test_units_and_clusters(rows: dict[str, list[dict[str, Any]]]) -> None:
    units, clusters = rows["units"], rows["clusters"]
    assert len(clusters) == 4
    assert len(units) == 36  # 001:22-23
    assert len({u["unit_id"] for u in units}) == len(units)
    per_cluster = Counter(u["cluster_id"] for u in units)
    assert set(per_cluster) == {c["cluster_id"] for c in clusters}
    assert all(n >= 4 for n in per_cluster.values())
    names = {c["name"] for c in clusters}
    assert "กลุ่มภูมิภาค (ศูนย์อนามัย)" in names
    assert any(u["name"] == "ศูนย์อนามัยที่ 12 ยะลา" for u in units)
    for unit in units:
        addresses = [a.strip() for a in unit["email"].split(";")]
        assert all(re.fullmatch(r"[a-z0-9.]+@anamai\.example", a) for a in addresses), unit
    assert sum(";" in u["email"] for u in units) >= 3


def test_every_unit_signs_positive_weights_summing_to_100(
    rows: dict[str, list[dict[str, Any]]],
) -> None:
    totals: dict[str, int] = defaultdict(int)
    for w in rows["weights"]:
        assert w["weight"] > 0
        totals[w["unit_id"]] += w["weight"]
    assert set(totals) == {u["unit_id"] for u in rows["units"]}
    assert set(totals.values()) == {100}
    assert len({(w["unit_id"], w["kpi_id"]) for w in rows["weights"]}) == len(rows["weights"])


def test_weighted_kpis_are_leaves_with_criteria_in_every_round(
    rows: dict[str, list[dict[str, Any]]],
) -> None:
    kpis = _resolved(rows["kpis"], ("unit_id", "kpi_id"))
    criteria = _resolved(rows["criteria"], ("unit_id", "kpi_id", "round_id"))
    rounds = [r["round_id"] for r in rows["rounds"]]
    full_year = next(r["round_id"] for r in rows["rounds"] if r["period_end"] == FY_END)
    seen_types: Counter[str] = Counter()
    for w in rows["weights"]:
        kpi = _lookup(kpis, w["unit_id"], w["kpi_id"])
        assert kpi is not None and kpi["kpi_type"], w
        seen_types[kpi["kpi_type"]] += 1
        seen_types[kpi["direction"]] += 1
        seen_types[kpi["formula"] or "value"] += 1
        for round_id in rounds:
            row = _lookup(criteria, w["unit_id"], w["kpi_id"], round_id)
            assert row is not None, (w, round_id)
            points = _thresholds(row)
            if DERIVE in points:
                assert points == (None, None, DERIVE, None, None), row
                assert round_id != full_year
                base = _thresholds(_lookup(criteria, w["unit_id"], w["kpi_id"], full_year))
                assert None not in base and DERIVE not in base
                continue
            defined = [t for t in points if t is not None]
            assert defined, row
            ordered = sorted(defined, reverse=kpi["direction"] == "lower")
            assert defined == ordered and len(set(defined)) == len(defined), row
            if kpi["kpi_type"] == "milestone":
                assert set(defined) <= {1, 2, 3, 4, 5}
    assert {"quantitative", "milestone", "higher", "lower", "ratio", "value"} <= set(seen_types)


def test_parents_are_never_weighted(rows: dict[str, list[dict[str, Any]]]) -> None:
    parents = {k["kpi_id"] for k in rows["kpis"] if not k["kpi_type"]}
    assert parents == {"1.1", "1.2", "1.3"}
    assert not parents & {w["kpi_id"] for w in rows["weights"]}
    parent_rows = [k for k in rows["kpis"] if not k["kpi_type"]]
    assert all(not (k["direction"] or k["formula"] or k["method"]) for k in parent_rows)


def test_seed_criteria_are_kept(rows: dict[str, list[dict[str, Any]]]) -> None:
    criteria = _resolved(rows["criteria"], ("unit_id", "kpi_id", "round_id"))
    # Milestone 6-month gap table (003:539-541) and the 12-month five steps.
    assert _thresholds(criteria[("*", "1.1.1", "R1")]) == (1, None, 2, None, 3)
    assert _thresholds(criteria[("*", "1.1.1", "R2")]) == (1, 2, 3, 4, 5)
    # Budget disbursement: 12-month 92..100 (003:1098-1100), 6-month derived; the derived
    # thresholds equal the ones 003:1090-1092 prints.
    assert _thresholds(criteria[("*", "2", "R1")])[2] == DERIVE
    budget = _thresholds(criteria[("*", "2", "R2")])
    assert budget == (92, 94, 96, 98, 100)
    assert _derive(budget) == (46, 48, 50, 52, 54)
    # 1.1.3 prints both rounds (003:773-781); the 6-month row agrees with the rule too.
    pr = _thresholds(criteria[("*", "1.1.3", "R2")])
    assert _derive(pr) == _thresholds(criteria[("*", "1.1.3", "R1")])


def test_calendar_settings_bands_recipients(rows: dict[str, list[dict[str, Any]]]) -> None:
    r1, r2 = rows["rounds"]
    assert (r1["period_start"], r1["period_end"]) == (FY_START, dt.date(2024, 3, 31))
    assert (r1["data_cutoff"], r1["due_date"]) == (dt.date(2024, 2, 29), dt.date(2024, 3, 6))
    assert (r2["period_start"], r2["period_end"]) == (FY_START, FY_END)
    assert (r2["data_cutoff"], r2["due_date"]) == (dt.date(2024, 8, 31), dt.date(2024, 9, 6))
    settings = {s["key"]: s["value"] for s in rows["settings"]}
    assert settings["fiscal_year"] == 2567 and settings["decimals"] == 4
    assert settings["late_penalty_per_day"] == 0.05 and settings["late_penalty_cap"] == 0.25
    assert (settings["rounding"], settings["below_lowest"]) == ("half_up", "zero")
    assert (settings["late_day_count"], settings["band_method"]) == ("calendar", "fixed")
    limits = [b["min_score"] for b in rows["bands"]]
    assert limits == sorted(limits, reverse=True) and limits[-1] == 0
    assert {r["role"] for r in rows["recipients"]} == set(RECIPIENT_ROLES)
    days = [parse_date(h["date"]) for h in rows["holidays"]]
    assert all(d is not None and FY_START <= d <= FY_END for d in days)
    assert len(set(days)) == len(days) >= 20


# --- the workbooks' layout ---------------------------------------------------------------


def test_template_has_every_sheet_and_header() -> None:
    wb = openpyxl.load_workbook(COMMITTED / TEMPLATE_NAME)
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, *SHEETS]
    for sheet, columns in SHEETS.items():
        expected = (*columns, *SCALE) if sheet == "criteria" else columns
        header = next(wb[sheet].iter_rows(max_row=1, values_only=True))
        assert header == expected, sheet
    keys = [row[0] for row in wb["settings"].iter_rows(min_row=2, values_only=True)]
    assert keys[:2] == ["organisation", "fiscal_year"] and "band_method" in keys
    assert all(wb[s].max_row == 1 for s in SHEETS if s != "settings")


@pytest.mark.parametrize("name", [TEMPLATE_NAME, EXAMPLE_NAME])
def test_layout_for_people(name: str) -> None:
    wb = openpyxl.load_workbook(COMMITTED / name)
    for sheet in SHEETS:
        ws = wb[sheet]
        assert ws.freeze_panes == "A2", sheet
        assert ws["A1"].font.b and ws["A1"].font.name == "TH Sarabun New", sheet
        assert ws.column_dimensions["A"].width >= 9, sheet
    lists = {
        str(dv.sqref).split(":")[0]: dv.formula1
        for dv in wb["kpis"].data_validations.dataValidation
    }
    assert lists == {
        "F2": '"quantitative,milestone"',
        "G2": '"higher,lower"',
        "I2": '"ratio"',
        "J2": '"step"',
        "K2": "owners!$A$2:$A$1001",
    }
    roles = wb["recipients"].data_validations.dataValidation
    assert [dv.formula1 for dv in roles] == ['"hr,executive"']
    settings = {str(dv.sqref): dv.formula1 for dv in wb["settings"].data_validations.dataValidation}
    assert '"half_up,half_even,truncate"' in settings.values()
    assert '"fixed,equal_width"' in settings.values()


@pytest.mark.parametrize("name", [TEMPLATE_NAME, EXAMPLE_NAME, ADJUSTMENTS_NAME, RECEIPTS_NAME])
def test_fonts_are_not_theme_fonts(name: str) -> None:
    """A font marked with the theme's scheme shows as the theme's Calibri in Excel."""
    styles = _parts(COMMITTED / name)["xl/styles.xml"]
    assert b"TH Sarabun New" in styles and b"<scheme" not in styles


def test_text_is_never_a_formula() -> None:
    wb = openpyxl.load_workbook(COMMITTED / EXAMPLE_NAME)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            assert all(cell.data_type != "f" for cell in row), ws.title


# --- the reader (kpi_batch.framework.load, written alongside) accepts the example ------------


def _load_example() -> Any:
    try:
        framework = importlib.import_module("kpi_batch.framework.load")
    except ModuleNotFoundError:
        pytest.skip("kpi_batch.framework.load (load_framework) is not there yet")
    return framework.load_framework(COMMITTED / EXAMPLE_NAME)


def test_reader_accepts_example() -> None:
    fw = _load_example()
    assert len(fw.units) == 36 and len(fw.clusters) == 4
    assert [r.round_id for r in fw.rounds] == ["R1", "R2"]
    assert fw.settings.fiscal_year == 2567
    assert {u: sum(i.weight for i in items) for u, items in fw.agreements.items()} == {
        u.unit_id: Decimal(100) for u in fw.units
    }
    assert len(fw.holidays) >= 20 and {r.role for r in fw.recipients} == {"hr", "executive"}


def test_reader_resolves_shared_own_and_derived_criteria() -> None:
    fw = _load_example()
    d = Decimal
    budget = fw.criteria_for("U01", "2", "R1")
    assert budget.thresholds == tuple(d(t) for t in (46, 48, 50, 52, 54))
    assert budget.derived_from == "R2"
    plan = fw.criteria_for("U18", "1.1.2", "R1")  # กองแผนงาน's own quantitative 1.1.2
    assert plan.thresholds == tuple(d(t) for t in (40, 45, 50, 55, 60))
    assert fw.criteria_for("U01", "1.1.2", "R1").thresholds == (d(1), None, d(2), None, d(3))
    assert fw.criteria_for("U29", "1.3.1", "R2").thresholds[2] == d(27)  # own row wins
    assert fw.criteria_for("U24", "1.3.1", "R2").thresholds[2] == d(23)
    assert fw.kpis["U18"]["1.1.2"].kpi_type == "quantitative"
    assert fw.kpis["U01"]["1.1.2"].kpi_type == "milestone"


def test_reader_finds_only_blanks_in_the_blank_template() -> None:
    """The template's layout (คำอธิบาย sheet, pre-filled settings, dropdowns) is accepted;
    what is left is for planning staff to fill in."""
    try:
        framework = importlib.import_module("kpi_batch.framework.load")
    except ModuleNotFoundError:
        pytest.skip("kpi_batch.framework.load (load_framework) is not there yet")
    with pytest.raises(FrameworkError) as refused:
        framework.load_framework(COMMITTED / TEMPLATE_NAME)
    codes = {i.code for i in refused.value.issues}
    assert codes <= {"FW_REQUIRED_VALUE", "FW_EMPTY_SHEET"}, refused.value.issues
    assert {i.cell for i in refused.value.issues if i.sheet == "settings"} == {"B2", "B3"}


def test_command_line(tmp_path: Path) -> None:
    assert main([str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [ADJUSTMENTS_NAME, EXAMPLE_NAME, RECEIPTS_NAME, TEMPLATE_NAME]
    )
    assert sorted(p.name for p in COMMITTED.iterdir()) == sorted(
        [ADJUSTMENTS_NAME, EXAMPLE_NAME, RECEIPTS_NAME, TEMPLATE_NAME]
    ), "every file in input_templates/ comes from the one command"
    assert main(["--help"]) == 2
