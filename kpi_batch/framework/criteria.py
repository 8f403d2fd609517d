"""The `criteria` sheet: columns against the scale, `*` resolution, threshold order, and the
6-month rule (DOMAIN.md §3.10).

The 6-month rule, as implemented by `derive_thresholds`: the middle point's threshold is
half the full-year threshold for the top point, and every other threshold keeps its
distance from the middle one as in the full-year row. So the whole full-year row is
shifted by (full-year middle - full-year top / 2):

    88  90  92  94  96   (full year)  -> shift 92 - 48 = 44 ->  44  46  48  50  52
    60  70  80  90 100   (full year)  -> shift 80 - 50 = 30 ->  30  40  50  60  70

For a lower-is-better KPI the "top" threshold is the one for the top point, i.e. the
smallest number, and the same shift keeps the row descending with the same steps:

    54  52  50  48  46   (full year, lower is better) -> shift 50 - 23 = 27 -> 27 25 23 21 19

i.e. half-way through the year a unit should be at half the full-year target (23 of 46
incidents) to be on track (the middle point), with the same tolerance per point as the full
year. A blank full-year cell stays blank; a derived threshold below zero from a row with no
negative numbers is refused (FW_DERIVE_NEGATIVE) rather than made unreachable silently.
Milestone KPIs cannot be derived: their steps are not amounts that halve.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kpi_batch.framework import cells as cells
from kpi_batch.framework.codes import fw_issue
from kpi_batch.framework.kpis import KpiTable
from kpi_batch.framework.read import Sheet
from kpi_batch.issues import Issue, cell_ref
from kpi_batch.model import AgreementItem, Criteria, Direction, KpiType, Round
from kpi_batch.specs.framework import DERIVE, SHARED_UNIT

Thresholds = tuple[Decimal | None, ...]


def middle_index(scale: Sequence[Decimal]) -> int:
    """The middle point (3 of 1..5, 75 of 50/75/100; the lower middle for an even scale)."""
    return (len(scale) - 1) // 2


def derive_thresholds(full_year: Thresholds, middle: int) -> Thresholds:
    """The 6-month rule: shift the full-year row so its middle is (top threshold) / 2."""
    top, mid = full_year[-1], full_year[middle]
    if top is None or mid is None:
        raise ValueError("the full-year row needs the middle and top thresholds")
    shift = mid - top / 2
    return tuple(None if t is None else cells.clean_decimal(t - shift) for t in full_year)


def full_year_round(rounds: Sequence[Round], fiscal_year_ce: int) -> Round | None:
    """The first round whose period covers the whole fiscal year (1 Oct - 30 Sep)."""
    fy_start, fy_end = dt.date(fiscal_year_ce - 1, 10, 1), dt.date(fiscal_year_ce, 9, 30)
    return next((r for r in rounds if r.period_start <= fy_start and r.period_end >= fy_end), None)


def point_columns(sheet: Sheet, scale: Sequence[Decimal]) -> tuple[dict[Decimal, str], list[Issue]]:
    """Scale point -> criteria header key (`5`, `5.0` and `๕` all name point 5). A missing
    point, or a number column that is not a point, is reported on the header row."""
    found: dict[Decimal, str] = {}
    issues: list[Issue] = []
    scale_text = ",".join(cells.decimal_text(p) for p in scale)
    for key in sheet.columns:
        number = cells.parse_decimal(key)
        if number is None:
            continue  # a notes column
        if number in scale and number not in found:
            found[number] = key
            continue
        if number in found:  # `5` and `5.0`
            first = sheet.header_cell(found[number])
            issues.append(
                fw_issue(
                    "FW_DUPLICATE_COLUMN",
                    sheet.name,
                    sheet.header_cell(key),
                    key,
                    column=key,
                    first=first,
                )
            )
            continue
        issues.append(
            fw_issue(
                "FW_CRITERIA_COLUMNS",
                sheet.name,
                sheet.header_cell(key),
                key,
                scale=scale_text,
                detail_th=f"คอลัมน์ '{key}' ไม่ใช่คะแนนใน scale — ลบคอลัมน์นี้ หรือแก้ scale",
                detail_en=f"column '{key}' is not a point of the scale",
            )
        )
    missing = [p for p in scale if p not in found]
    for offset, point in enumerate(missing):
        text = cells.decimal_text(point)
        issues.append(
            fw_issue(
                "FW_CRITERIA_COLUMNS",
                sheet.name,
                cell_ref(sheet.header_row, sheet.free_column + offset),
                text,
                scale=scale_text,
                detail_th=f"ไม่พบคอลัมน์ '{text}' ของคะแนน {text} — เพิ่มคอลัมน์นี้",
                detail_en=f"the column for point {text} is missing",
            )
        )
    return found, issues


@dataclass(frozen=True)
class CriteriaRow:
    row: int
    scope: str  # unit_id or "*"
    kpi_id: str
    round_id: str
    thresholds: Thresholds
    derive: bool
    usable: bool  # False when a cell was already reported


@dataclass
class CriteriaCheck:
    """Everything the criteria checks need to know about the rest of the framework."""

    sheet: Sheet
    scale: tuple[Decimal, ...]
    columns: Mapping[Decimal, str]  # scale point -> header key
    kpis: KpiTable | None
    unit_ids: set[str] | None
    rounds: Sequence[Round]  # complete rounds: criteria are resolved for each
    round_ids: set[str] | None  # every round id named (None: the rounds sheet is missing)
    full_year: Round | None
    derive_checked: bool = True  # False when the fiscal year is unknown (reported elsewhere)
    rows: dict[tuple[str, str, str], CriteriaRow] = field(default_factory=dict)
    issues: dict[tuple[str, str, str], Issue] = field(default_factory=dict)

    def report(self, issue: Issue) -> None:
        self.issues.setdefault((issue.code, issue.sheet, issue.cell), issue)

    def cell(self, point_index: int, row: int) -> str:
        return self.sheet.cell(self.columns[self.scale[point_index]], row)

    @property
    def middle(self) -> int:
        return middle_index(self.scale)


def read_criteria(check: CriteriaCheck, skip: Iterable[int]) -> None:
    """Row by row: references, `derive` placement, empty rows."""
    sheet = check.sheet
    skipped = set(skip)
    for row in sheet.rows():
        scope, kpi_id, round_id = (
            cells.ident(sheet.value(row, c)) for c in ("unit_id", "kpi_id", "round_id")
        )
        if row in skipped or scope is None or kpi_id is None or round_id is None:
            continue
        usable = _references_ok(check, row, scope, kpi_id, round_id)
        raw = [sheet.value(row, check.columns[p]) for p in check.scale]
        derive_at = [i for i, v in enumerate(raw) if cells.keyword(v) == DERIVE]
        thresholds = tuple(cells.parse_decimal(v) for v in raw)
        if any(
            v is not None and t is None and i not in derive_at
            for i, (v, t) in enumerate(zip(raw, thresholds, strict=True))
        ):
            usable = False  # a bad number, reported by the schema
        if derive_at:
            usable = _derive_placement_ok(check, row, round_id, raw, derive_at) and usable
        elif all(t is None for t in thresholds) and usable:
            check.report(fw_issue("FW_EMPTY_CRITERIA", sheet.name, check.cell(0, row)))
            usable = False
        check.rows[(scope, kpi_id, round_id)] = CriteriaRow(
            row, scope, kpi_id, round_id, thresholds, bool(derive_at), usable
        )


def _references_ok(check: CriteriaCheck, row: int, scope: str, kpi_id: str, round_id: str) -> bool:
    sheet = check.sheet
    ok = True
    if scope != SHARED_UNIT and check.unit_ids is not None and scope not in check.unit_ids:
        check.report(
            fw_issue(
                "FW_UNKNOWN_UNIT",
                sheet.name,
                sheet.cell("unit_id", row),
                scope,
                hint_th=" (เกณฑ์ร่วมทุกหน่วยงานใช้ *)",
                hint_en=" (use * for criteria shared by every unit)",
            )
        )
        ok = False
    elif check.kpis is not None:
        known = (
            check.kpis.defined_anywhere(kpi_id)
            if scope == SHARED_UNIT
            else check.kpis.resolve(scope, kpi_id) is not None
        )
        if not known:
            cell = sheet.cell("kpi_id", row)
            check.report(fw_issue("FW_UNKNOWN_KPI", sheet.name, cell, kpi_id, unit=scope))
            ok = False
    if check.round_ids is not None and round_id not in check.round_ids:
        cell = sheet.cell("round_id", row)
        check.report(fw_issue("FW_UNKNOWN_ROUND", sheet.name, cell, round_id))
        ok = False
    return ok


def _derive_placement_ok(
    check: CriteriaCheck, row: int, round_id: str, raw: Sequence[object], derive_at: Sequence[int]
) -> bool:
    middle = check.middle
    middle_key = check.columns[check.scale[middle]]
    problems: list[tuple[int, str, str]] = []
    for i in derive_at:
        if i != middle:
            problems.append(
                (
                    i,
                    f"ใส่ derive ได้เฉพาะคอลัมน์ {middle_key} (คะแนนกลางของ scale)",
                    f"derive goes in column {middle_key}, the middle point",
                )
            )
    if middle in derive_at and any(v is not None for i, v in enumerate(raw) if i != middle):
        problems.append(
            (
                middle,
                "แถวที่ใช้ derive ต้องเว้นช่องเกณฑ์อื่นว่าง (ระบบคำนวณให้)",
                "leave the other thresholds of a derive row blank",
            )
        )
    if check.full_year is not None and round_id == check.full_year.round_id:
        problems.append(
            (
                middle,
                f"รอบ {round_id} ครอบคลุมทั้งปีงบประมาณ จึงต้องกรอกเกณฑ์เอง (derive ใช้กับรอบ 6 เดือน)",
                f"round {round_id} covers the whole fiscal year; type its criteria",
            )
        )
    for i, th, en in problems:
        check.report(
            fw_issue(
                "FW_BAD_DERIVE",
                check.sheet.name,
                check.cell(i, row),
                DERIVE,
                detail_th=th,
                detail_en=en,
            )
        )
    return not problems


def resolve_criteria(
    check: CriteriaCheck,
    weights_sheet: Sheet,
    agreements: Mapping[str, Sequence[tuple[int, AgreementItem]]],
) -> dict[tuple[str, str, str], Criteria]:
    """Criteria for every weighted (unit, KPI) and round: own row first, then `*`; checked
    in the KPI's direction, `derive` rows derived."""
    found: dict[tuple[str, str, str], Criteria] = {}
    # Every round named, not only those whose dates parsed: a bad date in `rounds` must not
    # hide a problem in that round's criteria (the framework lists every problem at once).
    parsed = [r.round_id for r in check.rounds]
    round_ids = parsed + sorted((check.round_ids or set()) - set(parsed))
    for unit_id, items in agreements.items():
        for weight_row, item in items:
            for round_id in round_ids:
                criteria = _one(check, weights_sheet, weight_row, unit_id, item, round_id)
                if criteria is not None:
                    found[(unit_id, item.kpi.kpi_id, round_id)] = criteria
    return found


