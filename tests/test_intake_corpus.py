"""One inbox of good, messy, broken and hostile files through `run_intake`.

Every file's status and exact set of (code, cell) issues is asserted, the statuses add up to
the number of files found, and no input byte (nor modification time) changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import intake_corpus as corpus
import pandas as pd
import pytest
from submission_factories import fill_template
from template_factories import small_framework

from kpi_batch.intake import IntakeResult, run_intake
from kpi_batch.model import Framework
from kpi_batch.templates.workbook import write_unit_template

AS_OF = dt.date(2024, 4, 10)
GOOD = {"1.1": 73, "1.2": (45, 50), "2.1": 2.5, "2.2": 9}  # 2.1: steps 1/–/2/–/3
D = dt.date
# (status, {(code, cell)}) per file; cells are on the report sheet รายงานผล
EXPECTED: dict[str, tuple[str, set[tuple[str, str]]]] = {
    "U01.xlsx": ("accepted", set()),
    "U02 messy.xlsx": ("accepted", set()),
    "U03.xlsx": (
        "accepted_with_warnings",
        {("cell_excel_error", "K14"), ("denominator_not_positive", "M15"),
         ("level_above_last_step", "N16"), ("cell_not_number", "K17")},
    ),
    "U04.xlsx": (
        "accepted_with_warnings",
        {("weight_changed", "D14"), ("numerator_exceeds_denominator", "L15"),
         ("result_empty", "N16"), ("criteria_changed", "F17"), ("submitted_on_missing", "F7")},
    ),
    "U05/v1.xlsx": ("superseded", set()),
    "U05/v2.xlsx": ("accepted_with_warnings", {("value_looks_fraction", "K14")}),
    "U06 old round.xlsx": ("rejected", {("round_mismatch", "B8")}),
    "sub/deeper/U06.xlsx": ("accepted", set()),
    "U07.xlsx": ("accepted_with_warnings", {("framework_fingerprint_differs", "B11")}),
    "U08.xlsx": ("rejected", {("template_version_unsupported", "F10")}),
    "U09.xlsx": (
        "accepted_with_warnings",
        {("kpi_extra", "B17"), ("kpi_missing", "B13")},  # 1.2 and 2.2 missing: same cell
    ),
    "U10.xlsx": (
        "accepted_with_warnings",
        {("kpi_duplicate", "B14"), ("kpi_duplicate", "B15"), ("kpi_missing", "B13")},
    ),
    "U11.xlsx": ("accepted_with_warnings", {("submitted_on_implausible", "F7")}),
    "U12.xlsx": ("accepted_with_warnings", {("submitted_on_invalid", "F7")}),
    "U99.xlsx": ("rejected", {("unit_unknown", "B5")}),
    "hostile/entities.xlsx": ("rejected", {("file_xml_entities", "")}),
    "hostile/bomb declared.xlsx": ("rejected", {("file_zip_bomb", "")}),
    "hostile/bomb member.xlsx": ("rejected", {("file_zip_bomb", "")}),
    "hostile/lying member.xlsx": ("rejected", {("file_zip_bomb", "")}),
    "hostile/truncated.xlsx": ("rejected", {("file_corrupt", "")}),
    "hostile/encrypted.xlsx": ("rejected", {("file_encrypted", "")}),
    "hostile/ole renamed.xlsx": ("rejected", {("file_not_workbook", "")}),
    "hostile/100k rows.xlsx": ("rejected", {("file_too_many_rows", "")}),
    "hostile/far cell.xlsx": ("rejected", {("file_too_many_rows", "")}),
    "hostile/empty workbook.xlsx": ("rejected", {("file_empty_workbook", "")}),
    "hostile/no table.xlsx": ("rejected", {("results_table_missing", "")}),
    "hostile/no sheet.xlsx": ("rejected", {("results_table_missing", "")}),
    "hostile/zero.xlsx": ("rejected", {("file_empty", "")}),
    "hostile/not a zip.xlsx": ("rejected", {("file_not_workbook", "")}),
    "hostile/binary.xlsb": ("rejected", {("file_unsupported_format", "")}),
    "~$U01.xlsx": ("ignored", set()),
    ".U01 hidden.xlsx": ("ignored", set()),
    "notes.txt": ("ignored", set()),
    "link to U01.xlsx": ("ignored", set()),
}  # fmt: skip


def _template(fw: Framework, unit: str, folder: Path) -> Path:
    return write_unit_template(fw, unit, "R1", folder / f"blank_{unit}.xlsx")


def _build(fw: Framework, inbox: Path, blanks: Path) -> None:
    def fill(unit: str, rel: str, values: dict, **kw: object) -> Path:
        out = inbox / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        kw.setdefault("submitted_on", D(2024, 4, 3))
        return fill_template(_template(fw, unit, blanks), values, out=out, **kw)  # type: ignore[arg-type]

    fill("U01", "U01.xlsx", GOOD)
    fill("U02", "U02 messy.xlsx",
         {"1.1": "๖๕.๕%", "1.2": ("1,200", "๒,๕๐๐"), "2.1": " ๒ ", "2.2": "\u00a08\u00a0"},
         submitted_on="๓ เม.ย. ๒๕๖๗")  # fmt: skip
    fill("U03", "U03.xlsx", {"1.1": "#DIV/0!", "1.2": (50, 0), "2.1": 7, "2.2": "ประมาณ 8"},
         submitted_on=D(2567, 4, 4))  # fmt: skip
    tampered = {"weight": 99, "value": 60}
    fill("U04", "U04.xlsx",
         {"1.1": tampered, "1.2": (60, 50), "2.2": {"criteria_1": 20, "value": 10}},
         submitted_on=None)  # fmt: skip
    fill("U05", "U05/v1.xlsx", GOOD, submitted_on=D(2024, 4, 1))
    fill("U05", "U05/v2.xlsx", {**GOOD, "1.1": 0.8}, submitted_on=D(2024, 4, 6))
    fill("U06", "U06 old round.xlsx", GOOD, names={"round_id": "R2"}, submitted_on=D(2024, 4, 9))
    fill("U06", "sub/deeper/U06.xlsx", GOOD)
    fill("U07", "U07.xlsx", GOOD, names={"framework_fingerprint": "f" * 64})
    fill("U08", "U08.xlsx", GOOD, names={"template_version": "9"})
    fill("U09", "U09.xlsx", {"1.1": 73, "2.1": 2, "1.2": {"kpi_id": None, "name": None,
         "weight": None, "measure_unit": None, **{f"criteria_{i}": None for i in range(1, 6)}},
         "2.2": {"kpi_id": "9.9", "value": 9}})  # fmt: skip
    fill("U10", "U10.xlsx", {"1.2": {"kpi_id": "1.1", "value": 70}, "1.1": 73, "2.1": 3, "2.2": 9})
    fill("U11", "U11.xlsx", GOOD, submitted_on=D(2025, 1, 1))
    fill("U12", "U12.xlsx", GOOD, submitted_on="เมื่อวาน")
    fill("U01", "U99.xlsx", GOOD, names={"unit_id": "U99"})

    blank = _template(fw, "U01", blanks)
    h = inbox / "hostile"
    h.mkdir()
    corpus.entity_expansion(blank, h / "entities.xlsx")
    corpus.declared_huge(blank, h / "bomb declared.xlsx")
    corpus.compressible_member(h / "bomb member.xlsx")
    corpus.lying_member(blank, h / "lying member.xlsx")
    corpus.truncated(inbox / "U01.xlsx", h / "truncated.xlsx")
    corpus.ole_encrypted(h / "encrypted.xlsx")
    corpus.ole_plain(h / "ole renamed.xlsx")
    corpus.many_rows(h / "100k rows.xlsx")
    corpus.far_cell(h / "far cell.xlsx")
    corpus.empty_workbook(h / "empty workbook.xlsx")
    corpus.without_table(inbox / "U01.xlsx", h / "no table.xlsx")
    corpus.without_report_sheet(inbox / "U01.xlsx", h / "no sheet.xlsx")
    (h / "zero.xlsx").write_bytes(b"")
    (h / "not a zip.xlsx").write_text("unit_id,value\nU01,73\n")
    corpus.copy(inbox / "U01.xlsx", h / "binary.xlsb")
    corpus.copy(inbox / "U01.xlsx", inbox / "~$U01.xlsx")
    corpus.copy(inbox / "U01.xlsx", inbox / ".U01 hidden.xlsx")
    (inbox / "notes.txt").write_text("ส่งแล้วครับ")
    (inbox / "link to U01.xlsx").symlink_to(inbox / "U01.xlsx")
    # the older file of U05 was saved later: submitted_on decides, not the file time
    os.utime(inbox / "U05/v1.xlsx", (2_000_000_000, 2_000_000_000))


def _fingerprints(inbox: Path) -> dict[str, tuple[str, int]]:
    out = {}
    for path in sorted(inbox.rglob("*")):
        if path.is_file() and not path.is_symlink():
            st = path.stat()
            out[path.as_posix()] = (hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mtime_ns)
    return out


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[IntakeResult, Path, dict]:
    fw = small_framework(n_units=12)
    root = tmp_path_factory.mktemp("intake")
    inbox = root / "inbox"
    inbox.mkdir()
    (root / "blanks").mkdir()
    _build(fw, inbox, root / "blanks")
    before = _fingerprints(inbox)
    result = run_intake(inbox, fw, "R1", AS_OF)
    assert _fingerprints(inbox) == before  # no input byte, nor mtime, changed
    return result, inbox, before


def test_every_file_has_its_status_and_issues(run: tuple[IntakeResult, Path, dict]) -> None:
    result, _, _ = run
    got = {
        row.path: (
            row.status,
            sorted((i["code"], i["where"].partition("!")[2]) for i in row.issues),
        )
        for row in result.register.itertuples()
    }
    expected = {path: (status, sorted(issues)) for path, (status, issues) in EXPECTED.items()}
    twice = [("kpi_missing", "B13")]  # U09 misses 1.2 and 2.2: two issues on one cell
    expected["U09.xlsx"] = ("accepted_with_warnings", sorted([*EXPECTED["U09.xlsx"][1], *twice]))
    assert got == expected


def test_counts_add_up(run: tuple[IntakeResult, Path, dict]) -> None:
    result, inbox, _ = run
    found = sum(len(files) for _, _, files in os.walk(inbox)) - 0
    assert len(result.register) == found == len(EXPECTED)
    assert sum(result.counts().values()) == found
    assert set(result.register["status"]) <= {
        "accepted", "accepted_with_warnings", "rejected", "superseded", "ignored"
    }  # fmt: skip
    errors = sum(i.severity == "error" for i in result.issues)
    assert result.register["errors"].sum() == errors
    assert result.register["warnings"].sum() == len(result.issues) - errors


def test_issue_places_and_messages(run: tuple[IntakeResult, Path, dict]) -> None:
    result, _, _ = run
    for issue in result.issues:
        assert issue.file in EXPECTED
        assert issue.message_th and issue.message_en
        assert "{" not in issue.message_th + issue.message_en
        if issue.cell:
            assert issue.sheet == "รายงานผล"
    error_cell = next(i for i in result.issues if i.code == "cell_excel_error")
    assert (error_cell.value, error_cell.kpi_id, error_cell.unit_id) == ("#DIV/0!", "1.1", "U03")
    assert "0 คะแนน" in error_cell.message_th  # says the KPI is scored as missing
    text = next(i for i in result.issues if i.code == "cell_not_number")
    assert text.value == "ประมาณ 8"


def test_clean_results(run: tuple[IntakeResult, Path, dict]) -> None:
    result, _, _ = run
    res = result.results.set_index(["unit_id", "kpi_id"])
    assert res.loc[("U01", "1.1"), "value"] == 73
    assert res.loc[("U01", "1.2"), ["numerator", "denominator"]].tolist() == [45, 50]
    assert pd.isna(res.loc[("U01", "1.2"), "value"])  # a ratio's value cell is ignored
    assert res.loc[("U01", "2.1"), "level"] == 2.5
    # normalised: Thai digits, %, thousands separators, NBSP
    assert res.loc[("U02", "1.1"), "value"] == 65.5
    assert res.loc[("U02", "1.2"), ["numerator", "denominator"]].tolist() == [1200, 2500]
    assert res.loc[("U02", "2.1"), "level"] == 2
    assert res.loc[("U02", "2.2"), "value"] == 8
    # rejected KPI results are absent (scored as missing); the rest of the file is used
    assert "U03" not in res.index.get_level_values(0)
    assert set(res.loc["U04"].index) == {"1.1", "2.1", "2.2"}
    assert res.loc[("U04", "1.1"), "value"] == 60
    assert pd.isna(res.loc[("U04", "2.1"), "level"])  # left empty: a row with NaN
    assert set(res.loc["U09"].index) == {"1.1", "2.1"}
    assert set(res.loc["U10"].index) == {"2.1", "2.2"}
    # only the winner of U05, only the right round of U06, nothing from rejected files
    assert res.loc[("U05", "1.1"), "value"] == 0.8
    used = {p for p, (s, _) in EXPECTED.items() if s.startswith("accepted")}
    assert set(res["file"]) == used - {"U03.xlsx"}  # every KPI of U03 was rejected
    assert res.index.is_unique
    assert res.loc[("U01", "1.1"), "excel_row"] == 14


def test_submissions_and_lateness_source(run: tuple[IntakeResult, Path, dict]) -> None:
    result, _, _ = run
    sub = result.submissions.set_index("unit_id")
    assert sub.loc["U01", "submitted_on"] == pd.Timestamp("2024-04-03")
    assert sub.loc["U01", "date_source"] == "workbook"
    assert sub.loc["U02", "submitted_on"] == pd.Timestamp("2024-04-03")  # Thai text date
    assert sub.loc["U03", "submitted_on"] == pd.Timestamp("2024-04-04")  # BE-year Excel date
    assert sub.loc["U05", "submitted_on"] == pd.Timestamp("2024-04-06")
    assert sub.loc["U05", "file"] == "U05/v2.xlsx"
    assert sub.loc["U06", "file"] == "sub/deeper/U06.xlsx"
    for unit in ("U04", "U11", "U12"):  # empty, implausible, not a date: never the file time
        assert sub.loc[unit, "date_source"] == "date_to_confirm"
        assert pd.isna(sub.loc[unit, "submitted_on"])
    assert sub.loc["U08", "status"] == "rejected"
    assert pd.isna(sub.loc["U08", "submitted_on"])
    assert "U99" not in sub.index  # not a unit of the framework
    assert set(sub["status"]) <= {"accepted", "rejected"}
    reg = result.register.set_index("path")
    assert reg.loc["U05/v1.xlsx", "superseded_by"] == "U05/v2.xlsx"
    assert "U05/v2.xlsx" in reg.loc["U05/v1.xlsx", "reasons"]


def test_register_columns_for_the_manifest(run: tuple[IntakeResult, Path, dict]) -> None:
    result, inbox, before = run
    reg = result.register
    for key in ("path", "sha256", "size", "unit_id", "status", "errors", "warnings", "reasons"):
        assert key in reg.columns
    u01 = reg.set_index("path").loc["U01.xlsx"]
    assert u01["sha256"] == before[(inbox / "U01.xlsx").as_posix()][0]
    assert u01["size"] == (inbox / "U01.xlsx").stat().st_size
    rejected = reg[reg["status"] == "rejected"]
    assert (rejected["reasons"].str.len() > 0).all()
    assert (reg.loc[reg["status"] == "ignored", "reasons"].str.len() > 0).all()


@pytest.mark.parametrize(
    ("level", "code"), [(5, "level_above_last_step"), (3.5, "level_above_last_step"),
                        (-1, "level_out_of_range"), (3, None), (0, None)],
)  # fmt: skip
def test_a_level_beyond_the_rounds_last_step_is_rejected_at_its_cell(
    tmp_path: Path, level: float, code: str | None
) -> None:
    """R1's KPI 2.1 reads 1 / – / 2 / – / 3 (three steps): a 5 used to score 5 silently."""
    fw = small_framework()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    values = {**GOOD, "2.1": level}
    fill_template(_template(fw, "U01", tmp_path), values, out=inbox / "U01.xlsx")
    result = run_intake(inbox, fw, "R1", AS_OF)
    found = [i for i in result.issues if i.code.startswith("level_")]
    if code is None:
        assert not found
        assert result.results.set_index("kpi_id").loc["2.1", "level"] == level
        return
    [issue] = found
    assert (issue.code, issue.sheet, issue.cell, issue.kpi_id) == (code, "รายงานผล", "N16", "2.1")
    assert "2.1" not in set(result.results["kpi_id"])  # scored as missing, not as 5
    if code == "level_above_last_step":
        assert "รอบนี้มีขั้นตอน 1, 2, 3" in issue.message_th
        assert "0 ถึง 3" in issue.message_th and "0 คะแนน" in issue.message_th
