"""The template's self-check box (issue 13 item 7): before sending, the reporter sees live,
in Excel and LibreOffice alike, what intake would still complain about.

Plain formulas and conditional formatting only (no macros), over the cells the unit fills:
how many required result cells are empty, values out of range or not numbers, numerators
above their denominators, `ไม่มีผล (N/A)` without a reason, and whether `submitted_on` is
empty; a green `พร้อมส่ง` only when every count is 0. It sits in the free corner right of
the unit's information block (rows 4-10), inside the print area, locked like every
computed cell; the defined names and the `results` table are untouched (DOMAIN §5).

Intake never reads these cells: it re-checks everything itself (a test edits the box and
shows the file is still fully checked). The ranges are intake's (intake/validate.py):
a percentage 0-100 unless a threshold of the round is above 100, otherwise ≥ 0; a level
0 to max(5, the highest threshold); a numerator ≥ 0, a denominator > 0.

Per-KPI facts enter the formulas as constant arrays (`{1;0;1}`), one entry per table row, so
each count is one SUMPRODUCT whatever the number of KPIs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from kpi_batch.cells import NOT_APPLICABLE_TEXT
from kpi_batch.model import AgreementItem, Formula, Framework, KpiType, Round

READY_TEXT = "พร้อมส่ง"
NOT_READY_TEXT = "ยังไม่พร้อมส่ง — แก้รายการที่ไม่เป็น 0 ก่อนส่ง"
TITLE = "ตรวจความครบถ้วนก่อนส่ง (self-check)"
FIRST_ROW = 3  # 0-based: Excel row 4, beside the unit's information block
LABELS = (
    ("empty", "ช่องผลที่ยังไม่กรอก"),
    ("range", "ค่าที่ไม่ใช่ตัวเลขหรืออยู่นอกช่วง"),
    ("ratio", "ตัวตั้งมากกว่าตัวหาร"),
    ("reason", "ไม่มีผล (N/A) แต่ไม่มีเหตุผลในหมายเหตุ"),
    ("date", "ยังไม่กรอกวันที่ส่งรายงาน"),
)
# intake's (intake/validate.py; importing it here would be circular, a test keeps them equal)
PERCENT_UNITS = ("ร้อยละ", "%", "เปอร์เซ็นต์", "percent")
LEVEL_MAX = 5.0
_BIG = "1E+300"  # "no upper limit" in a constant array


@dataclass(frozen=True)
class _Row:
    """What one KPI row requires, as the self-check formulas need it."""

    value: bool  # its result is `value`
    ratio: bool  # its result is numerator / denominator
    level: bool  # a milestone: its result is `level`
    value_max: str  # upper limit of `value` ("100" for a percentage)
    level_max: str
    capped: bool  # numerator must not exceed denominator (a percentage without targets > 100)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _rows(fw: Framework, unit_id: str, rnd: Round, items: Sequence[AgreementItem]) -> list[_Row]:
    out = []
    for item in items:
        kpi = item.kpi
        thresholds = fw.criteria_for(unit_id, kpi.kpi_id, rnd.round_id).thresholds
        defined = [float(t) for t in thresholds if t is not None]
        milestone = kpi.kpi_type == KpiType.MILESTONE
        ratio = not milestone and kpi.formula == Formula.RATIO
        pct = ratio or any(p in kpi.measure_unit.casefold() for p in PERCENT_UNITS)
        allows_more = bool(defined) and max(defined) > 100
        out.append(
            _Row(
                value=not milestone and not ratio,
                ratio=ratio,
                level=milestone,
                value_max="100" if pct and not allows_more else _BIG,
                level_max=_num(max([LEVEL_MAX, *defined])),
                capped=ratio and not allows_more,
            )
        )
    return out


def _array(values: Sequence[object]) -> str:
    return "{" + ";".join(str(int(v)) if isinstance(v, bool) else str(v) for v in values) + "}"


def formulas(
    rows: Sequence[_Row], columns: dict[str, str], first: int, last: int, date_cell: str
) -> dict[str, str]:
    """Key -> formula of each count, and `status`. `columns`: table key -> column letter;
    `first`, `last`: the table's Excel data rows."""

    def rng(key: str) -> str:
        c = columns[key]
        return f"{c}{first}:{c}{last}"

    v, n, d, lv, note = (rng(k) for k in ("value", "numerator", "denominator", "level", "note"))
    is_value, is_ratio = _array([r.value for r in rows]), _array([r.ratio for r in rows])
    is_level, capped = _array([r.level for r in rows]), _array([r.capped for r in rows])
    value_max = _array([r.value_max for r in rows])
    level_max = _array([r.level_max for r in rows])
    na = f'"{NOT_APPLICABLE_TEXT}"'

    def blank(r: str) -> str:
        return f"--(LEN(TRIM({r}))=0)"

    def odd(r: str) -> str:  # typed, but neither a number nor the N/A words
        return f"--(LEN(TRIM({r}))>0),--(ISNUMBER({r})=FALSE),--(TRIM({r})<>{na})"

    ratio_na = f"--((TRIM({n})={na})+(TRIM({d})={na})=0)"  # N/A in either cell: no result due
    empty = (
        f"SUMPRODUCT({is_value},{blank(v)})"
        f"+SUMPRODUCT({is_ratio},{blank(n)},{ratio_na})"
        f"+SUMPRODUCT({is_ratio},{blank(d)},{ratio_na})"
        f"+SUMPRODUCT({is_level},{blank(lv)})"
    )
    # a text compares above every number: ISNUMBER keeps the comparisons to numbers
    out_of_range = (
        f"SUMPRODUCT({is_value},--ISNUMBER({v}),--(({v}<0)+({v}>{value_max})>0))"
        f"+SUMPRODUCT({is_ratio},--ISNUMBER({n}),--({n}<0))"
        f"+SUMPRODUCT({is_ratio},--ISNUMBER({d}),--({d}<=0))"
        f"+SUMPRODUCT({is_level},--ISNUMBER({lv}),--(({lv}<0)+({lv}>{level_max})>0))"
        f"+SUMPRODUCT({is_value},{odd(v)})+SUMPRODUCT({is_ratio},{odd(n)})"
        f"+SUMPRODUCT({is_ratio},{odd(d)})+SUMPRODUCT({is_level},{odd(lv)})"
    )
    over = f"SUMPRODUCT({capped},--ISNUMBER({n}),--ISNUMBER({d}),--({d}>0),--({n}>{d}))"
    marked = (
        f"(({is_value}*(TRIM({v})={na}))+({is_ratio}*((TRIM({n})={na})+(TRIM({d})={na})))"
        f"+({is_level}*(TRIM({lv})={na}))>0)"
    )
    reason = f"SUMPRODUCT(--{marked},{blank(note)})"
    date = f"IF(LEN(TRIM({date_cell}))=0,1,0)"
    return {
        "empty": f"={empty}",
        "range": f"={out_of_range}",
        "ratio": f"={over}",
        "reason": f"={reason}",
        "date": f"={date}",
    }


