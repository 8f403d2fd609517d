"""The `kpis` and `weights` sheets: `*` resolution, the KPI tree, and what each unit signed.

A `kpis` row belongs to a scope: a unit id, or `*` for every unit weighted on the KPI. A
unit sees its own rows first and `*` rows second, for the KPI itself and for its parents.
A `*` row's parent must itself be a `*` row (it is shared by units that may not have their
own copy of the parent). Pure: `Sheet`s in, values and `Issue`s out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from kpi_batch.framework import cells as cells
from kpi_batch.framework.codes import fw_issue
from kpi_batch.framework.read import Sheet
from kpi_batch.framework.sheet_models import ENUMS
from kpi_batch.issues import Issue
from kpi_batch.model import AgreementItem, Direction, Formula, Kpi, KpiType, Method
from kpi_batch.specs.framework import SHARED_UNIT

_LEAF_FIELDS = ("kpi_type", "direction", "formula", "method")


@dataclass(frozen=True)
class KpiRow:
    row: int
    scope: str  # unit_id or "*"
    kpi: Kpi
    usable: bool = True  # False when a cell was already reported: known, but not judged
    owner_id: str | None = None  # the KPI owner named on this row (kpis.owner_id)


@dataclass
class KpiTable:
    sheet: Sheet
    rows: dict[tuple[str, str], KpiRow] = field(default_factory=dict)
    issues: dict[tuple[str, str], Issue] = field(default_factory=dict)  # deduplicated

    def resolve(self, scope: str, kpi_id: str) -> KpiRow | None:
        """The row a unit (or `*`) sees for `kpi_id`: its own first, then the shared one."""
        return self.rows.get((scope, kpi_id)) or self.rows.get((SHARED_UNIT, kpi_id))

    def defined_anywhere(self, kpi_id: str) -> bool:
        return any(k == kpi_id for _, k in self.rows)

    def ancestors(self, scope: str, kpi_id: str) -> list[KpiRow]:
        """Parents up the tree as `scope` sees them, nearest first; stops at a cycle."""
        found: list[KpiRow] = []
        seen = {kpi_id}
        current = self.resolve(scope, kpi_id)
        while current is not None and current.kpi.parent_id and current.kpi.parent_id not in seen:
            seen.add(current.kpi.parent_id)
            current = self.resolve(scope, current.kpi.parent_id)
            if current is not None:
                found.append(current)
        return found

    def report(self, issue: Issue) -> None:
        self.issues.setdefault((issue.code, issue.cell), issue)


def _enum(sheet: Sheet, row: int, column: str) -> tuple[str | None, bool]:
    """(keyword, ok): ok is False when the cell holds a value outside the enumeration."""
    value = cells.keyword(sheet.value(row, column))
    return value, value is None or value in ENUMS[column]


_MILESTONE_RULES = (
    (
        "direction",
        "lower",
        "แบบขั้นตอน (milestone) ขั้นสูงกว่าย่อมดีกว่า — เว้น direction ว่าง หรือใส่ higher",
        "a milestone KPI is always higher-is-better; leave direction blank or higher",
    ),
    (
        "formula",
        "ratio",
        "แบบขั้นตอน (milestone) ใช้ formula ratio ไม่ได้ — เว้น formula ว่าง",
        "a milestone KPI cannot use formula ratio; leave formula blank",
    ),
)


def _kpi(table: KpiTable, row: int, scope: str, kpi_id: str) -> KpiRow:
    sheet = table.sheet
    kpi_type, ok_type = _enum(sheet, row, "kpi_type")
    direction, ok_dir = _enum(sheet, row, "direction")
    formula, ok_formula = _enum(sheet, row, "formula")
    method, ok_method = _enum(sheet, row, "method")
    usable = ok_type and ok_dir and ok_formula and ok_method
    parent = Kpi(
        kpi_id=kpi_id,
        name=cells.text(sheet.value(row, "name")) or "",
        parent_id=cells.ident(sheet.value(row, "parent_id")),
        component=cells.text(sheet.value(row, "component")) or "",
        measure_unit=cells.text(sheet.value(row, "measure_unit")) or "",
    )
    if kpi_type is None or not usable:
        filled = [c for c in _LEAF_FIELDS if sheet.value(row, c) is not None]
        if usable and filled:
            table.report(_parent_fields(sheet, row, filled[0], kpi_id))
        return KpiRow(row, scope, parent, usable)
    ktype = KpiType(kpi_type)
    if ktype is KpiType.MILESTONE:
        for column, bad, th, en in _MILESTONE_RULES:
            if cells.keyword(sheet.value(row, column)) == bad:
                cell = sheet.cell(column, row)
                table.report(
                    fw_issue(
                        "FW_KPI_FIELDS",
                        sheet.name,
                        cell,
                        bad,
                        kpi=kpi_id,
                        detail_th=th,
                        detail_en=en,
                    )
                )
                usable = False
        direction = Direction.HIGHER.value
    elif direction is None:
        cell = sheet.cell("direction", row)
        table.report(fw_issue("FW_REQUIRED_VALUE", sheet.name, cell, column="direction"))
        usable = False
    kpi = replace(
        parent,
        kpi_type=ktype,
        direction=Direction(direction) if direction else None,
        formula=Formula(formula) if formula else Formula.VALUE,
        method=Method(method) if method else Method.LINEAR,
    )
    return KpiRow(row, scope, kpi, usable)


def _parent_fields(sheet: Sheet, row: int, column: str, kpi_id: str, child: str = "") -> Issue:
    why_th = f" (มีตัวชี้วัดย่อย '{child}')" if child else " (ไม่ได้ระบุ kpi_type)"
    why_en = f" (KPI '{child}' names it as parent)" if child else " (kpi_type is blank)"
    value = cells.text(sheet.value(row, column))
    cell = sheet.cell(column, row)
    return fw_issue(
        "FW_PARENT_FIELDS", sheet.name, cell, value, kpi=kpi_id, why_th=why_th, why_en=why_en
    )


def read_kpis(
    sheet: Sheet,
    skip: Iterable[int],
    unit_ids: set[str] | None,
    owner_ids: set[str] | None = None,
) -> KpiTable:
    """`owner_ids`: the owners sheet's ids (empty when there is none); None skips the check."""
    table = KpiTable(sheet)
    skipped = set(skip)
    for row in sheet.rows():
        scope = cells.ident(sheet.value(row, "unit_id"))
        kpi_id = cells.ident(sheet.value(row, "kpi_id"))
        if row in skipped or scope is None or kpi_id is None:
            continue
        if scope != SHARED_UNIT and unit_ids is not None and scope not in unit_ids:
            table.report(
                fw_issue(
                    "FW_UNKNOWN_UNIT",
                    sheet.name,
                    sheet.cell("unit_id", row),
                    scope,
                    hint_th=" (ตัวชี้วัดร่วมทุกหน่วยงานใช้ *)",
                    hint_en=" (use * for a KPI shared by every unit)",
                )
            )
            continue
        entry = _kpi(table, row, scope, kpi_id)
        owner_id = cells.ident(sheet.value(row, "owner_id"))
        if owner_id is not None and owner_ids is not None and owner_id not in owner_ids:
            table.report(
                fw_issue("FW_UNKNOWN_OWNER", sheet.name, sheet.cell("owner_id", row), owner_id)
            )
            owner_id = None
        table.rows[(scope, kpi_id)] = replace(entry, owner_id=owner_id)
    _check_parents(table)
    return table


