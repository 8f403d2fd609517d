"""`--archive DIR`: a verified copy of what a run read and scored, beside the checksums.

    <DIR>/<fiscal_year>/<round_id>/<as-of>_<n>/inbox/<path in the inbox>   each accepted file
    <DIR>/<fiscal_year>/<round_id>/<as-of>_<n>/framework/<file name>      the framework
    <DIR>/<fiscal_year>/<round_id>/<as-of>_<n>/adjustments/<file name>    if the run had one
    <DIR>/<fiscal_year>/<round_id>/<as-of>_<n>/SHA256SUMS                 `sha256sum -c` format

So the run can be done again from the archive alone, years later, by someone checking an HR
decision: `kpi-batch run --framework framework/F --inbox inbox [--adjustments adjustments/A]
--as-of <as-of>` gives the same scores (tests/test_cli_run.py does it).

Inputs are only read: files are copied (with their modification time), never moved. Each
copy is hashed again from the disk and must equal the checksum taken from the bytes the run
read (intake's for submissions; the pipeline's, before loading, for the framework and the
adjustments); a file that changed in between stops the run, since the archive would not hold
what was scored. The copy is written under a hidden `.partial` name and renamed into place
when complete, so a crash never leaves a half archive under the run's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kpi_batch import fsutil
from kpi_batch.errors import ArchiveError, FileInUseError, UsageError
from kpi_batch.manifest import sha256_file
from kpi_batch.run_layout import ArchiveLayout
from kpi_batch.run_record import RunRecord

SUMS_NAME = ArchiveLayout.SUMS
INBOX = ArchiveLayout.INBOX  # the accepted submissions, under their paths in the inbox
ARCHIVED_STATUSES = ("accepted", "accepted_with_warnings")


@dataclass(frozen=True)
class Archived:
    folder: Path
    files: int  # accepted submissions copied
    sources: tuple[str, ...] = ()  # the other files' folders: "framework", "adjustments"

    def remove(self) -> None:
        """Undo the archive (the run it belongs to failed after it was written)."""
        fsutil.rmtree_quietly(self.folder)


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


@dataclass(frozen=True)
class Source:
    """A file the run read besides the inbox: copied to `<folder>/<name>`."""

    folder: str  # "framework" or "adjustments"
    path: Path
    sha256: str  # of the bytes the run read


def archive_inputs(record: RunRecord, folder: Path, sources: Sequence[Source] = ()) -> Archived:
    """Copy the accepted files of the run's register (`record.inputs`, `path` relative to
    `record.inbox`) to `folder/inbox`, each of `sources` to `folder/<its folder>`, and write
    SHA256SUMS; raise `ArchiveError` if a copy differs from what the run read or the folder
    cannot be written."""
    register, inbox = record.inputs, record.inbox
    if inbox is None:
        raise ValueError("the run record names no inbox to archive from")
    rows = register[register["status"].isin(ARCHIVED_STATUSES)]
    accepted = dict(zip(rows["path"].astype(str), rows["sha256"].astype(str), strict=True))
    if "container" in register.columns:  # an e-mail's attachment: the saved e-mail is kept
        sha_of = dict(
            zip(register["path"].astype(str), register["sha256"].astype(str), strict=True)
        )
        for rel, container in zip(rows["path"].astype(str), rows["container"], strict=True):
            if isinstance(container, str) and container:
                del accepted[rel]
                accepted[container] = sha_of[container]
    copies = [(inbox / rel, f"{INBOX}/{rel}", sha) for rel, sha in sorted(accepted.items())]
    copies += [(s.path, f"{s.folder}/{s.path.name}", s.sha256) for s in sources]
    partial = folder.with_name(f".{folder.name}.partial")
    try:
        if folder.exists():
            raise ArchiveError(
                f"มีโฟลเดอร์สำเนา {folder} อยู่แล้ว ไม่เขียนทับ / archive folder exists: {folder}"
            )
        fsutil.rmtree(partial)
        partial.mkdir(parents=True)
        lines = []
        for source, rel, expected in copies:
            target = partial / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            fsutil.copy_file(source, target)  # writable: the inbox's read-only bit stays there
            copied = sha256_file(target)
            if copied != expected:
                raise ArchiveError(
                    f"ไฟล์ {rel} ถูกแก้ไขระหว่างการประมวลผล สำเนาไม่ตรงกับไฟล์ที่ใช้คิดคะแนน — "
                    f"ประมวลผลใหม่ / {rel} changed while the run read it "
                    f"(sha256 {copied[:12]}… ≠ {expected[:12]}…); run again"
                )
            lines.append(f"{expected}  {Path(rel).as_posix()}\n")
        (partial / SUMS_NAME).write_text("".join(lines), encoding="utf-8", newline="\n")
        fsutil.replace(partial, folder)
    except (ArchiveError, FileInUseError):
        fsutil.rmtree_quietly(partial)
        raise
    except OSError as exc:
        fsutil.rmtree_quietly(partial)
        raise ArchiveError(
            f"เขียนสำเนาไฟล์ที่ {folder} ไม่ได้ / cannot write the archive {folder}: {exc}"
        ) from exc
    return Archived(folder, len(copies) - len(sources), tuple(s.folder for s in sources))
