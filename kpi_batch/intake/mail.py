"""Saved e-mails in the inbox: a `.eml` is opened and its spreadsheet attachments become files
of their own, held in memory and handed to the same checks as any file.

Planning offices receive most reports by e-mail and often save the whole message
(Outlook, Thunderbird and webmail "save as" write RFC 5322 `.eml`). The message is read with
the standard library (`email`, `policy.default`), which decodes RFC 2231 / RFC 2047 file
names (`แบบรายงาน.xlsx` arrives as `filename*=utf-8''%E0%B9%81...`) and walks into forwarded
messages (`message/rfc822` parts). Nothing is written to the inbox or anywhere else: each
attachment's bytes go to `run._check` like a file read from disk, so the zip-bomb, entity
and size limits (`container.inspect`) apply to it as to any file.

An attachment is a spreadsheet by its name's extension (.xlsx .xlsm .xls .ods, or a format
intake refuses such as .xlsb, so the unit is told to re-save) or, without a usable name, by
its content type and magic bytes. Its register path is `<mail.eml>#<file name>`; the file
name loses any folder part (a name is data from outside, and returned copies are written
under it). The received date is the `Date` of the message that holds the attachment (for a
forwarded message: the unit's own e-mail, not the day staff forwarded it), in Thai time; the
sender is that message's `From` address.

`open_mail` never raises on bad input: a file that is not an e-mail is `malformed`, one
without a spreadsheet is `no_spreadsheet`; both say why.
"""

from __future__ import annotations

import datetime as dt
import email
import re
from dataclasses import dataclass
from email import policy
from email.message import Message
from pathlib import Path
from zoneinfo import ZoneInfo

from kpi_batch.intake.container import OLE_MAGIC, ZIP_MAGIC
from kpi_batch.intake.discover import READ, UNSUPPORTED
from kpi_batch.thai import format_date_th

BANGKOK = ZoneInfo("Asia/Bangkok")  # tzdata on Windows (a dependency there)
SPREADSHEET_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel.sheet.macroenabled.12": ".xlsm",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}
# Headers every saved e-mail has at least one of; a file with none is not an e-mail.
_MAIL_HEADERS = ("from", "date", "subject", "to", "message-id", "mime-version", "received")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Attachment:
    name: str  # file name as sent, without any folder part
    extension: str  # lower case with the dot (from the name, else from the content)
    content: bytes
    received: dt.datetime | None  # Date of the message holding it, Asia/Bangkok
    sender: str  # that message's From address


@dataclass(frozen=True)
class OpenedMail:
    """What a saved e-mail held. `problem` is "" (attachments found), "no_spreadsheet" or
    "malformed"; `detail` says what was seen, for the register."""

    attachments: tuple[Attachment, ...] = ()
    received: dt.datetime | None = None
    sender: str = ""
    others: tuple[str, ...] = ()  # attachments that are not spreadsheets (scan.pdf)
    problem: str = ""
    detail: str = ""

    def summary_th(self) -> str:
        """The register's reason for the e-mail's row."""
        when = _when_th(self.received) if self.received else "ไม่มีวันที่ในอีเมล"
        who = self.sender or "ไม่ทราบผู้ส่ง"
        names = ", ".join(a.name for a in self.attachments)
        text = f"อีเมลจาก {who} วันที่ {when} มีแบบรายงานแนบ {len(self.attachments)} ไฟล์: {names}"
        if self.others:
            text += f" (ไฟล์แนบอื่นที่ไม่ใช่แบบรายงาน: {', '.join(self.others)})"
        return f"{text} / e-mail opened: {len(self.attachments)} spreadsheet attachment(s)"


def _when_th(when: dt.datetime) -> str:
    return f"{format_date_th(when.date())} {when:%H:%M} น."


def received_at(message: Message) -> dt.datetime | None:
    """The message's Date in Thai time; a date without a zone (`-0000`) is taken as UTC."""
    try:
        header = message["Date"]
        when = getattr(header, "datetime", None)
    except (TypeError, ValueError, IndexError):
        return None
    if not isinstance(when, dt.datetime):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(BANGKOK)


def sender_of(message: Message) -> str:
    try:
        addresses = getattr(message["From"], "addresses", ())
        return str(addresses[0].addr_spec) if addresses else ""
    except (TypeError, ValueError, IndexError):
        return ""


