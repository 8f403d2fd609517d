"""File names from data are safe on NTFS and never shared by two different ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_batch.framework.load import load_framework
from kpi_batch.safe_names import MAX_LENGTH, is_safe, safe_name
from kpi_batch.templates.workbook import write_templates
from tests.factories import small_framework_rows, write_small_framework

NTFS_REFUSED = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
DEVICES = ("CON", "PRN", "AUX", "NUL", "COM1", "COM9", "LPT1", "LPT9")


@pytest.mark.parametrize("text", ["U01", "R1", "กองแผนงาน", "2567-R1", "1.1.1", "unit_07"])
def test_safe_ids_are_kept_as_they_are(text: str) -> None:
    assert safe_name(text) == text


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("R1:2567", "R1_2567-"),  # ':' would open an NTFS alternate data stream
        ('a\\b/c*d?e"f<g>h|i', "a_b_c_d_e_f_g_h_i-"),
        ("U01.", "U01-"),  # Windows drops the dot: would overwrite U01
        ("U01 ", "U01-"),
        ("tab\there", "tab_here-"),
        ("", "_-"),
    ],
)
def test_unsafe_characters_are_replaced_and_the_original_hashed(text: str, start: str) -> None:
    name = safe_name(text)
    assert name.startswith(start) and is_safe(name)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("form", ["{}", "{}.xlsx", "{} .txt", "{}.tar.gz"])
def test_device_names_are_never_used_whatever_the_extension(device: str, form: str) -> None:
    for text in (form.format(device), form.format(device.lower())):
        name = safe_name(text)
        assert name.split(".")[0].strip().upper() not in DEVICES, name
    assert safe_name("CONTROL") == "CONTROL"  # only the exact device names


def test_long_ids_are_cut_to_the_limit() -> None:
    long_id = "ก" * 200
    assert len(safe_name(long_id)) == MAX_LENGTH
    assert safe_name(long_id) != safe_name(long_id + "x")


@given(st.text(max_size=80))
def test_any_text_gives_a_safe_name_and_different_texts_different_names(text: str) -> None:
    name = safe_name(text)
    assert is_safe(name)
    assert not NTFS_REFUSED.search(name) and not name.endswith((".", " "))
    other = text + "\x00"
    assert safe_name(other) != name


def _rename_unit(rows: dict[str, list[dict[str, object]]], old: str, new: str) -> None:
    for sheet in rows.values():
        for row in sheet:
            if row.get("unit_id") == old:
                row["unit_id"] = new


def test_templates_of_units_with_unsafe_ids_get_safe_distinct_files(tmp_path: Path) -> None:
    rows = small_framework_rows()
    _rename_unit(rows, "U01", "U:01")
    _rename_unit(rows, "U02", "CON")
    fw = load_framework(write_small_framework(tmp_path / "fw.xlsx", rows))
    paths = write_templates(fw, "R1", tmp_path / "templates")
    names = sorted(p.name for p in paths)
    assert all(is_safe(Path(n).stem) for n in names), names
    assert f"2567_R1_{safe_name('U:01')}.xlsx" in names
    assert f"2567_R1_{safe_name('CON')}.xlsx" in names
    assert len(set(names)) == len(names) == len(list((tmp_path / "templates").iterdir()))
