"""Where things are in an .xlsx: the defined names, the sheets' parts, the `results` table.

Read from the small XML parts the safety pass kept (xl/workbook.xml, the relationships,
xl/tables/*.xml), not through python-calamine, which gives no defined names. The result is
remembered by the parts' exact compressed bytes: files made from one template share them, so
thousands of files parse them once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from posixpath import join, normpath

from kpi_batch.intake.cells import sheet_order
from kpi_batch.intake.container import Container, Rejection
from kpi_batch.intake.tables import table_reach
from kpi_batch.specs.template import NAMES, TABLE

_KEY = re.compile(r"\(([^()]*)\)\s*$")
_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")
_RANGE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)$")
_ATTR_TEXT = re.compile(r'([\w:.-]+)="([^"]*)"')
_SHEET = re.compile(rb"<sheet\b([^>]*)>")
_DEFINED_NAME = re.compile(rb"<definedName\b([^>]*)>([^<]*)</definedName>")
_RELATIONSHIP = re.compile(rb"<Relationship\b([^>]*)>")
_WORKBOOK_PR = re.compile(rb"<workbookPr\b([^>]*)>")
_TABLE = re.compile(rb"<table\b([^>]*)>")
_TABLE_COLUMN = re.compile(rb"<tableColumn\b([^>]*)>")
_NAME_ATTR = re.compile(rb'(?:^|\s)name="([^"]*)"')


@dataclass(frozen=True)
class TableSpot:
    sheet: str
    top: int  # 1-based header row
    left: int  # 0-based column
    bottom: int  # 1-based last data row
    headers: list[str]
    name: str = ""  # the table's displayName: calamine finds a table by it


@lru_cache(maxsize=4096)
def header_key(text: object) -> str:
    """'ผลการดำเนินงาน (value)' -> 'value' (the text in the last parentheses)."""
    if not isinstance(text, str):
        return ""
    m = _KEY.search(text.replace("_x000a_", " "))
    return m[1].strip().lower() if m else ""


@lru_cache(maxsize=4096)
def split_ref(ref: str) -> tuple[int, int] | None:
    """'$B$5' -> (5, 1): 1-based row, 0-based column."""
    m = _CELL.match(ref.strip())
    if not m:
        return None
    col = 0
    for ch in m[1]:
        col = col * 26 + ord(ch) - 64
    return int(m[2]), col - 1


def attrs(raw: bytes) -> dict[str, str]:
    found = dict(_ATTR_TEXT.findall(raw.decode("utf-8")))
    return {k: unescape(v) for k, v in found.items()} if b"&" in raw else found


def _name_attr(raw: bytes) -> str:
    """The `name` attribute of a tag's attributes, quicker than all of them (`_attrs`)."""
    found = _NAME_ATTR.search(raw)
    if found is None:
        return ""
    name = found[1].decode("utf-8")
    return unescape(name) if "&" in name else name


def _local(found: dict[str, str], name: str) -> str:
    """An attribute whatever its namespace prefix (r:id, ns1:id)."""
    for key, value in found.items():
        if key == name or key.endswith(":" + name):
            return value
    return ""


def _rels(rels_xml: bytes, base: str) -> dict[str, str]:
    return _rel_paths(map(attrs, _RELATIONSHIP.findall(rels_xml)), base)


