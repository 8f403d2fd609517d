"""Text shown as it is, not as it looks. Pure.

    visible("1.1\u200b") -> "1.1<U+200B>"      has_invisible("1.1\u200b") -> True

Characters that show nothing or move the cursor — zero-width spaces and joiners, bidi
controls, the BOM, soft hyphens, and C0/C1 control characters such as ESC — are written as
`<U+XXXX>`. So two ids that look the same on screen are told apart in a message (DOMAIN §4:
ids may not contain invisible characters), and a file name holding an escape sequence
cannot drive the terminal. Line breaks and tabs are kept. Thai combining marks (categories
Mn/Mc) are visible and kept.
"""

from __future__ import annotations

import re
import unicodedata

_KEEP = "\n\t"
_CANDIDATES = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f"
                         r"\u202a-\u202e\u2060-\u206f\u3164\ufeff\ufff9-\ufffb]")  # fmt: skip


def _shown(match: re.Match[str]) -> str:
    ch = match[0]
    return ch if ch in _KEEP else f"<U+{ord(ch):04X}>"


def _is_hidden(ch: str) -> bool:
    return ch not in _KEEP and (
        _CANDIDATES.match(ch) is not None or unicodedata.category(ch) in ("Cf", "Cc")
    )


def has_invisible(text: str) -> bool:
    return any(_is_hidden(ch) for ch in text if not ch.isprintable() or ord(ch) > 0x7F)


def visible(text: str) -> str:
    """`text` with every invisible or control character as `<U+XXXX>`."""
    if text.isprintable() and _CANDIDATES.search(text) is None:
        return text
    return "".join(f"<U+{ord(ch):04X}>" if _is_hidden(ch) else ch for ch in text)
