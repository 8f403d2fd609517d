"""`kpi-batch demo`: a working folder that looks like a planning office's month.

From the FY2567 example framework it generates the round-1 templates and fills them as
36 units would, over two monthly runs, with what really arrives by e-mail: most files fine,
some late, one unit that never sends, and the usual mistakes (Thai digits, `85%` typed as
text, text in a number cell, a renamed file, a resubmission, last round's template), and
the three ways a received date is known: a file saved from an e-mail (`.eml`, its `Date`
charges), a row in the office's receipts register (it charges first), and a file with no
date at all (scored, not charged, listed to confirm). A
fixed seed gives every demo folder the same values, so its scores can be compared.

Layout of the folder (see `DemoFolder`):
    framework.xlsx            the example framework (input_templates/framework_example.xlsx)
    templates/R1/             blank templates as sent to units
    inbox/2567-02/            files returned by the February run's as-of date
    inbox/2567-03/            files returned by the March run's as-of date (the round's close)
    adjustments.xlsx          reviews and appeals by KPI owners and the appeal committee
    receipts.xlsx             the office's receipts register (เลขรับ) for the round's close
    output/                   where `kpi-batch run` writes its run folders
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import xlsxwriter

from kpi_batch import fsutil
from kpi_batch.framework.example import example_framework_rows
from kpi_batch.framework.load import load_framework
from kpi_batch.framework.writer import write_framework
from kpi_batch.model import AgreementItem, Criteria, Formula, Framework, KpiType
from kpi_batch.receipts.spec import COLUMNS as RECEIPT_COLUMNS
from kpi_batch.receipts.spec import SHEET as RECEIPTS_SHEET
from kpi_batch.receipts.spec import WORKFOLDER_FILE as RECEIPTS_FILE
from kpi_batch.specs.adjustments import COLUMNS as ADJUSTMENT_COLUMNS
from kpi_batch.specs.adjustments import SHEET as ADJUSTMENT_SHEET
from kpi_batch.templates.fill import fill_template
from kpi_batch.templates.token import load_key
from kpi_batch.templates.workbook import template_filename, write_templates, write_unit_template

SEED = 2567
ROUND_ID = "R1"
OTHER_ROUND_ID = "R2"


@dataclass(frozen=True)
class MonthPlan:
    """One monthly run: its inbox folder, its as-of date, and who has sent by then."""

    label: str
    as_of: dt.date


MONTHS = (
    MonthPlan("2567-02", dt.date(2024, 2, 20)),  # progress report before the round closes
    MonthPlan("2567-03", dt.date(2024, 3, 15)),  # after the due date (6 Mar 2567)
)

# Who does what in the March inbox (the round's close). Chosen by hand so the demo shows
# every path through intake and scoring; documented in the demo's printed summary.
NEVER_SUBMITS = "U36"
LATE_DAYS = {"U02": 1, "U15": 3, "U20": 8}  # days after the due date
NO_DATE = "U24"  # leaves submitted_on empty and no other date: scored, not charged, to confirm
SAVED_EMAIL = "U17"  # staff saved the unit's e-mail (.eml) into the inbox: its Date charges
RECEIPT = "U28"  # typed an on-time submitted_on; the office's receipt says 2 days late
RECEIPT_TYPED_DAYS, RECEIPT_DAYS = -1, 2  # against the due date
THAI_DIGITS = "U03"
PERCENT_TEXT = "U05"
TEXT_IN_NUMBER = "U07"
RENAMED = "U09"
RESUBMITS = "U11"
WRONG_ROUND = "U13"
# In February only these have sent a progress report; the rest are missing that month.
FEBRUARY_SENDERS = 24


@dataclass(frozen=True)
class DemoFolder:
    root: Path
    framework: Path
    templates: Path
    inboxes: tuple[tuple[MonthPlan, Path], ...]
    adjustments: Path
    output: Path
    receipts: Path  # for the round's closing run (MONTHS[-1])


def build_demo(root: Path, seed: int = SEED) -> DemoFolder:
    """Write the demo working folder under `root` (replacing an earlier demo there)."""
    for sub in ("templates", "inbox", "output"):
        fsutil.rmtree(root / sub)
    root.mkdir(parents=True, exist_ok=True)
    framework_path = write_framework(example_framework_rows(), root / "framework.xlsx")
    fw = load_framework(framework_path)
    rng = random.Random(seed)
    quality = {u.unit_id: min(4.9, max(1.5, rng.gauss(3.8, 0.55))) for u in fw.units}

    # The planning office's template key beside the framework, as `kpi-batch templates`
    # makes it: every template carries its unit's token, and `run` checks them.
    key = load_key(framework_path, create=True)
    blank_dir = root / "templates" / ROUND_ID
    write_templates(fw, ROUND_ID, blank_dir, key)
    blanks = {u.unit_id: blank_dir / template_filename(fw, ROUND_ID, u.unit_id) for u in fw.units}

    inboxes = []
    for month in MONTHS:
        inbox = root / "inbox" / month.label
        inbox.mkdir(parents=True, exist_ok=True)
        _fill_month(fw, month, inbox, blanks, quality, rng, key)
        inboxes.append((month, inbox))
    adjustments = write_demo_adjustments(root / "adjustments.xlsx")
    receipts = write_demo_receipts(root / RECEIPTS_FILE, fw)
    (root / "output").mkdir(exist_ok=True)
    return DemoFolder(
        root, framework_path, blank_dir, tuple(inboxes), adjustments, root / "output", receipts
    )


def _fill_month(
    fw: Framework,
    month: MonthPlan,
    inbox: Path,
    blanks: dict[str, Path],
    quality: dict[str, float],
    rng: random.Random,
    key: bytes | None = None,
) -> None:
    closing = month is MONTHS[-1]
    due = fw.round(ROUND_ID).due_date
    units = [u.unit_id for u in fw.units if u.unit_id != NEVER_SUBMITS]
    senders = units if closing else units[:FEBRUARY_SENDERS]
    # February is progress towards the round's targets: results a little lower.
    progress = 1.0 if closing else 0.85
    for unit_id in senders:
        values = _unit_values(fw, unit_id, quality[unit_id] * progress, rng)
        submitted: dt.date | None = month.as_of - dt.timedelta(days=rng.randint(3, 12))
        if closing:
            submitted = due - dt.timedelta(days=rng.randint(0, 6))
            if unit_id in LATE_DAYS:
                submitted = due + dt.timedelta(days=LATE_DAYS[unit_id])
            if unit_id == NO_DATE:
                submitted = None
            if unit_id == RECEIPT:
                submitted = due + dt.timedelta(days=RECEIPT_TYPED_DAYS)
            _mistakes(fw, unit_id, values)
        name = template_filename(fw, ROUND_ID, unit_id)
        if closing and unit_id == RENAMED:
            name = "ส่ง กพร. รายงานรอบ 6 เดือน (final) (1).xlsx"
        # The file's modification time is when the officer saved it; intake falls back on it
        # when submitted_on is empty.
        saved_on = submitted or due + dt.timedelta(days=2)
        if closing and unit_id == WRONG_ROUND:
            # The unit filled the 12-month template instead of round 1's.
            name = template_filename(fw, OTHER_ROUND_ID, unit_id)
            wrong = write_unit_template(fw, unit_id, OTHER_ROUND_ID, inbox / name, key)
            other = _unit_values(fw, unit_id, quality[unit_id], rng, OTHER_ROUND_ID)
            _touch(fill_template(wrong, other, submitted_on=submitted), saved_on)
            continue
        filled = fill_template(blanks[unit_id], values, submitted_on=submitted, out=inbox / name)
        _touch(filled, saved_on)
        if closing and unit_id == SAVED_EMAIL:
            assert submitted is not None
            _save_as_email(fw, unit_id, filled, submitted)
        if closing and unit_id == RESUBMITS:
            # A corrected file sent the next day; intake keeps the later one.
            corrected = dict(values)
            first_kpi = next(iter(corrected))
            corrected[first_kpi] = _bump(corrected[first_kpi])
            assert submitted is not None
            resent = submitted + dt.timedelta(days=1)
            path = fill_template(
                blanks[unit_id],
                corrected,
                submitted_on=resent,
                out=inbox / f"{Path(name).stem} แก้ไข.xlsx",
            )
            _touch(path, resent)
    if closing:
        # What else lands in a shared folder: an Office lock file and a covering note.
        (inbox / "~$2567_R1_U01.xlsx").write_bytes(b"\x00lock")
        (inbox / "อ่านก่อน.txt").write_text("ไฟล์รายงานผลรอบ 6 เดือน\n", encoding="utf-8")


def _save_as_email(fw: Framework, unit_id: str, attachment: Path, sent: dt.date) -> Path:
    """Replace `attachment` by the e-mail it came in, as Outlook's "Save as" writes it: the
    workbook attached under its Thai name (RFC 2231), sent at 14:05 Thai time on `sent`."""
    unit = next(u for u in fw.units if u.unit_id == unit_id)
    msg = EmailMessage()
    msg["From"] = f"{unit.name} <{unit.emails[0]}>"
    msg["To"] = "kpr@anamai.example"
    msg["Subject"] = f"ส่งรายงานผลการดำเนินงานรอบ 6 เดือน {unit.name}"
    bangkok = dt.timezone(dt.timedelta(hours=7))
    msg["Date"] = format_datetime(dt.datetime.combine(sent, dt.time(14, 5), bangkok))
    msg["Message-ID"] = f"<demo-{unit_id}@anamai.example>"
    msg.set_content(f"เรียน กพร.\n\nขอส่งแบบรายงานผลรอบ 6 เดือนของ{unit.name} ตามไฟล์แนบ\n")
    msg.add_attachment(
        attachment.read_bytes(),
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=f"แบบรายงานผล {unit.name}.xlsx",
    )
    saved = attachment.with_name(f"{unit_id} ส่งผลรอบ 6 เดือน.eml")
    saved.write_bytes(bytes(msg))
    attachment.unlink()
    _touch(saved, sent + dt.timedelta(days=3))  # saved by staff later: never the charge date
    return saved


def write_demo_receipts(path: Path, fw: Framework) -> Path:
    """The receipts register with one row: RECEIPT's file as the office received it."""
    due = fw.round(ROUND_ID).due_date
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": dt.datetime(2024, 1, 1)})
    ws = wb.add_worksheet(RECEIPTS_SHEET)
    for col, key in enumerate(RECEIPT_COLUMNS):
        ws.write_string(0, col, key)
    received = due + dt.timedelta(days=RECEIPT_DAYS)
    ws.write_row(1, 0, [RECEIPT, "", f"{received.day}/{received.month}/{received.year + 543}"])
    ws.write_string(1, 3, "สบ 0345/2567")
    wb.close()
    return path


