"""Read a finished run folder for sending: what it says, which framework made it, its files.

    load_run(run_dir, framework_path=None) -> RunSource

The framework is the one named in `manifest.json` (or `framework_path`), and it must have
the fingerprint the manifest recorded: addresses may have been corrected since the run
(they are not part of the fingerprint), but units, KPIs and rounds may not have changed.
Only files listed in the manifest's outputs are read, with their recorded checksums, so a
file added to or changed in the folder after the run is never mistaken for the run's own.
The folder is only read here.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpi_batch.errors import KpiBatchError, UsageError
from kpi_batch.framework.load import load_framework
from kpi_batch.model import Framework, Round
from kpi_batch.run_layout import RunLayout
from kpi_batch.runfolder import follow_latest, latest_run

MANIFEST = RunLayout.MANIFEST  # read before the round (and so the layout) is known


class RunFolderError(UsageError):
    """The folder is not a finished run, or does not match its framework."""


@dataclass(frozen=True)
class RunFile:
    rel: str  # path inside the run folder, with `/`
    data: bytes
    sha256: str  # of `data`, as read now
    manifest_sha256: str  # as the run recorded it

    @property
    def name(self) -> str:
        return self.rel.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class UnitRow:
    """One row of scores.csv, as text exactly as the run wrote it."""

    unit_id: str
    unit_name: str
    cluster_id: str
    pre_appeal_score: str
    deduction: str
    final_score: str
    band: str
    rank: str
    cluster_rank: str
    days_late: str
    status: str  # scored / missing / rejected
    total_before_deduction: str = ""  # DOMAIN §7 v1.1; empty in runs made before it


@dataclass(frozen=True)
class InputFile:
    """One file of the run's intake register (manifest `inputs`)."""

    path: str
    unit_id: str
    status: str
    reasons: str
    issues: tuple[Mapping[str, Any], ...] = ()
    sha256: str = ""
    modified: str = ""
    received_on: str = ""

    @property
    def has_errors(self) -> bool:
        return self.status == "rejected" or any(
            str(i.get("severity")) == "error" for i in self.issues
        )


@dataclass(frozen=True)
class RunSource:
    run_dir: Path
    run_id: str
    round: Round
    as_of: dt.date
    framework: Framework
    framework_path: Path
    scores: tuple[UnitRow, ...]  # scores.csv order: ranked first
    inputs: tuple[InputFile, ...]
    files: Mapping[str, RunFile]  # rel -> file, attachable outputs present on disk
    manifest_outputs: Mapping[str, str]  # rel -> sha256, everything the run wrote
    latest: Path | None = None  # the round's newest finished run, when laid out as usual
    appeals_applied: bool = False  # manifest: an appeal-stage adjustment changed a score

    @property
    def fiscal_year(self) -> int:
        return self.framework.settings.fiscal_year

    @property
    def is_latest(self) -> bool:
        return self.latest is None or self.latest.resolve() == self.run_dir.resolve()

    @property
    def layout(self) -> RunLayout:
        """Where each of the run's files is in its folder (the only way e-mail finds one)."""
        return RunLayout(self.fiscal_year, self.round.round_id)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_run(run_dir: Path, framework_path: Path | None = None) -> RunSource:
    run_dir = follow_latest(run_dir)
    manifest = _manifest(run_dir)
    recorded = manifest.get("framework") or {}
    path = Path(framework_path or recorded.get("path") or "")
    if not str(path) or not path.is_file():
        raise RunFolderError(
            f"ไม่พบกรอบการประเมินที่ใช้ประมวลผล ({path or '-'}) ให้ระบุ --framework / "
            f"the run's framework {str(path) or '-'} was not found; pass --framework"
        )
    try:
        framework = load_framework(path)
    except KpiBatchError as exc:
        raise RunFolderError(
            f"อ่านกรอบการประเมิน {path} ไม่ได้ / cannot load the framework: {exc}"
        ) from exc
    if framework.fingerprint != recorded.get("fingerprint"):
        raise RunFolderError(
            f"กรอบการประเมิน {path} ไม่ใช่ฉบับที่ใช้ประมวลผลนี้ "
            f"(รหัส {framework.short_fingerprint} ไม่ตรงกับ "
            f"{str(recorded.get('fingerprint') or '-')[:12]}) ตัวชี้วัด หน่วยงาน หรือรอบ "
            "ถูกแก้ไขหลังการประมวลผล ให้ประมวลผลใหม่ หรือระบุ --framework ฉบับที่ใช้ / "
            "this framework is not the one the run was made from (fingerprint differs)"
        )
    try:
        rnd = framework.round(str(manifest["round_id"]))
        as_of = dt.date.fromisoformat(str(manifest["as_of"]))
        run_id = str(manifest["run_id"])
    except (KeyError, ValueError) as exc:
        raise RunFolderError(f"{run_dir / MANIFEST}: ข้อมูลไม่ครบ / incomplete: {exc}") from None
    outputs = {
        str(o["path"]): str(o["sha256"])
        for o in manifest.get("outputs") or []
        if isinstance(o, dict) and "path" in o and "sha256" in o
    }
    layout = RunLayout(framework.settings.fiscal_year, rnd.round_id)
    scores_data = _read_checked(run_dir, layout.SCORES, outputs)
    files = {}
    for rel, sha in outputs.items():
        target = run_dir / rel
        if layout.is_attachable(rel) and target.is_file():
            data = target.read_bytes()
            files[rel] = RunFile(rel, data, sha256_bytes(data), sha)
    return RunSource(
        run_dir=run_dir,
        run_id=run_id,
        round=rnd,
        as_of=as_of,
        framework=framework,
        framework_path=path,
        scores=_scores(scores_data),
        inputs=tuple(_input(i) for i in manifest.get("inputs") or [] if isinstance(i, dict)),
        files=files,
        manifest_outputs=outputs,
        appeals_applied=bool(manifest.get("appeals_applied")),
        latest=_latest(run_dir, framework.settings.fiscal_year, rnd.round_id),
    )


