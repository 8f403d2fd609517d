"""Broken and hostile files for the intake tests, small on disk and quick to make.

Each builder writes one file and returns its path. Good submissions come from
`templates.write_unit_template` filled with `fill_template`; the rest are crafted here.
"""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import xlsxwriter

from kpi_batch.intake.container import OLE_MAGIC

ENTITY_BOMB = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
)


def _rewrite(src: Path, dst: Path, replace: dict[str, bytes]) -> Path:
    """Copy a zip member by member, with some members' bytes replaced."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
    return dst


def entity_expansion(template: Path, dst: Path) -> Path:
    """A DOCTYPE with nested entities in front of xl/workbook.xml (billion laughs)."""
    with zipfile.ZipFile(template) as z:
        body = z.read("xl/workbook.xml")
    body = body.split(b"?>", 1)[1].lstrip()
    return _rewrite(template, dst, {"xl/workbook.xml": ENTITY_BOMB + body})


def declared_huge(template: Path, dst: Path) -> Path:
    """The central directory says sheet1.xml is 4 GB uncompressed; the file is 13 kB."""
    data = bytearray(template.read_bytes())
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        nlen = struct.unpack_from("<H", data, pos + 28)[0]
        name = bytes(data[pos + 46 : pos + 46 + nlen])
        if name == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<L", data, pos + 24, 0xFFFFFFF0)
        pos = data.find(b"PK\x01\x02", pos + 46)
    dst.write_bytes(bytes(data))
    return dst


def compressible_member(dst: Path, megabytes: int = 64) -> Path:
    """A zip holding a 64 MB member of zeros: ~64 kB on disk, written in chunks."""
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("xl/workbook.xml", b"<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(megabytes):
                member.write(chunk)
    return dst


def lying_member(template: Path, dst: Path) -> Path:
    """sheet1.xml inflates to 2 MB but its headers declare the original small size."""
    with zipfile.ZipFile(template) as z:
        infos = {i.filename: i for i in z.infolist()}
        members = {name: z.read(name) for name in infos}
    real = members["xl/worksheets/sheet1.xml"]
    padded = real + b" " * (2 << 20)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, padded if name == "xl/worksheets/sheet1.xml" else body)
    data = bytearray(out.getvalue())
    # patch the declared size (and CRC) in the local and central headers
    crc = zlib.crc32(real)
    headers = ((b"PK\x03\x04", 22, 14, 26, 30), (b"PK\x01\x02", 24, 16, 28, 46))
    for sig, size_at, crc_at, nlen_at, name_at in headers:
        pos = data.find(sig)
        while pos >= 0:
            nlen = struct.unpack_from("<H", data, pos + nlen_at)[0]
            name = bytes(data[pos + name_at : pos + name_at + nlen])
            if name == b"xl/worksheets/sheet1.xml":
                struct.pack_into("<L", data, pos + size_at, len(real))
                struct.pack_into("<L", data, pos + crc_at, crc)
            pos = data.find(sig, pos + 4)
    dst.write_bytes(bytes(data))
    return dst


def truncated(template: Path, dst: Path) -> Path:
    data = template.read_bytes()
    dst.write_bytes(data[: len(data) // 2])
    return dst


def ole_encrypted(dst: Path) -> Path:
    """What Excel writes for a password-protected .xlsx: an OLE container, not a zip."""
    name = "EncryptedPackage".encode("utf-16-le")
    dst.write_bytes(OLE_MAGIC + b"\0" * 504 + name + b"\0" * 1024)
    return dst


def ole_plain(dst: Path) -> Path:
    dst.write_bytes(OLE_MAGIC + b"\0" * 2048)
    return dst


def many_rows(dst: Path, rows: int = 100_000) -> Path:
    wb = xlsxwriter.Workbook(str(dst), {"constant_memory": True})
    ws = wb.add_worksheet("รายงานผล")
    for r in range(rows):
        ws.write_number(r, 0, r)
    wb.close()
    return dst


def far_cell(dst: Path) -> Path:
    """Two cells, A1 and XFD1048576: a dense reader would allocate 17 billion cells."""
    wb = xlsxwriter.Workbook(str(dst))
    ws = wb.add_worksheet("s")
    ws.write("A1", 1)
    ws.write("XFD1048576", 2)
    wb.close()
    return dst


def empty_workbook(dst: Path) -> Path:
    openpyxl.Workbook().save(dst)
    return dst


def without_table(template: Path, dst: Path) -> Path:
    wb = openpyxl.load_workbook(template)
    ws = wb["รายงานผล"]
    del ws.tables["results"]
    wb.save(dst)
    return dst


def without_report_sheet(template: Path, dst: Path) -> Path:
    wb = openpyxl.load_workbook(template)
    del wb["รายงานผล"]
    wb.save(dst)
    return dst


def copy(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return dst


def fuzzed(template: Path, folder: Path, seed: int, per_part: int = 6) -> list[Path]:
    """Damaged copies of a real submission, `per_part` for every part of its zip: random
    byte flips and truncations of that part (re-zipped, so the zip itself is sound and the
    part's XML is broken), plus as many flips and cuts of the file's raw bytes. Seeded:
    the same seed gives the same files."""
    import random

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(template) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    raw = template.read_bytes()
    made: list[Path] = []

    def damage(body: bytes) -> bytes:
        if not body:
            return bytes([rng.randrange(256)])
        data = bytearray(body)
        if rng.random() < 0.4:
            return bytes(data[: rng.randrange(len(data))])
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)

    for n, name in enumerate(sorted(members)):
        for k in range(per_part):
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                for other, body in members.items():
                    z.writestr(other, damage(body) if other == name else body)
            path = folder / f"part{n:02d}_{k}.xlsx"
            path.write_bytes(out.getvalue())
            made.append(path)
    for k in range(per_part * 4):
        path = folder / f"raw_{k:02d}.xlsx"
        path.write_bytes(damage(raw))
        made.append(path)
    return made


def inflating_bomb(
    template: Path,
    dst: Path,
    gigabytes: float = 4.1,
    member: str = "xl/worksheets/sheet1.xml",
    honest: bool = False,
) -> Path:
    """A real submission whose `member` inflates to `gigabytes` GB of zeros (~1 MB on disk
    per GB: deflate's best ratio), under the file-size limit. Its headers declare the
    original small size, or (`honest`) the true size in a ZIP64 extra field, which Python's
    zipfile believes and inflates whole. Built from one compressed 1 MB block repeated (each
    block ends with a full flush, so the copies are independent), in well under a second."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflater.compress(b"\0" * (1 << 20))
    deflater.flush(zlib.Z_FULL_FLUSH)  # the first block differs: it has no history yet
    block = deflater.compress(b"\0" * (1 << 20)) + deflater.flush(zlib.Z_FULL_FLUSH)
    bomb = block * int(gigabytes * 1024) + b"\x03\x00"  # an empty final block ends it
    with zipfile.ZipFile(template) as z:
        members = [(i, z.read(i)) for i in z.infolist()]
    out, central = io.BytesIO(), io.BytesIO()
    for info, body in members:
        extra = b""
        if info.filename == member:
            data, method, crc, size = bomb, 8, zlib.crc32(body), len(body)
            if honest:
                size = 0xFFFFFFFF
                extra = struct.pack("<2HQ", 1, 8, int(gigabytes * 1024) << 20)
        else:
            data, method, crc, size = zlib.compress(body, 6)[2:-4], 8, zlib.crc32(body), len(body)
        name = info.filename.encode()
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 45, 0, method, 0, 0x21,
                              crc, len(data), size, len(name), len(extra)))  # fmt: skip
        out.write(name + extra)
        out.write(data)
        central.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 45, 45, 0, method, 0, 0x21,
                                  crc, len(data), size, len(name), len(extra), 0, 0, 0, 0,
                                  offset))  # fmt: skip
        central.write(name + extra)
    start = out.tell()
    directory = central.getvalue()
    out.write(directory)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members),
                          len(directory), start, 0))  # fmt: skip
    dst.write_bytes(out.getvalue())
    return dst
