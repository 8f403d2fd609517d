"""The framework workbook, format v1 (DOMAIN.md §4): the sheet and column names are exact keys.

Reader, checker, writer and the blank template all take their names from here, so the
contract is spelled once (docs/framework.md).
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType

FORMAT_VERSION = "1"  # part of the framework fingerprint
TEMPLATE_FILE = "framework_template.xlsx"  # the blank framework in input_templates/
EXAMPLE_FILE = "framework_example.xlsx"  # the FY2567 example framework
INSTRUCTIONS_SHEET = "คำอธิบาย"  # first sheet of the blank template; the reader ignores it


class SheetName(StrEnum):
    """The framework's sheets (a StrEnum: each member is the sheet's name as a str)."""

    SETTINGS = "settings"
    ROUNDS = "rounds"
    CLUSTERS = "clusters"
    UNITS = "units"
    KPIS = "kpis"
    CRITERIA = "criteria"
    WEIGHTS = "weights"
    BANDS = "bands"
    RECIPIENTS = "recipients"
    HOLIDAYS = "holidays"
    OWNERS = "owners"


# sheet -> columns, in the order the blank template shows them. `criteria` also carries one
# column per scale point; those depend on the framework's `scale` setting.
SHEETS = MappingProxyType(
    {
        SheetName.SETTINGS: ("key", "value"),
        SheetName.ROUNDS: (
            "round_id",
            "name",
            "period_start",
            "period_end",
            "data_cutoff",
            "due_date",
        ),
        SheetName.CLUSTERS: ("cluster_id", "name"),
        SheetName.UNITS: ("unit_id", "name", "cluster_id", "email"),
        SheetName.KPIS: (
            "unit_id",
            "kpi_id",
            "parent_id",
            "name",
            "component",
            "kpi_type",
            "direction",
            "measure_unit",
            "formula",
            "method",
            "owner_id",
        ),
        SheetName.CRITERIA: ("unit_id", "kpi_id", "round_id"),
        SheetName.WEIGHTS: ("unit_id", "kpi_id", "weight"),
        SheetName.BANDS: ("band_id", "name", "min_score"),
        SheetName.RECIPIENTS: ("role", "name", "email"),
        SheetName.HOLIDAYS: ("date", "name"),
        SheetName.OWNERS: ("owner_id", "name", "email"),
    }
)
OPTIONAL_SHEETS = frozenset({SheetName.RECIPIENTS, SheetName.HOLIDAYS, SheetName.OWNERS})
# Columns a framework may leave out (older files, or no KPI owners yet): sheet -> columns.
OPTIONAL_COLUMNS = MappingProxyType({SheetName.KPIS: ("owner_id",)})
REQUIRED_SETTINGS = ("organisation", "fiscal_year")
OPTIONAL_SETTINGS = (
    "scale",
    "decimals",
    "rounding",
    "below_lowest",
    "late_penalty_per_day",
    "late_penalty_cap",
    "late_day_count",
    "due_date_roll",
    "band_method",
)
SHARED_UNIT = "*"  # a kpis/criteria row for every unit weighted on the KPI
DERIVE = "derive"  # a criteria cell asking for the 6-month rule
RECIPIENT_ROLES = ("hr", "executive")
