"""A few cells of an .xlsx worksheet read straight from its XML, as python-calamine reads them.

The defined names (`unit_id`, `submitted_on`, ...) point at cells outside the `results`
table. python-calamine gives no defined names, and reading a whole sheet costs it a second
pass over the sheet's XML that reading the table does not (about a quarter of a file's
intake time), so intake reads the table with calamine and these few cells here, from the
sheet XML the safety pass has already inflated and checked.

Only the cells every spreadsheet program writes are read, and each one exactly as
python-calamine 0.9 returns it (tests/test_intake_fast_read.py compares the two):
`<c r="B5" ...>` with a shared string, an inline string, a number (a `datetime.date` when
its style is a plain day/month/year format), a boolean, an error (`""`: the caller puts the
error text found by `container.error_cells`), or nothing (`""`). Anything else - rich text,
entities, `_x000D_` escapes, a formula's text result, a time, a date with a time of day, the
1904 date system, a format that is not plainly a date or a number, a cell not found as
`<c r="...">`, a comment or processing instruction in the sheet - gives `None`, and the
caller reads the whole sheet with calamine instead: the result is then the same, only slower.

A crafted file holding two cells at one address (or a cell without its `r` attribute) may
be read differently here than by calamine; no spreadsheet program writes one, and either
way the value is what the file itself says.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Iterable, Sequence
from html import unescape

from kpi_batch.intake.container import SHARED_STRINGS, Container, Rejection, plain_markup

STYLES = "xl/styles.xml"

# A cell as spreadsheet programs write it: r, then s and t; empty, a value (after a
# formula, if any), or an inline string. Groups: style, type, value, inline string.
_CELL = re.compile(
    rb'<c r="[A-Z]{1,3}[0-9]+"(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")? ?'
    rb"(?:/>|></c>|>(?:<f\b[^>]*?(?:/>|>[^<]*</f>))?<v>([^<]*)</v></c>|>(<is>.*?</is>)</c>)",
    re.DOTALL,
)
_PRESERVE = b'<t xml:space="preserve">'
_NUMBER = re.compile(rb"-?[0-9]+(?:\.[0-9]+)?")
_WHOLE = re.compile(rb"[0-9]+(?:\.0+)?")

_NUMFMT = re.compile(rb'<numFmt\s+numFmtId="([0-9]+)"\s+formatCode="([^"]*)"')
_XF = re.compile(rb"<xf\b([^>]*)>")
_NUMFMT_ID = re.compile(rb'\snumFmtId="([0-9]+)"')
# Number formats whose reading by calamine is certain: digits only, or day/month/year
# tokens with separators (after an optional `[$-...]` locale tag, as Thai Excel writes).
_NUMBER_FORMAT = re.compile(r"[0#?.,% ]+")
_DATE_FORMAT = re.compile(r"(?:\[\$-[0-9A-Fa-f]+\])?[dmyDMY]+(?:[ /.,-]+[dmyDMY]+)*")
_BUILTIN_DATES = frozenset({*range(14, 23), 45, 47})
_BUILTIN_NUMBERS = frozenset({*range(14), *range(37, 45), 48, 49})
# Excel serials read as a plain date: from 1 March 1900 (before it, the 1900 leap-year bug)
_FIRST_SERIAL, _LAST_SERIAL = 61, 2_958_465
_EPOCH = dt.date(1899, 12, 30)


def named_values(
    container: Container, body: bytes, cells: Sequence[tuple[str, bytes]], date1904: bool
) -> dict[str, object] | None:
    """Cell ('B5') -> value, as calamine reads it; None when one of them cannot be read
    here with certainty. `cells`: `sheet_order(...)`, each cell with its search needle."""
    if not plain_markup(body):
        return None
    found: list[tuple[str, re.Match[bytes]]] = []
    at = 0
    match = _CELL.match
    for cell, needle in cells:  # in sheet order: each find goes on from the last cell found
        at = body.find(needle, at)
        if at < 0:
            at = body.find(needle)  # rows out of order
        m = match(body, at) if at >= 0 else None
        if m is None:
            return None
        found.append((cell, m))
    shared = [m[3] for _, m in found if m[2] == b"s" and m[3] is not None]
    strings: dict[int, str] = {}
    if shared:
        if not all(index.isdigit() for index in shared):
            return None
        found_strings = shared_strings(container, {int(index) for index in shared})
        if found_strings is None:
            return None
        strings = found_strings
    styles: Styles | None = None
    out: dict[str, object] = {}
    for cell, m in found:
        style, kind, raw, inline = m[1], m[2] or b"n", m[3], m[4]
        if inline is not None:
            text = _text(inline[4:-5]) if kind == b"inlineStr" else None
            if text is None:
                return None
            out[cell] = text
        elif raw is None:
            out[cell] = ""  # `<c r="F5" s="6"/>`: styled, empty
        elif kind == b"s":
            out[cell] = strings[int(raw)]
        elif kind == b"e":
            out[cell] = ""  # calamine's reading of an error cell
        elif kind == b"b" and raw in (b"0", b"1"):
            out[cell] = raw == b"1"
        elif kind == b"n" and _NUMBER.fullmatch(raw):
            if styles is None:
                styles = date_styles(container)
            value = _number(styles.is_date(int(style or 0)), raw, date1904)
            if value is None:
                return None
            out[cell] = value
        else:
            return None
    return out


def sheet_order(cells: Iterable[str]) -> tuple[tuple[str, bytes], ...]:
    """Cells by row, then column (the order of a sheet's XML), each with its needle."""
    return tuple((c, b'<c r="' + c.encode() + b'"') for c in sorted(set(cells), key=_position))


def _position(cell: str) -> tuple[int, int]:
    letters = cell.rstrip("0123456789")
    column = 0
    for ch in letters:
        column = column * 26 + ord(ch) - 64
    return int(cell[len(letters) :]), column


def _number(is_date: bool | None, raw: bytes, date1904: bool) -> object:
    if is_date is False:
        return float(raw)
    if is_date and not date1904 and _WHOLE.fullmatch(raw):
        serial = int(float(raw))
        if _FIRST_SERIAL <= serial <= _LAST_SERIAL:
            return _EPOCH + dt.timedelta(days=serial)
    return None


def _text(raw: bytes) -> str | None:
    """A `<t>` element's text, when nothing in it needs unescaping or normalising."""
    if raw.startswith(b"<t>"):
        text = raw[3:-4].strip(b" \t\n")  # calamine trims, unless xml:space="preserve"
    elif raw.startswith(_PRESERVE):
        text = raw[len(_PRESERVE) : -4]
    else:
        return "" if raw == b"<t/>" else None
    if not raw.endswith(b"</t>") or b"<" in text:
        return None
    if b"&" in text or b"\r" in text or b"_x" in text:
        return None
    return text.decode("utf-8")


def shared_strings(container: Container, wanted: set[int]) -> dict[int, str] | None:
    """The shared strings numbered `wanted`, when each is plain text. Only the start of the
    part is inflated, as far as the last one wanted (the template's come first)."""
    member = container.members.get(SHARED_STRINGS)
    if member is None:
        return None
    last = max(wanted)
    size = 2048
    while True:
        try:
            xml = container.head(member, size)
        except zlib.error:
            return None
        found = _strings(xml, wanted, last, complete=size >= member.size)
        if found is not _SHORT:
            return found  # type: ignore[return-value]
        size *= 4


_SHORT = object()  # the head inflated so far ends before the last string wanted


def _strings(xml: bytes, wanted: set[int], last: int, complete: bool) -> object:
    entries = xml.split(b"<si>", last + 1)[1:]  # entry i starts entries[i]
    if len(entries) <= last or b"</si>" not in entries[last]:
        return None if complete else _SHORT
    read = len(xml) - len(entries[last]) + entries[last].index(b"</si>")
    # `<si>` as Excel writes it, every one: no `<si/>`, no attributes, nothing hidden
    if xml.count(b"<si", 0, read) != last + 1 or not plain_markup(xml, read):
        return None
    out: dict[int, str] = {}
    for index in wanted:
        entry = entries[index]
        text = _text(entry[: entry.index(b"</si>")])
        if text is None:
            return None
        out[index] = text
    return out


class Styles:
    """A styles part's cell styles (`s`), each classified on first use: True when calamine
    reads its numbers as dates, False when as numbers, None when not certain here."""

    def __init__(self, xml: bytes) -> None:
        self.formats: dict[int, str] = {}
        self.xfs: list[bytes] = []  # each cell style's attributes
        self._known: dict[int, bool | None] = {}
        start = xml.find(b"<cellXfs")
        end = xml.find(b"</cellXfs>", start)
        if not plain_markup(xml) or start < 0 or end < 0:
            return  # nothing certain
        self.formats = {int(i): unescape(code.decode("utf-8")) for i, code in _NUMFMT.findall(xml)}
        self.xfs = _XF.findall(xml, start, end)

    def is_date(self, style: int) -> bool | None:
        if style >= len(self.xfs):
            return None
        known = self._known.get(style, _UNKNOWN)
        if known is _UNKNOWN:
            number_format = _NUMFMT_ID.search(self.xfs[style])
            code = int(number_format[1]) if number_format else 0
            known = self._known[style] = format_is_date(code, self.formats)
        return known  # type: ignore[return-value]


_UNKNOWN = object()
_NO_STYLES = Styles(b"")


def date_styles(container: Container) -> Styles:
    """The workbook's styles, remembered by the part's exact compressed bytes (files saved
    alike share their styles part)."""
    member = container.members.get(STYLES)
    if member is None:
        return _NO_STYLES
    raw = container.data[member.start : member.start + member.compressed]
    key = (member.method, member.crc, member.size, raw)
    found = _STYLE_CACHE.get(key)
    if found is None:
        body = container.inflate_part(STYLES)
        found = _NO_STYLES if isinstance(body, Rejection) else Styles(body)
        if len(_STYLE_CACHE) >= 64:
            _STYLE_CACHE.clear()
        _STYLE_CACHE[key] = found
    return found


_STYLE_CACHE: dict[tuple[int, int, int, bytes], Styles] = {}


def format_is_date(number_format: int, custom: dict[int, str]) -> bool | None:
    """True: calamine reads a number in this format as a date; False: as a number; None:
    not certain (a time, a duration, a locale's built-in format, a conditional format...)."""
    code = custom.get(number_format)
    if code is None:
        if number_format in _BUILTIN_DATES:
            return True
        return False if number_format in _BUILTIN_NUMBERS else None
    if code.casefold() == "general" or code == "@" or _NUMBER_FORMAT.fullmatch(code):
        return False
    return True if _DATE_FORMAT.fullmatch(code) else None
