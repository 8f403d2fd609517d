"""Generate the committed `input_templates/`: the blank framework template, the example
framework, the blank adjustments workbook and the blank receipts register.

    python -m kpi_batch.input_templates [DIR]      (default: input_templates/)

The files are produced by code only, with pinned document properties, so regenerating gives
the same bytes and tests/test_input_templates.py can compare them part by part.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from kpi_batch.adjustments.template import write_adjustments_template
from kpi_batch.framework.example import example_framework_rows
from kpi_batch.framework.writer import write_framework, write_framework_template
from kpi_batch.receipts.spec import TEMPLATE_FILE as RECEIPTS_FILE
from kpi_batch.receipts.template import write_receipts_template
from kpi_batch.specs import framework as framework_spec
from kpi_batch.specs.adjustments import TEMPLATE_FILE

TEMPLATE_NAME = framework_spec.TEMPLATE_FILE
EXAMPLE_NAME = framework_spec.EXAMPLE_FILE
ADJUSTMENTS_NAME = TEMPLATE_FILE
RECEIPTS_NAME = RECEIPTS_FILE
DEFAULT_DIR = Path("input_templates")
REGENERATE_COMMAND = "python -m kpi_batch.input_templates"


def generate_input_templates(out_dir: Path = DEFAULT_DIR) -> list[Path]:
    """Write every file of input_templates/ into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        write_framework_template(out_dir / TEMPLATE_NAME),
        write_framework(
            example_framework_rows(),
            out_dir / EXAMPLE_NAME,
            instructions=True,
            title="ตัวอย่างกรอบการประเมินผลการปฏิบัติราชการ ปีงบประมาณ พ.ศ. 2567",
        ),
        write_adjustments_template(out_dir / ADJUSTMENTS_NAME),
        write_receipts_template(out_dir / RECEIPTS_NAME),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or (args and args[0].startswith("-")):
        sys.stderr.write(f"usage: {REGENERATE_COMMAND} [DIR]\n")
        return 2
    for path in generate_input_templates(Path(args[0]) if args else DEFAULT_DIR):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
