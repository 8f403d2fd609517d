"""What scoring itself reports (as warnings: the round is still scored), declared in the
issue catalogue (kpi_batch/catalogue.py) as `SCORING`; docs/scoring.md lists them."""

from __future__ import annotations

from kpi_batch.catalogue import WARNING, Catalogue
from kpi_batch.schemas.scoring import DATE_TO_CONFIRM

SCORING = Catalogue("scoring", "docs/scoring.md")

RESULT_NOT_IN_AGREEMENT = SCORING.declare(
    "result_not_in_agreement",
    WARNING,
    "ผลของตัวชี้วัด {kpi_id} ไม่อยู่ในคำรับรองของหน่วยงาน {unit_id} จึงไม่นำมาคิดคะแนน",
    "result for {unit_id}/{kpi_id} is not in the unit's agreement; ignored",
    problem="a result row for a KPI outside the unit's agreement",
    at="the unit and KPI",
)
NO_CRITERIA = SCORING.declare(
    "no_criteria",
    WARNING,
    "ตัวชี้วัด {kpi_id} ของหน่วยงาน {unit_id} ไม่มีเกณฑ์ในรอบนี้ ได้ 0 คะแนน",
    "{unit_id}/{kpi_id} has no criteria for this round; scored 0",
    problem="a scored KPI with no criteria for the round (scored 0)",
    at="the unit and KPI",
)
SUBMISSION_UNKNOWN_UNIT = SCORING.declare(
    "submission_unknown_unit",
    WARNING,
    "หน่วยงาน {unit_id} ไม่อยู่ในกรอบการประเมิน จึงไม่นำมาคิดคะแนน",
    "unit {unit_id} is not in the framework; ignored",
    problem="a submission of a unit the framework does not have",
    at="the unit",
)
DATE_NOT_CONFIRMED = SCORING.declare(
    DATE_TO_CONFIRM,
    WARNING,
    "หน่วยงาน {unit_id} ไม่มีวันที่รับไฟล์ที่ใช้คิดการส่งล่าช้าได้ (ไม่มีในทะเบียนรับ ไม่ได้ส่งมาเป็นอีเมล"
    " และไม่ได้กรอกวันที่ส่งในแบบรายงาน) จึงคิดคะแนนโดยยังไม่หักคะแนนส่งล่าช้า — เจ้าหน้าที่กรุณายืนยัน"
    "วันที่รับ: เพิ่มแถวในทะเบียนรับ (--receipts) หรือแถว submitted_on ในไฟล์ทบทวน/อุทธรณ์",
    "unit {unit_id} has no received date that may charge lateness (the file's modification "
    "date never does); scored without a late deduction: confirm the date with a receipt "
    "row or a submitted_on adjustment",
    problem="an accepted unit with no date that may charge lateness (after the adjustments)",
    at="the unit's file",
)
ADJUSTMENT_UNIT_NOT_SCORED = SCORING.declare(
    "adjustment_unit_not_scored",
    WARNING,
    "หน่วยงาน {unit_id} ไม่มีไฟล์รายงานผลที่ผ่านการตรวจในรอบนี้ จึงใช้การปรับ {field} ในแถว {row} ไม่ได้",
    "unit {unit_id} has no accepted submission this round;"
    " the {field} adjustment in row {row} cannot be applied",
    problem="an adjustment for a unit with no accepted submission this round",
    at="the adjustment's row (`adjustments!7:7`)",
)
