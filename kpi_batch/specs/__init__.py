"""One spec module per workbook kind the tool writes and reads back (template, framework,
adjustments, review): its sheet, table and defined names, column keys and Thai labels,
file-name rules and format version.

Writers and readers import these; no other module spells a workbook's names (checked by
tests/test_specs.py). Specs import nothing from kpi_batch but `thai`, so every layer may
import them.
"""
