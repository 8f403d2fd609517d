"""Walk the inbox: every file found gets a row in the register, even the ones we skip.

Sub-folders are walked; symbolic links are listed but not followed (a link could point
anywhere on the machine); hidden folders (`.git`, `.Trash`) are not walked. A file is
- a candidate when its extension is one python-calamine reads (.xlsx, .xlsm, .xls, .ods);
- rejected at once when it is a spreadsheet format we do not read (.xlsb, templates...), so
  the unit is told to save it as .xlsx;
- a saved e-mail (.eml) to open: its spreadsheet attachments become files of their own
  (`intake/mail.py`); an Outlook .msg is ignored with a reason telling staff to save .eml;
- ignored otherwise: Office lock files (`~$...`), hidden files, other documents.
The file name never identifies a submission (the defined names inside do).
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

READ = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
MAIL = frozenset({".eml"})
UNSUPPORTED = frozenset({".xlsb", ".xltx", ".xltm", ".xlt", ".ots", ".fods", ".numbers", ".et"})
BANGKOK = dt.timezone(dt.timedelta(hours=7), "Asia/Bangkok")

# reason code -> register text (Thai / English)
IGNORED = {
    "lock_file": "ไฟล์ล็อกชั่วคราวของ Office (~$) ไม่ใช่ไฟล์รายงาน / Office lock file",
    "hidden": "ไฟล์ซ่อน ไม่ใช่ไฟล์รายงาน / hidden file",
    "not_spreadsheet": "ไม่ใช่ไฟล์ตารางคำนวณ / not a spreadsheet",
    "symlink": "ทางลัด (symbolic link) ไม่เปิดอ่าน / symbolic link, not followed",
    "not_regular": "ไม่ใช่ไฟล์ปกติ / not a regular file",
    "outlook_msg": "ไฟล์อีเมล Outlook (.msg) ระบบไม่เปิดอ่าน กรุณาเปิดอีเมลใน Outlook แล้วเลือก "
    "บันทึกเป็น (Save As) ชนิด .eml หรือบันทึกไฟล์แนบ .xlsx ลงในโฟลเดอร์ / "
    "Outlook .msg is not read; save the e-mail as .eml or save its attachment",
    "mail_no_spreadsheet": "อีเมลนี้ไม่มีไฟล์แนบที่เป็นแบบรายงาน (.xlsx .xls .ods) / "
    "the e-mail has no spreadsheet attachment",
}


@dataclass(frozen=True)
class Found:
    path: Path  # as found under the inbox
    rel: str  # relative to the inbox, with `/`: the name used in reports and the manifest
    size: int
    mtime: float  # seconds since the epoch
    extension: str  # lower case, with the dot
    ignored: str = ""  # a key of IGNORED, or ""
    # An attachment of a saved e-mail (intake/mail.py): its bytes (never written to disk),
    # the .eml it came in (`rel` of that file), the e-mail's Date in Thai time, its sender.
    content: bytes | None = None
    container: str = ""
    received: dt.datetime | None = None
    sender: str = ""

    @cached_property
    def modified(self) -> dt.datetime:
        """Modification time in Thai time (UTC+7): the date an officer saw on screen."""
        return dt.datetime.fromtimestamp(self.mtime, BANGKOK)


def _reason(name: str, extension: str, st: os.stat_result) -> str:
    if stat.S_ISLNK(st.st_mode):
        return "symlink"
    if not stat.S_ISREG(st.st_mode):
        return "not_regular"
    if name.startswith("~$"):
        return "lock_file"
    if name.startswith("."):
        return "hidden"
    if extension == ".msg":
        return "outlook_msg"
    if extension not in READ and extension not in UNSUPPORTED and extension not in MAIL:
        return "not_spreadsheet"
    return ""


def discover(inbox: Path) -> list[Found]:
    """Every file under `inbox`, sorted by relative path (stable run to run)."""
    found: list[Found] = []
    folders = [(str(inbox), "")]  # (folder, its path relative to the inbox with "/")
    while folders:
        folder, prefix = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:  # unreadable: skipped, as os.walk does
            continue
        for entry in entries:
            st = entry.stat(follow_symlinks=False)
            rel = prefix + entry.name
            if stat.S_ISDIR(st.st_mode):
                if not entry.name.startswith("."):
                    folders.append((entry.path, rel + "/"))
                continue
            name = entry.name
            dot = name.rfind(".")
            # as Path.suffix: no suffix for ".hidden" or "name."
            extension = name[dot:].lower() if 0 < dot < len(name) - 1 else ""
            if stat.S_ISLNK(st.st_mode) and os.path.isdir(entry.path):
                if name.startswith("."):
                    continue  # as a hidden folder
                extension = ""  # a link to a folder: listed, not walked
            reason = _reason(name, extension, st)
            found.append(Found(Path(entry.path), rel, st.st_size, st.st_mtime, extension, reason))
    found.sort(key=lambda f: f.rel)
    return found
