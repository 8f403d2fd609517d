"""Look inside a workbook file before any parser does: refuse what could hurt the batch.

A submission is bytes from outside. Before python-calamine sees them we check, cheaply and
with bounded memory:

- the magic bytes (zip for .xlsx/.xlsm/.ods, OLE for .xls; an OLE file holding an
  `EncryptedPackage` stream is a password-protected Office workbook);
- the zip's central directory, read here with `struct` (a few microseconds; the batch reads
  thousands of files): present (a truncated file has none), no encrypted members, only the
  stored/deflate methods Office uses, members inside the file, a bounded number of them, a
  declared uncompressed size neither huge nor far larger than the file (zip bomb);
- that no member expands beyond what it declares. Deflate cannot expand more than 1032:1,
  so a file under `max_uncompressed_bytes / 1032` (~50 kB, every normal submission) cannot
  blow up whatever it declares; a bigger file has every member inflated with a running cap;
- every XML part's prolog: a `<!DOCTYPE` or `<!ENTITY` means entity expansion (billion
  laughs) or external entities; no Office file needs one. A part whose exact compressed
  bytes passed before (files from one template share most parts) is not inflated again;
- a worksheet's rows and extent before calamine reads it (`worksheet`): calamine allocates a
  sheet densely, and one cell at XFD1048576 makes it abort the whole process (Rust OOM, not
  an exception). Sheets calamine does not read are counted only when they declare enough
  bytes to hold `max_rows` rows.

The loader inflates the few parts it needs through the container (`inflate_part`, with the
same running cap; content.xml for ODS is kept here). `error_cells` lists a worksheet's Excel
error cells: python-calamine 0.9 reads `#DIV/0!` as an empty string, which must never pass
for "left empty".
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass, field
from typing import NamedTuple
from xml.sax.saxutils import unescape

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
DEFLATE_MAX_RATIO = 1032

_EOCD = struct.Struct("<4s4H2LH")
# signature, flags, method, crc, compressed, size, name/extra/comment lengths, offset
_CENTRAL = struct.Struct("<4s4xHH4xLLLHHH8xL")
_LOCAL = struct.Struct("<4s22xHH")  # signature, name and extra lengths
_STORED, _DEFLATED = 0, 8

_ELEMENT_START = re.compile(rb"<[A-Za-z_]")
# A cell or row reference beyond column Z or row 9999 (attribute order does not matter).
# No \b: a literal prefix keeps the scan fast; a false hit only costs the precise pass.
_FAR_REF = re.compile(rb'r="(?:[A-Z]{2,3}\d|[A-Z]?\d{5})')
_ANY_REF = re.compile(rb'\br="([A-Z]{0,3})(\d+)"')
_DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]+\d+:)?([A-Z]+)(\d+)"')
_ODS_VALUE_REPEAT = re.compile(
    rb'<table:table-cell\b(?=[^>]*office:value-type)[^>]*number-columns-repeated="(\d+)"'
)
_ODS_ROW_REPEAT = re.compile(
    rb'<table:table-row\b[^>]*number-rows-repeated="(\d+)"[^>]*>(.*?)</table:table-row>',
    re.DOTALL,
)
_ERROR_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_ATTR_R = re.compile(rb'\br="([A-Z]{1,3}\d+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")


@dataclass(frozen=True)
class Limits:
    """Bounds on one submission. The template is ~13 kB, two sheets, ~40 rows."""

    max_file_bytes: int = 10 * 1024 * 1024
    max_uncompressed_bytes: int = 50 * 1024 * 1024
    max_ratio: float = 100.0  # declared uncompressed / file size ...
    ratio_floor_bytes: int = 5 * 1024 * 1024  # ... checked once the declared total exceeds this
    max_members: int = 500
    max_rows: int = 10_000
    max_cells: int = 2_000_000  # highest row x highest column of a sheet


@dataclass(frozen=True)
class Rejection:
    code: str
    detail: str
    value: str = ""
    limit: str = ""


class _Member(NamedTuple):
    name: str
    method: int
    flags: int
    crc: int
    compressed: int
    size: int
    start: int  # offset of the member's data


@dataclass
class Container:
    """What the safety pass learned and kept, for the loader."""

    kind: str  # "xlsx" (also .xlsm), "ods" or "xls"
    parts: dict[str, bytes] = field(default_factory=dict)  # inflated and checked
    data: bytes = b""
    limits: Limits = field(default_factory=Limits)
    members: dict[str, _Member] = field(default_factory=dict)
    inflated: int = 0  # bytes inflated so far, against `max_uncompressed_bytes`
    heads: dict[str, bytes] = field(default_factory=dict)  # starts of parts, when inflated

    def inflate(self, member: _Member, crc: bool = True) -> bytes:
        cap = self.limits.max_uncompressed_bytes - self.inflated
        body = _inflate(self.data, member, cap, crc)
        self.inflated += len(body)
        return body

    def head(self, member: _Member, size: int) -> bytes:
        """The first `size` bytes of a member (not CRC checked: calamine checks the part
        when it reads it whole)."""
        if member.name in self.parts:
            return self.parts[member.name][:size]
        known = self.heads.get(member.name, b"")
        if len(known) >= size or len(known) >= member.size:
            return known if len(known) <= size else known[:size]
        return _head(self.data, member, size)

    def inflate_part(self, name: str) -> bytes | Rejection:
        """A member's bytes (inflated once, CRC checked), for the few parts read here."""
        if name in self.parts:
            return self.parts[name]
        member = self.members.get(name)
        if member is None:
            return Rejection("file_corrupt", f"{name} missing")
        try:
            body = self.inflate(member)
        except _Refused as refused:
            return refused.rejection
        except zlib.error as exc:
            return Rejection("file_corrupt", f"{name}: {exc}")
        self.parts[name] = body
        return body


