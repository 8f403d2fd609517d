"""The run lock across processes: the OS's lock (filelock), so a holder that is alive is
respected, a holder that died releases it at once, and a run paused between taking the lock
and saying who it is (the race of issue 15: a lock file created but not yet written, taken
for stale by the old code) still refuses a second run; the committed folder is one run's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kpi_batch.errors import RunLockedError
from kpi_batch.runfolder import HOLDER_NAME, STAGING, RunFolder, acquire_lock
from tests.factories import write_small_framework
from tests.test_cli_run import AS_OF, FIRST, VALUES, make_inbox, run

ROOT = Path(__file__).resolve().parents[1]

HOLD = """
import sys
from pathlib import Path
from kpi_batch.runfolder import acquire_lock
lock = acquire_lock(Path(sys.argv[1]))
print("locked", flush=True)
sys.stdin.readline()
"""

# A whole `kpi-batch run` that stops right after taking the lock, before it writes who it is.
PAUSED_RUN = """
import sys
from kpi_batch import cli, runfolder
real = runfolder._write_holder
def paused(path):
    print("locked", flush=True)
    sys.stdin.readline()
    real(path)
runfolder._write_holder = paused
sys.argv = ["kpi-batch", *sys.argv[1:]]
cli.main()
"""


def _start(script: str, *args: str | Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "locked", child.stderr and child.stderr.read()
    return child


def _folder(out: Path) -> RunFolder:
    return RunFolder(out, 2567, "R1", AS_OF)


def test_a_live_holder_in_another_process_is_respected_and_named(tmp_path: Path) -> None:
    child = _start(HOLD, tmp_path)
    try:
        with pytest.raises(RunLockedError, match=f"pid {child.pid} ") as refused, _folder(tmp_path):
            pass
        assert "another run holds" in str(refused.value)
    finally:
        child.communicate("\n", timeout=30)
    with _folder(tmp_path) as folder:  # released by its holder: free again
        folder.commit()


def test_a_holder_that_died_leaves_no_stale_lock(tmp_path: Path) -> None:
    """Killed outright (power cut, kill -9): no clean-up ran, the lock file and the holder
    note are still there, and the next run takes the lock at once."""
    child = _start(HOLD, tmp_path)
    child.kill()  # SIGKILL; TerminateProcess on Windows
    child.wait(timeout=30)
    assert json.loads((tmp_path / HOLDER_NAME).read_text(encoding="utf-8"))["pid"] == child.pid
    with _folder(tmp_path) as folder:
        final = folder.commit()
    assert final.name == "2024-02-20_1"


def test_an_empty_lock_file_is_not_a_lock(tmp_path: Path) -> None:
    """What the lock file holds decides nothing: an empty or torn one left behind (an old
    version, a crash mid-write) neither blocks a run nor is mistaken for a holder."""
    (tmp_path / ".kpi-batch.lock").write_text("", encoding="utf-8")
    (tmp_path / HOLDER_NAME).write_text('{"pid": 12', encoding="utf-8")
    acquire_lock(tmp_path).release()


def test_a_run_paused_before_describing_its_lock_still_refuses_a_second_run(
    tmp_path: Path,
) -> None:
    framework = write_small_framework(tmp_path / "framework.xlsx")
    full = make_inbox(framework, tmp_path / "inbox_all", VALUES)
    partial = make_inbox(framework, tmp_path / "inbox_two", {k: VALUES[k] for k in ("U01",)})
    out = tmp_path / "out"
    first = _start(
        PAUSED_RUN, "run", "--framework", framework, "--inbox", full, "--out", out,
        "--as-of", AS_OF.isoformat(),
    )  # fmt: skip
    try:
        assert not (out / HOLDER_NAME).exists()  # the window the old code got wrong
        second = run(framework, partial, out)
        assert second.exit_code == 2, second.output
        assert "another run holds" in second.output
    finally:
        _, errors = first.communicate("\n", timeout=300)
    assert first.returncode == 0, errors

    round_dir = out / "2567" / "R1"
    assert sorted(p.name for p in round_dir.iterdir()) == [FIRST, "latest"]
    assert not any((out / STAGING).iterdir())
    committed = round_dir / FIRST
    manifest = json.loads((committed / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inbox"] == str(full)
    listed = {o["path"] for o in manifest["outputs"]}
    present = {
        p.relative_to(committed).as_posix()
        for p in committed.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }
    assert listed == present  # nothing written by the refused run
    scores = (committed / "scores.csv").read_text(encoding="utf-8-sig")
    for unit_id in VALUES:
        assert unit_id in scores
    assert len(list((committed / "units").glob("*.xlsx"))) == len(VALUES)