def _lookup(check: CriteriaCheck, unit_id: str, kpi_id: str, round_id: str) -> CriteriaRow | None:
    return check.rows.get((unit_id, kpi_id, round_id)) or check.rows.get(
        (SHARED_UNIT, kpi_id, round_id)
    )


def _one(
    check: CriteriaCheck,
    weights_sheet: Sheet,
    weight_row: int,
    unit_id: str,
    item: AgreementItem,
    round_id: str,
) -> Criteria | None:
    kpi = item.kpi
    entry = _lookup(check, unit_id, kpi.kpi_id, round_id)
    if entry is None:
        check.report(
            fw_issue(
                "FW_MISSING_CRITERIA",
                weights_sheet.name,
                weights_sheet.cell("kpi_id", weight_row),
                kpi.kpi_id,
                kpi=kpi.kpi_id,
                unit=unit_id,
                round=round_id,
            )
        )
        return None
    if not entry.usable:
        return None
    if entry.derive:
        return _derived(check, unit_id, item, entry)
    if not _monotonic(check, entry, kpi.kpi_id, kpi.direction or Direction.HIGHER):
        return None
    return Criteria(entry.thresholds)


def _monotonic(check: CriteriaCheck, entry: CriteriaRow, kpi_id: str, direction: Direction) -> bool:
    """Defined thresholds strictly ascend (higher) or descend (lower); blanks are skipped.
    One issue per row, at the first cell out of order."""
    previous: Decimal | None = None
    for i, value in enumerate(entry.thresholds):
        if value is None:
            continue
        if previous is not None and (
            value <= previous if direction is Direction.HIGHER else value >= previous
        ):
            higher = direction is Direction.HIGHER
            check.report(
                fw_issue(
                    "FW_NOT_MONOTONIC",
                    check.sheet.name,
                    check.cell(i, entry.row),
                    cells.decimal_text(value),
                    previous=cells.decimal_text(previous),
                    kpi=kpi_id,
                    more_th="มากกว่า" if higher else "น้อยกว่า",
                    more_en="greater than" if higher else "less than",
                    direction_th="ยิ่งมากยิ่งดี (higher)" if higher else "ยิ่งน้อยยิ่งดี (lower)",
                    direction_en="higher-is-better" if higher else "lower-is-better",
                )
            )
            return False
        previous = value
    return True


