"""What the command line prints after a run: counts that add up, times, where things are.

Only the CLI calls these; they format, the CLI decides when.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import pandas as pd
from rich import box
from rich.console import Console, JustifyMethod
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from kpi_batch.demo import DemoFolder
from kpi_batch.history.diff import RunDiff
from kpi_batch.history.round_state import CHASE_ORDER, RoundState, UnitState, state_counts
from kpi_batch.pipeline import RunResult
from kpi_batch.run_layout import RunLayout
from kpi_batch.schemas.scoring import DATE_TO_CONFIRM
from kpi_batch.thai import format_date_th
from kpi_batch.visible import visible

FILE_STATUSES = (
    ("accepted", "รับแล้ว"),
    ("accepted_with_warnings", "รับแล้ว มีข้อสังเกต"),
    ("rejected", "ไม่รับ (ต้องแก้ไข)"),
    ("superseded", "มีไฟล์ใหม่กว่าแทน"),
    ("ignored", "ไม่ใช่ไฟล์รายงาน"),
    ("opened", "อีเมลที่เปิดไฟล์แนบแล้ว"),
)
UNIT_STATUSES = (
    ("scored", "คิดคะแนนแล้ว"),
    ("missing", "ไม่ได้ส่ง"),
    ("rejected", "ส่งแต่ไม่ผ่านการตรวจ"),
)


STAGES_TH = {
    "framework": "อ่านกรอบตัวชี้วัด",
    "intake": "อ่านไฟล์รายงานผล (ไฟล์)",
    "adjustments": "อ่านไฟล์ทบทวน/อุทธรณ์",
    "score": "คิดคะแนน จัดอันดับ",
    "reports": "เขียนรายงาน (ไฟล์)",
    "unit workbooks": "ผลรายหน่วยงาน (ไฟล์)",
    "returned workbooks": "ไฟล์ส่งกลับให้แก้ไข (ไฟล์)",
    "archive": "สำเนาไฟล์ที่ใช้ประมวลผล",
    "manifest": "บันทึก manifest",
    "history": "บันทึกประวัติ",
}


class VisibleConsole(Console):
    """A rich console that shows control and invisible characters in the text it is given
    as `<U+XXXX>` (visible.py): a file name or id holding ESC sequences or a zero-width
    space cannot drive the terminal or pass for another."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(visible(text), **kwargs)


def make_console(**kwargs: Any) -> Console:
    return VisibleConsole(**{"soft_wrap": True, "highlight": False, **kwargs})


def _console() -> Console:
    return make_console()


class RunProgress:
    """The pipeline's `progress(stage, done, total)` as one bar per stage, with counts.

    A stage reported with an unknown total (`None`) and nothing done is a new pipeline stage:
    every bar before it is complete. The report stages that count files ("unit workbooks",
    "returned workbooks") complete when their count is reached.
    """

    def __init__(self, console: Console) -> None:
        self.bars = Progress(
            TextColumn("{task.description}"),
            BarColumn(bar_width=30),
            TextColumn("{task.fields[count]}", justify="right"),
            TimeElapsedColumn(),
            console=console,
        )
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if done == 0 and total is None:
            self.finish()
        task = self.tasks.get(stage)
        if task is None:
            label = f"{STAGES_TH.get(stage, stage)} / {stage}"
            task = self.tasks[stage] = self.bars.add_task(label, total=total, count="")
        count = f"{done:,}/{total:,}" if total is not None else ""
        self.bars.update(task, completed=done, total=total, count=count)
        if total is not None and done >= total:
            self._finish(task)

    def _finish(self, task: TaskID) -> None:
        state = next(t for t in self.bars.tasks if t.id == task)
        if state.finished:
            return
        total = state.total if state.total else max(int(state.completed), 1)
        self.bars.update(task, total=total, completed=total)
        self.bars.stop_task(task)

    def finish(self) -> None:
        for task in self.tasks.values():
            self._finish(task)


@contextmanager
def run_progress(console: Console | None = None) -> Iterator[RunProgress]:
    """Bars on stderr (stdout keeps the summary, which is what a log wants); the bars stay
    on screen when the run ends, each with its time (a failed stage's bar stays unfinished)."""
    progress = RunProgress(console or make_console(stderr=True, soft_wrap=False))
    with progress.bars:
        yield progress
        progress.finish()


