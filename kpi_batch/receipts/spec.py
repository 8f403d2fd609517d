"""Receipts register format v1: one sheet (or CSV) with these columns, exact keys.

| column | required | meaning |
|---|---|---|
| `unit_id` | `unit_id` or `file` | the unit whose file was received |
| `file` | `unit_id` or `file` | a file in the inbox: `U01.xlsx`, `mail.eml`, `mail.eml#a.xlsx` |
| `received_on` | yes | the receipt date (Excel date, `7/3/2567`, `7 มี.ค. 2567`) |
| `reference` | no | the receipt number (เลขรับ) |

A row may give both `unit_id` and `file`; `file` then picks the file and `unit_id` must be
the unit that file is from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FORMAT_VERSION = "1"
SHEET = "receipts"
INSTRUCTIONS_SHEET = "วิธีกรอก"
TEMPLATE_FILE = "receipts_template.xlsx"  # input_templates/ and the working folder
WORKFOLDER_FILE = "receipts.xlsx"  # the filled register the launchers pass as --receipts
COLUMNS = ("unit_id", "file", "received_on", "reference")
REQUIRED = ("received_on",)
COLUMN_TH = {
    "unit_id": "รหัสหน่วยงาน",
    "file": "ชื่อไฟล์",
    "received_on": "วันที่รับ",
    "reference": "เลขรับ",
}


@dataclass(frozen=True)
class Receipt:
    """One checked row: `unit_id` or `file` (or both), the date, where it was typed."""

    unit_id: str
    file: str
    received_on: dt.date
    reference: str
    where: str  # `receipts!A5` style, for messages
    source: str = ""  # the receipts file, as named in issues

    def names(self, rel: str, container: str) -> bool:
        """Whether this receipt's `file` names the inbox file `rel` (its path or its
        name, any case), or the saved e-mail `container` it came in."""
        if not self.file:
            return False
        wanted = self.file.casefold()
        for candidate in (rel, container):
            if candidate and wanted in (
                candidate.casefold(),
                candidate.rsplit("/", 1)[-1].casefold(),
            ):
                return True
        return False
