"""Rules across rows and sheets for the simple sheets: duplicates, rounds, clusters, units,
bands, recipients, holidays and KPI owners. Pure: `Sheet`s in, model values and `Issue`s out.

Cells that pandera already reported (a date that does not parse, a blank id) come back as
None from the parsers and the row is skipped quietly, so one mistake is reported once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from kpi_batch.framework import cells as cells
from kpi_batch.framework.codes import fw_issue
from kpi_batch.framework.read import Sheet
from kpi_batch.issues import Issue, cell_ref
from kpi_batch.model import Band, Cluster, Holiday, Owner, Recipient, Round, Unit
from kpi_batch.specs.framework import OPTIONAL_SHEETS, SHEETS, SheetName
from kpi_batch.thai import format_date_th
from kpi_batch.visible import has_invisible, visible

# sheet -> (key columns, Thai name, English name) of what must not repeat
UNIQUE_KEYS: dict[str, tuple[tuple[str, ...], str, str]] = {
    SheetName.SETTINGS: (("key",), "ค่าตั้ง", "Setting"),
    SheetName.ROUNDS: (("round_id",), "รหัสรอบ", "Round"),
    SheetName.CLUSTERS: (("cluster_id",), "รหัสกลุ่มหน่วยงาน", "Cluster"),
    SheetName.UNITS: (("unit_id",), "รหัสหน่วยงาน", "Unit"),
    SheetName.KPIS: (("unit_id", "kpi_id"), "ตัวชี้วัด (หน่วยงาน/ตัวชี้วัด)", "KPI (unit/kpi)"),
    SheetName.CRITERIA: (
        ("unit_id", "kpi_id", "round_id"),
        "เกณฑ์ (หน่วยงาน/ตัวชี้วัด/รอบ)",
        "Criteria (unit/kpi/round)",
    ),
    SheetName.WEIGHTS: (("unit_id", "kpi_id"), "น้ำหนัก (หน่วยงาน/ตัวชี้วัด)", "Weight (unit/kpi)"),
    SheetName.BANDS: (("band_id",), "รหัสกลุ่มคะแนน", "Band"),
    SheetName.OWNERS: (("owner_id",), "รหัสเจ้าภาพตัวชี้วัด", "Owner"),
}
# Sheets whose ids repeat even when only the case differs (DOMAIN §4): an owner's id names
# their review workbook, and `O1` and `o1` are one file on Windows.
CASELESS_KEYS = frozenset({SheetName.OWNERS})
NON_EMPTY_SHEETS = (
    SheetName.ROUNDS,
    SheetName.CLUSTERS,
    SheetName.UNITS,
    SheetName.KPIS,
    SheetName.CRITERIA,
    SheetName.WEIGHTS,
    SheetName.BANDS,
)


def key_of(sheet: Sheet, row: int, columns: Sequence[str]) -> tuple[str, ...] | None:
    values = tuple(cells.ident(sheet.value(row, c)) for c in columns)
    return None if any(v is None for v in values) else tuple(v for v in values if v is not None)


def duplicates(sheet: Sheet) -> tuple[list[Issue], set[int]]:
    """Rows that repeat an earlier row's key: reported, and left out of everything after."""
    if sheet.name not in UNIQUE_KEYS:
        return [], set()
    columns, what_th, what_en = UNIQUE_KEYS[sheet.name]
    if any(c not in sheet.columns for c in columns):
        return [], set()
    # Ids are unique ignoring case (DOMAIN.md §4): `U01` and `u01` would be one file name
    # on Windows, where the second unit's template overwrites the first's.
    first: dict[tuple[str, ...], tuple[int, tuple[str, ...]]] = {}
    issues: list[Issue] = []
    repeats: set[int] = set()
    for row in sheet.rows():
        key = key_of(sheet, row, columns)
        if key is None:
            continue
        folded = tuple(v.casefold() for v in key)
        if folded in first:
            first_row, first_key = first[folded]
            repeats.add(row)
            issues.append(
                fw_issue(
                    "FW_DUPLICATE_ID" if key == first_key else "FW_DUPLICATE_ID_CASE",
                    sheet.name,
                    sheet.cell(columns[-1], row),
                    "/".join(key),
                    what_th=what_th,
                    what_en=what_en,
                    first_row=first_row,
                    first="/".join(first_key),
                )
            )
        else:
            first[folded] = (row, key)
    return issues, repeats


def empty_sheet(sheet: Sheet) -> list[Issue]:
    if sheet.name in NON_EMPTY_SHEETS and sheet.frame.empty:
        return [
            fw_issue(
                "FW_EMPTY_SHEET", sheet.name, cell_ref(sheet.header_row + 1, 0), name=sheet.name
            )
        ]
    return []


def _rows(sheet: Sheet, skip: Iterable[int]) -> list[int]:
    skipped = set(skip)
    return [r for r in sheet.rows() if r not in skipped]


def missing_sheets(names: Iterable[str]) -> list[Issue]:
    present = set(names)
    return [
        fw_issue("FW_MISSING_SHEET", sheet, name=sheet)
        for sheet in SHEETS
        if sheet not in present and sheet not in OPTIONAL_SHEETS
    ]


