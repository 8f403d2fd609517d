"""Thai one-line explanations of where each KPI score came from.

A unit that disagrees with its score appeals; the explanation lets a planning officer check
the arithmetic by hand, the way the manual's worked examples do (003, บัญญัติไตรยางศ์):
`73 อยู่ระหว่าง 70 (3 คะแนน) และ 75 (4 คะแนน) → 3 + (73 − 70) ÷ (75 − 70) = 3.6000`.
Numbers are shown as typed (thresholds, points, the value) and the score with the
framework's `decimals`.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from kpi_batch.scoring.interpolate import Pair, Rule

MINUS = "−"


@lru_cache(maxsize=4096)
def num(x: Decimal) -> str:
    """73.50 -> '73.5', 7E+1 -> '70': a number as a person writes it."""
    if x == x.to_integral_value():
        return f"{x.to_integral_value():f}"
    return f"{x.normalize():f}"


def _pts(p: Decimal) -> str:
    return f"{num(p)} คะแนน"


def _line(value: str, lo: Pair, hi: Pair, higher: bool) -> str:
    """'3 + (73 − 70) ÷ (75 − 70)' (higher) or '4 + (48 − 47) ÷ (48 − 46)' (lower).

    Written so both brackets are positive inside the segment, as the manual writes them;
    the factor (q − p) appears only when the points are not one apart (gaps, 50/75/100).
    """
    (tp, p), (tq, q) = lo, hi
    if higher:
        a, b = f"({value} {MINUS} {num(tp)})", f"({num(tq)} {MINUS} {num(tp)})"
    else:
        a, b = f"({num(tp)} {MINUS} {value})", f"({num(tp)} {MINUS} {num(tq)})"
    factor = "" if q - p == 1 else f" × ({num(q)} {MINUS} {num(p)})"
    return f"{num(p)} + {a}{factor} ÷ {b}"


def explain(
    rule: Rule,
    score: str,
    value: str = "",
    lower: Pair | None = None,
    upper: Pair | None = None,
    higher: bool = True,
    note: str = "",
) -> str:
    """The explanation of one KPI score; `score` is already formatted with its decimals."""
    reach, pass_ = ("≥", "ไม่ถึง") if higher else ("≤", "ไม่ถึง")
    if rule is Rule.MISSING:
        text = f"ไม่รายงานผล → 0 = {score}"
    elif rule is Rule.NOT_APPLICABLE:
        text = (
            "หน่วยงานแจ้งไม่มีผล (N/A) → รอเจ้าภาพตัวชี้วัด/กพร. พิจารณา ยกเว้นหรือให้คะแนน "
            "(ยังไม่มีคะแนน ระหว่างรอนับเป็น 0 ในคะแนนรวม)"
        )
    elif rule is Rule.EXEMPT:
        text = "ยกเว้นการประเมิน → ไม่นำมาคิดคะแนน และปรับน้ำหนักตัวชี้วัดที่เหลือตามสัดส่วน"
    elif rule is Rule.SET:
        text = f"คะแนนกำหนดโดยการปรับปรุงผล = {score}"
    elif rule is Rule.NO_CRITERIA:
        text = f"ไม่มีเกณฑ์การให้คะแนนในรอบนี้ → 0 = {score}"
    elif rule is Rule.CAP and lower is not None:
        text = f"{value} {reach} {num(lower[0])} → {_pts(lower[1])} = {score}"
    elif rule is Rule.AT_POINT and lower is not None:
        text = f"{value} ถึงเกณฑ์ {num(lower[0])} ({_pts(lower[1])}) พอดี = {score}"
    elif rule is Rule.STEP and lower is not None and upper is not None:
        text = (
            f"{value} ถึงเกณฑ์ {num(lower[0])} ({_pts(lower[1])}) แต่{pass_} "
            f"{num(upper[0])} ({_pts(upper[1])}) → ให้คะแนนเป็นขั้น = {score}"
        )
    elif rule is Rule.INTERPOLATE and lower is not None and upper is not None:
        text = (
            f"{value} อยู่ระหว่าง {num(lower[0])} ({_pts(lower[1])}) และ "
            f"{num(upper[0])} ({_pts(upper[1])}) → {_line(value, lower, upper, higher)}"
            f" = {score}"
        )
    elif rule is Rule.EXTRAPOLATE and lower is not None and upper is not None:
        text = (
            f"{value} {pass_}เกณฑ์ต่ำสุด {num(lower[0])} ({_pts(lower[1])}) → ต่อเส้นตรง "
            f"{_line(value, lower, upper, higher)} (ไม่ต่ำกว่า 0) = {score}"
        )
    elif rule is Rule.BELOW_LOWEST and lower is not None:
        text = f"{value} {pass_}เกณฑ์ต่ำสุด {num(lower[0])} → ให้ {_pts(lower[1])} = {score}"
    elif lower is not None:  # BELOW_ZERO
        text = f"{value} {pass_}เกณฑ์ต่ำสุด {num(lower[0])} ({_pts(lower[1])}) → 0 = {score}"
    else:
        text = f"= {score}"
    return f"{note}; {text}" if note else text
