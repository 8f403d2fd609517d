"""Does each file carry the token of the unit it claims? Pure (templates/token.py).

With the planning office's key, a file whose `template_token` is not the claimed unit's is
refused (`unit_token_mismatch`, naming the unit whose template it really is when one of the
framework's units matches); a file without a token is refused (`template_token_missing`:
every template made with the key has one). Without a key nothing is checked here (the run
says so); files of one unit that carry different tokens are still held (register.settle).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kpi_batch.intake.codes import CHECKS
from kpi_batch.issues import Issue
from kpi_batch.templates.token import issued_to, token_matches


def token_issues(
    key: bytes,
    headers: Iterable[tuple[str, str, str, str, str, str]],
    unit_ids: Sequence[str],
) -> list[Issue]:
    """`headers`: (file, unit_id, fiscal_year, round_id, framework_fingerprint, token)."""
    issues = []
    for file, unit_id, fiscal_year, round_id, fingerprint, token in headers:
        if not token.strip():
            issues.append(CHECKS["template_token_missing"].issue(file=file, unit_id=unit_id))
            continue
        if token_matches(key, token, fiscal_year, round_id, unit_id, fingerprint):
            continue
        others = [u for u in unit_ids if u != unit_id]
        real = issued_to(key, token, fiscal_year, round_id, fingerprint, others)
        issues.append(
            CHECKS["unit_token_mismatch"].issue(
                file=file,
                unit_id=unit_id,
                value=unit_id,
                real=real or "ไม่พบ (not found)",
            )
        )
    return issues
