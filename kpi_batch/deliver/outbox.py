"""Dry run: every message as an .eml file in `<run>/outbox/`, and an index of who gets what.

An .eml opens in Outlook or Thunderbird exactly as the recipient would see it, so planning
staff can read a few before sending. Each dry run replaces the previous outbox (only the
.eml files and the index this module writes are removed). Messages with a problem (no
address, a failed check) get no .eml; the index says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from kpi_batch import fsutil
from kpi_batch.csvfiles import write_csv
from kpi_batch.deliver.messages import KIND_TH, POLICY, MessagePlan, Planned
from kpi_batch.run_layout import RunLayout
from kpi_batch.safe_names import safe_name

OUTBOX = RunLayout.OUTBOX
INDEX = RunLayout.OUTBOX_INDEX


def eml_name(planned: Planned) -> str:
    """`01_unit_U01.eml`, `35_hr.eml` (key `unit:U01`, `hr`)."""
    kind, _, unit_id = planned.key.partition(":")
    return f"{planned.number:02d}_{kind}{f'_{safe_name(unit_id)}' if unit_id else ''}.eml"


def write_outbox(
    plan: MessagePlan, run_dir: Path, status: Mapping[str, str] | None = None, outbox: str = OUTBOX
) -> list[Path]:
    """`outbox`: the folder's name in the run (the owners' review mail has its own)."""
    folder = run_dir / outbox
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.eml"):
        fsutil.remove(old)  # retried: Outlook may be showing one
    written = []
    for planned in plan.messages:
        if planned.ready and planned.message is not None:
            path = folder / eml_name(planned)
            fsutil.write_bytes(path, planned.message.as_bytes(policy=POLICY))
            written.append(path)
    fsutil.write_with(folder / INDEX, lambda tmp: _write_index(tmp, plan, status))
    return written


def _write_index(tmp: Path, plan: MessagePlan, status: Mapping[str, str] | None) -> None:
    header = ["no", "eml", "message_key", "unit_id", "kind", "to", "subject", "attachments",
              "status"]  # fmt: skip
    rows = [
        [
            planned.number,
            eml_name(planned) if planned.ready else "",
            planned.key,
            planned.unit_id,
            KIND_TH.get(planned.template, planned.template),
            "; ".join(planned.to),
            planned.subject,
            "; ".join(a.filename for a in planned.attachments),
            "; ".join(p.message for p in planned.problems)
            or (status or {}).get(planned.key, "ready"),
        ]
        for planned in plan.messages
    ]
    write_csv(tmp, header, rows)
