"""Confidentiality checks on the messages as built: read back, not assumed. Pure.

    identify_workbook(data) -> Identity        whose workbook is this, by its content
    check_plan(plan, framework)                adds a Problem to every message that fails

For every message, from the MIME object itself (the bytes that would go on the wire):
- recipients are exactly the planned ones, all from the framework (a unit's own `email`
  cell, or the `recipients` of the role), with no Cc or Bcc;
- each attachment's bytes are the file the run wrote (sha256 in manifest.json);
- each attachment belongs to the audience: in a unit's message, a result workbook or a
  submission (returned copy) whose unit id is that unit; to hr, the HR workbook (table
  `hr`); to executives, the executive workbook (table `league`). Anything unidentified is
  refused;
- a workbook with the HR table goes only to hr recipients, whatever the message.
A failure is a `Problem` with `blocks_all`: when one message fails, nothing is sent.
"""

from __future__ import annotations

import email
import io
import re
import zipfile
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from xml.etree import ElementTree

import python_calamine

from kpi_batch.deliver.messages import POLICY, XLSM, XLSX, MessagePlan, Planned, Problem
from kpi_batch.deliver.source import sha256_bytes
from kpi_batch.model import Framework
from kpi_batch.reports.returned_plan import NOTE_SHEET
from kpi_batch.run_layout import RunLayout
from kpi_batch.specs.template import TABLE

UNIT_ID_LABEL = "รหัสหน่วยงาน (unit_id)"  # the result workbook's summary row (reports/unit.py)
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REF = re.compile(r"^'?(?P<sheet>.+?)'?!\$?(?P<col>[A-Z]{1,3})\$?(?P<row>[0-9]+)$")
_SUMMARY_ROWS = 40
SHEET_TYPES = ("/".join(XLSX), "/".join(XLSM).lower())


@dataclass(frozen=True)
class Identity:
    kind: str  # unit_result / submission / hr / executive / unknown
    unit_id: str = ""
    detail: str = ""


