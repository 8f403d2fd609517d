"""How wide Thai text prints, in column-width units, so rows can be sized to fit it.

Excel and LibreOffice measure a column in widths of the digit 0 of the workbook's font; a
Thai consonant is wider than a digit, and vowel and tone marks above or below take no width.
The advances below are TH Sarabun New's metric stand-in Laksaman (fonts-thai-tlwg; the
wider of regular and bold, in thousandths of an em), the font the CI's LibreOffice prints
with. Neither Excel nor xlsxwriter sizes a row to wrapped text, so the writers ask here.
"""

from __future__ import annotations

from functools import cache

# Advances of U+0020..U+007E, then U+0E01..U+0E5B (0 = a mark that takes no width).
_ASCII = (
    "339 252 437 694 552 1034 731 254 367 367 515 627 258 339 258 415 568 568 568 568 568 568 "
    "568 568 568 568 258 258 627 627 627 434 860 678 595 649 690 538 538 682 709 245 424 618 "
    "540 863 709 779 586 779 594 549 633 725 634 920 640 595 678 351 403 351 628 565 315 552 "
    "654 521 654 588 382 499 636 245 257 511 320 956 636 619 648 648 370 445 388 628 538 762 "
    "524 543 538 383 266 383 634 "
)
_THAI = (
    "588 624 648 606 606 681 478 586 609 624 648 849 849 639 639 559 740 828 866 609 609 588 "
    "658 538 651 669 669 622 622 725 725 639 627 580 494 588 600 639 570 606 693 600 658 703 "
    "592 579 588 536 0 505 505 0 0 0 0 0 0 0 0 0 0 0 618 312 594 379 404 379 314 657 0 0 0 0 "
    "0 0 0 0 676 685 685 685 685 685 685 685 685 685 685 789 1048 "
)
_ADVANCE = {
    **{chr(0x20 + i): int(w) for i, w in enumerate(_ASCII.split())},
    **{chr(0xE01 + i): int(w) for i, w in enumerate(_THAI.split())},
}
DIGIT_EM = 0.544  # the regular digit's advance, in em
_WIDE = 1000  # anything else (symbols, other scripts): a full em, to be safe
# Line pitch and the last line's own height, in em, measured on LibreOffice's PDF: a 14 pt
# line needs a 20.3 pt row for the marks below ญ ฐ ู, each further line 23.2 pt.
LINE_EM = 1.657
LAST_LINE_EM = 1.45
# LibreOffice breaks Thai only between words, so a line holds less than the column: wrap in
# this share of the width less one digit (the word that did not fit goes to the next line).
WRAP_SHARE = 0.96


@cache
def advance(ch: str) -> float:
    """Width of one character in digit widths (marks above and below: 0)."""
    return _ADVANCE.get(ch, _WIDE) / 1000 / DIGIT_EM


def text_width(text: str) -> float:
    """Width of one line of `text`, in column-width units (digit widths, same font size)."""
    return sum(advance(ch) for ch in text)


def _is_thai_base(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e5b" and advance(ch) > 0


def wrapped_lines(text: str, width: float) -> int:
    """Lines `text` takes wrapped in a column `width` digit widths wide (same font size)."""
    room = max(1.0, width * WRAP_SHARE - 1.0)
    return sum(_paragraph_lines(part, room) for part in text.split("\n"))


def _paragraph_lines(text: str, room: float) -> int:
    lines, line, gap, word = 1, 0.0, 0.0, 0.0
    for ch in text + " ":
        if ch == " " or (_is_thai_base(ch) and word):  # a place a line may break
            if line and line + gap + word > room:
                lines += 1
                line, gap = 0.0, 0.0
            while word > room:  # longer than a line: it breaks anywhere
                lines += 1
                word -= room
            line += gap + word
            gap, word = 0.0, 0.0
        if ch == " ":
            gap += advance(ch)
        else:
            word += advance(ch)
    return lines


def row_points(lines: int, size: float) -> float:
    """Row height in points for `lines` lines of text at `size` points."""
    return round(((lines - 1) * LINE_EM + LAST_LINE_EM) * size + 1.0, 1)