class _Refused(Exception):
    def __init__(self, rejection: Rejection) -> None:
        self.rejection = rejection


def _refuse(code: str, detail: str, **extra: str) -> _Refused:
    return _Refused(Rejection(code, detail, **extra))


def inspect(data: bytes, extension: str, limits: Limits) -> Container | Rejection:
    """Classify and check a file's bytes. `extension` is lower case with the dot."""
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            return Rejection("file_encrypted", "OLE container with an EncryptedPackage stream")
        if extension == ".xls":
            return Container("xls")
        return Rejection("file_not_workbook", f"an OLE (legacy .xls) file named {extension}")
    if not data.startswith(ZIP_MAGIC):
        return Rejection("file_not_workbook", "neither a zip nor an OLE container")
    if extension == ".xls":
        return Rejection("file_not_workbook", "a zip file named .xls")
    try:
        return _inspect_zip(data, extension, limits)
    except _Refused as refused:
        return refused.rejection
    except (struct.error, zlib.error, UnicodeDecodeError, ValueError, IndexError) as exc:
        return Rejection("file_corrupt", f"zip: {exc}")


def _central_directory(data: bytes, limits: Limits) -> list[_Member]:
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if eocd < 0 or eocd + _EOCD.size > len(data):
        raise _refuse("file_corrupt", "no zip central directory (truncated file)")
    _, disk, cd_disk, _, count, cd_size, cd_offset, _ = _EOCD.unpack_from(data, eocd)
    if count == 0xFFFF or cd_offset == 0xFFFFFFFF:
        raise _refuse("file_not_workbook", "ZIP64 archive (not written by Office)")
    if disk or cd_disk or cd_offset + cd_size > eocd:
        raise _refuse("file_corrupt", "zip central directory out of place (truncated file)")
    if count > limits.max_members:
        raise _refuse("file_zip_bomb", f"{count} zip members")
    members: list[_Member] = []
    pos = cd_offset
    central, local = _CENTRAL.unpack_from, _LOCAL.unpack_from
    for _ in range(count):
        sig, flags, method, crc, csize, usize, nlen, xlen, clen, offset = central(data, pos)
        if sig != b"PK\x01\x02":
            raise _refuse("file_corrupt", "damaged zip central directory")
        pos += 46
        raw_name = data[pos : pos + nlen]
        # cp437 and UTF-8 agree on ASCII, which the ascii codec decodes fastest
        codec = "ascii" if raw_name.isascii() else "utf-8" if flags & 0x800 else "cp437"
        name = raw_name.decode(codec)
        pos += nlen + xlen + clen
        if offset + 30 > cd_offset:
            raise _refuse("file_corrupt", f"{name}: outside the file")
        lsig, lnlen, lxlen = local(data, offset)
        if lsig != b"PK\x03\x04":
            raise _refuse("file_corrupt", f"{name}: damaged local header")
        start = offset + 30 + lnlen + lxlen
        if start + csize > cd_offset:
            raise _refuse("file_corrupt", f"{name}: data beyond the end (truncated file)")
        if flags & 0x1:
            raise _refuse("file_encrypted", f"{name}: encrypted zip member")
        if method not in (_STORED, _DEFLATED):
            raise _refuse("file_not_workbook", f"{name}: zip compression method {method}")
        # tuple.__new__: NamedTuple's own constructor is Python code, slower by half
        members.append(tuple.__new__(_Member, (name, method, flags, crc, csize, usize, start)))
    return members