def identify_workbook(data: bytes) -> Identity:
    """What a workbook is, from its tables, defined names and cells (never its file name)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            tables = _table_names(zf)
            names = _defined_names(zf)
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError) as exc:
        return Identity("unknown", detail=f"not a readable xlsx: {exc}")
    if "hr" in tables:
        return Identity("hr")
    if "league" in tables:
        return Identity("executive")
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        if "unit_id" in names and TABLE in tables:
            unit_id = _named_value(book, names["unit_id"])
            return Identity("submission", unit_id, "defined name unit_id")
        if "unit_id" in names and book.sheet_names == [NOTE_SHEET]:
            unit_id = _named_value(book, names["unit_id"])
            return Identity("submission", unit_id, "returned note sheet's unit_id")
        if "kpis" in tables:
            return _result_identity(book)
    except Exception as exc:  # calamine raises its own errors for damaged parts
        return Identity("unknown", detail=f"unreadable: {exc}")
    return Identity("unknown", detail="not a kpi_batch workbook")


def check_plan(plan: MessagePlan, framework: Framework) -> None:
    for planned in plan.messages:
        if planned.message is not None:
            planned.problems += check_message(planned, framework)


def check_message(planned: Planned, framework: Framework) -> list[Problem]:
    assert planned.message is not None
    # Parse the serialised bytes, as the receiving side will: this also catches header
    # folding that would move an address or break a content type.
    msg = email.message_from_bytes(planned.message.as_bytes(policy=POLICY), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    problems: list[Problem] = []

    def fail(code: str, text: str, blocks_all: bool = True) -> None:
        problems.append(Problem(code, f"{planned.label}: {text}", blocks_all))

    hr_addresses = _role_addresses(framework, "hr")
    allowed = _allowed(planned, framework, hr_addresses)
    to = _header_addresses(msg, "To")
    if str(msg["Subject"] or "") != planned.subject:
        fail(
            "subject_garbled",
            f"หัวเรื่องอ่านกลับได้ไม่ตรงกับที่เขียน ({msg['Subject']}) / the subject does not "
            "decode to what was written",
            blocks_all=False,
        )
    for header in ("Cc", "Bcc"):
        if msg.get_all(header):
            fail("extra_recipients", f"มี {header} ซึ่งไม่ได้มาจากกรอบการประเมิน / has {header}")
    if sorted(to) != sorted(a.lower() for a in planned.to):
        fail("recipients_changed", "ผู้รับในอีเมลไม่ตรงกับที่วางแผน / To differs from the plan")
    for address in to:
        if address not in allowed:
            fail(
                "address_not_in_framework",
                f"{address} ไม่ใช่อีเมลของผู้รับนี้ในกรอบการประเมิน / not this audience's "
                "address in the framework",
            )
    parts = list(msg.iter_attachments())
    if len(parts) != len(planned.attachments):
        fail("attachments_changed", "จำนวนไฟล์แนบไม่ตรงกับที่วางแผน / attachment count differs")
    for part, planned_file in zip(parts, planned.attachments, strict=False):
        data = part.get_payload(decode=True)
        name = part.get_filename() or "?"
        if not isinstance(data, bytes):
            fail("attachment_unreadable", f"{name}: อ่านไฟล์แนบไม่ได้ / unreadable attachment")
            continue
        if name != planned_file.filename or part.get_content_type() not in SHEET_TYPES:
            fail(
                "attachment_encoding",
                f"{planned_file.filename}: ชื่อไฟล์หรือชนิดไฟล์แนบเข้ารหัสผิด ({name}, "
                f"{part.get_content_type()}) / attachment name or type garbled",
                blocks_all=False,
            )
        if sha256_bytes(data) != planned_file.file.manifest_sha256:
            fail(
                "changed_after_run",
                f"{name} ไม่ตรงกับไฟล์ที่การประมวลผลเขียนไว้ (checksum ใน {RunLayout.MANIFEST}) / "
                "differs from the file the run wrote",
            )
        identity = identify_workbook(data)
        if identity.kind == "hr" and any(a not in hr_addresses for a in to):
            fail(
                "hr_to_non_hr",
                f"{name} เป็นข้อมูลลับของกองการเจ้าหน้าที่ ส่งได้เฉพาะผู้รับบทบาท hr / "
                "the HR workbook goes to hr recipients only",
            )
        expected = _belongs(planned, identity)
        if expected:
            fail("not_this_audience", f"{name}: {expected}")
    return problems


def _belongs(planned: Planned, identity: Identity) -> str:
    """Empty when the attachment may go to this audience, else why not."""
    if planned.audience == "unit":
        if identity.kind not in ("unit_result", "submission"):
            return (
                f"ไม่ใช่ไฟล์ของหน่วยงาน ({identity.kind} {identity.detail}) / not a unit's own workbook"
            )
        if identity.unit_id != planned.unit_id:
            return (
                f"เป็นไฟล์ของหน่วยงาน {identity.unit_id or '?'} ไม่ใช่ {planned.unit_id} / "
                f"belongs to unit {identity.unit_id or '?'}, not {planned.unit_id}"
            )
        return ""
    if identity.kind != planned.audience:
        return (
            f"ไม่ใช่ไฟล์สำหรับ {planned.audience} ({identity.kind} {identity.detail}) / "
            f"not the {planned.audience} workbook"
        )
    return ""


def _allowed(planned: Planned, framework: Framework, hr: set[str]) -> set[str]:
    if planned.audience == "unit":
        try:
            return {a.lower() for a in framework.unit(planned.unit_id).emails}
        except KeyError:
            return set()
    if planned.audience == "hr":
        return hr
    return _role_addresses(framework, planned.audience)


def _role_addresses(framework: Framework, role: str) -> set[str]:
    return {
        a.strip().lower()
        for r in framework.recipients_for(role)
        for a in r.email.split(";")
        if a.strip()
    }


def _header_addresses(msg: EmailMessage, name: str) -> list[str]:
    found = []
    for header in msg.get_all(name) or []:
        found += [a.addr_spec.lower() for a in getattr(header, "addresses", ())]
    return found


# --- reading workbooks ---------------------------------------------------------------------


def _table_names(zf: zipfile.ZipFile) -> set[str]:
    names = set()
    for info in zf.infolist():
        if info.filename.startswith("xl/tables/") and info.filename.endswith(".xml"):
            root = ElementTree.fromstring(zf.read(info))
            names |= {root.get("displayName") or "", root.get("name") or ""}
    return names - {""}


def _defined_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Workbook-scope defined names -> reference (sheet-scope ones are print areas)."""
    root = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    return {
        str(d.get("name")): (d.text or "").strip()
        for d in root.iter(f"{_NS}definedName")
        if d.get("localSheetId") is None
    }


def _named_value(book: python_calamine.CalamineWorkbook, ref: str) -> str:
    m = _REF.match(ref)
    if not m:
        return ""
    sheet = m["sheet"].replace("''", "'")
    rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    row = int(m["row"]) - 1
    col = _column_index(m["col"])
    if row >= len(rows) or col >= len(rows[row]):
        return ""
    return _text(rows[row][col])


def _result_identity(book: python_calamine.CalamineWorkbook) -> Identity:
    rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False, nrows=_SUMMARY_ROWS)
    found = [_text(r[1]) for r in rows if len(r) > 1 and _text(r[0]) == UNIT_ID_LABEL]
    if len(found) != 1 or not found[0]:
        return Identity("unknown", detail="no unit id on the summary sheet")
    unit_id = found[0]
    titles = [_text(r[0]) for r in rows[:3] if r]
    if not any(t.endswith(f"({unit_id})") for t in titles):
        return Identity("unknown", unit_id, "title and unit id cell disagree")
    return Identity("unit_result", unit_id, "summary unit id cell")


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if value is not None else ""
