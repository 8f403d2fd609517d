"""`--archive DIR`: a verified copy of the files a run accepted, beside their checksums.

    <DIR>/<fiscal_year>/<round_id>/<as-of>_<n>/<path in the inbox>   one per accepted file
    <DIR>/<fiscal_year>/<round_id>/<as-of>_<n>/SHA256SUMS             `sha256sum -c` format

The inbox is only read: files are copied (with their modification time), never moved. Each
copy is hashed again from the disk and must equal the checksum intake computed from the
bytes it scored; a file that changed in between stops the run, since the archive would not
hold what was scored. The copy is written under a hidden `.partial` name and renamed into
place when complete, so a crash never leaves a half archive under the run's name.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kpi_batch.errors import ArchiveError, UsageError
from kpi_batch.manifest import sha256_file

SUMS_NAME = "SHA256SUMS"
ARCHIVED_STATUSES = ("accepted", "accepted_with_warnings")


@dataclass(frozen=True)
class Archived:
    folder: Path
    files: int

    def remove(self) -> None:
        """Undo the archive (the run it belongs to failed after it was written)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def archive_folder(root: Path, run_id: str) -> Path:
    """`2567/R1/2024-03-15_1` -> `<root>/2567/R1/2024-03-15_1`."""
    return root.joinpath(*run_id.split("/"))


def check_archive_root(root: Path, inbox: Path) -> None:
    """Refuse an archive inside the inbox: the next run would read the copies as
    submissions (duplicates of every unit's file)."""
    inside = root.resolve().is_relative_to(inbox.resolve())
    if inside:
        raise UsageError(
            f"โฟลเดอร์ --archive {root} อยู่ในโฟลเดอร์ไฟล์รายงานผล {inbox} — เลือกที่อื่น / "
            "--archive must not be inside the inbox"
        )


def archive_inputs(register: pd.DataFrame, inbox: Path, folder: Path) -> Archived:
    """Copy the accepted files of `register` (intake's, `path` relative to `inbox`) to
    `folder` and write SHA256SUMS; raise `ArchiveError` if a copy differs from what intake
    read or the folder cannot be written."""
    rows = register[register["status"].isin(ARCHIVED_STATUSES)]
    wanted = sorted(zip(rows["path"].astype(str), rows["sha256"].astype(str), strict=True))
    partial = folder.with_name(f".{folder.name}.partial")
    try:
        if folder.exists():
            raise ArchiveError(
                f"มีโฟลเดอร์สำเนา {folder} อยู่แล้ว ไม่เขียนทับ / archive folder exists: {folder}"
            )
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        lines = []
        for rel, expected in wanted:
            source, target = inbox / rel, partial / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            copied = sha256_file(target)
            if copied != expected:
                raise ArchiveError(
                    f"ไฟล์ {rel} ถูกแก้ไขระหว่างการประมวลผล สำเนาไม่ตรงกับไฟล์ที่ใช้คิดคะแนน — "
                    f"ประมวลผลใหม่ / {rel} changed while the run read it "
                    f"(sha256 {copied[:12]}… ≠ {expected[:12]}…); run again"
                )
            lines.append(f"{expected}  {Path(rel).as_posix()}\n")
        (partial / SUMS_NAME).write_text("".join(lines), encoding="utf-8", newline="\n")
        partial.rename(folder)
    except ArchiveError:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise ArchiveError(
            f"เขียนสำเนาไฟล์ที่ {folder} ไม่ได้ / cannot write the archive {folder}: {exc}"
        ) from exc
    return Archived(folder, len(wanted))