def _rel_paths(relationships: Iterable[dict[str, str]], base: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for a in relationships:
        target = a.get("Target", "")
        if a.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else normpath(join(base, target))
        out[a.get("Id", "")] = path
    return out


@dataclass(frozen=True)
class Layout:
    names: dict[str, tuple[str, str]]  # defined name -> (sheet, cell)
    sheet_parts: dict[str, str]  # sheet name -> worksheet part
    spot: TableSpot | None
    date1904: bool  # serials count from 1904 (old Mac Excel)
    table_reach: tuple[int, int] | None  # (rows, cells) of the largest table; None: unknown
    name_cells: tuple[tuple[str, bytes], ...] = ()  # the names' cells in sheet order, needles


_STRUCTURE = ("xl/workbook.xml", "xl/_rels/", "xl/worksheets/_rels/", "xl/tables/")
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
LayoutKey = tuple[tuple[str, int, int, bytes], ...]
_LAYOUTS: dict[LayoutKey, Layout] = {}


def layout_of(container: Container) -> Layout | Rejection:
    """Where the names and the table are. Cached on the structure parts' exact compressed
    bytes: files made from one template share them, so thousands of files parse (and
    inflate) them once."""
    key = tuple(
        (name, m.method, m.size, container.data[m.start : m.start + m.compressed])
        for name, m in container.members.items()
        if name.startswith(_STRUCTURE)
    )
    layout = _LAYOUTS.get(key)
    if layout is None:
        parts: dict[str, bytes] = {}
        for name, *_ in key:
            body = container.inflate_part(name)
            if isinstance(body, Rejection):
                return body
            parts[name] = body
        layout = xlsx_layout(parts)
        if len(_LAYOUTS) >= 32:
            _LAYOUTS.clear()
        _LAYOUTS[key] = layout
    return layout


def defined_names(workbook_xml: bytes, wanted: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Workbook-scope defined names among `wanted` that point at one cell -> (sheet, cell).
    Also used by the review-workbook reader (review/read.py)."""
    keep = set(wanted)
    names: dict[str, tuple[str, str]] = {}
    for raw_attrs, raw_ref in _DEFINED_NAME.findall(workbook_xml):
        if b"localSheetId" in raw_attrs:
            continue  # a sheet's own name, not the workbook's
        name = _name_attr(raw_attrs)
        if name not in keep:
            continue
        ref = unescape(raw_ref.decode("utf-8")).strip().lstrip("=")
        sheet, _, cell = ref.rpartition("!")
        if sheet.startswith("'") and sheet.endswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        if sheet and split_ref(cell):
            names[name] = (sheet, cell.replace("$", ""))
    return names


def xlsx_layout(parts: dict[str, bytes]) -> Layout:
    workbook_xml = parts.get("xl/workbook.xml", b"")
    relationships = list(map(attrs, _RELATIONSHIP.findall(parts.get(_WORKBOOK_RELS, b""))))
    sheet_paths = _rel_paths(relationships, "xl")
    targets = {a.get("Id", ""): a.get("Target", "") for a in relationships}
    sheet_parts: dict[str, str] = {}
    sheet_targets: list[str] = []
    for raw in _SHEET.findall(workbook_xml):
        a = attrs(raw)
        part = sheet_paths.get(_local(a, "id"))
        if part:
            sheet_parts[a.get("name", "")] = part
        sheet_targets.append(targets.get(_local(a, "id"), ""))
    names = defined_names(workbook_xml, NAMES)
    pr = _WORKBOOK_PR.search(workbook_xml)
    date1904 = pr is not None and attrs(pr[1]).get("date1904", "0") not in ("0", "false")
    reach = table_reach(parts, sheet_targets)
    spot = _xlsx_table(parts, sheet_parts)
    cells = sheet_order(cell for _, cell in names.values())
    return Layout(names, sheet_parts, spot, date1904, reach, cells)


def _xlsx_table(parts: dict[str, bytes], sheet_parts: dict[str, str]) -> TableSpot | None:
    for sheet, part in sheet_parts.items():
        folder, file = part.rsplit("/", 1)
        rels = _rels(parts.get(f"{folder}/_rels/{file}.rels", b""), folder)
        for target in rels.values():
            xml = parts.get(target)
            head = _TABLE.search(xml) if xml else None
            if not head or xml is None:
                continue
            a = attrs(head[1])
            if TABLE not in (a.get("name", "").lower(), a.get("displayName", "").lower()):
                continue
            bounds = _RANGE.match(a.get("ref", ""))
            if not bounds or a.get("headerRowCount", "1") == "0":
                return None
            top = split_ref(bounds[1] + bounds[2])
            bottom = split_ref(bounds[3] + bounds[4])
            if top is None or bottom is None:
                return None
            bottom_row = bottom[0] - int(a.get("totalsRowCount", "0") or 0)
            headers = [_name_attr(c) for c in _TABLE_COLUMN.findall(xml)]
            name = a.get("displayName", "")
            return TableSpot(sheet, top[0], top[1], bottom_row, headers, name)
    return None
