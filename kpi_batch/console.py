"""What the command line prints after a run: counts that add up, times, where things are.

Only the CLI calls these; they format, the CLI decides when.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from rich import box
from rich.console import Console, JustifyMethod
from rich.table import Table

from kpi_batch.demo import DemoFolder
from kpi_batch.diff import RunDiff
from kpi_batch.pipeline import RunResult
from kpi_batch.thai import format_date_th

FILE_STATUSES = (
    ("accepted", "รับแล้ว"),
    ("accepted_with_warnings", "รับแล้ว มีข้อสังเกต"),
    ("rejected", "ไม่รับ (ต้องแก้ไข)"),
    ("superseded", "มีไฟล์ใหม่กว่าแทน"),
    ("ignored", "ไม่ใช่ไฟล์รายงาน"),
)
UNIT_STATUSES = (
    ("scored", "คิดคะแนนแล้ว"),
    ("missing", "ไม่ได้ส่ง"),
    ("rejected", "ส่งแต่ไม่ผ่านการตรวจ"),
)


def _console() -> Console:
    return Console(soft_wrap=True, highlight=False)


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
    if result.adjustment_issues:
        table.add_row("ปัญหาในไฟล์ปรับคะแนน / adjustment problems", str(len(result.adjustment_issues)))
    console.print(table)
    times = "  ".join(f"{stage} {seconds:.2f}s" for stage, seconds in result.timings.items())
    console.print(f"เวลา / time: {times}", markup=False)
    console.print(f"ผลลัพธ์อยู่ที่ / outputs: {result.run_dir}", markup=False)
    if result.same_as:
        console.print(
            f"ข้อมูลนำเข้าและคะแนนเหมือนการประมวลผล {result.same_as} ทุกประการ "
            f"จึงไม่บันทึกประวัติซ้ำ / same inputs and scores as {result.same_as}; "
            "history keeps one copy",
            markup=False,
        )
    for issue in result.adjustment_issues:
        console.print(f"  {issue.line()}", markup=False, style="yellow")
    code = result.exit_code
    if code:
        console.print(
            "มีไฟล์ที่ไม่ผ่านการตรวจหรือหน่วยงานที่ยังไม่ส่ง ดูรายละเอียดใน validation_report.xlsx / "
            "some files were rejected or units are missing: see validation_report.xlsx",
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
