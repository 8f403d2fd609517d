"""Golden workbooks: compare a freshly written .xlsx with a committed one, part by part.

    assert_matches_golden(produced, "executive.xlsx")

The committed files live in `tests/golden/`. When a change to a report is intended, regenerate
them and review the diff before committing:

    KPI_BATCH_REGENERATE_GOLDEN=1 .venv/bin/pytest tests/test_report_executive.py

With the switch on, the produced workbook is copied over the golden one and the test passes;
without it, a missing or different part fails with the part's name and the first difference.
The comparison unzips both files and compares every part's bytes, after blanking document
timestamps (the writers pin them, this only guards against a writer that stops doing so).
xlsxwriter output depends on its version: a version bump may need a regeneration.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import zipfile
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
REGENERATE_ENV = "KPI_BATCH_REGENERATE_GOLDEN"
REGENERATE_HINT = (
    f"if the change is intended, rerun with {REGENERATE_ENV}=1, review `git diff tests/golden` "
    "and commit"
)

# Parts whose content may legitimately change between runs: pattern -> replacement.
_VOLATILE: dict[str, re.Pattern[bytes]] = {
    "docProps/core.xml": re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)"),
}


def regenerating() -> bool:
    return os.environ.get(REGENERATE_ENV, "") not in ("", "0")


def xlsx_parts(path: Path) -> dict[str, bytes]:
    """Every part of the zip by name, volatile values blanked."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for name, pattern in _VOLATILE.items():
        if name in parts:
            parts[name] = pattern.sub(rb"\1\2", parts[name])
    return parts


def first_difference(a: bytes, b: bytes, context: int = 80) -> str:
    """Where two parts first differ, with some text around it from both."""
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    lo = max(0, i - context)

    def show(data: bytes) -> str:
        return data[lo : i + context].decode("utf-8", errors="replace")

    return f"at byte {i}:\n  golden:   {show(a)!r}\n  produced: {show(b)!r}"


def compare_parts(golden: Path, produced: Path) -> list[str]:
    """Human-readable differences between two workbooks (empty when they match)."""
    want, got = xlsx_parts(golden), xlsx_parts(produced)
    problems = []
    if missing := sorted(set(want) - set(got)):
        problems.append(f"parts missing from the produced workbook: {missing}")
    if extra := sorted(set(got) - set(want)):
        problems.append(f"parts not in the golden workbook: {extra}")
    for name in sorted(set(want) & set(got)):
        if want[name] != got[name]:
            problems.append(f"{name} differs {first_difference(want[name], got[name])}")
    return problems


def assert_matches_golden(produced: Path, name: str) -> None:
    """Fail unless `produced` equals `tests/golden/<name>` part by part (or regenerate it)."""
    golden = GOLDEN_DIR / name
    if regenerating():
        GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(produced, golden)
        return
    assert golden.exists(), f"tests/golden/{name} is missing; {REGENERATE_HINT}"
    problems = compare_parts(golden, produced)
    assert not problems, f"tests/golden/{name}: " + "\n".join(problems) + f"\n{REGENERATE_HINT}"


def assert_text_matches_golden(produced: str, name: str) -> None:
    """Fail unless `produced` equals the text file `tests/golden/<name>` (or regenerate it);
    the message shows every line that differs."""
    golden = GOLDEN_DIR / name
    if regenerating():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(produced.encode("utf-8"))
        return
    assert golden.exists(), f"tests/golden/{name} is missing; {REGENERATE_HINT}"
    want = golden.read_bytes().decode("utf-8")  # as stored: CRLF stays CRLF
    if want != produced:
        diff = difflib.unified_diff(
            want.splitlines(), produced.splitlines(), "golden", "produced", lineterm=""
        )
        raise AssertionError(
            f"tests/golden/{name} differs:\n" + "\n".join(diff) + f"\n{REGENERATE_HINT}"
        )
