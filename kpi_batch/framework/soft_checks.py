"""Checks that warn and never refuse: the framework is accepted, check-framework exits 0,
and each warning names the cell a planner would look at (`sheet!cell: ข้อความ [code]`).

- a unit's weights that do not total 100 (allowed: the total divides by the weight sum, but
  usually a typo in what the unit signed);
- signed KPIs without an owner once the framework has owners (DOMAIN §4): no review
  workbook would hold them;
- e-mail settings `kpi-batch email` needs (docs/email.md): without `smtp_from` even the dry
  run stops with exit 2.

Pure: prepared `Sheet`s and the assembled `Framework` in, `Issue`s (severity warning) out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from kpi_batch.framework import cells as cells
from kpi_batch.framework.codes import fw_warning
from kpi_batch.framework.kpis import KpiTable
from kpi_batch.framework.read import Sheet
from kpi_batch.issues import Issue
from kpi_batch.model import AgreementItem, Framework
from kpi_batch.specs.framework import SheetName

FULL_WEIGHT = Decimal(100)
_SHOWN = 6  # ids or cells listed in one message before "…"

# key -> (what it is, Thai; English; what happens without it, Thai; English; an example)
EMAIL_SETTINGS: Mapping[str, tuple[str, str, str, str, str]] = {
    "smtp_from": (
        "ผู้ส่งอีเมล",
        "the sender",
        "kpi-batch email จะหยุดทันที (exit 2) แม้เป็นการทดลองส่ง เว้นแต่ระบุ --from",
        "kpi-batch email stops with exit 2, even for a dry run, unless --from is given",
        "กลุ่มพัฒนาระบบบริหาร <kpr@anamai.moph.go.th>",
    ),
    "smtp_host": (
        "เครื่องแม่ข่ายอีเมล",
        "the mail server",
        "ส่งอีเมลจริง (--send) ไม่ได้ เว้นแต่ระบุ --smtp-host",
        "--send cannot connect unless --smtp-host is given",
        "smtp.anamai.moph.go.th",
    ),
    "appeal_deadline": (
        "วันสิ้นสุดการอุทธรณ์",
        "the last day to appeal",
        "อีเมลแจ้งผลจะไม่บอกวันสิ้นสุดการอุทธรณ์ และส่งผลจริงไม่ได้ เว้นแต่ระบุ --appeal-deadline",
        "result e-mails state no appeal deadline and --send refuses them unless"
        " --appeal-deadline is given",
        "22 มี.ค. 2567",
    ),
}


def soft_checks(
    sheets: Mapping[str, Sheet],
    weight_rows: Mapping[str, Sequence[tuple[int, AgreementItem]]],
    kpis: KpiTable,
    fw: Framework,
) -> list[Issue]:
    """Every warning of an accepted framework; `weight_rows` are the weights sheet's Excel
    rows of each unit's agreement, as the weights reader found them."""
    found = weights_not_full(sheets[SheetName.WEIGHTS], weight_rows, fw)
    if fw.owners:
        found += kpis_without_owner(kpis, fw)
    if SheetName.SETTINGS in sheets:
        found += missing_email_settings(sheets[SheetName.SETTINGS])
    return found


def weights_not_full(
    sheet: Sheet, weight_rows: Mapping[str, Sequence[tuple[int, AgreementItem]]], fw: Framework
) -> list[Issue]:
    issues = []
    for unit in fw.units:
        rows = weight_rows.get(unit.unit_id, ())
        total = sum((item.weight for _, item in rows), Decimal(0))
        if not rows or total == FULL_WEIGHT:
            continue
        places = cell_ranges(sheet, "weight", [r for r, _ in rows])
        issues.append(
            fw_warning(
                "FW_WEIGHTS_NOT_100",
                sheet.name,
                places[0] if len(places) == 1 else sheet.cell("weight", rows[0][0]),
                unit=unit.unit_id,
                name=unit.name,
                total=cells.decimal_text(total),
                cells=_listed(f"{sheet.name}!{p}" for p in places),
            )
        )
    return issues


def kpis_without_owner(kpis: KpiTable, fw: Framework) -> list[Issue]:
    """One warning per kpis row that leaves signed KPIs ownerless (a `*` row: every unit
    that sees it), at that row's owner_id cell, where the owner goes."""
    units_of: dict[int, list[str]] = {}
    kpi_of: dict[int, str] = {}
    for unit_id, items in fw.agreements.items():
        for item in items:
            if (unit_id, item.kpi.kpi_id) in fw.kpi_owners:
                continue
            row = kpis.resolve(unit_id, item.kpi.kpi_id)
            if row is None:  # cannot happen in an accepted framework
                continue
            units_of.setdefault(row.row, []).append(unit_id)
            kpi_of[row.row] = item.kpi.kpi_id
    return [
        fw_warning(
            "FW_KPI_NO_OWNER",
            kpis.sheet.name,
            kpis.sheet.cell("owner_id", row),
            kpi=kpi_of[row],
            count=len(units),
            units=_listed(units, counted=True),
        )
        for row, units in sorted(units_of.items())
    ]


def missing_email_settings(sheet: Sheet) -> list[Issue]:
    rows: dict[str, int] = {}
    for at in sheet.rows():
        key = cells.keyword(sheet.value(at, "key"))
        if key is not None:
            rows.setdefault(key, at)
    next_row = max(sheet.rows(), default=sheet.header_row) + 1
    issues = []
    for key, (what_th, what_en, effect_th, effect_en, example) in EMAIL_SETTINGS.items():
        row = rows.get(key)
        if row is not None and cells.text(sheet.value(row, "value")):
            continue
        # a row with a blank value: that value cell; no row: the key cell of a new row
        cell = sheet.cell("value", row) if row is not None else sheet.cell("key", next_row)
        issues.append(
            fw_warning(
                "FW_EMAIL_SETTING_MISSING",
                sheet.name,
                cell,
                key=key,
                what_th=what_th,
                what_en=what_en,
                effect_th=effect_th,
                effect_en=effect_en,
                example=example,
            )
        )
        if row is None:
            next_row += 1
    return issues


def cell_ranges(sheet: Sheet, column: str, rows: Iterable[int]) -> list[str]:
    """Excel rows of one column as ranges: [5, 6, 7, 9] -> ['C5:C7', 'C9']."""
    spans: list[list[int]] = []
    for row in sorted(set(rows)):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    return [
        sheet.cell(column, a) if a == b else f"{sheet.cell(column, a)}:{sheet.cell(column, b)}"
        for a, b in spans
    ]


def _listed(items: Iterable[str], counted: bool = False) -> str:
    """The first few, then "…" (with the total unless the message states it already)."""
    items = list(items)
    shown = ", ".join(items[:_SHOWN])
    if len(items) <= _SHOWN:
        return shown
    return shown + (", …" if counted else f", … (รวม {len(items)})")
