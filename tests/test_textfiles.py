"""Text files in the encodings Thai offices save: UTF-8 with and without BOM, UTF-16
(Notepad's "Unicode"), and cp874 (Notepad's "ANSI" on a Thai PC), the last with a warning."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from kpi_batch.deliver.texts import load_texts
from kpi_batch.errors import UsageError
from kpi_batch.textfiles import decode, read_text

WORDING = "เรื่อง แจ้งผล {unit_name}\r\n\r\nเรียน ผู้อำนวยการ{unit_name}\r\nคะแนน {final_score}\r\n"


@pytest.mark.parametrize(
    ("data", "encoding", "warned"),
    [
        (WORDING.encode("utf-8"), "utf-8", False),
        (codecs.BOM_UTF8 + WORDING.encode("utf-8"), "utf-8-sig", False),
        (WORDING.encode("utf-16"), "utf-16", False),
        (WORDING.encode("cp874"), "cp874", True),
    ],
)
def test_each_encoding_gives_the_same_text(data: bytes, encoding: str, warned: bool) -> None:
    decoded = decode(data, "unit_scored.txt")
    assert decoded.text == WORDING and decoded.encoding == encoding
    assert bool(decoded.warning) is warned
    if warned:
        assert "cp874" in decoded.warning and "unit_scored.txt" in decoded.warning


def test_an_ascii_file_is_plain_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"unit_id,received_on\r\nU01,2024-03-10\r\n")
    assert read_text(path).warning == ""


def test_a_wording_file_saved_as_ansi_is_used_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "unit_scored.txt").write_bytes(WORDING.encode("cp874"))
    text = load_texts(tmp_path)["unit_scored"]
    assert text.subject == "เรื่อง แจ้งผล {unit_name}"
    assert "ผู้อำนวยการ{unit_name}" in text.body
    assert "cp874" in text.warning
    assert load_texts(tmp_path)["hr"].warning == ""  # the built-in ones are UTF-8


def test_bytes_no_thai_editor_writes_are_refused_with_a_fix(tmp_path: Path) -> None:
    (tmp_path / "hr.txt").write_bytes(b"\xdb\xdc\xdd\xde\xfc\xfd\xfe\xff subject\r\n\r\nbody")
    with pytest.raises(UsageError, match="UTF-8"):
        load_texts(tmp_path)


def test_an_appeals_csv_saved_as_ansi_is_read(tmp_path: Path) -> None:
    from kpi_batch.review.appeals import _cells

    path = tmp_path / "appeals.csv"
    path.write_bytes("unit_id,kpi_id,argument\r\nU01,1.1.1,เอกสารส่งครบแล้ว\r\n".encode("cp874"))
    assert _cells(path)[1][1] == ["U01", "1.1.1", "เอกสารส่งครบแล้ว"]