def _safe_name(name: str) -> str:
    """The last path component, without control characters ("../../x.xlsx" -> "x.xlsx")."""
    base = re.split(r"[\\/]", name)[-1]
    return _UNSAFE.sub("", base).strip().strip(".") or ""


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def _sniffed(content: bytes, content_type: str) -> str:
    """An extension for a spreadsheet known by its content type, checked by magic bytes."""
    wanted = SPREADSHEET_TYPES.get(content_type, "")
    if not wanted:
        return ""
    if wanted == ".xls":
        return wanted if content.startswith(OLE_MAGIC) else ""
    return wanted if content.startswith(ZIP_MAGIC) else ""


def open_mail(data: bytes) -> OpenedMail:
    """The spreadsheet attachments of a saved e-mail (module docstring)."""
    try:
        message = email.message_from_bytes(data, policy=policy.default)
    except Exception as exc:  # the parser is lenient; anything it raises is a bad file
        return OpenedMail(problem="malformed", detail=f"{type(exc).__name__}: {exc}")
    keys = {k.lower() for k in message}
    if not keys & set(_MAIL_HEADERS):
        return OpenedMail(problem="malformed", detail="no e-mail headers")
    received, sender = received_at(message), sender_of(message)
    try:
        attachments, others = _attachments(message, received, sender)
    except Exception as exc:  # a damaged part (bad base64, broken MIME)
        return OpenedMail(
            received=received,
            sender=sender,
            problem="malformed",
            detail=f"{type(exc).__name__}: {exc}",
        )
    if not attachments:
        return OpenedMail(
            received=received,
            sender=sender,
            others=tuple(others),
            problem="no_spreadsheet",
            detail=", ".join(others) or "no attachments",
        )
    return OpenedMail(tuple(attachments), received, sender, tuple(others))


def _attachments(
    message: Message, received: dt.datetime | None, sender: str
) -> tuple[list[Attachment], list[str]]:
    found: list[Attachment] = []
    others: list[str] = []
    used: dict[str, int] = {}
    # (part, date and sender of the message holding it); forwarded messages push their own
    stack: list[tuple[Message, dt.datetime | None, str]] = [(message, received, sender)]
    while stack:
        part, when, who = stack.pop(0)
        if part.get_content_type() == "message/rfc822":
            for inner in part.get_payload():
                if isinstance(inner, Message):
                    stack.append((inner, received_at(inner) or when, sender_of(inner) or who))
            continue
        if part.is_multipart():
            payload = part.get_payload()
            stack[0:0] = [(p, when, who) for p in payload if isinstance(p, Message)]
            continue
        raw_name = part.get_filename() or ""
        if not raw_name and part.get_content_disposition() != "attachment":
            continue  # the text or html body
        content = part.get_payload(decode=True)
        if not isinstance(content, bytes):
            continue
        name = _safe_name(str(raw_name))
        extension = _extension(name)
        if extension not in READ and extension not in UNSUPPORTED:
            sniffed = _sniffed(content, part.get_content_type())
            if not sniffed:
                others.append(name or part.get_content_type())
                continue
            extension = sniffed
            name = f"{name or 'ไฟล์แนบ'}{sniffed}" if not name.lower().endswith(sniffed) else name
        n = used.get(name.casefold(), 0) + 1
        used[name.casefold()] = n
        if n > 1:  # two attachments of one name: both kept, told apart
            stem = name[: len(name) - len(extension)] if extension else name
            name = f"{stem} ({n}){extension}"
        found.append(Attachment(name, extension, content, when, who))
    return found, others


def attachment_bytes(path: Path, max_bytes: int) -> bytes | None:
    """The bytes of the attachment a register path names (`<inbox>/mail.eml#a.xlsx`), read
    again from the saved e-mail (for the returned copy); None when it is not there."""
    folder, _, name = str(path).replace("\\", "/").rpartition("/")
    mail_name, sep, wanted = name.partition("#")
    if not sep or not mail_name.lower().endswith(".eml"):
        return None
    try:
        with Path(folder, mail_name).open("rb") as f:
            data = f.read(max_bytes + 1)
    except OSError:
        return None
    if len(data) > max_bytes:
        return None
    for a in open_mail(data).attachments:
        if a.name == wanted:
            return a.content
    return None
