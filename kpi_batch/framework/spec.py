"""Framework workbook format v1 (DOMAIN.md §4): the sheet and column names are exact keys.

Reader, checker, writer and the blank template all take their names from here, so the
contract is spelled once.
"""

from __future__ import annotations

from types import MappingProxyType

FORMAT_VERSION = "1"

# sheet -> columns, in the order the blank template shows them. `criteria` also carries one
# column per scale point; those depend on the framework's `scale` setting.
SHEETS = MappingProxyType(
    {
        "settings": ("key", "value"),
        "rounds": ("round_id", "name", "period_start", "period_end", "data_cutoff", "due_date"),
        "clusters": ("cluster_id", "name"),
        "units": ("unit_id", "name", "cluster_id", "email"),
        "kpis": (
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
        "criteria": ("unit_id", "kpi_id", "round_id"),
        "weights": ("unit_id", "kpi_id", "weight"),
        "bands": ("band_id", "name", "min_score"),
        "recipients": ("role", "name", "email"),
        "holidays": ("date", "name"),
        "owners": ("owner_id", "name", "email"),
    }
)
OPTIONAL_SHEETS = frozenset({"recipients", "holidays", "owners"})
# Columns a framework may leave out (older files, or no KPI owners yet): sheet -> columns.
OPTIONAL_COLUMNS = MappingProxyType({"kpis": ("owner_id",)})
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
