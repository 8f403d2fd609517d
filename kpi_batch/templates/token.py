"""`template_token`: proof of which unit a template was issued to (DOMAIN §5).

    template_token(key, fiscal_year, round_id, unit_id, fingerprint) -> str   pure
    issued_to(key, token, fiscal_year, round_id, fingerprint, unit_ids) -> str | None
    load_key(framework_path, create=False) -> bytes | None                       I/O

The token is HMAC-SHA256 of the four values under a secret key the planning office keeps,
cut to 32 hex digits (128 bits). A unit cannot make another unit's token without the key,
so U01's template with its `unit_id` cell changed to U02 is refused (`unit_token_mismatch`,
naming U01). The key is
- the environment variable `KPI_BATCH_TEMPLATE_KEY` when set (its text, as UTF-8), else
- the file `kpi-batch-template.key` beside the framework workbook: created (32 random
  bytes, hex) by the first `kpi-batch templates` (or `demo`); `run` only reads it.
It is never written into a workbook, a run folder, the archive or an e-mail. Rotating it:
docs/template.md.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

KEY_ENV = "KPI_BATCH_TEMPLATE_KEY"
KEY_FILE = "kpi-batch-template.key"
TOKEN_HEX = 32


def template_token(
    key: bytes, fiscal_year: str, round_id: str, unit_id: str, fingerprint: str
) -> str:
    message = "\x1f".join(("kpi_batch template v1", fiscal_year, round_id, unit_id, fingerprint))
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()[:TOKEN_HEX]


def token_matches(
    key: bytes, token: str, fiscal_year: str, round_id: str, unit_id: str, fingerprint: str
) -> bool:
    expected = template_token(key, fiscal_year, round_id, unit_id, fingerprint)
    return hmac.compare_digest(expected, token.strip().lower())


def issued_to(
    key: bytes,
    token: str,
    fiscal_year: str,
    round_id: str,
    fingerprint: str,
    unit_ids: Iterable[str],
) -> str | None:
    """The unit of `unit_ids` whose template carries `token`, if any."""
    for unit_id in unit_ids:
        if token_matches(key, token, fiscal_year, round_id, unit_id, fingerprint):
            return unit_id
    return None


def key_path(framework_path: Path) -> Path:
    return framework_path.parent / KEY_FILE


def load_key(framework_path: Path, create: bool = False) -> bytes | None:
    """The planning office's key (see the module docstring), or None when there is none
    and `create` is False."""
    from_env = os.environ.get(KEY_ENV, "")
    if from_env.strip():
        return from_env.strip().encode("utf-8")
    path = key_path(framework_path)
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        text = ""
    if text:
        return text.encode("utf-8")
    if not create:
        return None
    text = secrets.token_hex(32)
    # O_EXCL: two runs creating at once keep the first key; 0o600: the owner only
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    return text.encode("utf-8")