def print_run_summary(result: RunResult, console: Console | None = None) -> None:
    console = console or _console()
    files = result.intake.register["status"].value_counts()
    units = result.scored.unit_scores["status"].value_counts()
    table = Table(title=f"ผลการประมวลผล / run {result.run_id}", show_lines=False)
    table.add_column("รายการ / item")
    table.add_column("จำนวน / count", justify="right")
    table.add_row("ไฟล์ที่พบ / files found", str(len(result.intake.register)))
    for key, label in FILE_STATUSES:
        table.add_row(f"  {label} / {key}", str(int(files.get(key, 0))))
    table.add_row("หน่วยงาน / units", str(len(result.scored.unit_scores)))
    for key, label in UNIT_STATUSES:
        table.add_row(f"  {label} / {key}", str(int(units.get(key, 0))))
    scores = result.scored.unit_scores
    undated = scores.loc[scores["date_source"] == DATE_TO_CONFIRM, "unit_id"].tolist()
    table.add_row(
        "  ยังไม่หักคะแนนส่งช้า รอยืนยันวันที่รับ / date_to_confirm",
        f"{len(undated)}" + (f" ({', '.join(map(str, undated))})" if undated else ""),
    )
    if result.reviews:
        read = sum(1 for f in result.reviews if f.status == "read")
        table.add_row("แบบทบทวนผลของเจ้าภาพ / review workbooks", str(len(result.reviews)))
        table.add_row("  อ่านแล้ว / read", str(read))
        table.add_row("  ไม่รับ / refused", str(len(result.reviews) - read))
        changes = sum(f.applied_rows for f in result.reviews)
        table.add_row("  รายการแก้ไขที่ผ่านการตรวจ / checked changes", str(changes))
    if result.adjustment_issues:
        table.add_row("ปัญหาในไฟล์ปรับคะแนน / adjustment problems", str(len(result.adjustment_issues)))
    console.print(table)
    times = "  ".join(f"{stage} {seconds:.2f}s" for stage, seconds in result.timings.items())
    console.print(f"เวลา / time: {times}", markup=False)
    console.print(f"ผลลัพธ์อยู่ที่ / outputs: {result.run_dir}", markup=False)
    if result.archive is not None:
        kept = result.archive
        thai = {"framework": "กรอบการประเมิน", "adjustments": "ไฟล์ทบทวน/อุทธรณ์"}
        with_th = "และ".join(thai.get(k, k) for k in kept.sources)
        console.print(
            f"สำเนาไฟล์รายงานผล {kept.files} ไฟล์ พร้อม{with_th} อยู่ที่ / "
            f"archive ({kept.files} submissions, {', '.join(kept.sources)}): {kept.folder}",
            markup=False,
        )
    if result.same_as:
        console.print(
            f"ข้อมูลนำเข้าและคะแนนเหมือนการประมวลผล {result.same_as} ทุกประการ "
            f"จึงไม่บันทึกประวัติซ้ำ / same inputs and scores as {result.same_as}; "
            "history keeps one copy",
            markup=False,
        )
    for issue in result.adjustment_issues:
        # several files (the adjustments workbook, each owner's) share sheet names
        name = Path(issue.file).name if issue.file else ""
        console.print(f"  {name} {issue.line()}".rstrip(), markup=False, style="yellow")
    if not result.intake.tokens_checked:
        console.print(
            "คำเตือน: ไม่พบกุญแจแบบฟอร์ม (kpi-batch-template.key ข้างกรอบตัวชี้วัด หรือตัวแปร "
            "KPI_BATCH_TEMPLATE_KEY) จึงไม่ได้ตรวจว่าแบบฟอร์มออกให้หน่วยงานใด — สร้างแบบฟอร์มด้วย "
            "kpi-batch templates เพื่อให้มีกุญแจ / warning: no template key, so template tokens "
            "were not checked (docs/template.md)",
            markup=False,
            style="yellow",
        )
    code = result.exit_code
    if code:
        console.print(
            "มีไฟล์ที่ไม่ผ่านการตรวจหรือหน่วยงานที่ยังไม่ส่ง ดูรายละเอียดใน "
            f"{RunLayout.VALIDATION_REPORT} / some files were rejected or units are missing: "
            f"see {RunLayout.VALIDATION_REPORT}",
            markup=False,
            style="yellow",
        )


def print_demo_intro(folder: DemoFolder, console: Console | None = None) -> None:
    console = console or _console()
    console.print(f"สร้างโฟลเดอร์ตัวอย่างที่ / demo folder: {folder.root}", markup=False)
    console.print(f"  กรอบตัวชี้วัด / framework: {folder.framework}", markup=False)
    console.print(f"  แบบรายงานเปล่า / blank templates: {folder.templates}", markup=False)
    for month, inbox in folder.inboxes:
        console.print(f"  ไฟล์ที่หน่วยงานส่ง ณ {month.as_of.isoformat()} / inbox: {inbox}", markup=False)
    console.print(f"  ทบทวน/อุทธรณ์ / adjustments: {folder.adjustments}", markup=False)
    console.print(f"  ทะเบียนรับ (เดือนปิดรอบ) / receipts: {folder.receipts}", markup=False)


