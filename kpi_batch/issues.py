"""A problem found in an input is a value, not an exception.

Every stage that reads something a person typed (framework, submissions, adjustments)
returns `Issue`s; the batch goes on and the reports list them. The `code` is stable (tests,
reports and planning staff refer to it); the Thai message says what to do, at which cell.
Every code is declared in the issue catalogue (kpi_batch/catalogue.py) and every `Issue` of
the package is made by its kind's `issue(...)`; `error` and `warning` here are for tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # the file, or that KPI's result, is not used
    WARNING = "warning"  # used, but flagged for a person to look at


@dataclass(frozen=True)
class Issue:
    code: str
    severity: Severity
    message_th: str
    message_en: str
    sheet: str = ""
    cell: str = ""  # "B7"; empty when the problem is the whole sheet or file
    file: str = ""
    value: str = ""  # the value as found, for the report
    unit_id: str = ""
    kpi_id: str = ""

    @property
    def where(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or self.file

    def line(self) -> str:
        """`sheet!CELL: Thai message [code]` — the form planning staff see."""
        where = self.where
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.message_th} [{self.code}]"


def error(code: str, message_th: str, message_en: str, **where: str) -> Issue:
    return Issue(code, Severity.ERROR, message_th, message_en, **where)


def warning(code: str, message_th: str, message_en: str, **where: str) -> Issue:
    return Issue(code, Severity.WARNING, message_th, message_en, **where)


def has_errors(issues: list[Issue] | tuple[Issue, ...]) -> bool:
    return any(i.severity is Severity.ERROR for i in issues)


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """1-based Excel row and 0-based column index -> "B7"."""
    return f"{column_letter(col)}{row}"
