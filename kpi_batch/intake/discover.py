"""Walk the inbox: every entry found gets a row in the register, even the ones we skip.

Sub-folders are walked. What is not walked or not read is still listed, with its reason:
- symbolic links and Windows junctions (directory mount points) are never followed: a link
  could point anywhere on the machine; a link leading out of the inbox says so;
- hidden folders (`.git`, `.Trash`, or the Windows hidden attribute) are listed, not walked;
- a folder that cannot be opened (no permission) is listed, with what to do.
A file is
- a candidate when its extension is one python-calamine reads (.xlsx, .xlsm, .xls, .ods);
- rejected at once when it is a spreadsheet format we do not read (.xlsb, templates...), so
  the unit is told to save it as .xlsx;
- ignored otherwise: Office lock files (`~$...`), hidden files (a leading dot or the
  Windows hidden attribute), other documents.
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
UNSUPPORTED = frozenset({".xlsb", ".xltx", ".xltm", ".xlt", ".ots", ".fods", ".numbers", ".et"})
BANGKOK = dt.timezone(dt.timedelta(hours=7), "Asia/Bangkok")
# Windows only (os.stat_result has these there); 0 elsewhere, so the tests can fake them.
HIDDEN_ATTRIBUTE = getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 2)
MOUNT_POINT = getattr(stat, "IO_REPARSE_TAGMOUNT_POINT", 0xA0000003)

# reason code -> register text (Thai / English)
IGNORED = {
    "lock_file": "ไฟล์ล็อกชั่วคราวของ Office (~$) ไม่ใช่ไฟล์รายงาน / Office lock file",
    "hidden": "ไฟล์ซ่อน ไม่ใช่ไฟล์รายงาน / hidden file",
    "hidden_folder": "โฟลเดอร์ซ่อน ไม่ได้เปิดดูไฟล์ข้างใน / hidden folder, not walked",
    "not_spreadsheet": "ไม่ใช่ไฟล์ตารางคำนวณ / not a spreadsheet",
    "symlink": "ทางลัด (symbolic link) ไม่เปิดอ่าน / symbolic link, not followed",
    "link_outside": "ทางลัด (link/junction) ชี้ออกไปนอกโฟลเดอร์ไฟล์รายงานผล ไม่เปิดอ่าน "
    "หากเป็นไฟล์รายงาน ให้คัดลอกไฟล์จริงมาไว้ในโฟลเดอร์ / link leading out of the inbox, "
    "not followed",
    "junction": "จุดเชื่อมโฟลเดอร์ (junction) ไม่เปิดอ่าน / directory junction, not followed",
    "not_regular": "ไม่ใช่ไฟล์ปกติ / not a regular file",
    "folder_unreadable": "เปิดโฟลเดอร์นี้ไม่ได้ (ไม่มีสิทธิ์อ่าน) ไฟล์ข้างในยังไม่ได้ตรวจ "
    "ผู้ประมวลผล: ให้สิทธิ์อ่านโฟลเดอร์ แล้วประมวลผลใหม่ / folder cannot be read; "
    "the files in it were not checked",
    "unreadable": "อ่านข้อมูลไฟล์ไม่ได้ (ไม่มีสิทธิ์ หรือไฟล์หายไประหว่างตรวจ) "
    "ผู้ประมวลผล: ตรวจสิทธิ์ไฟล์ แล้วประมวลผลใหม่ / cannot stat this entry",
}
LINKS = frozenset({"symlink", "link_outside", "junction"})


@dataclass(frozen=True)
class Found:
    path: Path  # as found under the inbox
    rel: str  # relative to the inbox, with `/`: the name used in reports and the manifest
    size: int
    mtime: float  # seconds since the epoch
    extension: str  # lower case, with the dot
    ignored: str = ""  # a key of IGNORED, or ""
    folder: bool = False  # a folder (or a link to one) listed, not walked

    @cached_property
    def modified(self) -> dt.datetime:
        """Modification time in Thai time (UTC+7): the date an officer saw on screen."""
        return dt.datetime.fromtimestamp(self.mtime, BANGKOK)

    @property
    def hashable(self) -> bool:
        """A regular file whose bytes can be hashed (ignored ones too)."""
        return not self.folder and self.ignored not in LINKS | {"not_regular", "unreadable"}


def _hidden(name: str, st: os.stat_result) -> bool:
    return name.startswith(".") or bool(getattr(st, "st_file_attributes", 0) & HIDDEN_ATTRIBUTE)


def _is_junction(st: os.stat_result) -> bool:
    return getattr(st, "st_reparse_tag", 0) == MOUNT_POINT


def _link_reason(path: str, inbox: str) -> str:
    """`link_outside` when the link (or junction) resolves outside the inbox."""
    try:
        target = os.path.realpath(path)
    except (OSError, ValueError):
        return "link_outside"
    inside = os.path.commonpath([target, inbox]) == inbox if target else False
    return "symlink" if inside else "link_outside"


def _reason(name: str, extension: str, st: os.stat_result) -> str:
    if not stat.S_ISREG(st.st_mode):
        return "not_regular"
    if name.startswith("~$"):
        return "lock_file"
    if _hidden(name, st):
        return "hidden"
    if extension not in READ and extension not in UNSUPPORTED:
        return "not_spreadsheet"
    return ""


def _extension(name: str) -> str:
    dot = name.rfind(".")
    # as Path.suffix: no suffix for ".hidden" or "name."
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def discover(inbox: Path) -> list[Found]:
    """Every entry under `inbox`, sorted by relative path (stable run to run)."""
    found: list[Found] = []
    root = os.path.realpath(inbox)
    folders = [(str(inbox), "")]  # (folder, its path relative to the inbox with "/")
    while folders:
        folder, prefix = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            if not prefix:
                raise  # the inbox itself: the caller says so
            found.append(_folder_entry(Path(folder), prefix, "folder_unreadable"))
            continue
        for entry in entries:
            rel = prefix + entry.name
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                found.append(Found(Path(entry.path), rel, 0, 0.0, "", "unreadable"))
                continue
            if stat.S_ISLNK(st.st_mode) or _is_junction(st):
                reason = _link_reason(entry.path, root)
                if _is_junction(st) and reason == "symlink":
                    reason = "junction"
                is_dir = os.path.isdir(entry.path)
                extension = "" if is_dir else _extension(entry.name)
                found.append(
                    Found(Path(entry.path), rel, 0, st.st_mtime, extension, reason, is_dir)
                )
                continue
            if stat.S_ISDIR(st.st_mode):
                if _hidden(entry.name, st):
                    found.append(Found(Path(entry.path), rel + "/", 0, st.st_mtime, "",
                                       "hidden_folder", True))  # fmt: skip
                else:
                    folders.append((entry.path, rel + "/"))
                continue
            extension = _extension(entry.name)
            reason = _reason(entry.name, extension, st)
            found.append(Found(Path(entry.path), rel, st.st_size, st.st_mtime, extension, reason))
    found.sort(key=lambda f: f.rel)
    return found


def _folder_entry(path: Path, rel: str, reason: str) -> Found:
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = 0.0
    return Found(path, rel, 0, mtime, "", reason, True)
