"""Dry run: every message as an .eml file in `<run>/outbox/`, and an index of who gets what.

An .eml opens in Outlook or Thunderbird exactly as the recipient would see it, so planning
staff can read a few before sending. Each dry run replaces the previous outbox (only the
.eml files and the index this module writes are removed). Messages with a problem (no
address, a failed check) get no .eml; the index says why.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from pathlib import Path

from kpi_batch.deliver.messages import KIND_TH, POLICY, Plan, Planned

OUTBOX = "outbox"
INDEX = "outbox.csv"


def eml_name(planned: Planned) -> str:
    """`01_unit_U01.eml`, `35_hr.eml`."""
    return f"{planned.number:02d}_{re.sub(r'[^A-Za-z0-9.-]', '_', planned.key)}.eml"


def write_outbox(
    plan: Plan, run_dir: Path, status: Mapping[str, str] | None = None, outbox: str = OUTBOX
) -> list[Path]:
    """`outbox`: the folder's name in the run (the owners' review mail has its own)."""
    folder = run_dir / outbox
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.eml"):
        old.unlink()
    written = []
    for planned in plan.messages:
        if planned.ready and planned.message is not None:
            path = folder / eml_name(planned)
            path.write_bytes(planned.message.as_bytes(policy=POLICY))
            written.append(path)
    with (folder / INDEX).open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["no", "eml", "message_key", "unit_id", "kind", "to", "subject", "attachments",
             "status"]
        )  # fmt: skip
        for planned in plan.messages:
            writer.writerow(
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
            )
    return written