def _inflate(data: bytes, m: _Member, cap: int, crc: bool = True) -> bytes:
    """The whole member, refusing more than `cap` bytes or more than it declares."""
    raw = data[m.start : m.start + m.compressed]
    if m.method == _STORED:
        out = raw
    else:
        inflater = zlib.decompressobj(-15)
        out = inflater.decompress(raw, cap + 1)
        if len(out) > cap or inflater.unconsumed_tail:
            raise _refuse("file_zip_bomb", f"{m.name} expands beyond the limit")
    if len(out) != m.size:
        code = "file_zip_bomb" if len(out) > m.size else "file_corrupt"
        raise _refuse(code, f"{m.name}: {len(out)} bytes, declared {m.size}")
    if crc and zlib.crc32(out) != m.crc:
        raise _refuse("file_corrupt", f"{m.name}: CRC mismatch")
    return out


def _head(data: bytes, m: _Member, n: int = 256) -> bytes:
    """The first `n` bytes of a member, enough for an XML prolog."""
    raw = data[m.start : m.start + min(m.compressed, 4 * n)]
    if m.method == _STORED:
        return raw[:n]
    return zlib.decompressobj(-15).decompress(raw, n)


def _inspect_zip(data: bytes, extension: str, limits: Limits) -> Container:
    members = _central_directory(data, limits)
    declared = sum(m.size for m in members)
    if declared > limits.max_uncompressed_bytes:
        raise _refuse("file_zip_bomb", f"declares {declared} bytes uncompressed")
    if declared > limits.ratio_floor_bytes and declared > limits.max_ratio * len(data):
        raise _refuse("file_zip_bomb", f"declares {declared} bytes from {len(data)}")
    names = {m.name for m in members}
    if extension == ".ods" or "mimetype" in names:
        kind, required = "ods", "content.xml"
    else:
        kind, required = "xlsx", "xl/workbook.xml"
    if required not in names:
        raise _refuse("file_not_workbook", f"zip without {required}")
    container = Container(kind, data=data, limits=limits)
    # Below this size no member can expand past the limit, whatever it declares.
    verify_all = len(data) * DEFLATE_MAX_RATIO > limits.max_uncompressed_bytes
    # A sheet declaring less than this cannot hold max_rows rows (`<row r="1"/>` is 12 bytes).
    big_sheet = limits.max_rows * 8
    for m in members:
        name = m.name
        if name.endswith("/"):
            continue
        container.members[name] = m
        sheet = (verify_all or m.size >= big_sheet or kind == "ods") and _is_sheet(name, kind)
        xml = name.endswith((".xml", ".rels"))
        if verify_all or (kind == "ods" and _kept(name, kind)) or (sheet and m.size >= big_sheet):
            body = container.inflate(m, crc=not sheet)  # calamine checks a sheet's CRC
            if sheet:
                _check_sheet(name, body, kind, limits)
            container.parts[name] = body
            if xml:
                _check_prolog(data, m, body[: 1 << 16])
        elif not xml:
            _head(data, m)  # damaged compressed data is found here too
        elif m.compressed > _PASSED_MAX_BYTES:
            _check_prolog(data, m, _head(data, m))
        else:
            # Files saved alike share most parts byte for byte (theme, styles, rels): a
            # part whose exact compressed bytes passed this check before passes it again.
            # (Its bytes are kept from its second pass on: a part seen once costs nothing.)
            key = (name, m.method, m.crc, m.size, m.compressed)
            known = _PASSED.get(key)
            if known is None or known is _SEEN or known != data[m.start : m.start + m.compressed]:
                head = _head(data, m, _SHARED_STRINGS_HEAD if name == SHARED_STRINGS else 256)
                if name == SHARED_STRINGS:
                    container.heads[name] = head
                _check_prolog(data, m, head)
                if len(_PASSED) >= _PASSED_MAX:
                    _PASSED.clear()
                _PASSED[key] = _SEEN if known is None else data[m.start : m.start + m.compressed]
    if kind == "ods" and not container.parts.get("mimetype", b"").startswith(ODS_MIMETYPE):
        raise _refuse("file_not_workbook", "not an OpenDocument spreadsheet")
    return container