def _derived(
    check: CriteriaCheck, unit_id: str, item: AgreementItem, entry: CriteriaRow
) -> Criteria | None:
    kpi = item.kpi
    cell = check.cell(check.middle, entry.row)

    def fail(code: str, th: str, en: str) -> None:
        check.report(fw_issue(code, check.sheet.name, cell, DERIVE, detail_th=th, detail_en=en))

    if kpi.kpi_type is KpiType.MILESTONE:
        fail(
            "FW_BAD_DERIVE",
            f"ตัวชี้วัด '{kpi.kpi_id}' เป็นแบบขั้นตอน (milestone) — กรอกเกณฑ์รอบนี้เอง",
            f"KPI '{kpi.kpi_id}' is a milestone KPI; type this round's criteria",
        )
        return None
    if not check.derive_checked:
        return None
    if check.full_year is None:
        fail(
            "FW_DERIVE_NO_SOURCE",
            "ไม่มีรอบที่ครอบคลุมทั้งปีงบประมาณ (1 ต.ค. – 30 ก.ย.) ในชีต rounds",
            "no round in the rounds sheet covers the whole fiscal year (1 Oct - 30 Sep)",
        )
        return None
    source = _lookup(check, unit_id, kpi.kpi_id, check.full_year.round_id)
    if source is None or not source.usable or source.derive:
        return None  # reported as FW_MISSING_CRITERIA / a bad cell / FW_BAD_DERIVE
    if not _monotonic(check, source, kpi.kpi_id, kpi.direction or Direction.HIGHER):
        return None
    top, middle = source.thresholds[-1], source.thresholds[check.middle]
    if top is None or middle is None:
        fail(
            "FW_DERIVE_NO_SOURCE",
            f"เกณฑ์รอบ {source.round_id} (แถว {source.row}) ต้องมีค่าของคะแนนกลางและคะแนนสูงสุด",
            f"the {source.round_id} criteria (row {source.row}) need the middle and top thresholds",
        )
        return None
    derived = derive_thresholds(source.thresholds, check.middle)
    source_negative = any(t is not None and t < 0 for t in source.thresholds)
    if not source_negative and any(t is not None and t < 0 for t in derived):
        shown = " / ".join("-" if t is None else cells.decimal_text(t) for t in derived)
        check.report(
            fw_issue(
                "FW_DERIVE_NEGATIVE",
                check.sheet.name,
                cell,
                DERIVE,
                source=source.round_id,
                derived=shown,
            )
        )
        return None
    return Criteria(derived, derived_from=source.round_id)
