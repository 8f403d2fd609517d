"""Command line: arguments -> stage functions -> exit code. The only module that prints."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from kpi_batch.errors import FileInUseError, FrameworkError, KpiBatchError
from kpi_batch.streams import safe_streams
from kpi_batch.visible import visible

INTERNAL_ERROR = 3  # exit code of an unexpected exception (docs/cli.md)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # a crash must not print the SMTP password
    help="kpi-batch: ประมวลผลคะแนนคำรับรองการปฏิบัติราชการ / score performance agreements",
)


@app.callback()
def _root() -> None:
    """kpi-batch: ประมวลผลคะแนนคำรับรองการปฏิบัติราชการ / score performance agreements"""
    # A callback keeps `kpi-batch <command>` a group even while it has a single command.


def _fail(exc: KpiBatchError) -> typer.Exit:
    """Print a package error (and a framework's problems, one per line); exit code by kind."""
    typer.echo(visible(str(exc)), err=True)
    if isinstance(exc, FrameworkError):
        for issue in exc.issues:
            typer.echo(visible(issue.line()), err=True)
    return typer.Exit(exc.exit_code)


@app.command()
def templates(
    framework: Annotated[Path, typer.Option("--framework", help="กรอบตัวชี้วัด (.xlsx) / framework")],
    round_id: Annotated[str, typer.Option("--round", help="รหัสรอบ เช่น R1 / round id")],
    out: Annotated[Path, typer.Option("--out", help="โฟลเดอร์ปลายทาง / output folder")],
) -> None:
    """เขียนแบบรายงานผลของทุกหน่วยงานสำหรับรอบหนึ่ง / write unit submission templates."""
    from kpi_batch.framework.load import load_framework
    from kpi_batch.reports.planning import write_planning_workbook
    from kpi_batch.templates.token import key_path, load_key
    from kpi_batch.templates.workbook import write_templates

    try:
        fw = load_framework(framework)
        key = load_key(framework, create=True)
        paths = write_templates(fw, round_id, out, key)
        planning = write_planning_workbook(fw, round_id, out)
    except KpiBatchError as exc:
        raise _fail(exc) from exc
    except OSError as exc:
        typer.echo(
            f"สร้างกุญแจแบบฟอร์ม {key_path(framework)} ไม่ได้ ({exc}) — ตรวจสิทธิ์เขียนโฟลเดอร์ "
            f"หรือกำหนดตัวแปร KPI_BATCH_TEMPLATE_KEY / cannot create the template key",
            err=True,
        )
        raise typer.Exit(2) from exc
    typer.echo(
        f"เขียนแบบรายงาน {len(paths)} ไฟล์ รอบ {round_id} ที่ {out} / "
        f"wrote {len(paths)} templates for round {round_id} to {out}"
    )
    typer.echo(
        f"เกณฑ์ที่คำนวณตามกฎ 6 เดือน สำหรับ กพร. (ไม่ต้องส่งให้หน่วยงาน) / derived criteria for "
        f"planning staff: {planning}"
    )
    skipped = [u.unit_id for u in fw.units if not fw.agreements.get(u.unit_id)]
    if skipped:
        typer.echo(
            f"ไม่มีตัวชี้วัดตามคำรับรอง จึงไม่สร้างแบบรายงาน / no agreement, skipped: {', '.join(skipped)}"
        )


@app.command("check-framework")
def check_framework(
    file: Annotated[Path, typer.Argument(help="กรอบตัวชี้วัด (.xlsx) / framework workbook")],
) -> None:
    """ตรวจกรอบตัวชี้วัด แสดงสรุป หรือทุกปัญหาพร้อมเซลล์ / check a framework workbook."""
    from kpi_batch.console import make_console
    from kpi_batch.framework.load import load_framework_with_warnings
    from kpi_batch.framework.summary import issue_lines, renderables, warning_lines

    console = make_console()
    try:
        fw, warnings = load_framework_with_warnings(file)
    except FrameworkError as exc:
        console.print(
            f"กรอบตัวชี้วัดมีปัญหา {len(exc.issues)} รายการ — แก้ไขแล้วตรวจใหม่ / "
            f"{len(exc.issues)} problem(s) in {exc.path}; nothing was accepted",
            style="bold red",
            markup=False,
        )
        for line in issue_lines(exc.issues):
            console.print(line, markup=False)
        raise typer.Exit(exc.exit_code) from exc
    for renderable in renderables(fw):
        console.print(renderable)
    # warnings do not refuse the framework: exit 0, listed after the summary
    for i, line in enumerate(warning_lines(warnings)):
        console.print(line, style="bold yellow" if i == 0 else "yellow", markup=False)


@app.command("run")
def run_command(
    framework: Annotated[Path, typer.Option("--framework", help="กรอบตัวชี้วัด (.xlsx) / framework")],
    inbox: Annotated[Path, typer.Option("--inbox", help="โฟลเดอร์ไฟล์ที่หน่วยงานส่ง / inbox")],
    out: Annotated[Path, typer.Option("--out", help="โฟลเดอร์ผลลัพธ์ / output folder")],
    round_id: Annotated[
        str | None, typer.Option("--round", help="รหัสรอบ (ค่าเริ่มต้น: รอบของ --as-of) / round")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="วันที่ประมวลผล เช่น 15/3/2567, 2567-03-15 (ค่าเริ่มต้น: วันนี้)"),
    ] = None,
    adjustments: Annotated[
        Path | None, typer.Option("--adjustments", help="ไฟล์ทบทวน/อุทธรณ์ / adjustments")
    ] = None,
    archive: Annotated[
        Path | None,
        typer.Option(
            "--archive",
            help="เก็บสำเนาไฟล์ที่ใช้ประมวลผลพร้อมไฟล์ checksum / keep copies of what the run read",
        ),
    ] = None,
    reviews: Annotated[
        Path | None,
        typer.Option("--reviews", help="โฟลเดอร์แบบทบทวนผลของเจ้าภาพตัวชี้วัด / owners' reviews"),
    ] = None,
    receipts: Annotated[
        Path | None,
        typer.Option(
            "--receipts",
            help="ทะเบียนรับ (.xlsx หรือ .csv): วันที่รับไฟล์ของแต่ละหน่วยงาน / receipts register",
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="แสดง traceback เมื่อโปรแกรมขัดข้อง / show tracebacks")
    ] = False,
) -> None:
    """ประมวลผลคะแนนประจำเดือน / run the monthly batch: intake, score, rank, reports.

    Exit codes: 0 every file accepted and every unit scored; 1 finished, but files were
    rejected, units are missing or adjustments had problems; 2 bad framework or usage
    (unknown round, missing inbox, another run holds --out); 3 internal error (docs/cli.md).
    """
    from kpi_batch.console import print_run_summary, run_progress
    from kpi_batch.pipeline import RunRequest, run

    request = RunRequest(
        framework, inbox, out, _as_of(as_of), round_id, adjustments, archive, reviews, receipts
    )
    with _guard(out, debug):
        with run_progress() as progress:
            result = run(request, progress)
        print_run_summary(result)
    raise typer.Exit(result.exit_code)


