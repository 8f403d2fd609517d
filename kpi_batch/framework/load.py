"""Read and check the framework workbook (DOMAIN.md §4) -> `Framework`.

`load_framework` is the only entry point the rest of the program needs. A framework that
breaks any rule is refused as a whole: `FrameworkError` carries every problem found, each
naming its `sheet!CELL`, sorted as the planner will walk through the workbook.

The work is split so that only `framework_read` touches the disk:
  framework_read      calamine -> `Sheet`s (values + Excel rows)
  sheet_models        pandera models: columns, required cells, enumerations, formats
  framework_settings  settings sheet -> `Settings`
  framework_checks    duplicates, rounds, clusters, units, bands, recipients, holidays
  framework_kpis      kpis + weights: `*` resolution, KPI tree, agreements
  framework_criteria  criteria: scale columns, `*` resolution, order, the 6-month rule
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from json.encoder import encode_basestring
from pathlib import Path
from types import MappingProxyType

from kpi_batch.errors import FrameworkError
from kpi_batch.framework import cells as cells
from kpi_batch.framework import checks as checks
from kpi_batch.framework.cells import decimal_text
from kpi_batch.framework.criteria import (
    CriteriaCheck,
    full_year_round,
    point_columns,
    read_criteria,
    resolve_criteria,
)
from kpi_batch.framework.kpis import KpiTable, kpi_owners, read_kpis, read_weights, unit_kpis
from kpi_batch.framework.read import Sheet, read_sheets
from kpi_batch.framework.settings import read_settings
from kpi_batch.framework.sheet_models import prepare, schema_for, sheet_issues
from kpi_batch.framework.soft_checks import soft_checks
from kpi_batch.issues import Issue, has_errors
from kpi_batch.model import (
    AgreementItem,
    Cluster,
    Criteria,
    DueDateRoll,
    Framework,
    Owner,
    Round,
    Settings,
    Unit,
)
from kpi_batch.specs.framework import FORMAT_VERSION, SHEETS, SheetName
from kpi_batch.thai import BE_OFFSET


def load_framework(path: str | Path) -> Framework:
    """Read, check and build the framework; raise `FrameworkError` listing every problem."""
    return load_framework_with_warnings(path)[0]


def load_framework_with_warnings(path: str | Path) -> tuple[Framework, list[Issue]]:
    """`load_framework`, and the warnings of the accepted framework in workbook order
    (framework/soft_checks.py: what check-framework lists after its summary)."""
    path = Path(path)
    sheets, issues = read_sheets(path)
    issues = [dataclasses.replace(i, file=str(path)) for i in issues]
    framework: Framework | None = None
    if sheets:
        framework, found = check_framework(sheets, source=str(path))
        issues += found
    if framework is None or has_errors(issues):
        raise FrameworkError(str(path), sort_issues(issues))
    return framework, sort_issues(issues)


@dataclass
class _Found:
    """What the sheets yielded so far; None where a sheet is missing (checks that need it
    are skipped, the missing sheet is reported once)."""

    issues: list[Issue] = field(default_factory=list)
    rounds: list[Round] = field(default_factory=list)  # complete rounds only
    round_ids: set[str] | None = None  # every round id named
    clusters: list[Cluster] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    unit_ids: set[str] | None = None
    owners: list[Owner] = field(default_factory=list)
    owner_ids: set[str] = field(default_factory=set)  # every owner id named
    kpis: KpiTable | None = None
    agreements: dict[str, list[tuple[int, AgreementItem]]] = field(default_factory=dict)
    criteria: dict[tuple[str, str, str], Criteria] = field(default_factory=dict)


def check_framework(
    raw_sheets: Mapping[str, Sheet], source: str = ""
) -> tuple[Framework | None, list[Issue]]:
    """Pure: the sheets as read -> the framework (None if there is any error) and every issue."""
    sheets = {name: prepare(sheet) for name, sheet in raw_sheets.items()}
    found = _Found(issues=checks.missing_sheets(sheets) + checks.invisible_ids(sheets))
    settings_read = (
        read_settings(sheets[SheetName.SETTINGS]) if SheetName.SETTINGS in sheets else None
    )
    scale = settings_read.scale if settings_read else None
    if settings_read:
        found.issues += settings_read.issues
    columns: dict[Decimal, str] = {}
    if SheetName.CRITERIA in sheets and scale is not None:
        columns, column_issues = point_columns(sheets[SheetName.CRITERIA], scale)
        found.issues += column_issues

    skip: dict[str, set[int]] = {}
    for name, sheet in sheets.items():
        found.issues += sheet_issues(sheet, schema_for(name, columns.values()))
        found.issues += checks.empty_sheet(sheet)
        repeats, skip[name] = checks.duplicates(sheet)
        found.issues += repeats

    _read_simple(sheets, skip, found)
    _read_kpis_and_weights(sheets, skip, found)
    if SheetName.CRITERIA in sheets and scale is not None and len(columns) == len(scale):
        fiscal_year = settings_read.fiscal_year if settings_read else None
        check = CriteriaCheck(
            sheet=sheets[SheetName.CRITERIA],
            scale=scale,
            columns=columns,
            kpis=found.kpis,
            unit_ids=found.unit_ids,
            rounds=found.rounds,
            round_ids=found.round_ids,
            full_year=full_year_round(found.rounds, fiscal_year - BE_OFFSET)
            if fiscal_year
            else None,
            # with the fiscal year or a round unreadable, the full-year round is unknown
            derive_checked=fiscal_year is not None
            and len(found.rounds) == len(found.round_ids or ()),
        )
        read_criteria(check, skip[SheetName.CRITERIA])
        if SheetName.WEIGHTS in sheets:
            found.criteria = resolve_criteria(check, sheets[SheetName.WEIGHTS], found.agreements)
        found.issues += check.issues.values()

    issues = _unique(found.issues)
    settings = settings_read.settings if settings_read else None
    if has_errors(issues) or settings is None or found.kpis is None:
        return None, issues
    framework = _assemble(settings, sheets, skip, found, source)
    return framework, issues + soft_checks(sheets, found.agreements, found.kpis, framework)


def _read_simple(sheets: Mapping[str, Sheet], skip: Mapping[str, set[int]], found: _Found) -> None:
    if SheetName.ROUNDS in sheets:
        found.rounds, found.round_ids, issues = checks.read_rounds(
            sheets[SheetName.ROUNDS], skip[SheetName.ROUNDS]
        )
        found.issues += issues
    cluster_ids = None
    if SheetName.CLUSTERS in sheets:
        found.clusters = checks.read_clusters(sheets[SheetName.CLUSTERS], skip[SheetName.CLUSTERS])
        cluster_ids = {c.cluster_id for c in found.clusters}
    if SheetName.UNITS in sheets:
        found.units, unit_rows, issues = checks.read_units(
            sheets[SheetName.UNITS], skip[SheetName.UNITS], cluster_ids
        )
        found.unit_ids = set(unit_rows)
        found.issues += issues
    if SheetName.OWNERS in sheets:
        sheet = sheets[SheetName.OWNERS]
        found.owners, issues = checks.read_owners(sheet, skip[SheetName.OWNERS])
        found.owner_ids = {
            i for r in sheet.rows() if (i := cells.ident(sheet.value(r, "owner_id"))) is not None
        }
        found.issues += issues


def _read_kpis_and_weights(
    sheets: Mapping[str, Sheet], skip: Mapping[str, set[int]], found: _Found
) -> None:
    if SheetName.KPIS in sheets:
        found.kpis = read_kpis(
            sheets[SheetName.KPIS], skip[SheetName.KPIS], found.unit_ids, found.owner_ids
        )
    if SheetName.WEIGHTS in sheets:
        weights = read_weights(
            sheets[SheetName.WEIGHTS], skip[SheetName.WEIGHTS], found.kpis, found.unit_ids
        )
        found.issues += weights.issues
        found.agreements = weights.items
        if SheetName.UNITS in sheets:
            found.issues += checks.units_without_weights(
                sheets[SheetName.UNITS], skip[SheetName.UNITS], weights.units_seen
            )
    if found.kpis is not None:  # after the weights: they add parent problems to the table
        found.issues += found.kpis.issues.values()


def _assemble(
    settings: Settings,
    sheets: Mapping[str, Sheet],
    skip: Mapping[str, set[int]],
    found: _Found,
    source: str,
) -> Framework:
    assert found.kpis is not None
    agreements = {
        u.unit_id: tuple(item for _, item in found.agreements.get(u.unit_id, ()))
        for u in found.units
    }
    kpis = {
        unit_id: MappingProxyType(dict(unit_kpis(found.kpis, unit_id, items)))
        for unit_id, items in agreements.items()
    }
    framework = Framework(
        settings=settings,
        rounds=tuple(found.rounds),
        clusters=tuple(found.clusters),
        units=tuple(found.units),
        kpis=MappingProxyType(kpis),
        agreements=MappingProxyType(agreements),
        criteria=MappingProxyType(found.criteria),
        bands=tuple(checks.read_bands(sheets[SheetName.BANDS], skip[SheetName.BANDS])),
        recipients=tuple(checks.read_recipients(sheets.get(SheetName.RECIPIENTS))),
        holidays=tuple(checks.read_holidays(sheets.get(SheetName.HOLIDAYS))),
        owners=tuple(found.owners),
        kpi_owners=MappingProxyType(kpi_owners(found.kpis, agreements)),
        source=source,
    )
    return dataclasses.replace(framework, fingerprint=fingerprint(framework))


def _unique(issues: list[Issue]) -> list[Issue]:
    """One issue per code and place (a shared `*` row can fail for several units)."""
    seen: dict[tuple[str, str, str, str], Issue] = {}
    for issue in issues:
        seen.setdefault((issue.code, issue.sheet, issue.cell, issue.message_en), issue)
    return list(seen.values())


_CELL = re.compile(r"^([A-Z]+)(\d+)(?::[A-Z]+\d+)?$")  # B7, or a range C5:C9


def _place(issue: Issue) -> tuple[int, int, int, str]:
    order = list(SHEETS).index(SheetName(issue.sheet)) if issue.sheet in SHEETS else -1
    match = _CELL.match(issue.cell)
    if match is None:
        return order, 0, 0, issue.code
    letters, row = match.groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return order, int(row), col, issue.code


def sort_issues(issues: list[Issue]) -> list[Issue]:
    """In workbook order: sheet, then row, then column (stable for equal places)."""
    return sorted(issues, key=_place)


def _canonical(value: object, memo: dict[int, tuple[object, object]] | None = None) -> object:
    """JSON-able form with one spelling per value: 96 and 96.0 are the same threshold.

    `memo` (id -> (object, form)) spares the objects 10,000 units share (a `*` KPI, a
    unit's KPI table): each is converted once per call, to the same form. It holds the
    object too, so its id cannot be reused within the call."""
    if memo is None:
        memo = {}
    if value is None or type(value) in _PLAIN:
        return value
    seen = memo.get(id(value))
    if seen is not None:
        return seen[1]
    form: object
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        form = {name: _canonical(getattr(value, name), memo) for name in _hashed_fields(value)}
    elif isinstance(value, Mapping):
        pairs = [[_canonical(k, memo), _canonical(v, memo)] for k, v in value.items()]
        form = sorted(pairs, key=lambda kv: _json_text(kv[0]))
    elif isinstance(value, tuple | list):
        if all(type(v) is str for v in value):  # ids, (unit, kpi, round) keys
            form = list(value)
        else:
            form = [_canonical(v, memo) for v in value]
    elif isinstance(value, Decimal):
        form = decimal_text(value)
    elif isinstance(value, Enum):
        form = value.value
    elif isinstance(value, dt.date):
        form = value.isoformat()
    else:
        return value
    if sys.getrefcount(value) > _SHARED:
        memo[id(value)] = (value, form)
    return form


_PLAIN = (str, int, float, bool)
# References above which an object is taken as shared between units (a `*` KPI has one per
# unit); one held by a single container and this call's frames has about four. Only shared
# objects are kept in the memo: the forms of 150,000 criteria would hold 150 MB for nothing.
_SHARED = 8


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


# Settings added after templates went out, with their defaults: at the default they are left
# out of the fingerprint, so the templates units already hold stay current; set otherwise
# they change scores and are hashed like any setting.
_LATER_SETTINGS: dict[str, object] = {"due_date_roll": DueDateRoll.NEXT_WORKING_DAY}


def _hashed_fields(value: object) -> list[str]:
    cls: type = type(value)
    names = sorted(_field_names(cls))
    if isinstance(value, Settings):
        return [n for n in names if _LATER_SETTINGS.get(n, _MISSING) != getattr(value, n)]
    if isinstance(value, Framework):
        return [n for n in names if n not in _NOT_FINGERPRINTED]
    return names


_MISSING = object()


def _json_text(key: object) -> str:
    """`json.dumps(key, ensure_ascii=False)`, quicker for text and lists of text."""
    if type(key) is str:
        return encode_basestring(key)
    if type(key) is list and all(type(k) is str for k in key):
        return "[" + ", ".join(map(encode_basestring, key)) + "]"
    return json.dumps(key, ensure_ascii=False)


def fingerprint(framework: Framework) -> str:
    """sha256 of what the framework means, not of the file's bytes: re-saving the workbook,
    reordering columns or typing 96 as 96.0 keeps it; changing a threshold changes it.

    Only what decides a unit's template or score counts. Delivery details (unit e-mail
    addresses, recipients, extra settings such as an SMTP host) are left out, so correcting
    an address mid-round does not make every template already sent look out of date.
    """
    scoring_only = dataclasses.replace(
        framework,
        settings=dataclasses.replace(framework.settings, extra=MappingProxyType({})),
        units=tuple(dataclasses.replace(u, emails=()) for u in framework.units),
        recipients=(),
        fingerprint="",
        source="",
    )
    digest = hashlib.sha256()
    digest.update(b'{"format":' + _JSON.encode(FORMAT_VERSION).encode("utf-8") + b',"framework":')
    _hash_canonical(scoring_only, digest, {}, depth=3)
    digest.update(b"}")
    return digest.hexdigest()


# Who reviews a KPI decides no template and no score (their decisions arrive as adjustments),
# so naming or changing an owner keeps the fingerprint of every template already sent.
_NOT_FINGERPRINTED = frozenset({SheetName.OWNERS, "kpi_owners"})

_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _hash_canonical(
    value: object, digest: hashlib._Hash, memo: dict[int, tuple[object, object]], depth: int
) -> None:
    """`digest.update` with the UTF-8 of `_JSON.encode(_canonical(value))`, the top `depth`
    levels converted and fed one item at a time: at 10,000 units the text is 95 million
    characters, and building the form, the text and its bytes at once took 500 MB.
    Same bytes, same digest."""
    if depth == 0 or value is None or type(value) in _PLAIN:
        digest.update(_JSON.encode(_canonical(value, memo)).encode("utf-8"))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(b"{")  # a dict of its fields; the encoder sorts the keys
        for i, name in enumerate(_hashed_fields(value)):
            digest.update(("," * bool(i) + _JSON.encode(name) + ":").encode("utf-8"))
            _hash_canonical(getattr(value, name), digest, memo, depth - 1)
        digest.update(b"}")
    elif isinstance(value, Mapping):
        keys = [(_canonical(k, memo), k) for k in value]
        keys.sort(key=lambda kk: _json_text(kk[0]))  # as `_canonical` sorts its pairs
        digest.update(b"[")
        for i, (form, key) in enumerate(keys):
            digest.update(("," * bool(i) + "[" + _JSON.encode(form) + ",").encode("utf-8"))
            _hash_canonical(value[key], digest, memo, depth - 1)
            digest.update(b"]")
        digest.update(b"]")
    elif isinstance(value, tuple | list):
        digest.update(b"[")
        for i, item in enumerate(value):
            if i:
                digest.update(b",")
            _hash_canonical(item, digest, memo, depth - 1)
        digest.update(b"]")
    else:
        digest.update(_JSON.encode(_canonical(value, memo)).encode("utf-8"))
