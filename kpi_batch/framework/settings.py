"""The `settings` sheet (key / value rows) -> `Settings`, with documented defaults."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

from kpi_batch import thai
from kpi_batch.framework import cells as cells
from kpi_batch.framework.codes import fw_issue
from kpi_batch.framework.read import Sheet
from kpi_batch.issues import Issue
from kpi_batch.model import BandMethod, BelowLowest, DayCount, DueDateRoll, Rounding, Settings
from kpi_batch.specs.framework import OPTIONAL_SETTINGS, REQUIRED_SETTINGS, SheetName

# A fiscal year outside this range is a typo or a CE year (2024 instead of 2567).
FISCAL_YEAR_RANGE = (2500, 2700)
MAX_DECIMALS = 10
_SCALE_SEPARATORS = re.compile(r"[,;/\s]+")

E = TypeVar("E", bound=StrEnum)


def parse_scale(value: object) -> tuple[Decimal, ...] | None:
    """`1,2,3,4,5` / `50, 75, 100` / Thai digits -> points; None unless >= 2 ascending numbers."""
    raw = cells.text(value)
    if raw is None:
        return None
    parts = [p for p in _SCALE_SEPARATORS.split(thai.arabic_digits(raw)) if p]
    points = [cells.parse_decimal(p) for p in parts]
    if len(points) < 2 or any(p is None for p in points):
        return None
    scale = tuple(p for p in points if p is not None)
    if any(b <= a for a, b in itertools.pairwise(scale)):
        return None
    return scale


class _SettingsReader:
    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.issues: list[Issue] = []
        self.rows: dict[str, int] = {}
        for row in sheet.rows():
            key = cells.keyword(sheet.value(row, "key"))
            if key is not None and key not in self.rows:  # repeats: FW_DUPLICATE_ID
                self.rows[key] = row

    def raw(self, key: str) -> object:
        row = self.rows.get(key)
        return None if row is None else self.sheet.value(row, "value")

    def cell(self, key: str) -> str:
        return self.sheet.cell("value", self.rows[key])

    def fail(self, code: str, setting: str, **params: Any) -> None:
        value = cells.text(self.raw(setting))
        self.issues.append(fw_issue(code, SheetName.SETTINGS, self.cell(setting), value, **params))

    def required(self, key: str) -> object:
        if key not in self.rows:
            self.issues.append(fw_issue("FW_MISSING_SETTING", SheetName.SETTINGS, key=key))
            return None
        value = self.raw(key)
        if value is None:
            self.issues.append(
                fw_issue("FW_REQUIRED_VALUE", SheetName.SETTINGS, self.cell(key), column=key)
            )
        return value

    def choice(self, key: str, enum: type[E], default: E) -> E:
        value = cells.keyword(self.raw(key))
        if value is None:
            return default
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            self.fail("FW_BAD_ENUM", key, column=key, allowed=allowed)
            return default

    def number(
        self,
        key: str,
        parse: Callable[[object], Any],
        ok: Callable[[Any], bool],
        rule: tuple[str, str],
    ) -> Any:
        raw = self.raw(key)
        if raw is None:
            return None
        value = parse(raw)
        if value is None or not ok(value):
            self.fail("FW_BAD_SETTING", key, key=key, rule_th=rule[0], rule_en=rule[1])
            return None
        return value


@dataclass(frozen=True)
class SettingsRead:
    """`settings` is None when any setting is missing or bad; `scale` and `fiscal_year`
    are kept on their own so the criteria can still be checked when, say, the organisation
    name is missing."""

    settings: Settings | None
    scale: tuple[Decimal, ...] | None
    fiscal_year: int | None
    issues: list[Issue]


def read_settings(sheet: Sheet) -> SettingsRead:
    r = _SettingsReader(sheet)
    organisation = cells.text(r.required("organisation"))
    fiscal_raw = r.required("fiscal_year")
    fiscal_year = cells.parse_int(fiscal_raw)
    if fiscal_raw is not None and (
        fiscal_year is None or not FISCAL_YEAR_RANGE[0] <= fiscal_year <= FISCAL_YEAR_RANGE[1]
    ):
        r.fail("FW_BAD_FISCAL_YEAR", "fiscal_year")
        fiscal_year = None

    scale: tuple[Decimal, ...] | None = Settings.scale  # the dataclass default
    if r.raw("scale") is not None:
        scale = parse_scale(r.raw("scale"))
        if scale is None:
            r.fail("FW_BAD_SCALE", "scale")

    whole = ("ต้องเป็นจำนวนเต็ม 0 ถึง 10", "a whole number from 0 to 10")
    non_negative = ("ต้องเป็นตัวเลขตั้งแต่ 0 ขึ้นไป", "a number of 0 or more")
    decimals = r.number("decimals", cells.parse_int, lambda d: 0 <= d <= MAX_DECIMALS, whole)
    per_day = r.number("late_penalty_per_day", cells.parse_decimal, lambda d: d >= 0, non_negative)
    cap = r.number("late_penalty_cap", cells.parse_decimal, lambda d: d >= 0, non_negative)
    rounding = r.choice("rounding", Rounding, Settings.rounding)
    below = r.choice("below_lowest", BelowLowest, Settings.below_lowest)
    day_count = r.choice("late_day_count", DayCount, Settings.late_day_count)
    roll = r.choice("due_date_roll", DueDateRoll, Settings.due_date_roll)
    band_method = r.choice("band_method", BandMethod, Settings.band_method)

    known = {*REQUIRED_SETTINGS, *OPTIONAL_SETTINGS}
    extra = {k: cells.text(r.raw(k)) or "" for k in r.rows if k not in known}
    if organisation is None or fiscal_year is None or scale is None or r.issues:
        return SettingsRead(None, scale, fiscal_year, r.issues)
    settings = Settings(
        organisation=organisation,
        fiscal_year=fiscal_year,
        scale=scale,
        decimals=Settings.decimals if decimals is None else decimals,
        rounding=rounding,
        below_lowest=below,
        late_penalty_per_day=Settings.late_penalty_per_day if per_day is None else per_day,
        late_penalty_cap=Settings.late_penalty_cap if cap is None else cap,
        late_day_count=day_count,
        due_date_roll=roll,
        band_method=band_method,
        extra=MappingProxyType(extra),
    )
    return SettingsRead(settings, scale, fiscal_year, r.issues)