def _check_prolog(data: bytes, m: _Member, head: bytes) -> None:
    # the common case in one test: no `<!` before the root element, found in the head
    if b"<!" in head or _ELEMENT_START.search(head) is None:
        if len(head) < m.size and _ELEMENT_START.search(head) is None:
            head = _head(data, m, 1 << 16)  # a long prolog: look further
        if _declares_entities(head):
            raise _refuse("file_xml_entities", m.name)


# (name, method, CRC, sizes) -> the compressed bytes of a part whose prolog passed (the
# bytes are compared, not the CRC trusted: a CRC can be forged to match)
_SEEN = object()  # passed once; its bytes are kept when it comes again
_PASSED: dict[tuple[str, int, int, int, int], bytes | object] = {}
_PASSED_MAX, _PASSED_MAX_BYTES = 1024, 16 * 1024  # at most 16 MB held
SHARED_STRINGS = "xl/sharedStrings.xml"
_SHARED_STRINGS_HEAD = 2048  # also the start the loader reads named cells' strings from


def worksheet(container: Container, part: str) -> bytes | Rejection:
    """A worksheet's XML, checked (rows, extent) before calamine is allowed to read it."""
    if part in container.parts:
        return container.parts[part]
    member = container.members.get(part)
    if member is None:
        return Rejection("file_corrupt", f"{part} missing")
    try:
        body = container.inflate(member, crc=False)  # calamine checks it as it reads
        _check_sheet(part, body, container.kind, container.limits)
    except _Refused as refused:
        return refused.rejection
    except zlib.error as exc:
        return Rejection("file_corrupt", f"{part}: {exc}")
    container.parts[part] = body
    return body


def _kept(name: str, kind: str) -> bool:
    if kind == "ods":
        return name in ("content.xml", "mimetype")
    return name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels") or name.startswith(
        ("xl/worksheets/_rels/", "xl/tables/")
    )


def _is_sheet(name: str, kind: str) -> bool:
    if kind == "ods":
        return name == "content.xml"
    return name.startswith("xl/worksheets/") and name.count("/") == 2 and name.endswith(".xml")


def _declares_entities(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="replace").encode()
    start = _ELEMENT_START.search(head)
    prolog = head[: start.start()] if start else head
    return b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _check_sheet(name: str, body: bytes, kind: str, limits: Limits) -> None:
    # `<row/>` is 6 bytes: a smaller sheet cannot hold max_rows rows, however written
    if len(body) > limits.max_rows * 6:
        rows = body.count(b"<table:table-row" if kind == "ods" else b"<row")
        if rows > limits.max_rows:
            raise _too_many_rows(name, rows, limits)
    if kind == "ods":
        _check_ods_repeats(name, body, limits)
        return
    # Fast path: no cell or row beyond row 9999 or column Z, and no <dimension> saying so.
    dimension = _DIMENSION.search(body, 0, 4096)
    far = _FAR_REF.search(body, *_cell_region(body)) is not None
    if far or (dimension and (len(dimension[1]) > 1 or len(dimension[2]) > 4)):
        max_row, max_col = 0, 0
        for letters, number in _ANY_REF.findall(body):
            max_row = max(max_row, int(number))
            if letters:
                max_col = max(max_col, _column_number(letters))
        if dimension:
            max_row = max(max_row, int(dimension[2]))
            max_col = max(max_col, _column_number(dimension[1]))
        if max_row > limits.max_rows:
            raise _too_many_rows(name, max_row, limits)
        if max_row * max(max_col, 1) > limits.max_cells:
            raise _refuse("file_zip_bomb", f"{name}: extent {max_row} rows x {max_col} columns")


