"""The delivery log: what was sent from a run folder, to whom, with which files.

    <run>/delivery_log.jsonl   one JSON object per send attempt, appended and flushed as
                               each message finishes (a crash loses nothing already sent)
    <run>/delivery_log.csv     the same, one row per message and recipient (UTF-8 with BOM,
                               opens in Excel); rewritten from the .jsonl after each send,
                               last: Excel holding it open never loses a record

`delivered(records)` says which recipients of which message already have it, so a later
`email --send` sends only the rest. Records never hold a password: errors are the server's
replies, and `scrub` removes the configured secret from any text as a second guard.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kpi_batch import csvfiles, fsutil
from kpi_batch.run_layout import RunLayout

LOG_JSONL = RunLayout.DELIVERY_LOG_JSONL
LOG_CSV = RunLayout.DELIVERY_LOG_CSV
CSV_COLUMNS = (
    "time",
    "run_id",
    "message_key",
    "unit_id",
    "message_id",
    "recipient",
    "recipient_status",
    "status",
    "error",
    "subject",
    "attachments",
    "attempts",
)


@dataclass
class Delivery:
    """One message's send attempt (its retries included)."""

    time: str
    run_id: str
    key: str
    unit_id: str
    message_id: str
    subject: str
    recipients: list[str]  # attempted this time
    delivered: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # address -> server reply
    attachments: list[dict[str, str]] = field(default_factory=list)  # filename, source, sha256
    status: str = ""  # sent / partial / failed / not_sent
    error: str = ""
    attempts: int = 0

    def settle(self) -> Delivery:
        if self.delivered and not self.failed:
            self.status = "sent"
        elif self.delivered:
            self.status = "partial"
        elif self.status != "not_sent":
            self.status = "failed"
        return self


def append(run_dir: Path, delivery: Delivery) -> None:
    with (run_dir / LOG_JSONL).open("a", encoding="utf-8") as f:
        f.write(json.dumps(asdict(delivery), ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


def read(run_dir: Path) -> list[dict[str, Any]]:
    """Every record so far; a torn last line (a crash mid-write) is skipped."""
    path = run_dir / LOG_JSONL
    if not path.is_file():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def delivered(records: Iterable[Mapping[str, Any]]) -> dict[str, set[str]]:
    """message key -> addresses (lower case) that accepted it, over every attempt."""
    found: dict[str, set[str]] = defaultdict(set)
    for r in records:
        found[str(r.get("key"))] |= {str(a).lower() for a in r.get("delivered") or []}
    return dict(found)


def write_csv(run_dir: Path, records: Sequence[Mapping[str, Any]]) -> Path:
    """The CSV copy of the log, replaced whole; retried while Excel has it open, then
    `FileInUseError` (the .jsonl and the history already hold every record)."""
    return fsutil.write_with(run_dir / LOG_CSV, lambda tmp: _write_rows(tmp, records))


def _write_rows(tmp: Path, records: Sequence[Mapping[str, Any]]) -> None:
    rows = []
    for r in records:
        attached = r.get("attachments") or []
        files = "; ".join(f"{a.get('filename')}={a.get('sha256')}" for a in attached)
        failed = r.get("failed") or {}
        for address in r.get("recipients") or [""]:
            state = (
                "delivered"
                if address in (r.get("delivered") or [])
                else ("failed" if address in failed else "not_sent")
            )
            rows.append(
                [
                    r.get("time"),
                    r.get("run_id"),
                    r.get("key"),
                    r.get("unit_id"),
                    r.get("message_id"),
                    address,
                    state,
                    r.get("status"),
                    failed.get(address) or r.get("error") or "",
                    r.get("subject"),
                    files,
                    r.get("attempts"),
                ]
            )
    csvfiles.write_csv(tmp, CSV_COLUMNS, rows)


def scrub(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text
