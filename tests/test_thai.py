"""Thai digits and Buddhist-era dates, as planning staff and units type them."""

from __future__ import annotations

import datetime as dt

import pytest

from kpi_batch import thai


def test_arabic_digits() -> None:
    assert thai.arabic_digits("๐๑๒๓๔๕๖๗๘๙") == "0123456789"
    assert thai.arabic_digits("ร้อยละ ๘๐.๕") == "ร้อยละ 80.5"


@pytest.mark.parametrize(
    ("written", "ce"), [(2567, 2024), (67, 2024), (2024, 2024), (2566, 2023), (99, 2056)]
)
def test_ce_year(written: int, ce: int) -> None:
    assert thai.ce_year(written) == ce


@pytest.mark.parametrize(
    "text",
    [
        "6 มี.ค. 2567",
        "6 มีค 2567",
        "6 มีนาคม 2567",
        "๖ มี.ค. ๒๕๖๗",
        "๖ มีนาคม ๖๗",
        "  6  มี.ค.  2567 ",
        "6มี.ค.2567",
        "06/03/2567",
        "6-3-2024",
        "2024-03-06",
        "2567-03-06",
        "2024-03-06 00:00:00",
    ],
)
def test_parse_date_text(text: str) -> None:
    assert thai.parse_date(text) == dt.date(2024, 3, 6)


def test_parse_date_excel_values() -> None:
    assert thai.parse_date(dt.date(2024, 3, 6)) == dt.date(2024, 3, 6)
    assert thai.parse_date(dt.datetime(2024, 3, 6, 13, 30)) == dt.date(2024, 3, 6)
    # an Excel date typed with the BE year
    assert thai.parse_date(dt.date(2567, 3, 6)) == dt.date(2024, 3, 6)


@pytest.mark.parametrize(
    "bad", [None, "", "   ", "31 ก.พ. 2567", "6 มีนา 2567", "next week", "13/13/2567"]
)
def test_parse_date_rejects(bad: object) -> None:
    assert thai.parse_date(bad) is None


def test_every_month_name() -> None:
    for month in range(1, 13):
        day = dt.date(2024, month, 1)
        assert thai.parse_date(thai.format_date_th(day)) == day
        assert thai.parse_date(thai.format_date_th(day, full_month=True)) == day


def test_format_date_th() -> None:
    assert thai.format_date_th(dt.date(2024, 3, 6)) == "6 มี.ค. 2567"
    assert thai.format_date_th(dt.date(2023, 10, 1), full_month=True) == "1 ตุลาคม 2566"


def test_iso_dates_from_adjustments_show_in_thai_be() -> None:
    """A changed received date reads as people read dates (`7 มี.ค. 2567`), not ISO."""
    from kpi_batch.thai import date_shown_th

    assert date_shown_th("2024-03-07") == "7 มี.ค. 2567"
    assert date_shown_th("12") == "12" and date_shown_th(None) is None
    assert date_shown_th("2024-02-30") == "2024-02-30"  # not a date: left as it is
