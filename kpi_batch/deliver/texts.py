"""E-mail wording: editable Thai text files with `{placeholder}`s.

    load_texts(override_dir) -> {template name: Text}
    text.render(values) -> (subject, body)

A text file's first line is the subject, the second is blank and the rest is the body.
The built-in files are `kpi_batch/resources/email/<name>.txt`; a file of the same name in
the override folder (`--templates DIR` or the framework setting `email_templates`) replaces
it, and a name the folder does not have falls back to the built-in one. `{{` and `}}` are a
literal brace. A placeholder the program does not fill is refused when the texts are loaded,
before anything is written or sent, naming the file and the placeholders it may use.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from kpi_batch.errors import UsageError
from kpi_batch.textfiles import Decoded, read_text

COMMON = (
    "organisation",
    "fiscal_year",
    "round_id",
    "round_name",
    "period",
    "as_of",
    "run_id",
    "due_date",
    "late_penalty_per_day",
    "late_penalty_cap",
    "contact",
    "attachments",
    "result_state",
)
_UNIT = (
    "unit_id",
    "unit_name",
    "cluster_id",
    "cluster_name",
    # whether a corrected file is still accepted, and from which day a file is late
    "resubmit_terms",
    "accepted_until",
    "penalty_from",
)
# reminders (`email --remind`): the unit's state and the lateness as of today
_REMIND = (
    "template_file",
    "today",
    "state_note",
    "days_left_text",
    "days_late_text",
    "deduction_so_far",
    "penalty_growth",
)
_COUNTS = ("recipient_names", "n_units", "n_scored", "n_missing", "n_rejected")
# template name -> the placeholders it may use
PLACEHOLDERS: Mapping[str, tuple[str, ...]] = {
    "unit_scored": (
        *COMMON,
        *_UNIT,
        "pre_appeal_score",
        "total_before_deduction",
        "deduction",
        "final_score",
        "band",
        "band_name",
        "rank",
        "cluster_rank",
        "n_ranked",
        "rank_text",
        "days_late",
        "appeal_deadline",
        "returned_note",
    ),
    "unit_rejected": (*COMMON, *_UNIT, "problems", "template_file", "resubmit_by"),
    "unit_missing": (*COMMON, *_UNIT, "template_file", "resubmit_by"),
    "unit_remind": (*COMMON, *_UNIT, *_REMIND),
    "unit_remind_late": (*COMMON, *_UNIT, *_REMIND),
    "hr": (*COMMON, *_COUNTS),
    "executive": (*COMMON, *_COUNTS),
}


_BLANK_RUN = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


@dataclass(frozen=True)
class Text:
    name: str
    source: str  # the file it came from, for messages
    subject: str
    body: str
    warning: str = ""  # e.g. the file was read as cp874, not UTF-8

    def render(self, values: Mapping[str, str]) -> tuple[str, str]:
        subject = self.subject.format_map(values)
        body = self.body.format_map(values)
        # An empty value (a note that does not apply) leaves no run of blank lines.
        body = _BLANK_RUN.sub("\n\n", body)
        # A subject must stay one line whatever a value holds.
        return " ".join(subject.split()), body.rstrip() + "\n"


def load_texts(override_dir: Path | None = None) -> dict[str, Text]:
    if override_dir is not None and not override_dir.is_dir():
        raise UsageError(
            f"ไม่พบโฟลเดอร์ข้อความอีเมล {override_dir} / e-mail templates folder not found"
        )
    builtin = resources.files("kpi_batch") / "resources" / "email"
    texts = {}
    for name in PLACEHOLDERS:
        custom = override_dir / f"{name}.txt" if override_dir is not None else None
        if custom is not None and custom.is_file():
            decoded = _read_custom(custom)
            text = parse_text(name, decoded.text, str(custom))
            texts[name] = replace(text, warning=decoded.warning)
        else:
            raw = (builtin / f"{name}.txt").read_text(encoding="utf-8")
            texts[name] = parse_text(name, raw, f"{name}.txt")
    return texts


def _read_custom(path: Path) -> Decoded:
    """A wording file as saved by Notepad: UTF-8 (with or without BOM), UTF-16, or cp874
    with a warning (kpi_batch/textfiles.py)."""
    try:
        return read_text(path)
    except UnicodeDecodeError:
        raise UsageError(
            f"{path}: อ่านข้อความไม่ได้ — เปิดใน Notepad แล้วบันทึกเป็น UTF-8 / "
            "cannot decode the file; save it as UTF-8"
        ) from None


def parse_text(name: str, raw: str, source: str) -> Text:
    lines = raw.replace("\r\n", "\n").split("\n")
    subject = lines[0].strip()
    if not subject or len(lines) < 3 or lines[1].strip():
        raise UsageError(
            f"{source}: บรรทัดแรกต้องเป็นหัวเรื่อง บรรทัดที่สองเว้นว่าง แล้วจึงเป็นเนื้อความ / "
            "first line is the subject, then a blank line, then the body"
        )
    body = "\n".join(lines[2:])
    allowed = set(PLACEHOLDERS[name])
    unknown: list[str] = []
    for part in (subject, body):
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(part) if f is not None]
        except ValueError as exc:
            raise UsageError(f"{source}: วงเล็บปีกกาไม่ครบคู่ / unbalanced braces: {exc}") from None
        unknown += [f for f in fields if f not in allowed and f not in unknown]
    if unknown:
        raise UsageError(
            f"{source}: ไม่รู้จักช่องข้อความ {', '.join('{' + f + '}' for f in unknown)} "
            f"ใช้ได้เฉพาะ / unknown placeholder(s); allowed: "
            + ", ".join("{" + f + "}" for f in PLACEHOLDERS[name])
        )
    return Text(name, source, subject, body)
