"""KPI owners in the framework (DOMAIN §4 `owners`, `kpis.owner_id`): read, checked by
cell, kept out of the fingerprint, shown by check-framework."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_batch.cli import app
from kpi_batch.errors import FrameworkError
from kpi_batch.framework.load import load_framework
from kpi_batch.framework.summary import summarise
from kpi_batch.issues import Issue
from tests.factories import write_small_framework
from tests.owner_factories import owner_framework_rows, write_owner_framework


def _problems(path: Path) -> list[Issue]:
    with pytest.raises(FrameworkError) as err:
        load_framework(path)
    return list(err.value.issues)


def test_owners_and_their_kpis(tmp_path: Path) -> None:
    fw = load_framework(write_owner_framework(tmp_path / "fw.xlsx"))
    assert [(o.owner_id, o.emails) for o in fw.owners] == [
        ("QA", ("qa@dept.example",)),
        ("FIN", ("fin@dept.example", "fin.head@dept.example")),
        ("ORG", ("org@dept.example",)),
    ]
    assert fw.owned_by("FIN") == [("U01", "2.1"), ("U02", "2.1"), ("U03", "2.1")]
    # U03 has its own 2.1 row with a blank owner: the `*` row's owner answers
    assert fw.kpi_owners[("U03", "2.1")] == "FIN"
    assert ("U02", "4.1") not in fw.kpi_owners


def test_a_units_own_row_names_its_own_owner(tmp_path: Path) -> None:
    rows = owner_framework_rows()
    own = next(r for r in rows["kpis"] if r["unit_id"] == "U03" and r["kpi_id"] == "2.1")
    own["owner_id"] = "ORG"
    fw = load_framework(write_owner_framework(tmp_path / "fw.xlsx", rows))
    assert fw.kpi_owners[("U03", "2.1")] == "ORG"
    assert fw.kpi_owners[("U01", "2.1")] == "FIN"


def test_owners_do_not_change_the_fingerprint(tmp_path: Path) -> None:
    plain = load_framework(write_small_framework(tmp_path / "plain.xlsx"))
    owned = load_framework(write_owner_framework(tmp_path / "owned.xlsx"))
    assert owned.owners and plain.fingerprint == owned.fingerprint


def test_unknown_owner_is_reported_at_its_cell(tmp_path: Path) -> None:
    rows = owner_framework_rows()
    rows["kpis"][2]["owner_id"] = "QB"  # Excel row 4; owner_id is column K
    issues = _problems(write_owner_framework(tmp_path / "fw.xlsx", rows))
    assert [(i.code, i.where, i.value) for i in issues] == [("FW_UNKNOWN_OWNER", "kpis!K4", "QB")]
    assert "ชีต owners" in issues[0].message_th


def test_owner_id_without_an_owners_sheet(tmp_path: Path) -> None:
    rows = owner_framework_rows()
    del rows["owners"]
    issues = _problems(write_owner_framework(tmp_path / "fw.xlsx", rows))
    assert {i.code for i in issues} == {"FW_UNKNOWN_OWNER"}
    assert len(issues) == 4  # the four `*` rows naming an owner


def test_owner_without_email_and_duplicate_ignoring_case(tmp_path: Path) -> None:
    rows = owner_framework_rows()
    rows["owners"][2]["email"] = ""
    rows["owners"].append({"owner_id": "qa", "name": "ซ้ำ", "email": "x@dept.example"})
    issues = _problems(write_owner_framework(tmp_path / "fw.xlsx", rows))
    assert [(i.code, i.where) for i in issues] == [
        ("FW_OWNER_NO_EMAIL", "owners!C4"),
        ("FW_DUPLICATE_ID_CASE", "owners!A5"),
    ]


def test_summary_lists_kpis_per_owner_and_warns_about_unowned(tmp_path: Path) -> None:
    fw = load_framework(write_owner_framework(tmp_path / "fw.xlsx"))
    s = summarise(fw)
    assert [(o.owner_id, o.kpi_ids, o.rows) for o in s.owners] == [
        ("QA", ("1.1.1", "1.1.2"), 5),
        ("FIN", ("2.1",), 3),
        ("ORG", ("3.1",), 2),
    ]
    assert s.unowned == ("4.1", "5.1")
    path = tmp_path / "fw.xlsx"
    out = CliRunner().invoke(app, ["check-framework", str(path)]).output
    assert "กลุ่มงานคุณภาพ" in out
    for kpi_id in ("4.1", "5.1"):  # warned after the summary, at the owner_id cell
        assert f"ตัวชี้วัด {kpi_id} ยังไม่มีเจ้าภาพ" in out
    assert out.count("[FW_KPI_NO_OWNER]") == 2


def test_no_owners_no_warning(tmp_path: Path) -> None:
    fw = load_framework(write_small_framework(tmp_path / "fw.xlsx"))
    assert summarise(fw).owners == () and summarise(fw).unowned == ()
