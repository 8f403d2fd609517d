"""`manifest.json`: what a run read, with which settings, and what it wrote.

An HR officer asked "which file did this score come from?" answers it from here: every input
file with its checksum, status and issues, and every output with its checksum.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from kpi_batch.reports.marks import appeals_applied, result_state
from kpi_batch.run_record import RunRecord

MANIFEST_VERSION = 1
_PACKAGES = ("kpi_batch", "pandas", "pandera", "python-calamine", "openpyxl", "xlsxwriter")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(
    path: Path,
    ctx: RunRecord,
    *,
    request: Any,
    framework_sha256: str,
    adjustments_sha256: str | None,
    timings: Mapping[str, float],
    receipts_sha256: str | None = None,
    archive: Path | None = None,
    reviews: list[dict[str, Any]] | None = None,
) -> Path:
    """Write the manifest for the run folder `path.parent` (hashing every file in it).
    `framework_sha256`, `adjustments_sha256` and `receipts_sha256`: of the files as the run
    read them."""
    run_dir = path.parent
    fw = ctx.framework
    settings = fw.settings
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "run_id": ctx.run_id,
        "fiscal_year": settings.fiscal_year,
        "round_id": ctx.round.round_id,
        "as_of": ctx.as_of.isoformat(),
        "framework": {
            "path": str(request.framework),
            "sha256": framework_sha256,
            "fingerprint": fw.fingerprint,
        },
        "adjustments": None
        if request.adjustments is None
        else {"path": str(request.adjustments), "sha256": adjustments_sha256},
        "reviews": reviews,  # the KPI owners' workbooks read (--reviews), None without
        "receipts": None
        if getattr(request, "receipts", None) is None
        else {"path": str(request.receipts), "sha256": receipts_sha256},
        "inbox": str(request.inbox),
        "archive": None if archive is None else str(archive),
        "settings": {
            "scale": [str(p) for p in settings.scale],
            "decimals": settings.decimals,
            "rounding": str(settings.rounding),
            "below_lowest": str(settings.below_lowest),
            "late_penalty_per_day": str(settings.late_penalty_per_day),
            "late_penalty_cap": str(settings.late_penalty_cap),
            "late_day_count": str(settings.late_day_count),
            "due_date_roll": str(settings.due_date_roll),
            "band_method": str(settings.band_method),
        },
        "counts": _counts(ctx),
        # pre-appeal or final (scoring/appeal_state.py); the e-mails say which
        "appeals_applied": appeals_applied(ctx),
        "result_state": str(result_state(ctx)),
        "inputs": inputs_records(ctx.inputs),
        "outputs": [
            {"path": p.relative_to(run_dir).as_posix(), "sha256": sha256_file(p)}
            for p in sorted(run_dir.rglob("*"))
            if p.is_file() and p != path
        ],
        "timings_seconds": dict(timings),
        "packages": _versions(),
        "python": platform.python_version(),
    }
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def inputs_records(register: pd.DataFrame) -> list[dict[str, Any]]:
    """The register as JSON objects: path, sha256, status, unit_id, issues, and the rest."""
    records = []
    for row in register.to_dict(orient="records"):
        records.append({str(k): _plain(v) for k, v in row.items()})
    return records


def _counts(ctx: RunRecord) -> dict[str, Any]:
    files = ctx.inputs["status"].value_counts().to_dict() if len(ctx.inputs) else {}
    units = ctx.scored.unit_scores["status"].value_counts().to_dict()
    return {
        "files_found": len(ctx.inputs),
        "files": {str(k): int(v) for k, v in files.items()},
        "units": {str(k): int(v) for k, v in units.items()},
    }


def _plain(value: Any) -> Any:
    """JSON-safe: NaN -> None, numpy scalars -> Python, dates -> ISO text, lists kept."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _versions() -> dict[str, str]:
    found = {}
    for name in _PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "unknown"
    return found
