"""Exact decimal rounding (DOMAIN §3.5): the traps binary floats and round() fall into."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from kpi_batch.model import Rounding
from kpi_batch.scoring.rounding import (
    as_decimal,
    from_units,
    pad,
    round_number,
    round_ratio,
    round_ratio_array,
    round_units,
    to_units,
)

H, E, T = Rounding.HALF_UP, Rounding.HALF_EVEN, Rounding.TRUNCATE


@pytest.mark.parametrize(
    ("x", "mode", "expected"),
    [
        ("2.00005", H, "2.0001"),
        ("2.00005", E, "2.0000"),
        ("2.00015", E, "2.0002"),
        ("2.00009", T, "2.0000"),
        ("3.35525", H, "3.3553"),
        ("3.35525", E, "3.3552"),
        ("-2.00005", H, "-2.0001"),  # away from zero, as a person rounds
        ("5", H, "5.0000"),
        ("0", T, "0.0000"),
    ],
)
def test_round_decimal(x: str, mode: Rounding, expected: str) -> None:
    assert str(round_number(Decimal(x), 4, mode)) == expected


def test_float_and_round_would_be_wrong() -> None:
    # The reason this module exists: the binary double of 2.00005 is below the half.
    assert round(2.00005, 4) == 2.0
    assert str(round_number(as_decimal(2.00005), 4, H)) == "2.0001"  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", list(Rounding))
def test_fraction_matches_decimal(mode: Rounding) -> None:
    for num in range(-2000, 2000, 7):
        fr = Fraction(num, 40000)  # terminating decimals with halves at the 5th place
        assert round_units(fr, 4, mode) == round_units(Decimal(num) / 40000, 4, mode)


def test_thirds() -> None:
    assert round_number(Fraction(11, 3), 4, H) == Decimal("3.6667")
    assert round_number(Fraction(11, 3), 4, T) == Decimal("3.6666")
    assert round_number(Fraction(-11, 3), 4, T) == Decimal("-3.6666")


@pytest.mark.parametrize("mode", list(Rounding))
def test_ratio_array_matches_scalar(mode: Rounding) -> None:
    rng = np.random.default_rng(0)
    num = rng.integers(-(10**9), 10**9, 2000)
    den = rng.integers(1, 400, 2000)
    num[:50] = den[:50] * 7 + den[:50] // 2  # halves when den is even
    got = round_ratio_array(num, den, mode)
    assert got.tolist() == [
        round_ratio(int(a), int(b), mode) for a, b in zip(num, den, strict=True)
    ]


def test_as_decimal_is_what_was_typed() -> None:
    assert as_decimal(73.3) == Decimal("73.3")
    assert str(as_decimal(73.0)) == "73"
    assert as_decimal(0.1 + 0.2) == Decimal("0.30000000000000004")  # a computed float stays itself
    assert as_decimal(np.float64(1.1)) == Decimal("1.1")
    assert as_decimal(float("nan")) is None
    assert as_decimal(None) is None
    assert as_decimal("๗๓.๕") == Decimal("73.5")
    assert as_decimal("1,234.5") == Decimal("1234.5")


def test_units_round_trip() -> None:
    assert from_units(36000, 4) == Decimal("3.6000")
    assert str(from_units(0, 4)) == "0.0000"
    assert to_units(Decimal("3.6"), 4) == 36000
    with pytest.raises(ValueError):
        to_units(Decimal("3.60001"), 4)


def test_pad_never_rounds() -> None:
    assert str(pad(Decimal("0.1"), 4)) == "0.1000"
    assert str(pad(Decimal("0.00005"), 4)) == "0.00005"
