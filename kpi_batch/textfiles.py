"""Text files people save, in whatever encoding their editor chose.

Notepad on a Thai Windows PC saves "ANSI" as cp874 (Windows-874, TIS-620 plus a few
characters), newer Notepad saves UTF-8 with or without a BOM, "Unicode" is UTF-16 with a BOM,
and Excel's "CSV UTF-8" starts with a BOM. `read_text` takes all of them: a BOM decides,
else UTF-8, else cp874, which is then said in a warning (a Thai reader should check that the
text came out right, and can save the file as UTF-8 to silence it). The e-mail wording files
(deliver/texts.py) and any CSV a person gives the program go through here.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

FALLBACK = "cp874"
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warning: str = ""  # Thai first, for the user; "" when the encoding was certain


def read_text(path: Path) -> Decoded:
    """The file's text (newlines as written); raises UnicodeDecodeError only when even
    cp874 cannot read it (bytes no Thai editor writes)."""
    return decode(path.read_bytes(), str(path))


def decode(data: bytes, name: str) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(encoding), encoding)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        text = data.decode(FALLBACK)
    return Decoded(
        text,
        FALLBACK,
        f"{name} ไม่ได้บันทึกเป็น UTF-8 จึงอ่านเป็นภาษาไทยแบบ Windows (cp874) — ตรวจว่าข้อความถูกต้อง "
        f"หรือบันทึกใหม่เป็น UTF-8 / {name} is not UTF-8: read as cp874 (Thai Windows); check "
        "the text or save it as UTF-8",
    )