def _cell_region(body: bytes) -> tuple[int, int]:
    """Where calamine reads a worksheet's cells: from its first `<sheetData>` to its last
    `</sheetData>` (a superset of calamine's span when the markup is plain: nothing hidden
    in comments, no namespace prefix before). The rest of a template's sheet XML (data
    validation messages, ...) is two thirds of it and holds no cells."""
    start = body.find(b"<sheetData")
    if start < 0 or body.find(b":sheetData", 0, start) >= 0 or not plain_markup(body):
        return 0, len(body)
    end = body.rfind(b"</sheetData>")
    return start, end if end > start else len(body)


def plain_markup(xml: bytes, end: int | None = None) -> bool:
    """No comment, CDATA section, DOCTYPE or processing instruction after the XML
    declaration (up to `end`): markup a regex reads as a parser would. (`!` and `?` are
    searched first: one byte, found fast.)"""
    end = len(xml) if end is None else end
    start = xml.find(b"?>") + 2 if xml.startswith(b"<?xml") else 0
    if xml.find(b"!", start, end) >= 0 and xml.find(b"<!", start, end) >= 0:
        return False
    return not (xml.find(b"?", start, end) >= 0 and xml.find(b"<?", start, end) >= 0)


def _too_many_rows(name: str, rows: int, limits: Limits) -> _Refused:
    return _refuse(
        "file_too_many_rows",
        f"{name}: {rows} rows",
        value=str(rows),
        limit=str(limits.max_rows),
    )


def _check_ods_repeats(name: str, body: bytes, limits: Limits) -> None:
    """LibreOffice repeats empty cells and rows freely; a repeated *value* is expanded."""
    for count in _ODS_VALUE_REPEAT.findall(body):
        if int(count) > 1024:
            raise _refuse("file_zip_bomb", f"{name}: a value repeated {int(count)} times")
    for count, inner in _ODS_ROW_REPEAT.findall(body):
        if int(count) > limits.max_rows and b"office:value-type" in inner:
            raise _too_many_rows(name, int(count), limits)


def error_cells(body: bytes) -> dict[str, str]:
    """Cell ref -> Excel error text (`#DIV/0!`) of a worksheet's XML."""
    if body.find(b"#") < 0:  # every error value starts with '#'
        return {}
    found: dict[str, str] = {}
    at = body.find(b't="e"')
    while at >= 0:
        start = body.rfind(b"<", 0, at)
        cell = _ERROR_CELL.match(body, start)
        if cell and b't="e"' in cell[1]:
            ref = _ATTR_R.search(cell[1])
            inner = cell[2]
            value = _VALUE.search(inner) if inner else None
            if ref:
                found[ref[1].decode()] = value[1].decode("utf-8", "replace") if value else "#ERROR"
        at = body.find(b't="e"', at + 5)
    return found


_FORMULA_CELL = re.compile(rb"<c\b([^>]*)>\s*<f\b[^>]*?(?:/>|>([^<]*)</f>)", re.DOTALL)


def formula_cells(body: bytes) -> dict[str, str]:
    """Cell ref -> formula text (XML entities undone; "" for a shared formula's copies) of a
    worksheet's XML: calamine gives their cached values, which may not be what the formula
    says now (`<f>0</f><v>99</v>`)."""
    if body.find(b"<f") < 0:
        return {}
    found: dict[str, str] = {}
    for attrs, text in _FORMULA_CELL.findall(body):
        ref = _ATTR_R.search(attrs)
        if ref:
            raw = (text or b"").decode("utf-8", "replace")
            found[ref[1].decode()] = unescape(raw, {"&quot;": '"', "&apos;": "'"})
    return found