def _touch(path: Path, day: dt.date) -> None:
    stamp = dt.datetime.combine(day, dt.time(15, 30)).timestamp()
    os.utime(path, (stamp, stamp))


def _mistakes(fw: Framework, unit_id: str, values: dict[str, object]) -> None:
    """The usual ways a filled template goes wrong, one per chosen unit."""
    quantitative = [
        i.kpi.kpi_id
        for i in fw.agreements[unit_id]
        if i.kpi.kpi_type is KpiType.QUANTITATIVE and i.kpi.formula is Formula.VALUE
    ]
    milestone = [
        i.kpi.kpi_id for i in fw.agreements[unit_id] if i.kpi.kpi_type is KpiType.MILESTONE
    ]
    target = quantitative[0] if quantitative else milestone[0]
    if unit_id == THAI_DIGITS:
        values[target] = _thai_digits(f"{values[target]}")
    elif unit_id == PERCENT_TEXT:
        values[target] = f"{values[target]}%"
    elif unit_id == TEXT_IN_NUMBER:
        values[target] = "ดำเนินการแล้วตามแผน"


def _thai_digits(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


def _bump(value: object) -> object:
    if isinstance(value, tuple):
        return (round(value[0] * 1.02, 2), value[1])
    if isinstance(value, (int, float)):
        return round(value + 0.5, 2)
    return value


def _unit_values(
    fw: Framework, unit_id: str, quality: float, rng: random.Random, round_id: str = ROUND_ID
) -> dict[str, object]:
    """A plausible result for each KPI: aim at a score near the unit's quality, then
    turn that score back into a value through the KPI's own criteria."""
    values: dict[str, object] = {}
    for item in fw.agreements[unit_id]:
        criteria = fw.criteria_for(unit_id, item.kpi.kpi_id, round_id)
        target = min(5.6, max(0.4, rng.gauss(quality, 0.6)))
        values[item.kpi.kpi_id] = _value_for(item, criteria, fw.settings.scale, target, rng)
    return values


def _value_for(
    item: AgreementItem,
    criteria: Criteria,
    scale: tuple[Decimal, ...],
    target: float,
    rng: random.Random,
) -> object:
    points = [(float(t), float(p)) for t, p in criteria.points(scale)]
    value = _inverse(points, target)
    if item.kpi.kpi_type is KpiType.MILESTONE:
        # whole or half steps, no further than the round's last step (the template's limit)
        last = float(criteria.last_step() or 5)
        return max(0.0, min(last, round(value * 2) / 2))
    value = max(0.0, round(value, 2))
    if item.kpi.formula is Formula.RATIO:
        denominator = round(rng.uniform(80, 2500), 2)
        return (round(value * denominator / 100, 2), denominator)
    return value


def _inverse(points: list[tuple[float, float]], score: float) -> float:
    """The value that scores `score` on piecewise-linear points (extended at both ends)."""
    if len(points) == 1:
        return points[0][0]
    for (t1, p1), (t2, p2) in itertools.pairwise(points):
        if score <= p2 or (t2, p2) == points[-1]:
            return t1 + (score - p1) * (t2 - t1) / (p2 - p1)
    return points[-1][0]


# A KPI owner's review, an exemption, an extra late item and two appeals (adjustments.xlsx).
ADJUSTMENT_ROWS: tuple[tuple[str, ...], ...] = (
    (
        "U04",
        "1.1.1",
        "review",
        "level",
        "3",
        "เจ้าภาพตรวจหลักฐานแล้ว ให้ขั้นที่ 3",
        "บันทึก กพร. 12/2567",
    ),
    (
        "U06",
        "1.2.1",
        "review",
        "exempt",
        "1",
        "ไม่ได้รับมอบหมายประเด็นข่าวในรอบนี้",
        "หนังสือ สธ 0901/45",
    ),
    ("U10", "*", "review", "late_days", "2", "ส่งคู่มือคำรับรองฯ ล่าช้า 2 วัน", "ทะเบียนรับ 3/2567"),
    (
        "U02",
        "*",
        "appeal",
        "submitted_on",
        "6 มี.ค. 2567",
        "ส่งทางอีเมลทันกำหนด แต่ระบบรับช้า",
        "มติคณะทำงาน 2/2567",
    ),
    ("U08", "2", "appeal", "score", "4.5", "คณะกรรมการพิจารณาอุทธรณ์เห็นชอบ", "มติคณะทำงาน 2/2567"),
)


def write_demo_adjustments(path: Path, rows: Sequence[Sequence[str]] = ADJUSTMENT_ROWS) -> Path:
    """The adjustments workbook with `rows`, every cell typed as text (as people paste it)."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"created": dt.datetime(2024, 1, 1)})
    ws = wb.add_worksheet(ADJUSTMENT_SHEET)
    for col, key in enumerate(ADJUSTMENT_COLUMNS):
        ws.write_string(0, col, key)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            ws.write_string(r, col, value)
    wb.close()
    return path
