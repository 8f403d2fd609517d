"""A file inflating to more than 4 GB, under a memory cap: the batch finishes, the file is
rejected, and no later stage (returned copy, archive, e-mail check) opens it again.

The CLI runs in a child process whose address space is capped (`RLIMIT_AS`, far below what
inflating the file would take); the child's peak resident memory is printed (`-s` shows it)
for the closing note. POSIX only (Windows has no RLIMIT_AS).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import intake_corpus as corpus
import pytest

from tests.test_hostile_run import AS_OF, make_work

resource = pytest.importorskip("resource")
CAP_BYTES = 1536 << 20  # 1.5 GB of address space: a 4 GB inflation cannot fit
GIGABYTES = 4.1


def _capped_run(args: list[str], cap: int) -> tuple[int, int, str]:
    """(exit code, peak RSS in bytes, output) of `kpi-batch args` under an address-space cap."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    code = "import sys; from kpi_batch.cli import main; sys.argv[0] = 'kpi-batch'; main()"
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        preexec_fn=limit,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert child.stdout is not None
    err = child.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, usage.ru_maxrss * 1024, err


def test_inflating_bomb_is_rejected_under_a_memory_cap(tmp_path: Path) -> None:
    work = make_work(tmp_path / "w", submitted_on=None)  # warnings: copies are returned
    inbox = work / "inbox"
    corpus.inflating_bomb(inbox / "U01.xlsx", inbox / "bomb_lying.xlsx", GIGABYTES)
    corpus.inflating_bomb(inbox / "U02.xlsx", inbox / "bomb_zip64.xlsx", GIGABYTES, honest=True)
    corpus.inflating_bomb(inbox / "U03.xlsx", inbox / "bomb_styles.xlsx", GIGABYTES,
                          member="xl/styles.xml")  # fmt: skip
    assert all(
        (inbox / n).stat().st_size < 10 << 20 for n in ("bomb_lying.xlsx", "bomb_zip64.xlsx")
    )
    archive = tmp_path / "archive"
    exit_code, peak, err = _capped_run(
        ["run", "--framework", str(work / "framework.xlsx"), "--inbox", str(inbox),
         "--out", str(work / "out"), "--as-of", AS_OF.isoformat(), "--archive", str(archive)],
        CAP_BYTES,
    )  # fmt: skip
    print(f"\npeak RSS of the capped run: {peak / 2**20:.0f} MB (cap {CAP_BYTES >> 20} MB)")
    assert exit_code == 1, err
    (manifest_path,) = (work / "out").glob("2567/R1/*/manifest.json")
    rows = {r["path"]: r for r in json.loads(manifest_path.read_text("utf-8"))["inputs"]}
    for bomb in ("bomb_lying.xlsx", "bomb_zip64.xlsx", "bomb_styles.xlsx"):
        assert rows[bomb]["status"] == "rejected"
        assert [i["code"] for i in rows[bomb]["issues"]] == ["file_zip_bomb"], bomb
        assert (
            manifest_path.parent / "returned" / bomb.replace(".xlsx", "_xlsx_แก้ไข.xlsx")
        ).exists()
    assert {rows[f"U0{n}.xlsx"]["status"] for n in (1, 2, 3)} == {"accepted_with_warnings"}
    mail = _capped_run(["email", "--run", str(manifest_path.parent)], CAP_BYTES)
    # 1: the bombs' copies name no unit, so they are left to send by hand; nothing blocked
    assert mail[0] == 1, mail[2]
    assert "returned_unrouted" in mail[2] and "confidentiality" not in mail[2]
    assert dt.date.today()  # the run above used --as-of, not the clock
