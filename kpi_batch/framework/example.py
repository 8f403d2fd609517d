"""A realistic FY2567 framework, as a planning office would type it, built from the seeds.

The KPI structure, names, weights, criteria and calendar follow the MoPH Office of the
Permanent Secretary manual (seed 003); the units, clusters and recipients follow the
Department of Health process (seeds 000-002). Comments cite `seed:line`. What is taken from
the seeds and what is invented is written down in docs/example_framework.md.

`input_templates/framework_example.xlsx` is generated from `example_framework_rows()`; the
demo and the tests use the same rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kpi_batch.specs.framework import DERIVE, SHARED_UNIT, SheetName
from kpi_batch.thai import format_date_th

Row = dict[str, Any]
Thresholds = tuple[float | int | str | None, ...]

R6, R12 = "R1", "R2"
PERFORMANCE = "ประสิทธิผลการดำเนินงาน (Performance Base)"  # 003:98 องค์ประกอบที่ 1, 70
POTENTIAL = "ศักยภาพในการดำเนินงาน (Potential Base)"  # 003:100 องค์ประกอบที่ 2, 30
DOMAIN = "anamai.example"  # reserved top-level name (RFC 2606): never a real mailbox

# 003:1934 and 003:2035 turn a 1-5 score into a 100-point score by x20; the bands are the
# PMS levels of 003:2831-2836 (ดีเด่น 95, ดีมาก 85, ดี 75, พอใช้ 65) divided by 20.
BANDS: tuple[tuple[str, str, float], ...] = (
    ("excellent", "ดีเด่น", 4.75),
    ("very_good", "ดีมาก", 4.25),
    ("good", "ดี", 3.75),
    ("fair", "พอใช้", 3.25),
    ("improve", "ต้องปรับปรุง", 0),
)


def example_framework_rows() -> dict[str, list[Row]]:
    """Sheet -> rows of the example framework (format v1, default scale 1..5)."""
    units = _units()
    return {
        SheetName.SETTINGS: _settings(),
        SheetName.ROUNDS: _rounds(),
        SheetName.CLUSTERS: [{"cluster_id": c, "name": n} for c, n in CLUSTERS],
        SheetName.UNITS: units,
        SheetName.KPIS: _kpis(),
        SheetName.CRITERIA: _criteria(),
        SheetName.WEIGHTS: _weights(units),
        SheetName.BANDS: [{"band_id": b, "name": n, "min_score": m} for b, n, m in BANDS],
        SheetName.RECIPIENTS: _recipients(),
        SheetName.HOLIDAYS: _holidays(),
        SheetName.OWNERS: [
            {"owner_id": o, "name": n, "email": f"{box}@{DOMAIN}"} for o, n, box, _ in OWNERS
        ],
    }


# KPI owners (เจ้าภาพตัวชี้วัด, seed 000 steps 2, 5, 6): who checks what units report on a
# shared KPI. Invented for the example; KPI 3 (PMS) is left without an owner on purpose:
# the planning office checks it itself, and check-framework warns about it.
OWNERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("PR", "สำนักสารนิเทศ", "pr.kpi", ("1.1.1", "1.1.2", "1.1.3", "1.2.1")),
    ("RH", "กองอนามัยการเจริญพันธุ์", "rh.kpi", ("1.3.1",)),
    ("FIN", "กองคลัง", "finance.kpi", ("2", "1.1.4")),
)


def _settings() -> list[Row]:
    # Penalty 0.05 a day up to 0.25 (>= 5 days late): 003:160-164, 003:167-171.
    values: list[tuple[str, Any]] = [
        ("organisation", "กรมอนามัย กระทรวงสาธารณสุข"),
        ("fiscal_year", 2567),
        ("scale", "1,2,3,4,5"),
        ("decimals", 4),  # 003:1779 and 003:1786 compute to 4 decimals (3.6000, 4.5000)
        ("rounding", "half_up"),
        ("below_lowest", "zero"),
        ("late_penalty_per_day", 0.05),
        ("late_penalty_cap", 0.25),
        ("late_day_count", "calendar"),
        ("band_method", "fixed"),
        # E-mail (docs/email.md): the README's dry run works on the demo as written. The
        # `.example` names never reach a real server; a planner puts the office's own here.
        ("smtp_from", f"กลุ่มพัฒนาระบบบริหาร <kpr@{DOMAIN}>"),
        ("smtp_host", f"smtp.{DOMAIN}"),
        # two weeks after the demo's closing run (15 Mar 2024): results are still open to appeal
        ("appeal_deadline", "29 มี.ค. 2567"),
    ]
    return [{"key": k, "value": v} for k, v in values]


def _rounds() -> list[Row]:
    # Round 1: 1 Oct 2566 - 31 Mar 2567, data cut at end of Feb 2567, due 6 Mar 2567
    # (003:67, 003:160, 003:167). Round 2: the whole fiscal year, data cut at end of Aug
    # 2567, due 6 Sep 2567 (003:173); the full-year book due 7 Oct 2567 (003:180) is a
    # separate late item, entered as an adjustment when it is late.
    return [
        {
            "round_id": R6,
            "name": "รอบ 6 เดือน (1 ต.ค. 2566 – 31 มี.ค. 2567)",
            "period_start": dt.date(2023, 10, 1),
            "period_end": dt.date(2024, 3, 31),
            "data_cutoff": dt.date(2024, 2, 29),
            "due_date": dt.date(2024, 3, 6),
        },
        {
            "round_id": R12,
            "name": "รอบ 12 เดือน (1 ต.ค. 2566 – 30 ก.ย. 2567)",
            "period_start": dt.date(2023, 10, 1),
            "period_end": dt.date(2024, 9, 30),
            "data_cutoff": dt.date(2024, 8, 31),
            "due_date": dt.date(2024, 9, 6),
        },
    ]


# The four clusters scores are ranked in: 002:20, 002:27.
CLUSTERS: tuple[tuple[str, str], ...] = (
    ("C1", "กลุ่มวิชาการสายส่งเสริมสุขภาพ"),
    ("C2", "กลุ่มวิชาการสายอนามัยสิ่งแวดล้อม"),
    ("C3", "กลุ่มสนับสนุน"),
    ("C4", "กลุ่มภูมิภาค (ศูนย์อนามัย)"),
)

# 36 units sign an agreement each (001:22-23). Names follow the Department of Health's
# structure; the list and the mailboxes are illustrative. (name, cluster, mailboxes, profile)
_UNITS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("สำนักส่งเสริมสุขภาพ", "C1", ("hpb",), "central"),
    ("สำนักโภชนาการ", "C1", ("nutrition",), "central"),
    ("สำนักทันตสาธารณสุข", "C1", ("dental",), "central"),
    ("สำนักอนามัยผู้สูงอายุ", "C1", ("elderly",), "central"),
    ("กองกิจกรรมทางกายเพื่อสุขภาพ", "C1", ("pa",), "central"),
    ("กองส่งเสริมความรอบรู้และสื่อสารสุขภาพ", "C1", ("hl", "hl.kpi"), "central"),
    ("กองอนามัยการเจริญพันธุ์", "C1", ("rh",), "central"),
    ("สถาบันพัฒนาอนามัยเด็กแห่งชาติ", "C1", ("nich",), "central"),
    ("กองนวัตกรรมและวิจัย", "C1", ("research",), "central"),
    ("กองอนามัยสิ่งแวดล้อม", "C2", ("env",), "central"),
    ("สำนักสุขาภิบาลอาหารและน้ำ", "C2", ("foodwater",), "central"),
    ("กองประเมินผลกระทบต่อสุขภาพ", "C2", ("hia",), "central"),
    ("กองอนามัยฉุกเฉิน", "C2", ("emergency", "eoc"), "central"),
    ("ศูนย์บริหารกฎหมายสาธารณสุข", "C2", ("law",), "central"),
    ("สำนักงานเลขานุการกรม", "C3", ("secretariat",), "central"),
    ("กองการเจ้าหน้าที่", "C3", ("personnel",), "central"),
    ("กองคลัง", "C3", ("finance",), "finance"),
    ("กองแผนงาน", "C3", ("plan", "plan.kpi"), "plan"),
    ("กลุ่มพัฒนาระบบบริหาร", "C3", ("psdg",), "central"),
    ("กลุ่มตรวจสอบภายใน", "C3", ("audit",), "central"),
    ("กลุ่มคุ้มครองจริยธรรม", "C3", ("ethics",), "ethics"),
    ("กลุ่มกฎหมาย", "C3", ("legal",), "central"),
    ("ศูนย์ข้อมูลและเทคโนโลยีสารสนเทศ", "C3", ("ict",), "ict"),
    *(
        (f"ศูนย์อนามัยที่ {n} {city}", "C4", (f"hpc{n:02d}",), "regional")
        for n, city in enumerate(
            (
                "เชียงใหม่",
                "พิษณุโลก",
                "นครสวรรค์",
                "สระบุรี",
                "ราชบุรี",
                "ชลบุรี",
                "ขอนแก่น",
                "อุดรธานี",
                "นครราชสีมา",
                "อุบลราชธานี",
                "นครศรีธรรมราช",
                "ยะลา",
            ),
            start=1,
        )
    ),
    ("สถาบันพัฒนาสุขภาวะเขตเมือง", "C4", ("uhi", "uhi.plan"), "regional"),
)

PLAN_UNIT, FINANCE_UNIT, ETHICS_UNIT, ICT_UNIT = "U18", "U17", "U21", "U23"
CHONBURI_UNIT = "U29"  # ศูนย์อนามัยที่ 6 ชลบุรี: own Area KPI criteria


def unit_profiles() -> dict[str, str]:
    """unit_id -> which agreement (set of weights) the unit signed."""
    return {f"U{i:02d}": profile for i, (*_, profile) in enumerate(_UNITS, start=1)}


def _units() -> list[Row]:
    return [
        {
            "unit_id": f"U{i:02d}",
            "name": name,
            "cluster_id": cluster,
            "email": "; ".join(f"{box}@{DOMAIN}" for box in boxes),
        }
        for i, (name, cluster, boxes, _) in enumerate(_UNITS, start=1)
    ]


def _kpi(
    kpi_id: str,
    name: str,
    component: str,
    measure_unit: str,
    parent_id: str = "",
    kpi_type: str = "",
    direction: str = "",
    formula: str = "",
    method: str = "",
    unit_id: str = SHARED_UNIT,
) -> Row:
    return {
        "unit_id": unit_id,
        "kpi_id": kpi_id,
        "parent_id": parent_id,
        "name": name,
        "component": component,
        "kpi_type": kpi_type,
        "direction": direction,
        "measure_unit": measure_unit,
        "formula": formula,
        "method": method,
        "owner_id": next((o for o, _, _, kpis in OWNERS if kpi_id in kpis and kpi_type), ""),
    }


def _kpis() -> list[Row]:
    level, percent = "ระดับ", "ร้อยละ"
    q, m, up, down = "quantitative", "milestone", "higher", "lower"
    return [
        # Framework 003:187-199; the สำนักสารนิเทศ agreement it is cascaded to: 003:214-225.
        # KPI 1 (003:231, weight 70) is the whole Performance Base component, so it is the
        # component here rather than a third level of parents.
        _kpi(
            "1.1",
            "ระดับความสำเร็จของร้อยละเฉลี่ยถ่วงน้ำหนักในการบรรลุเป้าหมายตามภารกิจหลัก/"
            "แผนปฏิบัติราชการของหน่วยงาน หรืองานประจำตามหน้าที่ตามปกติ (Function KPIs)",
            PERFORMANCE,
            level,
        ),  # 003:217, 003:373-376
        _kpi(
            "1.1.1",
            "ระดับความสำเร็จในการจัดทำสื่อดิจิทัลเผยแพร่กิจกรรมกระทรวงสาธารณสุข",
            PERFORMANCE,
            level,
            "1.1",
            m,
            up,
        ),  # 003:501-503
        _kpi(
            "1.1.2",
            "ระดับความสำเร็จในการผลิตรายการสุขภาพเผยแพร่ทางเฟซบุ๊กกระทรวงสาธารณสุข",
            PERFORMANCE,
            level,
            "1.1",
            m,
            up,
        ),  # 003:602-604
        _kpi(
            "1.1.3",
            "ร้อยละของจำนวนกิจกรรมประชาสัมพันธ์ตามนโยบายและยุทธศาสตร์ของกระทรวงสาธารณสุขที่ได้รับการเผยแพร่",
            PERFORMANCE,
            percent,
            "1.1",
            q,
            up,
            "ratio",
        ),  # 003:705-708, formula C = A / B x 100: 003:737-747
        _kpi(
            "1.2",
            "ระดับความสำเร็จของร้อยละเฉลี่ยถ่วงน้ำหนักในการบรรลุเป้าหมายตามนโยบายสำคัญ"
            "เร่งด่วนหรือภารกิจที่ได้รับมอบหมายเป็นพิเศษ (Agenda KPIs)",
            PERFORMANCE,
            level,
        ),  # 003:813-815
        _kpi(
            "1.2.1",
            "ระดับความสำเร็จของการชี้แจงประเด็นข่าวที่มีผลกระทบต่อสำนักงานปลัดกระทรวงสาธารณสุข",
            PERFORMANCE,
            level,
            "1.2",
            m,
            up,
        ),  # 003:914-916
        _kpi(
            "1.3",
            "ระดับความสำเร็จของร้อยละเฉลี่ยถ่วงน้ำหนักในการบรรลุเป้าหมายในการดำเนินงานตามภารกิจพื้นที่ (Area KPIs)",
            PERFORMANCE,
            level,
        ),  # 003:123, 003:195: weight 20, only for units with an area
        _kpi(
            "1.3.1",
            "อัตราการคลอดมีชีพในหญิงอายุ 15–19 ปี",
            PERFORMANCE,
            "ต่อประชากรหญิงอายุ 15–19 ปี 1,000 คน",
            "1.3",
            q,
            down,
        ),  # invented Area KPI for the regional centres: lower is better
        _kpi(
            "2",
            "ร้อยละการเบิกจ่ายงบประมาณและก่อหนี้ผูกพันภาพรวมของหน่วยงานในสังกัด"
            "สำนักงานปลัดกระทรวงสาธารณสุข (ส่วนกลาง) ประจำปีงบประมาณ พ.ศ. 2567",
            POTENTIAL,
            percent,
            kpi_type=q,
            direction=up,
            formula="ratio",
        ),  # 003:13-14 (OCR-clean spelling), 003:1044-1050, formula 003:1062-1076
        _kpi(
            "3",
            "ระดับความสำเร็จการบริหารผลการปฏิบัติราชการ (Performance Management System : PMS) "
            "ของหน่วยงานในสังกัดสำนักงานปลัดกระทรวงสาธารณสุข",
            POTENTIAL,
            level,
            kpi_type=m,
            direction=up,
        ),  # 003:1135-1137
        # Unit-specific Function KPIs: a unit's own row replaces the shared one.
        _kpi(
            "1.1.2",
            "ร้อยละของการดำเนินงานตามแผนปฏิบัติการระดับหน่วยงาน ประจำปีงบประมาณ พ.ศ. 2567",
            PERFORMANCE,
            percent,
            "1.1",
            q,
            up,
            unit_id=PLAN_UNIT,
        ),  # กองแผนงาน's own KPI 2.4: 000:39
        _kpi(
            "1.1.2",
            "ระดับความสำเร็จของการดำเนินงานคุณธรรมและความโปร่งใส (ITA)",
            PERFORMANCE,
            level,
            "1.1",
            m,
            up,
            method="step",
            unit_id=ETHICS_UNIT,
        ),  # 000:29; step: the ITA assessment gives whole levels only (invented)
        _kpi(
            "1.1.2",
            "ระดับความสำเร็จของการพัฒนาระบบบัญชีข้อมูล (Data Catalog) "
            "เพื่อนำไปสู่การเปิดเผยข้อมูลภาครัฐ (Open Data)",
            PERFORMANCE,
            level,
            "1.1",
            m,
            up,
            unit_id=ICT_UNIT,
        ),  # 000:41-42
        _kpi(
            "1.1.4",
            "ร้อยละของรายการขอเบิกเงินที่ถูกส่งคืนเพื่อแก้ไข",
            PERFORMANCE,
            percent,
            "1.1",
            q,
            down,
            "ratio",
            unit_id=FINANCE_UNIT,
        ),  # invented: lower is better, returned / submitted x 100
    ]


def _points(*thresholds: float | int | str | None) -> dict[str, Any]:
    return {str(p): t for p, t in enumerate(thresholds, start=1)}


def _criteria_row(unit_id: str, kpi_id: str, round_id: str, thresholds: Thresholds) -> Row:
    return {"unit_id": unit_id, "kpi_id": kpi_id, "round_id": round_id, **_points(*thresholds)}


# 6-month milestone table "step 1 -> 1, step 2 -> 3, step 3 -> 5" (003:330-333, 003:1549-1556).
MILESTONE_6M: Thresholds = (1, None, 2, None, 3)
MILESTONE_12M: Thresholds = (1, 2, 3, 4, 5)
# The 6-month rule (003:323, 003:452, 003:852): the middle point only, the rest is derived.
DERIVED: Thresholds = (None, None, DERIVE, None, None)


def _criteria() -> list[Row]:
    star = SHARED_UNIT
    rows = [
        # 1.1.1 and 1.1.2: 6-month gaps 003:539-541, 003:636-638; 12-month 003:556-558, 653-655.
        _criteria_row(star, "1.1.1", R6, MILESTONE_6M),
        _criteria_row(star, "1.1.1", R12, MILESTONE_12M),
        _criteria_row(star, "1.1.2", R6, MILESTONE_6M),
        _criteria_row(star, "1.1.2", R12, MILESTONE_12M),
        # 1.1.3 printed in full for both rounds: 003:773-775 and 003:779-781 (the 6-month row
        # equals what the derive rule would give: 100 / 2 = 50, interval 10).
        _criteria_row(star, "1.1.3", R6, (30, 40, 50, 60, 70)),
        _criteria_row(star, "1.1.3", R12, (60, 70, 80, 90, 100)),
        # 1.2.1 uses the same criteria in both rounds: 003:992-996.
        _criteria_row(star, "1.2.1", R6, MILESTONE_12M),
        _criteria_row(star, "1.2.1", R12, MILESTONE_12M),
        # 1.3.1 (invented): a rate, not a running total, so the 6-month round keeps the
        # 12-month thresholds instead of halving them.
        _criteria_row(star, "1.3.1", R6, (27, 25, 23, 21, 19)),
        _criteria_row(star, "1.3.1", R12, (27, 25, 23, 21, 19)),
        _criteria_row(CHONBURI_UNIT, "1.3.1", R6, (31, 29, 27, 25, 23)),
        _criteria_row(CHONBURI_UNIT, "1.3.1", R12, (31, 29, 27, 25, 23)),
        # KPI 2: 12-month 92..100 (003:1080-1084, 003:1098-1100); the 6-month round is
        # derived: 100 / 2 = 50, interval 2 -> 46..54, which is what 003:1090-1092 prints.
        _criteria_row(star, "2", R6, DERIVED),
        _criteria_row(star, "2", R12, (92, 94, 96, 98, 100)),
        # KPI 3 (PMS): five levels in both rounds, 003:1178-1180, 003:1223-1225.
        _criteria_row(star, "3", R6, MILESTONE_12M),
        _criteria_row(star, "3", R12, MILESTONE_12M),
        # Unit-specific KPIs (thresholds invented; the form is 003:1477-1506).
        _criteria_row(PLAN_UNIT, "1.1.2", R6, DERIVED),
        _criteria_row(PLAN_UNIT, "1.1.2", R12, (80, 85, 90, 95, 100)),
        _criteria_row(ETHICS_UNIT, "1.1.2", R6, MILESTONE_6M),
        _criteria_row(ETHICS_UNIT, "1.1.2", R12, MILESTONE_12M),
        _criteria_row(ICT_UNIT, "1.1.2", R6, MILESTONE_6M),
        _criteria_row(ICT_UNIT, "1.1.2", R12, MILESTONE_12M),
        _criteria_row(FINANCE_UNIT, "1.1.4", R6, (10, 8, 6, 4, 2)),
        _criteria_row(FINANCE_UNIT, "1.1.4", R12, (10, 8, 6, 4, 2)),
    ]
    return rows


# Weights each profile signed; every agreement sums to 100 (the format does not require it).
# Central units: the สำนักสารนิเทศ agreement, 1.1 = 25 + the 20 of 1.3 they have no area
# for (003:124, 003:196, 003:216-225). Regional centres keep 1.1 = 25 and 1.3 = 20 (003:195).
WEIGHTS: dict[str, tuple[tuple[str, int], ...]] = {
    "central": (("1.1.1", 15), ("1.1.2", 15), ("1.1.3", 15), ("1.2.1", 25), ("2", 15), ("3", 15)),
    "regional": (
        ("1.1.1", 10),
        ("1.1.2", 5),
        ("1.1.3", 10),
        ("1.2.1", 25),
        ("1.3.1", 20),
        ("2", 15),
        ("3", 15),
    ),
    "finance": (
        ("1.1.1", 10),
        ("1.1.2", 10),
        ("1.1.3", 10),
        ("1.1.4", 15),
        ("1.2.1", 25),
        ("2", 15),
        ("3", 15),
    ),
}
WEIGHTS["plan"] = WEIGHTS["ethics"] = WEIGHTS["ict"] = WEIGHTS["central"]


def _weights(units: list[Row]) -> list[Row]:
    profiles = unit_profiles()
    return [
        {"unit_id": u["unit_id"], "kpi_id": kpi_id, "weight": weight}
        for u in units
        for kpi_id, weight in WEIGHTS[profiles[u["unit_id"]]]
    ]


def _recipients() -> list[Row]:
    # HR gets the final scores for the PMS committee (002:20, 002:23; 001:39); the Director
    # General is told the results (002:20 item 4.3) with the four deputies (001:22).
    return [
        {
            "role": "hr",
            "name": "กองการเจ้าหน้าที่ (คณะกรรมการ PMS)",
            "email": f"personnel.pms@{DOMAIN}",
        },
        {"role": "executive", "name": "อธิบดีกรมอนามัย", "email": f"director.general@{DOMAIN}"},
        {"role": "executive", "name": "รองอธิบดีกรมอนามัย", "email": f"deputy.dg@{DOMAIN}"},
    ]


# Thai public holidays in FY2567 (Cabinet announcements; not in the seeds). Written as BE
# text, the way a planning officer copies them from the announcement.
HOLIDAYS: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2023, 10, 13), "วันนวมินทรมหาราช"),
    (dt.date(2023, 10, 23), "วันปิยมหาราช"),
    (dt.date(2023, 12, 5), "วันคล้ายวันพระบรมราชสมภพ รัชกาลที่ 9 วันชาติ และวันพ่อแห่งชาติ"),
    (dt.date(2023, 12, 10), "วันรัฐธรรมนูญ"),
    (dt.date(2023, 12, 11), "วันหยุดชดเชยวันรัฐธรรมนูญ"),
    (dt.date(2023, 12, 29), "วันหยุดราชการเพิ่มเป็นกรณีพิเศษ"),
    (dt.date(2023, 12, 31), "วันสิ้นปี"),
    (dt.date(2024, 1, 1), "วันขึ้นปีใหม่"),
    (dt.date(2024, 1, 2), "วันหยุดชดเชยวันสิ้นปี"),
    (dt.date(2024, 2, 24), "วันมาฆบูชา"),
    (dt.date(2024, 2, 26), "วันหยุดชดเชยวันมาฆบูชา"),
    (dt.date(2024, 4, 6), "วันพระบาทสมเด็จพระพุทธยอดฟ้าจุฬาโลกมหาราช และวันที่ระลึกมหาจักรีบรมราชวงศ์"),
    (dt.date(2024, 4, 8), "วันหยุดชดเชยวันจักรี"),
    (dt.date(2024, 4, 12), "วันหยุดราชการเพิ่มเป็นกรณีพิเศษ"),
    (dt.date(2024, 4, 13), "วันสงกรานต์"),
    (dt.date(2024, 4, 14), "วันสงกรานต์"),
    (dt.date(2024, 4, 15), "วันสงกรานต์"),
    (dt.date(2024, 4, 16), "วันหยุดชดเชยวันสงกรานต์"),
    (dt.date(2024, 5, 4), "วันฉัตรมงคล"),
    (dt.date(2024, 5, 6), "วันหยุดชดเชยวันฉัตรมงคล"),
    (dt.date(2024, 5, 10), "วันพืชมงคล"),
    (dt.date(2024, 5, 22), "วันวิสาขบูชา"),
    (dt.date(2024, 6, 3), "วันเฉลิมพระชนมพรรษาสมเด็จพระนางเจ้าฯ พระบรมราชินี"),
    (dt.date(2024, 7, 20), "วันอาสาฬหบูชา"),
    (dt.date(2024, 7, 21), "วันเข้าพรรษา"),
    (dt.date(2024, 7, 22), "วันหยุดชดเชยวันอาสาฬหบูชา"),
    (dt.date(2024, 7, 28), "วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว"),
    (dt.date(2024, 7, 29), "วันหยุดชดเชยวันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว"),
    (dt.date(2024, 8, 12), "วันเฉลิมพระชนมพรรษาสมเด็จพระบรมราชชนนีพันปีหลวง และวันแม่แห่งชาติ"),
)


def _holidays() -> list[Row]:
    return [{"date": format_date_th(day), "name": name} for day, name in HOLIDAYS]
