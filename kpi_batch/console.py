"""What the command line prints after a run: counts that add up, times, where things are.

Only the CLI calls these; they format, the CLI decides when.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from kpi_batch.demo import DemoFolder
from kpi_batch.pipeline import RunResult

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