def read_rounds(sheet: Sheet, skip: Iterable[int]) -> tuple[list[Round], set[str], list[Issue]]:
    """Good rounds, every round id named (a round with a bad date is still a known id, so
    the criteria that name it are not reported twice), issues."""
    rounds: list[Round] = []
    named: set[str] = set()
    issues: list[Issue] = []
    for row in _rows(sheet, skip):
        round_id = cells.ident(sheet.value(row, "round_id"))
        if round_id is not None:
            named.add(round_id)
        name = cells.text(sheet.value(row, "name"))
        start, end, cutoff, due = (
            cells.parse_date(sheet.value(row, c))
            for c in ("period_start", "period_end", "data_cutoff", "due_date")
        )
        if start is not None and end is not None and start > end:
            issues.append(
                fw_issue(
                    "FW_PERIOD_ORDER",
                    sheet.name,
                    sheet.cell("period_end", row),
                    cells.text(sheet.value(row, "period_end")),
                    start=format_date_th(start),
                    end=format_date_th(end),
                )
            )
            continue
        if round_id and name and start and end and cutoff and due:
            rounds.append(Round(round_id, name, start, end, cutoff, due))
    return rounds, named, issues


def read_clusters(sheet: Sheet, skip: Iterable[int]) -> list[Cluster]:
    found = []
    for row in _rows(sheet, skip):
        cluster_id = cells.ident(sheet.value(row, "cluster_id"))
        name = cells.text(sheet.value(row, "name"))
        if cluster_id and name:
            found.append(Cluster(cluster_id, name))
    return found


def read_units(
    sheet: Sheet, skip: Iterable[int], cluster_ids: set[str] | None
) -> tuple[list[Unit], dict[str, int], list[Issue]]:
    """Units, the row each was defined on, and unknown clusters (skipped if the clusters
    sheet is missing: `cluster_ids` None)."""
    units: list[Unit] = []
    unit_rows: dict[str, int] = {}
    issues: list[Issue] = []
    for row in _rows(sheet, skip):
        unit_id = cells.ident(sheet.value(row, "unit_id"))
        name = cells.text(sheet.value(row, "name"))
        cluster_id = cells.ident(sheet.value(row, "cluster_id"))
        if unit_id is None:
            continue
        unit_rows[unit_id] = row
        if cluster_id is not None and cluster_ids is not None and cluster_id not in cluster_ids:
            issues.append(
                fw_issue(
                    "FW_UNKNOWN_CLUSTER", sheet.name, sheet.cell("cluster_id", row), cluster_id
                )
            )
            continue
        if name and cluster_id:
            emails = cells.split_emails(sheet.value(row, "email"))
            units.append(Unit(unit_id, name, cluster_id, emails))
    return units, unit_rows, issues


def read_bands(sheet: Sheet, skip: Iterable[int]) -> list[Band]:
    bands = []
    for row in _rows(sheet, skip):
        band_id = cells.ident(sheet.value(row, "band_id"))
        name = cells.text(sheet.value(row, "name"))
        min_score = cells.parse_decimal(sheet.value(row, "min_score"))
        if band_id and name and min_score is not None:
            bands.append(Band(band_id, name, min_score))
    return bands


def read_recipients(sheet: Sheet | None) -> list[Recipient]:
    if sheet is None:
        return []
    found = []
    for row in sheet.rows():
        role = cells.keyword(sheet.value(row, "role"))
        name = cells.text(sheet.value(row, "name"))
        emails = cells.split_emails(sheet.value(row, "email"))
        if role and name and emails:
            found.append(Recipient(role, name, "; ".join(emails)))
    return found


def read_holidays(sheet: Sheet | None) -> list[Holiday]:
    if sheet is None:
        return []
    found = []
    for row in sheet.rows():
        day = cells.parse_date(sheet.value(row, "date"))
        if day is not None:
            found.append(Holiday(day, cells.text(sheet.value(row, "name")) or ""))
    return sorted(found, key=lambda h: h.date)


def units_without_weights(units: Sheet, skip: Iterable[int], weighted: set[str]) -> list[Issue]:
    """A unit that signed nothing cannot be scored: every unit needs weights."""
    issues = []
    for row in _rows(units, skip):
        unit_id = cells.ident(units.value(row, "unit_id"))
        if unit_id is not None and unit_id not in weighted:
            issues.append(
                fw_issue("FW_NO_WEIGHTS", units.name, units.cell("unit_id", row), unit_id)
            )
    return issues


def read_owners(sheet: Sheet | None, skip: Iterable[int]) -> tuple[list[Owner], list[Issue]]:
    """KPI owners; an owner without an e-mail address is an error (their review workbook
    could not be sent, and the planner would only find out on the day of the review)."""
    if sheet is None:
        return [], []
    owners: list[Owner] = []
    issues: list[Issue] = []
    for row in _rows(sheet, skip):
        owner_id = cells.ident(sheet.value(row, "owner_id"))
        name = cells.text(sheet.value(row, "name"))
        if owner_id is None:
            continue
        emails = cells.split_emails(sheet.value(row, "email"))
        if not emails and "email" in sheet.columns:
            issues.append(
                fw_issue("FW_OWNER_NO_EMAIL", sheet.name, sheet.cell("email", row), owner=owner_id)
            )
        if name:
            owners.append(Owner(owner_id, name, emails))
    return owners, issues


ID_COLUMNS = ("unit_id", "kpi_id", "parent_id", "round_id", "cluster_id", "band_id", "owner_id")


def invisible_ids(sheets: Mapping[str, Sheet]) -> list[Issue]:
    """DOMAIN §4: ids may not contain invisible characters (a zero-width space makes `1.1`
    and `1.1` two ids); the value is shown with the character spelled out (`U+200B`)."""
    issues = []
    for sheet in sheets.values():
        for column in ID_COLUMNS:
            if column not in sheet.frame.columns:
                continue
            for row, value in sheet.frame[column].items():
                if isinstance(value, str) and has_invisible(value):
                    cell = sheet.cell(column, int(str(row)))
                    issues.append(fw_issue("FW_INVISIBLE_IN_ID", sheet.name, cell, visible(value)))
    return issues
