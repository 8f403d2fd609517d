"""Intake's reading of a template cell: the shared reader (`kpi_batch.cells`, docs/cells.md)
plus how intake reads identifier and note cells.

python-calamine 0.9 reads error cells as `""`, so the loader finds them in the sheet XML and
passes the error text here instead.
"""

from __future__ import annotations

from kpi_batch.cells import Cell, Kind, date, number, number_column, original_text

__all__ = ["Cell", "Kind", "date", "number", "number_column", "original_text", "text"]


def text(raw: object) -> str:
    """An identifier or free-text cell: trimmed, NBSP and Thai digits kept as typed.

    Identifiers are written as text by the template; a number that slipped in (1.0 for "1")
    reads back as its shortest form.
    """
    if raw is None:
        return ""
    if isinstance(raw, str):
        return " ".join(raw.replace("\u00a0", " ").split())
    return original_text(raw)