def kpi_owners(
    table: KpiTable, agreements: Mapping[str, Iterable[AgreementItem]]
) -> dict[tuple[str, str], str]:
    """(unit_id, kpi_id) -> owner_id for every signed KPI with an owner. The unit's own row
    names the owner; when its owner cell is blank, the shared `*` row's owner answers (a
    unit's own row usually changes a name or criteria, not who checks the KPI)."""
    found: dict[tuple[str, str], str] = {}
    for unit_id, items in agreements.items():
        for item in items:
            kpi_id = item.kpi.kpi_id
            own = table.rows.get((unit_id, kpi_id))
            shared = table.rows.get((SHARED_UNIT, kpi_id))
            owner = (own.owner_id if own else None) or (shared.owner_id if shared else None)
            if owner:
                found[(unit_id, kpi_id)] = owner
    return found


def _check_parents(table: KpiTable) -> None:
    sheet = table.sheet
    for (scope, kpi_id), item in table.rows.items():
        parent_id = item.kpi.parent_id
        if parent_id is None:
            continue
        cell = sheet.cell("parent_id", item.row)
        if _in_cycle(table, scope, kpi_id):
            table.report(fw_issue("FW_PARENT_CYCLE", sheet.name, cell, parent_id, kpi=kpi_id))
            continue
        parent = (
            table.rows.get((SHARED_UNIT, parent_id))
            if scope == SHARED_UNIT
            else table.resolve(scope, parent_id)
        )
        if parent is None:
            shared = scope == SHARED_UNIT
            table.report(
                fw_issue(
                    "FW_UNKNOWN_PARENT",
                    sheet.name,
                    cell,
                    parent_id,
                    scope_th=" (ตัวชี้วัดร่วม * ต้องมีตัวชี้วัดหลักเป็นแถว * ด้วย)" if shared else "",
                    scope_en=" (a * row's parent must be a * row)" if shared else "",
                )
            )
        elif parent.usable and not parent.kpi.is_parent:
            table.report(_parent_fields(sheet, parent.row, "kpi_type", parent_id, kpi_id))


def _in_cycle(table: KpiTable, scope: str, kpi_id: str) -> bool:
    seen: set[str] = set()
    current = table.resolve(scope, kpi_id)
    while current is not None and current.kpi.parent_id:
        parent_id = current.kpi.parent_id
        if parent_id == kpi_id:
            return True
        if parent_id in seen:
            return False
        seen.add(parent_id)
        current = table.resolve(scope, parent_id)
    return False


