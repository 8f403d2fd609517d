"""Submission helpers for tests: `fill_template` lives in the package (the demo uses it too)."""

from kpi_batch.templates.fill import fill_template, table_cells

__all__ = ["fill_template", "table_cells"]
