"""What the demo's run writes reads right: arithmetic a person can check, no Python reprs.

The demo (`kpi-batch demo`) is run once for the session (conftest.py), in process, as a new user
would.
"""

from __future__ import annotations

import csv
import re
import shlex
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from kpi_batch import cli as cli_module
from kpi_batch.run_layout import RunLayout
from kpi_batch.runfolder import follow_latest

Q = Decimal("0.0001")
# What a Python dict or list of dicts looks like when str() reaches a cell.
REPR_MARKS = ("{'", "[{'")


@pytest.fixture(scope="module")
def demo(demo_out: Path) -> Path:
    return demo_out  # conftest.py: one demo run for the session


@pytest.fixture(scope="module")
def run_dir(demo: Path) -> Path:
    runs = sorted((demo / "output" / "2567" / "R1").glob("2024-03-15_*"))
    assert runs
    return runs[-1]


def _scores(run_dir: Path) -> list[dict[str, str]]:
    with (run_dir / "scores.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_total_before_deduction_minus_deduction_is_the_final_score(run_dir: Path) -> None:
    rows = [r for r in _scores(run_dir) if r["status"] == "scored"]
    assert len(rows) > 30
    charged = 0
    for row in rows:
        total, deduction = Decimal(row["total_before_deduction"]), Decimal(row["deduction"])
        expected = max(Decimal(0), total - deduction).quantize(Q, rounding=ROUND_HALF_UP)
        assert Decimal(row["final_score"]) == expected, row
        charged += deduction > 0
    assert charged >= 3  # the demo has late units: the check is not over zeros only


def test_unscored_units_leave_total_before_deduction_empty(run_dir: Path) -> None:
    rows = [r for r in _scores(run_dir) if r["status"] != "scored"]
    assert rows and all(r["total_before_deduction"] == "" for r in rows)


def test_hr_table_carries_the_same_arithmetic(run_dir: Path) -> None:
    wb = openpyxl.load_workbook(run_dir / "hr_2567_R1.xlsx")
    ws = wb.worksheets[0]
    rows = list(ws[ws.tables["hr"].ref])
    keys = [str(c.value).rsplit("(", 1)[1].rstrip(")") for c in rows[0]]
    checked = 0
    for cells in rows[1:]:
        row = dict(zip(keys, (c.value for c in cells), strict=True))
        if row["status"] != "scored":
            continue
        total = Decimal(str(row["total_before_deduction"]))
        deduction = Decimal(str(row["deduction"]))
        final = Decimal(str(row["final_score"])).quantize(Q)
        assert max(Decimal(0), total - deduction).quantize(Q) == final, row
        if deduction > 0:
            assert row["deduction_reasons"], row  # every deduction says why
        checked += 1
    assert checked > 30


def _output_workbooks(demo: Path) -> list[Path]:
    return sorted((demo / "output").rglob("*.xlsx"))


def test_no_python_repr_in_any_output_cell(demo: Path) -> None:
    books = _output_workbooks(demo)
    assert len(books) > 40
    found = []
    for book in books:
        wb = openpyxl.load_workbook(book, read_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for value in row:
                    if isinstance(value, str) and any(m in value for m in REPR_MARKS):
                        found.append((book.name, ws.title, value[:80]))
        wb.close()
    assert not found, found[:5]


README = Path(__file__).resolve().parents[1] / "README.md"


def _readme_dry_run() -> list[list[str]]:
    """The README's e-mail commands that send nothing (its first bash block under E-mail)."""
    section = README.read_text(encoding="utf-8").split("## ส่งผลทางอีเมล / E-mail", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block is not None
    commands = [shlex.split(line) for line in block[1].splitlines() if line.startswith("kpi-batch")]
    dry = [c for c in commands if "--send" not in c]
    assert dry, "the README shows no dry run"
    return dry


def test_the_readme_email_dry_run_works_on_the_demo_as_written(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(demo)  # the README: after `kpi-batch demo`, `cd output/demo`
    for command in _readme_dry_run():
        assert command[0] == "kpi-batch"
        result = CliRunner().invoke(cli_module.app, command[1:])
        assert result.exit_code == 0, (command, result.output)
        run = follow_latest(Path(command[command.index("--run") + 1]))
        outbox = RunLayout.OUTBOX_REMINDERS if "--remind" in command else RunLayout.OUTBOX
        assert list((run / outbox).glob("*.eml")), result.output
        assert "nothing was sent" in result.output


def test_every_file_in_the_run_folders_is_one_the_layout_names(demo: Path, tmp_path: Path) -> None:
    """Walk every run folder the demo made, plus a copy of the last one after an e-mail dry
    run (outbox/, the folder's lock): a file `RunLayout` does not name is not the run's."""
    runs = sorted(p for p in (demo / "output" / "2567" / "R1").iterdir() if p.is_dir())
    mailed = tmp_path / runs[-1].name
    shutil.copytree(runs[-1], mailed)
    sent = CliRunner().invoke(
        cli_module.app, ["email", "--run", str(mailed), "--from", "kpr <kpr@example.go.th>"]
    )
    assert sent.exit_code in (0, 1), sent.output
    layout = RunLayout(2567, "R1")
    kinds, unknown = set(), []
    for run in [*runs, mailed]:
        for path in sorted(run.rglob("*")):
            if path.is_file():
                rel = path.relative_to(run).as_posix()
                kind = layout.kind(rel)
                kinds.add(kind)
                if kind is None:
                    unknown.append(f"{run.name}/{rel}")
    assert not unknown, unknown
    assert len(runs) >= 2
    # the walk saw every kind of file a run and its dry run write (not an empty folder)
    assert kinds >= {
        "scores", "kpi_scores", "kpi_results", "hr", "executive", "validation_report",
        "status", "manifest", "unit_result", "returned", "outbox", "lock",
    }  # fmt: skip