@app.command()
def demo(
    out: Annotated[
        Path, typer.Option("--out", help="โฟลเดอร์ทำงานตัวอย่าง / demo working folder")
    ] = Path("output/demo"),
    debug: Annotated[
        bool, typer.Option("--debug", help="แสดง traceback เมื่อโปรแกรมขัดข้อง / show tracebacks")
    ] = False,
) -> None:
    """สร้างข้อมูลตัวอย่างและประมวลผล / build demo data and run the batch on it."""
    from kpi_batch.console import print_demo_intro, print_run_summary
    from kpi_batch.demo import build_demo
    from kpi_batch.pipeline import RunRequest, run
    from kpi_batch.review.demo_loop import owner_loop

    with _guard(out, debug):
        folder = build_demo(out)
        print_demo_intro(folder)
        # Recorded absolute in each manifest: `kpi-batch email --run output/...` then finds
        # the framework from inside the demo folder too (README, "E-mail").
        framework, adjustments = folder.framework.resolve(), folder.adjustments.resolve()
        for month, inbox in folder.inboxes:
            closing = (month, inbox) == folder.inboxes[-1]  # the register covers the close
            result = run(
                RunRequest(
                    framework,
                    inbox,
                    folder.output,
                    month.as_of,
                    None,
                    adjustments,
                    receipts=folder.receipts if closing else None,
                )
            )
            print_run_summary(result)
        # The KPI owners' loop on the round's closing run: review sheets out, two back.
        loop = owner_loop(result.run_dir, folder.root)
        typer.echo(
            f"แบบทบทวนผลของเจ้าภาพตัวชี้วัด / review workbooks: {loop.sheets}; เจ้าภาพสองรายส่งกลับ"
            f" / two owners returned theirs: {loop.returned}"
        )
        for change in loop.changes:
            typer.echo(f"  {change}")
        final = run(
            RunRequest(
                framework,
                inbox,
                folder.output,
                month.as_of,
                None,
                adjustments,
                reviews=loop.returned,
                receipts=folder.receipts,
            )
        )
        print_run_summary(final)
    typer.echo(
        f"ดูประวัติและความเปลี่ยนแปลงระหว่างสองเดือน / next: kpi-batch history --out "
        f"{folder.output}  ·  kpi-batch diff previous latest --out {folder.output}"
    )
    typer.echo(
        f"ทดลองส่งอีเมล / e-mail dry run (README): cd {folder.root}  แล้ว / then  "
        f"kpi-batch email --run output/{final.run_dir.relative_to(folder.output).as_posix()}"
    )


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="โฟลเดอร์ทำงานที่จะสร้าง / working folder")],
    blank: Annotated[
        bool,
        typer.Option("--blank", help="ใช้กรอบตัวชี้วัดเปล่าแทนตัวอย่าง / the blank framework"),
    ] = False,
) -> None:
    """สร้างโฟลเดอร์ทำงานพร้อมไฟล์ดับเบิลคลิก / make a working folder with launchers."""
    from kpi_batch.workfolder import README, init_folder

    made = init_folder(folder, blank=blank)
    typer.echo(f"สร้างโฟลเดอร์ทำงานที่ / working folder: {made.root}")
    if made.framework_kept:
        typer.echo("framework.xlsx มีอยู่แล้ว ไม่เขียนทับ / framework.xlsx exists: kept as it was")
    for path in made.written:
        typer.echo(f"  {path.name}")
    typer.echo(f"อ่าน {README} แล้วดับเบิลคลิก 1_ตรวจกรอบตัวชี้วัด / next: read {README}")


