"""How far the tables python-calamine loads from an .xlsx can reach, before it reads one.

Reading a table through calamine's table API allocates the table's whole `ref` range
densely, whatever cells the sheet holds: a table part saying `ref="A1:XFD1048576"` makes it
request terabytes and abort the process, like a far cell does for a sheet (container.py).
calamine picks the first table of that name among the parts that the sheets' relationships
of type `table` point to. So before intake uses the table API, every such part must be one
the safety pass kept and inflated (`xl/tables/...`), written plainly (no comment, CDATA or
processing instruction that could hide an element from a regex), and every `ref` in it
must parse, however quoted. `table_reach` returns the most rows and cells any of them spans,
or None when that cannot be known for certain; the loader then reads the sheet instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from posixpath import join, normpath

from kpi_batch.intake.container import plain_markup

_TYPE = re.compile(rb"""\bType\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TARGET = re.compile(rb"""\bTarget\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"""\bref\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ANY_REF = re.compile(rb"\bref\b")
_RANGE = re.compile(rb"\$?([A-Z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Z]{1,3})\$?([0-9]{1,7}))?")
_SHEET_RELS = "xl/worksheets/_rels/"
_TABLES = "xl/tables/"
_WORKSHEET_TARGET = re.compile(r"(?:/xl/)?worksheets/[A-Za-z0-9_]+\.xml")


def table_reach(parts: Mapping[str, bytes], sheet_targets: Sequence[str]) -> tuple[int, int] | None:
    """(rows, cells) of the largest table calamine could load, or None if not certain.

    `parts`: the parts the safety pass kept; `sheet_targets`: the relationship targets of
    the workbook's sheets, as the loader found them (all of them, or this says None)."""
    workbook = parts.get("xl/workbook.xml", b"")
    if not (plain_markup(workbook) and plain_markup(parts.get("xl/_rels/workbook.xml.rels", b""))):
        return None  # a sheet could hide from the regexes that found `sheet_targets`
    if workbook.count(b"<sheet") - workbook.count(b"<sheets") != len(sheet_targets):
        return None  # a sheet the loader did not read (an odd attribute syntax)
    if not all(_WORKSHEET_TARGET.fullmatch(t) for t in sheet_targets):
        return None  # a sheet outside xl/worksheets: its relationships were not kept
    rows = cells = 0
    for name, xml in parts.items():
        if name.startswith(_SHEET_RELS):
            if not plain_markup(xml):
                return None
            for relationship in xml.split(b"<Relationship")[1:]:
                kind = _TYPE.search(relationship)
                if kind is None:
                    if b"table" in relationship.lower():
                        return None
                    continue
                if not (kind[1] or kind[2]).endswith(b"/table"):
                    continue
                target = _TARGET.search(relationship)
                written = (target[1] or target[2] or b"") if target else b""
                path = _resolve(written.decode("utf-8", "replace"))
                if not path.startswith(_TABLES) or path not in parts:
                    return None
        elif name.startswith(_TABLES):
            refs = _REF.findall(xml)
            if not plain_markup(xml) or len(_ANY_REF.findall(xml)) != len(refs):
                return None
            for double, single in refs:
                m = _RANGE.fullmatch(double or single)
                if m is None:
                    return None
                top, bottom = int(m[2]), int(m[4] or m[2])
                left, right = _column(m[1]), _column(m[3] or m[1])
                height, width = abs(bottom - top) + 1, abs(right - left) + 1
                rows, cells = max(rows, height), max(cells, height * width)
    return rows, cells


def _resolve(target: str) -> str:
    """A sheet relationship's target as calamine resolves it, if ours agrees; else ''."""
    if target.startswith("../"):
        theirs = "xl" + target[2:]
    elif target.startswith("/"):
        theirs = target[1:]
    else:
        theirs = target
    ours = target.lstrip("/") if target.startswith("/") else normpath(join("xl/worksheets", target))
    return theirs if theirs == ours else ""


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n