@dataclass
class Weights:
    # unit_id -> [(Excel row, item)] in sheet order
    items: dict[str, list[tuple[int, AgreementItem]]] = field(default_factory=dict)
    units_seen: set[str] = field(default_factory=set)  # every unit id named, even on bad rows
    issues: list[Issue] = field(default_factory=list)


def read_weights(
    sheet: Sheet, skip: Iterable[int], table: KpiTable | None, unit_ids: set[str] | None
) -> Weights:
    found = Weights()
    skipped = set(skip)
    for row in sheet.rows():
        unit_id = cells.ident(sheet.value(row, "unit_id"))
        kpi_id = cells.ident(sheet.value(row, "kpi_id"))
        if unit_id is not None:
            found.units_seen.add(unit_id)
        if row in skipped or unit_id is None or kpi_id is None:
            continue
        if unit_id == SHARED_UNIT or (unit_ids is not None and unit_id not in unit_ids):
            found.issues.append(
                fw_issue(
                    "FW_UNKNOWN_UNIT",
                    sheet.name,
                    sheet.cell("unit_id", row),
                    unit_id,
                    hint_th=" (น้ำหนักต้องระบุหน่วยงาน ใช้ * ไม่ได้)" if unit_id == SHARED_UNIT else "",
                    hint_en=" (weights are per unit; * is not allowed)"
                    if unit_id == SHARED_UNIT
                    else "",
                )
            )
            continue
        if table is None:
            continue
        resolved = table.resolve(unit_id, kpi_id)
        if resolved is None:
            found.issues.append(
                fw_issue(
                    "FW_UNKNOWN_KPI", sheet.name, sheet.cell("kpi_id", row), kpi_id, unit=unit_id
                )
            )
            continue
        weight = cells.parse_decimal(sheet.value(row, "weight"))
        if weight is None or weight <= 0 or not resolved.usable:
            continue
        if resolved.kpi.is_parent:
            found.issues.append(_weighted_parent(sheet, row, kpi_id, ""))
            continue
        found.items.setdefault(unit_id, []).append((row, AgreementItem(resolved.kpi, weight)))
    if table is not None:
        _check_weighted_trees(sheet, table, found)
    return found


def _weighted_parent(sheet: Sheet, row: int, kpi_id: str, child: str) -> Issue:
    why_th = f"ตัวชี้วัดย่อย '{child}' มีน้ำหนักอยู่แล้ว" if child else "ไม่ได้ระบุ kpi_type"
    why_en = f"its sub-KPI '{child}' is weighted" if child else "kpi_type is blank"
    return fw_issue(
        "FW_WEIGHTED_PARENT",
        sheet.name,
        sheet.cell("kpi_id", row),
        kpi_id,
        why_th=why_th,
        why_en=why_en,
    )


def _check_weighted_trees(sheet: Sheet, table: KpiTable, found: Weights) -> None:
    """A unit may not weight a KPI and one of its ancestors; every ancestor is a parent row."""
    for unit_id, items in found.items.items():
        weighted = {item.kpi.kpi_id: row for row, item in items}
        bad_rows: set[int] = set()
        for _, item in items:
            for ancestor in table.ancestors(unit_id, item.kpi.kpi_id):
                if ancestor.kpi.kpi_id in weighted:
                    row = weighted[ancestor.kpi.kpi_id]
                    bad_rows.add(row)
                    found.issues.append(
                        _weighted_parent(sheet, row, ancestor.kpi.kpi_id, item.kpi.kpi_id)
                    )
                elif ancestor.usable and not ancestor.kpi.is_parent:
                    issue = _parent_fields(
                        table.sheet, ancestor.row, "kpi_type", ancestor.kpi.kpi_id, item.kpi.kpi_id
                    )
                    table.report(issue)
        found.items[unit_id] = [(r, i) for r, i in items if r not in bad_rows]


def unit_kpis(table: KpiTable, unit_id: str, items: Iterable[AgreementItem]) -> Mapping[str, Kpi]:
    """Every KPI the unit sees: its own rows, the KPIs it signed for and their parents (own
    row first, then `*`), in the order the KPI ids first appear in the kpis sheet."""
    chosen: dict[str, KpiRow] = {k: r for (s, k), r in table.rows.items() if s == unit_id}
    for item in items:
        for entry in [
            table.resolve(unit_id, item.kpi.kpi_id),
            *table.ancestors(unit_id, item.kpi.kpi_id),
        ]:
            if entry is not None:
                chosen[entry.kpi.kpi_id] = entry
    first_row: dict[str, int] = {}
    for (_, kpi_id), entry in table.rows.items():
        first_row[kpi_id] = min(entry.row, first_row.get(kpi_id, entry.row))
    ordered = sorted(chosen, key=lambda kpi_id: first_row[kpi_id])
    return {kpi_id: chosen[kpi_id].kpi for kpi_id in ordered}