@contextmanager
def _guard(out: Path, debug: bool) -> Iterator[None]:
    """Package errors -> their message and exit code; anything else is a bug: exit 3 with a
    short message, the traceback in `<out>/logs/` (and on screen with `--debug`)."""
    try:
        yield
    except KpiBatchError as exc:
        if debug:
            traceback.print_exception(exc, file=sys.stderr)
        raise _fail(exc) from exc
    except Exception as exc:
        details = "".join(traceback.format_exception(exc))
        log = _crash_log(out, details)
        if debug:
            typer.echo(details, err=True)
        typer.echo(
            visible(f"เกิดข้อผิดพลาดภายในโปรแกรม / internal error: {type(exc).__name__}: {exc}"),
            err=True,
        )
        where = f"บันทึกรายละเอียดไว้ที่ / traceback saved to {log}" if log else ""
        hint = "" if debug else " (--debug แสดงบนจอ / --debug shows it)"
        typer.echo(f"{where}{hint}; แจ้งผู้ดูแลระบบ / please report it", err=True)
        raise typer.Exit(INTERNAL_ERROR) from exc


def _crash_log(out: Path, details: str) -> Path | None:
    """`<out>/logs/crash_<time>_<pid>.log`, or the temp folder when `out` is not writable."""
    name = f"crash_{dt.datetime.now():%Y%m%d-%H%M%S}_{os.getpid()}.log"
    for folder in (out / "logs", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(details, encoding="utf-8")
        except OSError:
            continue
        return folder / name
    return None


def _as_of(text: str | None) -> dt.date:
    """`--as-of` as the workbooks write dates: `2024-03-15`, `2567-03-15`, `15/3/2567`,
    `15 มี.ค. 2567`, Thai digits (`๑๕/๓/๒๕๖๗`); BE years become CE."""
    from kpi_batch.cells import parse_date  # the workbooks' own date reader

    if text is None:
        return dt.date.today()  # the one place the clock is read
    day = parse_date(text)
    if day is None:
        raise typer.BadParameter(
            f"--as-of อ่านเป็นวันที่ไม่ได้: {text!r} — เขียนเช่น 15/3/2567, 2567-03-15 หรือ "
            f"15 มี.ค. 2567 / not a date: write e.g. 2024-03-15, 15/3/2567 or 15 มี.ค. 2567"
        )
    return day


@app.command("history")
def history_command(
    out: Annotated[Path, typer.Option("--out", help="โฟลเดอร์ผลลัพธ์ / output folder")],
    round_id: Annotated[
        str | None, typer.Option("--round", help="เฉพาะรอบนี้ / only this round")
    ] = None,
) -> None:
    """รายการการประมวลผลที่บันทึกไว้ / list the runs recorded in history.sqlite."""
    from kpi_batch.console import print_history
    from kpi_batch.history.store import History

    try:
        history = History.read(out)
        if history is None:
            typer.echo(f"ยังไม่มีประวัติการประมวลผลใน {out} / no history yet in {out}")
            return
        with history:
            runs = history.runs(round_id)
    except KpiBatchError as exc:
        raise _fail(exc) from exc
    print_history(runs, history.path)


@app.command("status")
def status_command(
    out: Annotated[Path, typer.Option("--out", help="โฟลเดอร์ผลลัพธ์ / output folder")],
    round_id: Annotated[
        str | None, typer.Option("--round", help="รอบ (ค่าเริ่มต้น: รอบของการประมวลผลล่าสุด)")
    ] = None,
) -> None:
    """สถานะการส่งของแต่ละหน่วยงานในรอบ (ส่งแล้ว แก้แล้ว รอแก้ไข ยังไม่ส่ง) / each unit's
    state in the round across runs."""
    from kpi_batch.console import print_status
    from kpi_batch.errors import UsageError
    from kpi_batch.history.round_state import round_states
    from kpi_batch.history.store import History
    from kpi_batch.run_layout import RunLayout

    try:
        history = History.read(out)
        if history is None:
            raise UsageError(f"ยังไม่มีประวัติการประมวลผลใน {out} / no history in {out}")
        with history:
            latest = history.latest_run(round_id)
            if latest is None:
                raise UsageError(
                    f"ยังไม่มีการประมวลผลของรอบ {round_id} ใน {out} / no run of round {round_id}"
                )
            units = history.frame("unit_scores", latest["source"])
            files = history.round_files(latest["fiscal_year"], latest["round_id"])
    except KpiBatchError as exc:
        raise _fail(exc) from exc
    states = round_states(files, units["unit_id"].tolist())
    layout = RunLayout(int(latest["fiscal_year"]), str(latest["round_id"]))
    workbook = out / latest["run_id"] / layout.status
    print_status(latest, units, states, workbook)


@app.command("diff")
def diff_command(
    run_a: Annotated[
        str, typer.Argument(help="ครั้งก่อน เช่น 2567/R1/2024-02-20_1 หรือ previous / earlier run")
    ] = "previous",
    run_b: Annotated[
        str, typer.Argument(help="ครั้งหลัง เช่น 2567/R1/2024-03-15_1 หรือ latest / later run")
    ] = "latest",
    *,
    out: Annotated[Path, typer.Option("--out", help="โฟลเดอร์ผลลัพธ์ / output folder")],
    xlsx: Annotated[
        bool,
        typer.Option(
            "--xlsx",
            help="เขียน changes_<ปี>_<รอบ>.xlsx ในโฟลเดอร์ของครั้งหลังด้วย / also write the workbook",
        ),
    ] = False,
    xlsx_path: Annotated[
        Path | None,
        typer.Option("--xlsx-path", help="เขียนไฟล์ Excel ที่นี่แทน (มี --xlsx ในตัว) / write it here"),
    ] = None,
) -> None:
    """เปรียบเทียบสองครั้ง รายหน่วยงาน พร้อมเหตุผล / per-unit differences between two runs."""
    from kpi_batch.console import print_diff
    from kpi_batch.errors import UsageError
    from kpi_batch.history.changes import change_rows
    from kpi_batch.history.diff import diff_runs
    from kpi_batch.history.store import History
    from kpi_batch.reports.changes import ChangesHeading, write_changes_workbook
    from kpi_batch.run_layout import RunLayout

    written: Path | None = None
    try:
        history = History.read(out)
        if history is None:
            raise UsageError(f"ยังไม่มีประวัติการประมวลผลใน {out} / no history in {out}")
        with history:
            earlier, later = history.load(run_a), history.load(run_b)
            record = history.resolve(run_b)
        result = diff_runs(earlier, later)
        if xlsx or xlsx_path is not None:
            fiscal_year, round_id = int(record["fiscal_year"]), str(record["round_id"])
            heading = ChangesHeading(
                fiscal_year=fiscal_year,
                round_label=f"รอบ {round_id}",
                run_a=earlier.run_id,
                run_b=later.run_id,
                as_of_a=earlier.as_of,
                as_of_b=later.as_of,
            )
            target = xlsx_path or out / later.run_id / RunLayout(fiscal_year, round_id).changes
            written = write_changes_workbook(change_rows(earlier, later, result), heading, target)
    except KpiBatchError as exc:
        raise _fail(exc) from exc
    except OSError as exc:
        typer.echo(f"เขียนไฟล์ Excel ไม่ได้ / cannot write the workbook: {exc}", err=True)
        raise typer.Exit(2) from exc
    print_diff(result)
    if written is not None:
        typer.echo(f"ไฟล์ Excel ของการเปลี่ยนแปลง / changes workbook: {written}")


@app.command("email")
def email_command(
    run: Annotated[Path, typer.Option("--run", help="โฟลเดอร์ผลการประมวลผล / run folder")],
    send: Annotated[
        bool, typer.Option("--send", help="ส่งจริง (ค่าเริ่มต้น: ทดลองส่งลง outbox/) / really send")
    ] = False,
    resend: Annotated[
        bool, typer.Option("--resend", help="ส่งทุกฉบับอีกครั้ง แม้ส่งแล้ว / send all again")
    ] = False,
    smtp_host: Annotated[str | None, typer.Option("--smtp-host", help="smtp_host")] = None,
    smtp_port: Annotated[int | None, typer.Option("--smtp-port", help="smtp_port")] = None,
    smtp_tls: Annotated[
        str | None, typer.Option("--smtp-tls", help="starttls | ssl | none (smtp_tls)")
    ] = None,
    sender: Annotated[
        str | None, typer.Option("--from", help="ผู้ส่ง เช่น 'กพร. <kpr@x.go.th>' (smtp_from)")
    ] = None,
    framework: Annotated[
        Path | None,
        typer.Option("--framework", help="กรอบตัวชี้วัด ถ้าย้ายที่จาก manifest / framework"),
    ] = None,
    templates_dir: Annotated[
        Path | None, typer.Option("--templates", help="โฟลเดอร์ข้อความอีเมล / text overrides")
    ] = None,
    appeal_deadline: Annotated[
        str | None, typer.Option("--appeal-deadline", help="วันสิ้นสุดการอุทธรณ์ (appeal_deadline)")
    ] = None,
    allow_old_run: Annotated[
        bool, typer.Option("--allow-old-run", help="ยอมส่งผลที่ไม่ใช่ครั้งล่าสุดของรอบ")
    ] = False,
    retries: Annotated[int, typer.Option("--retries", min=1, help="ครั้งต่อฉบับ / attempts")] = 4,
    backoff: Annotated[
        float, typer.Option("--backoff", min=0, help="วินาทีรอก่อนลองใหม่ (เพิ่มเท่าตัว)")
    ] = 2.0,
    reviews: Annotated[
        Path | None,
        typer.Option("--reviews", help="ส่งแบบทบทวนผลในโฟลเดอร์นี้ให้เจ้าภาพตัวชี้วัด / owners' workbooks"),
    ] = None,
    remind: Annotated[
        bool,
        typer.Option(
            "--remind",
            help="เตือนหน่วยงานที่ยังไม่มีไฟล์ที่ผ่านการตรวจ พร้อมแนบแบบรายงานเปล่า / remind units "
            "without an accepted file",
        ),
    ] = False,
) -> None:
    """ส่งผลทางอีเมล: ทดลอง (outbox/) หรือส่งจริง (--send) / e-mail a run's results."""
    import datetime as dt_
    import os
    import uuid

    from kpi_batch.console import make_console
    from kpi_batch.deliver.batch import EmailRequest, prepare, write_dry_run
    from kpi_batch.deliver.batch import send as send_batch
    from kpi_batch.deliver.outbox import OUTBOX
    from kpi_batch.deliver.owners import OUTBOX_REVIEWS, prepare_owner_mail
    from kpi_batch.deliver.remind import OUTBOX_REMINDERS, prepare_reminders
    from kpi_batch.deliver.report import dry_run_summary, plan_renderables, send_renderables
    from kpi_batch.deliver.smtp import SmtpConfig

    if resend and not send:
        raise typer.BadParameter("--resend ใช้คู่กับ --send / --resend needs --send")
    if remind and reviews is not None:
        raise typer.BadParameter("--remind ใช้ร่วมกับ --reviews ไม่ได้ / not with --reviews")
    console = make_console()
    request = EmailRequest(run, framework, templates_dir, sender, appeal_deadline)
    try:
        now = dt_.datetime.now().astimezone()  # the clock, read here as for --as-of
        token = uuid.uuid4().hex[:16]
        if remind:
            prepared = prepare_reminders(request, now=now, token=token)
            outbox = OUTBOX_REMINDERS
        elif reviews is None:
            prepared, outbox = prepare(request, now=now, token=token), OUTBOX
        else:
            prepared = prepare_owner_mail(request, reviews, now=now, token=token)
            outbox = OUTBOX_REVIEWS
        for renderable in plan_renderables(prepared):
            console.print(renderable)
        if not send:
            written = write_dry_run(prepared, outbox)
            folder = str(prepared.source.run_dir / outbox)
            console.print(dry_run_summary(prepared, written, folder), markup=False)
            raise typer.Exit(1 if prepared.plan.has_problems else 0)
        config = SmtpConfig.resolve(
            host=smtp_host,
            port=smtp_port,
            tls=smtp_tls,
            settings=prepared.source.framework.settings.extra,
            environ=os.environ,
            attempts=retries,
            backoff=backoff,
        )
        outcome = send_batch(
            prepared,
            config,
            resend=resend,
            allow_old_run=allow_old_run,
            clock=lambda: dt_.datetime.now().astimezone(),
        )
    except KpiBatchError as exc:
        raise _fail(exc) from exc
    for renderable in send_renderables(outcome, config):
        console.print(renderable)
    if outcome.history_note:
        console.print(outcome.history_note, markup=False)
    if outcome.csv_note:
        typer.echo(outcome.csv_note, err=True)
        raise typer.Exit(FileInUseError.exit_code)
    raise typer.Exit(0 if outcome.ok else 1)


@app.command("review-sheets")
def review_sheets_command(
    run: Annotated[Path, typer.Option("--run", help="โฟลเดอร์ผลการประมวลผล / run folder")],
    out: Annotated[Path, typer.Option("--out", help="โฟลเดอร์ปลายทาง / output folder")],
    stage: Annotated[
        str, typer.Option("--stage", help="review (ทบทวนผล) หรือ appeal (พิจารณาอุทธรณ์)")
    ] = "review",
    appeals: Annotated[
        Path | None,
        typer.Option("--appeals", help="รายการอุทธรณ์ unit_id, kpi_id, argument (ขั้นตอน appeal)"),
    ] = None,
    framework: Annotated[
        Path | None,
        typer.Option("--framework", help="กรอบตัวชี้วัด ถ้าย้ายที่จาก manifest / framework"),
    ] = None,
) -> None:
    """แบบทบทวนผลให้เจ้าภาพตัวชี้วัด คนละหนึ่งไฟล์ / one review workbook per KPI owner."""
    from kpi_batch.review.sheets import write_review_sheets

    try:
        written = write_review_sheets(run, out, stage, appeals, framework)
    except KpiBatchError as exc:
        raise _fail(exc) from exc
    for w in written:
        if w.path is None:
            typer.echo(
                f"{w.owner.owner_id} {w.owner.name}: ไม่มีรายการในผลนี้ ไม่สร้างไฟล์ / no rows, no file"
            )
        else:
            typer.echo(f"{w.owner.owner_id} {w.owner.name}: {w.rows} แถว / rows -> {w.path}")
    files = sum(1 for w in written if w.path is not None)
    typer.echo(f"เขียนแบบทบทวนผล {files} ไฟล์ที่ {out} / wrote {files} review workbook(s) to {out}")


def main() -> None:
    """The `kpi-batch` entry point. `run` and `demo` handle their own crashes (log in the
    output folder, `--debug`); this gives every other command the same exit code 3."""
    multiprocessing.freeze_support()  # a frozen Windows build must not re-run the CLI
    safe_streams()
    try:
        app()
    except Exception as exc:
        details = "".join(traceback.format_exception(exc))
        log = _crash_log(Path(tempfile.gettempdir()) / "kpi-batch", details)
        typer.echo(
            f"เกิดข้อผิดพลาดภายในโปรแกรม / internal error: {type(exc).__name__}: {exc}\n"
            f"บันทึกรายละเอียดไว้ที่ / traceback saved to {log}; แจ้งผู้ดูแลระบบ / please report it",
            err=True,
        )
        sys.exit(INTERNAL_ERROR)


if __name__ == "__main__":
    main()
