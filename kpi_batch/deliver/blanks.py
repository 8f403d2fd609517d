"""Blank templates to attach: each unit's current submission workbook for the run's round.

    blank_templates(source, unit_ids) -> {unit_id: RunFile}

A unit whose file was refused as a whole (wrong round, another unit's template, an old
template, unreadable…) or that sent nothing can only start again from its own blank
template, so its e-mail carries one. It is made exactly as `kpi-batch templates` makes it
(`templates.workbook.write_unit_template`, with the planning office's key from
`templates.token.load_key`, so it carries the unit's `template_token`; never a new key),
written into a temporary folder and read back: the run folder is not touched. The template
is deterministic (pinned document times), so it is byte for byte the one `kpi-batch
templates` writes from the same framework. Its `RunFile.rel` is `templates/<name>` (the
delivery log's `source`), and its checksum is that of the bytes made here: the checks
(`checks.py`) compare the attachment on the wire with them and read its `unit_id`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

from kpi_batch.deliver.source import RunFile, RunSource, sha256_bytes
from kpi_batch.templates.token import load_key
from kpi_batch.templates.workbook import template_filename, write_unit_template

TEMPLATES_DIR = "templates"


def blank_templates(source: RunSource, unit_ids: Iterable[str]) -> dict[str, RunFile]:
    """Units without an agreement have no template and are left out (the plan says so)."""
    fw, round_id = source.framework, source.round.round_id
    wanted = [u for u in dict.fromkeys(unit_ids) if fw.agreements.get(u)]
    if not wanted:
        return {}
    key = load_key(source.framework_path)  # never create one: the run checked with this
    found = {}
    with tempfile.TemporaryDirectory(prefix="kpi-batch-templates-") as tmp:
        for unit_id in wanted:
            name = template_filename(fw, round_id, unit_id)
            path = write_unit_template(fw, unit_id, round_id, Path(tmp) / name, key)
            data = path.read_bytes()
            sha = sha256_bytes(data)
            found[unit_id] = RunFile(f"{TEMPLATES_DIR}/{name}", data, sha, sha)
    return found