def check_formats(fmt: Callable[..., Any]) -> dict[str, Any]:
    """The box's formats, from the template's own format factory (font, size, locked)."""
    grid = {"border": 1, "border_color": "#808080", "valign": "vcenter"}
    return {
        "title": fmt(bold=True, font_color="#1F4E79", valign="vcenter"),
        "label": fmt(indent=1, **grid),
        "count": fmt(align="center", bold=True, num_format="0", **grid),
        "status": fmt(align="center", bold=True, font_color="#C00000", **grid),
        # conditional formats: red when something is left, green when nothing; the status
        # turns green on green only when every count is 0
        "bad": fmt(font_color="#C00000", bg_color="#FFC7CE"),
        "good": fmt(font_color="#006100", bg_color="#C6EFCE"),
        "ready": fmt(font_color="#006100", bg_color="#C6EFCE", bold=True),
    }


def write_self_check(
    ws: Worksheet,
    fw: Framework,
    unit_id: str,
    rnd: Round,
    items: Sequence[AgreementItem],
    col: dict[str, int],
    first_row: int,
    formats: dict[str, Any],
) -> None:
    """The box in columns value..note (0-based col numbers in `col`), rows 4-10.
    `first_row`: 0-based first data row of the table. `formats`: title, label, count, status."""
    letters = {k: xl_rowcol_to_cell(0, c).rstrip("0123456789") for k, c in col.items()}
    first, last = first_row + 1, first_row + len(items)
    found = formulas(_rows(fw, unit_id, rnd, items), letters, first, last, "$F$7")
    left, right = col["value"], col["note"]
    ws.merge_range(FIRST_ROW, left, FIRST_ROW, right, "", formats["title"])
    ws.write_string(FIRST_ROW, left, TITLE, formats["title"])
    cells = []
    for i, (key, label) in enumerate(LABELS, start=1):
        row = FIRST_ROW + i
        ws.merge_range(row, left, row, right - 1, "", formats["label"])
        ws.write_string(row, left, label, formats["label"])
        ws.write_formula(row, right, found[key], formats["count"], 0)
        cells.append(xl_rowcol_to_cell(row, right, row_abs=True, col_abs=True))
    status_row = FIRST_ROW + len(LABELS) + 1
    total = "+".join(cells)
    ws.merge_range(status_row, left, status_row, right, "", formats["status"])
    ws.write_formula(
        status_row,
        left,
        f'=IFERROR(IF({total}=0,"{READY_TEXT}","{NOT_READY_TEXT}"),"{NOT_READY_TEXT}")',
        formats["status"],
        NOT_READY_TEXT,
    )
    counts = (FIRST_ROW + 1, right, FIRST_ROW + len(LABELS), right)
    ws.conditional_format(
        *counts, {"type": "cell", "criteria": ">", "value": 0, "format": formats["bad"]}
    )
    ws.conditional_format(
        *counts, {"type": "cell", "criteria": "==", "value": 0, "format": formats["good"]}
    )
    ws.conditional_format(
        status_row,
        left,
        status_row,
        right,
        {
            "type": "cell",
            "criteria": "==",
            "value": f'"{READY_TEXT}"',
            "format": formats["ready"],
        },
    )
