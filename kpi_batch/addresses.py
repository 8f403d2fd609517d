"""E-mail addresses parsed strictly, as the SMTP server and the recipient will read them. Pure.

    ascii_address("x@อนามัย.ไทย") -> "x@xn--...xn--..."   (None when not one valid address)
    parse_mailbox('กพร. <kpr@x.go.th>') -> ("กพร.", "kpr@x.go.th")   (None when not exactly one)

- exactly one address: `a@x.example; b@x.example` or `evil@evil.example <kpr@x.example>` is
  refused, not read as its first (or last) part;
- a display name is allowed (`ชื่อ <a@x.example>`, quotes optional) but may not itself hold
  `@`, `<`, `>`, `,` or `;` (a name that looks like an address is how a sender is spoofed);
- the local part (before `@`) must be ASCII: SMTPUTF8 is rarely offered by government mail
  servers, so a Thai local part would fail at send time;
- the domain may be Thai (IDN): it is encoded with IDNA (`xn--…`), never as an RFC 2047
  encoded word, which would make it another, invalid domain.
"""

from __future__ import annotations

import re

_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_MAILBOX = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<address>[^<>]*)>\s*$")
_NAME_FORBIDDEN = re.compile(r"[@<>,;]")


def ascii_address(address: str) -> str | None:
    """The address with its domain in IDNA form, or None when it is not one valid address
    with an ASCII local part."""
    address = address.strip()
    if address.count("@") != 1:
        return None
    local, domain = address.split("@")
    if not _LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        return None
    labels = domain.rstrip(".").split(".") if domain else []
    if len(labels) < 2:
        return None
    encoded = []
    for label in labels:
        try:
            ascii_label = label if label.isascii() else label.encode("idna").decode("ascii")
        except UnicodeError:
            return None
        if not _LABEL.match(ascii_label):
            return None
        encoded.append(ascii_label.lower())
    if encoded[-1].isdigit():
        return None
    return f"{local}@{'.'.join(encoded)}"


def local_part_not_ascii(address: str) -> bool:
    """`ชื่อ@x.example`: a reason of its own in the messages."""
    return "@" in address and not address.split("@")[0].isascii()


def parse_mailbox(text: str) -> tuple[str, str] | None:
    """(display name, ASCII address) of exactly one mailbox, or None."""
    text = text.strip()
    if not text:
        return None
    m = _MAILBOX.match(text)
    if m:
        name = m["name"].strip()
        if len(name) >= 2 and name[0] == name[-1] == '"':
            name = name[1:-1].strip()
        if _NAME_FORBIDDEN.search(name) or '"' in name:
            return None
        address = ascii_address(m["address"])
        return (name, address) if address else None
    address = ascii_address(text)
    return ("", address) if address else None