def print_history(runs: pd.DataFrame, path: Path, console: Console | None = None) -> None:
    """One row per recorded result; re-runs with identical results under the run they repeat."""
    console = console or _console()
    if runs.empty:
        console.print(f"ยังไม่มีการประมวลผลที่บันทึกไว้ใน {path} / no runs recorded", markup=False)
        return
    table = Table(title=f"ประวัติการประมวลผล / history ({path})", box=box.SIMPLE_HEAD)
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("รหัส\nrun id", "left"),
        ("ข้อมูล ณ\nas-of", "left"),
        ("รอบ\nround", "left"),
        ("คิดคะแนน\nscored", "right"),
        ("ไม่ได้คิด\nunscored", "right"),
        ("เฉลี่ย\nmean", "right"),
        ("ข้อมูลนำเข้า\ninputs", "left"),
    )
    reruns = any(runs["reruns"])
    if reruns:
        columns += (("ประมวลผลซ้ำ ผลเดิม\nre-runs", "left"),)
    for label, justify in columns:
        table.add_column(label, justify=justify, no_wrap=label.endswith("run id"))
    for run in runs.to_dict("records"):
        mean = run["mean_score"]
        table.add_row(
            str(run["run_id"]),
            format_date_th(run["as_of"]),
            str(run["round_id"]),
            str(run["units_scored"]),
            str(run["units_unscored"]),
            "" if mean is None else f"{mean:f}",
            str(run["inputs_digest"])[:8],
            *(["\n".join(run["reruns"])] if reruns else []),
        )
    console.print(table)


def print_status(
    run: Mapping[str, Any],
    units: pd.DataFrame,
    states: Mapping[str, UnitState],
    workbook: Path,
    console: Console | None = None,
) -> None:
    """Each unit's state in the round (to chase first), then where the workbook is."""
    console = console or _console()
    counts = state_counts(states)
    table = Table(
        title=f"สถานะการส่ง รอบ {run['round_id']} ปีงบประมาณ {run['fiscal_year']} "
        f"ณ การประมวลผล {run['run_id']} ({format_date_th(run['as_of'])}) / round status",
        box=box.SIMPLE_HEAD,
    )
    for label, justify in (
        ("รหัส\nunit", "left"), ("หน่วยงาน\nname", "left"), ("สถานะ\nstate", "left"),
        ("ไฟล์\nfiles", "right"), ("รับล่าสุด\nlast received", "left"),
        ("ส่งช้า (วัน)\ndays late", "right"), ("ปัญหาล่าสุด\nlast issue", "left"),
    ):  # fmt: skip
        table.add_column(label, justify=cast(JustifyMethod, justify))
    names = dict(zip(units["unit_id"], units["unit_name"], strict=True))
    late = dict(zip(units["unit_id"], units["days_late"], strict=True))
    order = sorted(states.values(), key=lambda s: CHASE_ORDER[s.state])
    for s in order:
        dates = [f.received_on for f in s.files if f.received_on]
        days = late.get(s.unit_id)
        issue = s.last_issue if s.state is RoundState.TO_CORRECT else ""
        table.add_row(
            s.unit_id, str(names.get(s.unit_id, "")), s.state.value, str(len(s.files)),
            format_date_th(max(dates)) if dates else "-",
            "" if days is None or pd.isna(days) else str(days),
            issue[:120] + ("…" if len(issue) > 120 else ""),
        )  # fmt: skip
    console.print(table)
    console.print(" · ".join(f"{k.value} {n}" for k, n in counts.items()), markup=False)
    if workbook.is_file():
        console.print(f"รายละเอียด (ไฟล์ที่ได้รับ ผู้ติดต่อ) / workbook: {workbook}", markup=False)


def print_diff(result: RunDiff, console: Console | None = None) -> None:
    """`unit name: headline: reason; reason`, one line per unit, largest movement first."""
    console = console or _console()
    console.print(
        f"เปรียบเทียบ / diff {result.run_a} ({format_date_th(result.as_of_a)}) → "
        f"{result.run_b} ({format_date_th(result.as_of_b)})",
        markup=False,
        style="bold",
    )
    if not result.units:
        console.print("ไม่มีหน่วยงานใดเปลี่ยนแปลง / no unit changed", markup=False)
        return
    for unit in result.units:
        console.print(f"{unit.unit_id} {unit.unit_name}: {unit.text()}", markup=False)
    console.print(
        f"เปลี่ยนแปลง {len(result.units)} หน่วยงาน ไม่เปลี่ยนแปลง {result.unchanged} หน่วยงาน / "
        f"{len(result.units)} changed, {result.unchanged} unchanged",
        markup=False,
    )
