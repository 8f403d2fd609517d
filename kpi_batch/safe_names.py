"""File names built from data (unit ids, round ids, message keys) that every disk accepts.

A unit or round id comes from the framework workbook, typed by a person: on Windows (NTFS,
or a share) `:` opens an alternate data stream, `\\ / * ? " < > |` and control characters
are refused, `CON`, `PRN`, `AUX`, `NUL`, `COM1`-`COM9`, `LPT1`-`LPT9` are devices whatever
the extension (`CON.xlsx`), a trailing dot or space is silently dropped (so `U01.` would
overwrite `U01`), and a long name breaks the 260-character path limit. So every file-name
piece taken from data goes through `safe_name`: a safe text comes back unchanged (the names
people know stay as they are); any other is made safe and given a short hash of the
original, so two different ids never share a file. Ids that differ only in case are refused
earlier, by the framework check (FW_DUPLICATE_ID_CASE), since Windows sees one name.
"""

from __future__ import annotations

import hashlib
import re

# A piece longer than this is cut (with its hash): a run folder's files sit a few folders
# deep under the output folder, and the whole path must stay under 260 characters.
MAX_LENGTH = 64
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{n}" for n in "123456789¹²³"}
    | {f"LPT{n}" for n in "123456789¹²³"}
)


def safe_name(text: str, max_length: int = MAX_LENGTH) -> str:
    """`U01` -> `U01`; `R1:2567` -> `R1_2567-<hash>`; `CON` -> `_CON-<hash>`; `U01.` ->
    `U01-<hash>`; an empty text -> `_-<hash>`."""
    if is_safe(text, max_length):
        return text
    cleaned = _UNSAFE.sub("_", text).strip(" ").rstrip(". ")
    if _is_reserved(cleaned):
        cleaned = "_" + cleaned
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{cleaned[: max_length - len(digest) - 1] or '_'}-{digest}"


def is_safe(text: str, max_length: int = MAX_LENGTH) -> bool:
    """Whether `text` may be used as a file-name piece as it is, on every system."""
    return (
        bool(text)
        and len(text) <= max_length
        and not _UNSAFE.search(text)
        and text == text.strip(" ")
        and not text.endswith(".")
        and not _is_reserved(text)
    )


def _is_reserved(text: str) -> bool:
    """A device name, alone or before a dot: `CON`, `con.xlsx`, `LPT1.tar.gz`."""
    return text.split(".", 1)[0].rstrip(" ").upper() in _RESERVED