def _latest(run_dir: Path, fiscal_year: int, round_id: str) -> Path | None:
    """The round's `latest` run when the folder sits at <out>/<fy>/<round>/<name>."""
    resolved = run_dir.resolve()
    if resolved.parent.name != round_id or resolved.parent.parent.name != str(fiscal_year):
        return None
    return latest_run(resolved.parent.parent.parent, fiscal_year, round_id)


def _manifest(run_dir: Path) -> dict[str, Any]:
    path = run_dir / MANIFEST
    if not path.is_file():
        raise RunFolderError(
            f"{run_dir} ไม่ใช่โฟลเดอร์ผลการประมวลผล (ไม่มี {MANIFEST}) / not a run folder"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RunFolderError(f"{path}: อ่านไม่ได้ / unreadable: {exc}") from None
    if not isinstance(data, dict):
        raise RunFolderError(f"{path}: รูปแบบไม่ถูกต้อง / not a manifest")
    return data


def read_output(source: RunSource, rel: str) -> bytes:
    """A file the run wrote, refused if it changed since (checksum in the manifest)."""
    return _read_checked(source.run_dir, rel, source.manifest_outputs)


def _read_checked(run_dir: Path, rel: str, outputs: Mapping[str, str]) -> bytes:
    path = run_dir / rel
    if not path.is_file():
        raise RunFolderError(f"ไม่พบ {path} / missing from the run folder")
    data = path.read_bytes()
    if outputs.get(rel) != sha256_bytes(data):
        raise RunFolderError(
            f"{path} ถูกแก้ไขหลังการประมวลผล (checksum ไม่ตรงกับ {MANIFEST}) จึงไม่ส่งผล / "
            f"changed after the run (checksum differs from {MANIFEST}); nothing is sent"
        )
    return data


def _scores(data: bytes) -> tuple[UnitRow, ...]:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    names = UnitRow.__dataclass_fields__
    return tuple(UnitRow(**{k: (row.get(k) or "").strip() for k in names}) for row in reader)


def _input(record: Mapping[str, Any]) -> InputFile:
    issues = record.get("issues") or []
    return InputFile(
        path=str(record.get("path") or ""),
        unit_id=str(record.get("unit_id") or ""),
        status=str(record.get("status") or ""),
        reasons=str(record.get("reasons") or ""),
        issues=tuple(i for i in issues if isinstance(i, dict)),
        sha256=str(record.get("sha256") or ""),
        modified=str(record.get("modified") or ""),
        received_on=str(record.get("received_on") or ""),
    )
