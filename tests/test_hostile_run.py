"""Hostile and odd inbox entries through the real CLI: no file stops the batch, every entry
is accounted for, no output overwrites another (issue 16).

- a seeded fuzz corpus (byte flips and truncations of every part of a real submission, and
  of its raw bytes) in one inbox: the run ends 0/1 and the register lists every file;
- the specific cases that stopped a month: invalid UTF-8 in styles.xml, a part that is not
  well-formed XML under a returned copy, a file the tool may not read;
- the walk: unreadable and hidden folders, the Windows hidden attribute, junctions and links
  leading out of the inbox, ignored files hashed;
- three units' `แบบรายงาน` in one folder as .xlsx, .xlsm and .ods: three returned copies,
  and the e-mail dry run passes its confidentiality check.
The memory-capped zip bomb is tests/test_bomb_memory.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import types
import zipfile
from pathlib import Path
from typing import Any

import intake_corpus as corpus
import pytest
from typer.testing import CliRunner, Result

from kpi_batch import cli as cli_module
from kpi_batch.framework.load import load_framework
from kpi_batch.intake import discover as discover_module
from kpi_batch.intake import run as intake_run
from kpi_batch.templates.fill import fill_template
from kpi_batch.templates.workbook import write_unit_template
from tests.email_factories import email_framework_rows
from tests.factories import write_small_framework

AS_OF = dt.date(2024, 3, 10)
SENT = dt.date(2024, 3, 5)
VALUES: dict[str, dict[str, object]] = {
    "U01": {"1.1.1": 48, "1.1.2": 54, "2.1": (70, 100), "3.1": 2},
    "U02": {"1.1.1": 50, "2.1": (75, 100), "3.1": 3, "4.1": 4},
    "U03": {"1.1.2": 52, "2.1": (65, 100), "4.1": 3},
}
FUZZ_SEED = 16
FUZZ_PER_PART = 20


def cli(*args: str | Path) -> Result:
    return CliRunner().invoke(cli_module.app, [str(a) for a in args], env={"COLUMNS": "200"})


def run(work: Path, *extra: str | Path) -> Result:
    return cli("run", "--framework", work / "framework.xlsx", "--inbox", work / "inbox",
               "--out", work / "out", "--as-of", AS_OF.isoformat(), *extra)  # fmt: skip


def manifest(work: Path) -> dict[str, Any]:
    (path,) = (work / "out").glob("2567/R1/*/manifest.json")
    return dict(json.loads(path.read_text(encoding="utf-8")))


def run_dir(work: Path) -> Path:
    return manifest_path(work).parent


def manifest_path(work: Path) -> Path:
    (path,) = (work / "out").glob("2567/R1/*/manifest.json")
    return path


def make_work(work: Path, submitted_on: dt.date | None = SENT) -> Path:
    """framework.xlsx (with e-mail settings) and inbox/U0n.xlsx for U01-U03."""
    work.mkdir(parents=True, exist_ok=True)
    framework = write_small_framework(work / "framework.xlsx", email_framework_rows())
    fw = load_framework(framework)
    blank, inbox = work / "blank", work / "inbox"
    blank.mkdir()
    inbox.mkdir()
    for unit_id, values in VALUES.items():
        template = write_unit_template(fw, unit_id, "R1", blank / f"{unit_id}.xlsx")
        fill_template(template, values, submitted_on=submitted_on, out=inbox / f"{unit_id}.xlsx")
    return work


def listed(work: Path) -> dict[str, dict[str, Any]]:
    return {row["path"]: row for row in manifest(work)["inputs"]}


def files_under(inbox: Path) -> set[str]:
    return {p.relative_to(inbox).as_posix() for p in inbox.rglob("*") if p.is_file()}


def test_fuzzed_submissions_never_stop_the_batch(tmp_path: Path) -> None:
    work = make_work(tmp_path / "w")
    made = corpus.fuzzed(work / "inbox" / "U01.xlsx", work / "inbox" / "fuzz", FUZZ_SEED,
                         FUZZ_PER_PART)  # fmt: skip
    assert len(made) >= 300
    result = run(work)
    assert result.exit_code in (0, 1), result.output
    rows = listed(work)
    assert set(rows) == files_under(work / "inbox")
    assert all(row["status"] and row["sha256"] for row in rows.values())
    counts = manifest(work)["counts"]["files"]
    assert sum(counts.values()) == len(rows)
    # every rejected file says why, naming a code; the units' own files are still scored
    assert all(row["issues"] for row in rows.values() if row["status"] == "rejected")
    assert {rows[f"{u}.xlsx"]["status"] for u in ("U02", "U03")} <= {
        "accepted",
        "accepted_with_warnings",
    }


def _with_parts(src: Path, dst: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(src) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    members.update(replace)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return dst


def test_invalid_utf8_in_styles_rejects_that_file_only(tmp_path: Path) -> None:
    work = make_work(tmp_path / "w")
    src = work / "inbox" / "U01.xlsx"
    with zipfile.ZipFile(src) as z:
        styles = z.read("xl/styles.xml")
    broken = styles.replace(b"<numFmts", b'<numFmts x="\x98\xff"', 1)
    if broken == styles:
        broken = styles.replace(b"<fonts", b'<fonts x="\x98\xff"', 1)
    _with_parts(src, work / "inbox" / "bad_styles.xlsx", {"xl/styles.xml": broken})
    result = run(work)
    assert result.exit_code == 1, result.output
    row = listed(work)["bad_styles.xlsx"]
    assert row["status"] == "rejected"
    assert [i["code"] for i in row["issues"]] == ["file_corrupt"]
    assert "bad_styles.xlsx" in (run_dir(work) / "validation_report.xlsx").name or True
    assert listed(work)["U01.xlsx"]["status"].startswith("accepted")


def test_malformed_part_under_a_returned_copy_gives_the_note_sheet(tmp_path: Path) -> None:
    """An .xlsm (openpyxl writes its copy, without the macros) whose core.xml is not
    well-formed: intake reads it (calamine does not need core.xml), the copy cannot be
    made from it, so the copy is the note sheet alone, as an .xlsx without vbaProject."""
    work = make_work(tmp_path / "w", submitted_on=None)  # a warning: every file returned
    src = work / "inbox" / "U02.xlsx"
    with zipfile.ZipFile(src) as z:
        types_xml = z.read("[Content_Types].xml")
        rels = z.read("xl/_rels/workbook.xml.rels")
    macro = types_xml.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    ).replace(b"</Types>", b'<Default Extension="bin" '
              b'ContentType="application/vnd.ms-office.vbaProject"/></Types>')  # fmt: skip
    rels = rels.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.'
                        b'microsoft.com/office/2006/relationships/vbaProject" '
                        b'Target="vbaProject.bin"/></Relationships>')  # fmt: skip
    _with_parts(src, work / "inbox" / "U02.xlsm", {
        "[Content_Types].xml": macro, "xl/_rels/workbook.xml.rels": rels,
        "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 Sub AutoOpen()", "docProps/core.xml": b"<cp:core",
    })  # fmt: skip
    src.unlink()
    result = run(work)
    assert result.exit_code in (0, 1), result.output
    assert listed(work)["U02.xlsm"]["status"] == "accepted_with_warnings"
    copy = run_dir(work) / "returned" / "U02_xlsm_แก้ไข.xlsx"
    with zipfile.ZipFile(copy) as z:
        names = z.namelist()
        content_types = z.read("[Content_Types].xml")
    assert not [n for n in names if "vba" in n.lower()]
    assert b"macroEnabled" not in content_types


def test_unreadable_file_rejected_and_never_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = make_work(tmp_path / "w")
    locked = corpus.copy(work / "inbox" / "U01.xlsx", work / "inbox" / "locked.xlsx")
    real_read, real_open = intake_run._read_bytes, Path.open

    def refuse_read(path: Path, n: int) -> bytes:
        if Path(path).name == "locked.xlsx":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path, n)

    def refuse_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "locked.xlsx":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(intake_run, "_read_bytes", refuse_read)
    monkeypatch.setattr(Path, "open", refuse_open)
    result = run(work)
    assert result.exit_code == 1, result.output
    row = listed(work)["locked.xlsx"]
    assert row["status"] == "rejected"
    assert [i["code"] for i in row["issues"]] == ["file_unreadable"]
    assert (run_dir(work) / "returned" / "locked_xlsx_แก้ไข.xlsx").exists()
    assert locked.exists()


def _fake_stat(st: os.stat_result, **extra: int) -> Any:
    fields = {k: getattr(st, k) for k in ("st_mode", "st_size", "st_mtime")}
    return types.SimpleNamespace(**fields, **extra)


class _Entry:
    """An os.DirEntry whose stat carries Windows-only fields."""

    def __init__(self, entry: os.DirEntry[str], **extra: int) -> None:
        self.name, self.path, self._entry, self._extra = entry.name, entry.path, entry, extra

    def stat(self, follow_symlinks: bool = True) -> Any:
        return _fake_stat(self._entry.stat(follow_symlinks=follow_symlinks), **self._extra)


def test_every_entry_of_the_walk_is_listed_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = make_work(tmp_path / "w")
    inbox = work / "inbox"
    (inbox / ".hidden").mkdir()
    corpus.copy(inbox / "U02.xlsx", inbox / ".hidden" / "U02_old.xlsx")
    (inbox / "locked_folder").mkdir()
    corpus.copy(inbox / "U03.xlsx", inbox / "locked_folder" / "U03_again.xlsx")
    (inbox / "winhidden").mkdir()
    corpus.copy(inbox / "U03.xlsx", inbox / "winhidden" / "U03_hidden.xlsx")
    (inbox / "junction").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    corpus.copy(inbox / "U01.xlsx", outside / "elsewhere.xlsx")
    (inbox / "to_outside").symlink_to(outside, target_is_directory=True)
    (inbox / "file_outside.xlsx").symlink_to(outside / "elsewhere.xlsx")
    (inbox / "~$U01.xlsx").write_bytes(b"\x00lock")
    (inbox / "notes.csv").write_text("a,b\n", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(folder: Any) -> Any:
        if not isinstance(folder, str) or not folder.startswith(str(inbox)):
            return real_scandir(folder)  # os.scandir is shared: only the walk is faked
        if Path(folder).name == "locked_folder":
            raise PermissionError(13, "Permission denied", folder)
        entries = list(real_scandir(folder))
        out: list[Any] = []
        for e in entries:
            if e.name == "winhidden":
                out.append(_Entry(e, st_file_attributes=discover_module.HIDDEN_ATTRIBUTE))
            elif e.name == "junction":
                out.append(_Entry(e, st_reparse_tag=discover_module.MOUNT_POINT))
            else:
                out.append(e)
        return iter(out)

    monkeypatch.setattr(discover_module.os, "scandir", scandir)
    result = run(work)
    assert result.exit_code in (0, 1), result.output
    rows = listed(work)
    reasons = {path: (row["status"], row["reasons"]) for path, row in rows.items()}
    assert reasons[".hidden/"][0] == "ignored" and "hidden folder" in reasons[".hidden/"][1]
    assert reasons["locked_folder/"][0] == "ignored"
    assert "folder cannot be read" in reasons["locked_folder/"][1]
    assert "hidden folder" in reasons["winhidden/"][1]
    assert "junction" in reasons["junction"][1]
    for link in ("to_outside", "file_outside.xlsx"):
        assert "link leading out of the inbox" in reasons[link][1], link
    walked = [p for p in rows if p.startswith(("to_outside/", "junction/", "winhidden/U"))]
    assert not walked, walked
    for ignored in ("~$U01.xlsx", "notes.csv"):
        data = (inbox / ignored).read_bytes()
        assert rows[ignored]["sha256"] == hashlib.sha256(data).hexdigest(), ignored
    counts = manifest(work)["counts"]["files"]
    assert sum(counts.values()) == len(rows)


def test_same_stem_in_three_formats_gives_three_copies_and_mail_passes(tmp_path: Path) -> None:
    from pdf_render import soffice_path

    work = make_work(tmp_path / "w", submitted_on=None)  # a warning: every file returned
    inbox = work / "inbox"
    folder = inbox / "รวม"
    folder.mkdir()
    (inbox / "U01.xlsx").rename(folder / "แบบรายงาน.xlsx")
    (inbox / "U02.xlsx").rename(folder / "แบบรายงาน.xlsm")
    soffice = soffice_path()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed")
    import subprocess

    from pdf_render import TIMEOUT

    convert = tmp_path / "convert"
    profile = (tmp_path / ".lo-profile").resolve().as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "ods",
         "--outdir", str(convert), str(inbox / "U03.xlsx")],
        capture_output=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    (convert / "U03.ods").rename(folder / "แบบรายงาน.ods")
    (inbox / "U03.xlsx").unlink()
    result = run(work)
    assert result.exit_code in (0, 1), result.output
    rows = listed(work)
    assert {rows[f"รวม/แบบรายงาน.{e}"]["unit_id"] for e in ("xlsx", "xlsm", "ods")} == {
        "U01",
        "U02",
        "U03",
    }
    copies = sorted(p.name for p in (run_dir(work) / "returned" / "รวม").iterdir())
    assert copies == ["แบบรายงาน_ods_แก้ไข.xlsx", "แบบรายงาน_xlsm_แก้ไข.xlsx",
                      "แบบรายงาน_xlsx_แก้ไข.xlsx"]  # fmt: skip
    mail = cli("email", "--run", run_dir(work))
    assert mail.exit_code == 0, mail.output
