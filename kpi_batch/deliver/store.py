"""Copy delivery records into the history database, when there is one. Optional.

The run folder's `delivery_log.jsonl` is the record that decides what is sent again; this
only lets history queries see deliveries beside scores. Rows go to the table
`email_deliveries` of `<out>/history.sqlite` (one per message and recipient, as the CSV);
the table is created here when missing and is not part of history.py's versioned schema.
Without a history file, or when it cannot be written, nothing happens and the caller
reports why.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from kpi_batch.deliver.log import Delivery

DB_NAME = "history.sqlite"
TABLE = """
CREATE TABLE IF NOT EXISTS email_deliveries (
    run_id TEXT NOT NULL,
    time TEXT NOT NULL,
    message_key TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    recipient_status TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT NOT NULL,
    subject TEXT NOT NULL,
    attachments TEXT NOT NULL,
    attempts INTEGER NOT NULL
)"""


def history_path(run_dir: Path) -> Path:
    """`<out>/history.sqlite` for a run folder `<out>/<fy>/<round>/<name>`."""
    return run_dir.parent.parent.parent / DB_NAME


def record_deliveries(run_dir: Path, deliveries: Sequence[Delivery]) -> str:
    """Add the rows; returns "" when done, else why not (no database, locked, ...)."""
    path = history_path(run_dir)
    if not path.is_file():
        return f"ไม่มี {path} จึงบันทึกเฉพาะในโฟลเดอร์การประมวลผล / no history database"
    rows = [
        (
            d.run_id,
            d.time,
            d.key,
            d.unit_id,
            d.message_id,
            address,
            _state(d, address),
            d.status,
            d.failed.get(address) or d.error,
            d.subject,
            json.dumps(d.attachments, ensure_ascii=False),
            d.attempts,
        )
        for d in deliveries
        for address in (d.recipients or [""])
    ]
    try:
        conn = sqlite3.connect(path, timeout=30)
        try:
            with conn:
                conn.execute(TABLE)
                conn.executemany(
                    f"INSERT INTO email_deliveries VALUES ({', '.join('?' * 12)})", rows
                )
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"บันทึกใน {path} ไม่ได้ / could not write history: {exc}"
    return ""


def _state(d: Delivery, address: str) -> str:
    if address in d.delivered:
        return "delivered"
    return "failed" if address in d.failed else "not_sent"
