"""Every format intake reads gives the same results: .xlsx, .xlsm, and LibreOffice's .ods
and .xls (converted by soffice, skipped without it). Also: empty inboxes, scoring's input
contracts."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from pdf_render import TIMEOUT, soffice_path
from submission_factories import fill_template
from template_factories import small_framework

from kpi_batch.intake import run_intake
from kpi_batch.schemas.scoring import Results, Submissions
from kpi_batch.templates.workbook import write_unit_template

AS_OF = dt.date(2024, 4, 10)
VALUES = {"1.1": "๖๕.๕", "1.2": (45, 50), "2.1": 2.5, "2.2": "#DIV/0!"}


def _convert(src: Path, fmt: str, out_dir: Path) -> Path:
    soffice = soffice_path()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed")
    profile = (out_dir / ".lo-profile").resolve().as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt,
         "--outdir", str(out_dir), str(src)],
        capture_output=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    out = out_dir / f"{src.stem}.{fmt}"
    assert out.exists(), f"soffice did not write {out.name}"
    return out


def _filled(tmp_path: Path, unit: str = "U01") -> Path:
    fw = small_framework()
    blank = write_unit_template(fw, unit, "R1", tmp_path / f"blank_{unit}.xlsx")
    return fill_template(
        blank, VALUES, submitted_on=dt.date(2024, 4, 3), out=tmp_path / f"{unit}.xlsx"
    )


def _one(inbox: Path) -> tuple[pd.Series, pd.DataFrame, list[tuple[str, str]]]:
    result = run_intake(inbox, small_framework(), "R1", AS_OF)
    assert len(result.register) == 1
    issues = [(i.code, i.cell) for i in result.issues]
    return result.register.iloc[0], result.results.set_index("kpi_id"), issues


@pytest.mark.parametrize("fmt", ["xlsx", "xlsm", "ods", "xls"])
def test_formats_read_alike(tmp_path: Path, fmt: str) -> None:
    filled = _filled(tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    if fmt == "xlsx":
        (inbox / "U01.xlsx").write_bytes(filled.read_bytes())
    elif fmt == "xlsm":  # values only: a macro-enabled name changes nothing
        (inbox / "U01.xlsm").write_bytes(filled.read_bytes())
    else:
        converted = _convert(filled, fmt, tmp_path / "converted")
        (inbox / converted.name).write_bytes(converted.read_bytes())
    row, res, issues = _one(inbox)
    assert row["status"] == "accepted_with_warnings"
    assert row["unit_id"] == "U01"
    assert res.loc["1.1", "value"] == 65.5
    assert res.loc["1.2", ["numerator", "denominator"]].tolist() == [45, 50]
    assert res.loc["2.1", "level"] == 2.5
    if fmt == "xls":  # calamine reads an .xls error cell as empty (docs/intake.md)
        assert issues == [("result_empty", "K17")]
        assert pd.isna(res.loc["2.2", "value"])  # scored as missing all the same
    else:
        assert issues == [("cell_excel_error", "K17")]
        assert "2.2" not in res.index  # the error cell rejects that KPI's result
    assert row["submitted_on"] == dt.date(2024, 4, 3)


def test_empty_inbox(tmp_path: Path) -> None:
    result = run_intake(tmp_path, small_framework(), "R1", AS_OF)
    assert result.register.empty and result.results.empty and result.submissions.empty
    Results.validate(result.results)
    Submissions.validate(result.submissions)


def test_only_broken_files(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_bytes(b"PK\x03\x04broken")
    (tmp_path / "b.xls").write_bytes(b"not ole")
    result = run_intake(tmp_path, small_framework(), "R1", AS_OF)
    assert result.register["status"].tolist() == ["rejected", "rejected"]
    assert [i.code for i in result.issues] == ["file_corrupt", "file_not_workbook"]
    assert result.results.empty


def test_outputs_fit_the_scoring_contracts(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for unit in ("U01", "U02"):
        (inbox / f"{unit}.xlsx").write_bytes(_filled(tmp_path, unit).read_bytes())
    result = run_intake(inbox, small_framework(), "R1", AS_OF)
    Results.validate(result.results)
    Submissions.validate(result.submissions)
    assert result.submissions["status"].tolist() == ["accepted", "accepted"]
