"""Every intake check in one table: stable code, severity, what is rejected, Thai message.

Declared in the issue catalogue (kpi_batch/catalogue.py) as `INTAKE`; the code table of
docs/intake.md is written from it (`python -m kpi_batch.code_docs`). Severity and scope:

- error / file: the whole file is rejected (register status `rejected`);
- error / kpi: only that KPI's result is rejected and the KPI is scored as missing (0); the
  rest of the file is used (status `accepted_with_warnings`);
- warning: the file and the value are used, and the report shows the flag.

Messages are format strings; the fields a check uses are named in braces.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from kpi_batch.catalogue import Catalogue, IssueKind
from kpi_batch.issues import Severity
from kpi_batch.visible import visible


class Scope(StrEnum):
    FILE = "file"  # the file is not used
    KPI = "kpi"  # that KPI's result is not used; the KPI is scored as missing
    FLAG = "flag"  # a warning: used, flagged


_EFFECT = {Scope.FILE: "the file", Scope.KPI: "that KPI's result", Scope.FLAG: "nothing"}


@dataclass(frozen=True)
class Check(IssueKind):
    """An intake check: a catalogue kind that also says what it rejects (`scope`)."""

    scope: Scope = Scope.FLAG

    def message_fields(self, value: str, unit_id: str, kpi_id: str) -> dict[str, object]:
        # a zero-width space in an id must show in the message (two ids that look alike)
        return {"value": visible(value), "kpi_id": visible(kpi_id), "unit_id": visible(unit_id)}


INTAKE = Catalogue("intake", "docs/intake.md")


def _check(
    code: str,
    severity: Severity,
    scope: Scope,
    message_th: str,
    message_en: str,
    *,
    problem: str = "",
    effect: str = "",
) -> Check:
    """Declare an intake check in the catalogue (`effect` defaults to what `scope` rejects)."""
    effect = effect or _EFFECT[scope]
    kind = Check(code, severity, message_th, message_en, INTAKE.name, problem, effect, scope=scope)
    return INTAKE.add(kind)


_E, _W = Severity.ERROR, Severity.WARNING
_KPI_MISSING_TH = "ผลของตัวชี้วัดนี้จะถือว่าไม่ได้รายงาน (ได้ 0 คะแนน)"
_RESEND_TH = "กรุณาส่งไฟล์ใหม่"
# The file's modification date never charges a deduction (DOMAIN §3.6).
_NO_MTIME_TH = (
    "ระบบไม่ใช้วันที่แก้ไขไฟล์ ({date}) คิดการส่งล่าช้า แต่ใช้วันที่ตามทะเบียนรับหรือวันที่ของอีเมล "
    "ถ้าไม่มีจะยังไม่หักคะแนนจนกว่าเจ้าหน้าที่ยืนยันวันที่รับ"
)
_NO_MTIME_EN = (
    "the file's modification date ({date}) never charges lateness: the receipts register or "
    "the e-mail's date does, else the date waits for staff to confirm"
)

_CHECKS = (
    # -- the file as a file: checked before anything parses it ------------------------------
    _check(
        "file_unsupported_format",
        _E,
        Scope.FILE,
        "ไฟล์ชนิด {value} อ่านไม่ได้ กรุณาบันทึกเป็น .xlsx (Excel Workbook) แล้วส่งใหม่",
        "{value} files are not read; save as .xlsx and send it again",
    ),
    _check(
        "file_empty",
        _E,
        Scope.FILE,
        f"ไฟล์ว่างเปล่า (0 ไบต์) {_RESEND_TH}",
        "the file is empty (0 bytes); send it again",
    ),
    _check(
        "file_too_large",
        _E,
        Scope.FILE,
        "ไฟล์มีขนาด {value} ไบต์ เกินกว่าที่รับได้ ({limit} ไบต์) "
        "กรุณาใช้แบบฟอร์มเดิม ลบรูปภาพหรือแผ่นงานที่ไม่เกี่ยวข้อง แล้วส่งใหม่",
        "the file is {value} bytes, over the limit of {limit}; use the template as sent",
    ),
    _check(
        "file_not_workbook",
        _E,
        Scope.FILE,
        "ไฟล์นี้ไม่ใช่ไฟล์ Excel ที่ถูกต้อง (อาจเปลี่ยนนามสกุลไฟล์) "
        "กรุณาเปิดแบบฟอร์มใน Excel แล้วบันทึกเป็น .xlsx ส่งใหม่",
        "not a spreadsheet in the format its name says ({detail})",
    ),
    _check(
        "file_corrupt",
        _E,
        Scope.FILE,
        f"ไฟล์เสียหรือไม่สมบูรณ์ (อาจส่งไม่ครบ) {_RESEND_TH}",
        "the file is damaged or truncated ({detail})",
    ),
    _check(
        "mail_malformed",
        _E,
        Scope.FILE,
        "ไฟล์อีเมล (.eml) นี้อ่านไม่ได้ (ไฟล์เสียหรือไม่ใช่อีเมล) กรุณาบันทึกอีเมลจากโปรแกรมอีเมลใหม่ "
        "(บันทึกเป็น .eml) หรือบันทึกไฟล์แนบ .xlsx ลงในโฟลเดอร์แทน",
        "the saved e-mail cannot be read ({detail}); save it again as .eml or save the attachment",
    ),
    _check(
        "file_unreadable",
        _E,
        Scope.FILE,
        "เปิดอ่านไฟล์นี้ไม่ได้ (ไม่มีสิทธิ์อ่าน หรือไฟล์ถูกโปรแกรมอื่นล็อกไว้) "
        "ผู้ประมวลผล: ให้สิทธิ์อ่านไฟล์หรือปิดโปรแกรมที่เปิดไฟล์อยู่ แล้วประมวลผลใหม่",
        "the file cannot be read on this computer ({detail}); give read permission or close "
        "the program holding it, then run again",
    ),
    _check(
        "file_encrypted",
        _E,
        Scope.FILE,
        "ไฟล์ถูกตั้งรหัสผ่าน ระบบอ่านไม่ได้ กรุณายกเลิกรหัสผ่าน (ไฟล์ > ข้อมูล > ป้องกันเวิร์กบุ๊ก) แล้วส่งใหม่",
        "the workbook is encrypted (password to open); remove the password and send it again",
    ),
    _check(
        "file_zip_bomb",
        _E,
        Scope.FILE,
        "ไฟล์มีโครงสร้างผิดปกติ (ขยายแล้วมีขนาดใหญ่เกินไป) ระบบไม่เปิดไฟล์นี้ "
        "กรุณาใช้แบบฟอร์มที่ส่งให้ กรอกข้อมูลใหม่แล้วส่งอีกครั้ง",
        "the file expands far beyond its size ({detail}); not opened",
    ),
    _check(
        "file_xml_entities",
        _E,
        Scope.FILE,
        "ไฟล์มีโครงสร้างผิดปกติ (มีการประกาศ DOCTYPE/ENTITY ในเนื้อไฟล์) ระบบไม่เปิดไฟล์นี้ "
        "กรุณาใช้แบบฟอร์มที่ส่งให้ กรอกข้อมูลใหม่แล้วส่งอีกครั้ง",
        "an XML part declares a DOCTYPE or entities ({detail}); not opened",
    ),
    _check(
        "file_too_many_rows",
        _E,
        Scope.FILE,
        "แผ่นงานมีจำนวนแถวมากผิดปกติ ({value} แถว เกิน {limit}) "
        "กรุณาใช้แบบฟอร์มที่ส่งให้ และลบแถวที่ไม่เกี่ยวข้อง แล้วส่งใหม่",
        "a sheet has {value} rows, over the limit of {limit}",
    ),
    _check(
        "file_empty_workbook",
        _E,
        Scope.FILE,
        "ไฟล์ไม่มีข้อมูล (เวิร์กบุ๊กว่าง) กรุณากรอกแบบฟอร์มที่ส่งให้แล้วส่งใหม่",
        "the workbook holds no data",
    ),
    # -- is it one of our templates -----------------------------------------------------------
    _check(
        "file_not_template",
        _E,
        Scope.FILE,
        "ไม่พบชื่อที่กำหนด {value} ของแบบฟอร์มรายงานผล (ไฟล์ไม่ได้สร้างจากแบบฟอร์มของระบบ) "
        "กรุณากรอกผลในแบบฟอร์มที่ส่งให้ ไม่คัดลอกไปไฟล์อื่น แล้วส่งใหม่",
        "defined name(s) {value} missing: not a kpi_batch submission template",
    ),
    _check(
        "results_table_missing",
        _E,
        Scope.FILE,
        "ไม่พบตารางผลการดำเนินงาน (results) ในไฟล์ อาจถูกลบหรือย้าย "
        "กรุณากรอกผลในแบบฟอร์มที่ส่งให้โดยไม่ลบหรือแปลงตาราง แล้วส่งใหม่",
        "the Excel table `results` is missing",
    ),
    _check(
        "results_column_missing",
        _E,
        Scope.FILE,
        "ตารางผลการดำเนินงานไม่มีคอลัมน์ ({value}) อาจถูกลบหรือแก้หัวตาราง กรุณาใช้แบบฟอร์มที่ส่งให้ แล้วส่งใหม่",
        "the results table has no column ({value})",
    ),
    _check(
        "results_table_empty",
        _E,
        Scope.FILE,
        "ตารางผลการดำเนินงานไม่มีแถวตัวชี้วัด กรุณาใช้แบบฟอร์มที่ส่งให้ แล้วส่งใหม่",
        "the results table has no KPI rows",
    ),
    _check(
        "unit_unknown",
        _E,
        Scope.FILE,
        "รหัสหน่วยงาน {value} ไม่มีในกรอบการประเมิน (หรือไม่มีคำรับรองฯ) "
        "กรุณาใช้แบบฟอร์มของหน่วยงานท่านที่ส่งให้ แล้วส่งใหม่",
        "unit {value} is not in the framework or has no agreement",
    ),
    _check(
        "round_mismatch",
        _E,
        Scope.FILE,
        "แบบฟอร์มนี้เป็นของรอบ {value} แต่รอบที่ประมวลผลคือ {expected} "
        "กรุณากรอกผลในแบบฟอร์มของรอบ {expected} แล้วส่งใหม่",
        "the template is for round {value}; this run is round {expected}",
    ),
    _check(
        "fiscal_year_mismatch",
        _E,
        Scope.FILE,
        "แบบฟอร์มนี้เป็นของปีงบประมาณ {value} แต่กรอบการประเมินเป็นปี {expected} "
        "กรุณาใช้แบบฟอร์มของปีงบประมาณ {expected} แล้วส่งใหม่",
        "the template is for fiscal year {value}; the framework is for {expected}",
    ),
    _check(
        "cell_formula_cached",
        _W,
        Scope.FLAG,
        "เซลล์นี้มีสูตร ({value}) ระบบใช้ค่าที่ Excel คำนวณไว้ล่าสุด ซึ่งอาจไม่ตรงกับสูตรตอนนี้ "
        "กรุณาพิมพ์ตัวเลขลงในเซลล์แทนสูตร",
        "the cell holds a formula ({value}); its value as last calculated is used, which may "
        "differ from what the formula gives now; type the number instead",
        problem="an input cell or named cell of an .xlsx holding a formula, other than the "
        "template's own ratio formula; the cell is named",
    ),
    _check(
        "unit_token_mismatch",
        _E,
        Scope.FILE,
        "แบบฟอร์มนี้ไม่ได้ออกให้หน่วยงาน {value} (รหัสยืนยันแบบฟอร์มเป็นของหน่วยงาน {real}) "
        "ระบบไม่ใช้ไฟล์นี้ หน่วยงาน {value} กรุณาใช้แบบฟอร์มที่ส่งให้หน่วยงานของตนเอง "
        "ผู้ประมวลผล: ตรวจสอบกับหน่วยงานผู้ส่งก่อนใช้ไฟล์นี้",
        "this template was not issued to {value} (its template_token is {real}'s); not used",
    ),
    _check(
        "template_token_missing",
        _E,
        Scope.FILE,
        "แบบฟอร์มนี้ไม่มีรหัสยืนยันแบบฟอร์ม (template_token) ระบบจึงยืนยันไม่ได้ว่าออกให้หน่วยงาน "
        "{unit_id} กรุณาใช้แบบฟอร์มฉบับที่ส่งให้ กรอกข้อมูลแล้วส่งใหม่",
        "the workbook has no template_token, so it cannot be shown to be {unit_id}'s template",
        problem="only checked when the key is there; docs/template.md",
    ),
    _check(
        "unit_conflicting_files",
        _E,
        Scope.FILE,
        "หน่วยงาน {unit_id} มีไฟล์ที่ออกจากแบบฟอร์มต่างกันหรือมาจากผู้ส่งต่างกัน: {value} "
        "ระบบไม่เลือกไฟล์ใดเองจากวันที่ที่กรอก ผู้ประมวลผล: ตรวจสอบกับหน่วยงานว่าไฟล์ใดถูกต้อง "
        "แล้วนำไฟล์ที่ไม่ใช่ออกจากโฟลเดอร์ แล้วประมวลผลใหม่",
        "files of {unit_id} differ in template token or origin ({value}); both held for a "
        "person to decide",
        problem="every such file of the unit, each naming the others",
    ),
    _check(
        "mail_sender_unregistered",
        _W,
        Scope.FLAG,
        "ไฟล์นี้ส่งมาจากอีเมล {value} ซึ่งไม่ใช่อีเมลที่ลงทะเบียนไว้ของหน่วยงาน {unit_id} "
        "(กรอบการประเมิน แผ่นงาน units คอลัมน์ email: {expected}) ผู้ประมวลผล: ตรวจสอบกับหน่วยงาน "
        "{unit_id} ว่าผู้ส่งเป็นผู้แทนของหน่วยงานจริง ถ้าใช่ให้เพิ่มอีเมลนี้ในคอลัมน์ email (คั่นด้วย ;)",
        "sent from {value}, which is not an address registered for unit {unit_id} "
        "(framework units.email: {expected}); check with the unit that the sender is theirs",
        problem="a saved e-mail's `From` that is not one of the unit's `units.email` addresses, "
        "compared ignoring case; `intake/senders.py`",
    ),
    _check(
        "template_version_unsupported",
        _E,
        Scope.FILE,
        "แบบฟอร์มรุ่น {value} ระบบรองรับรุ่น {expected} กรุณาใช้แบบฟอร์มล่าสุดที่ส่งให้ แล้วส่งใหม่",
        "template version {value} is not supported (supported: {expected})",
    ),
    _check(
        "framework_fingerprint_differs",
        _W,
        Scope.FLAG,
        "แบบฟอร์มนี้สร้างจากกรอบการประเมินฉบับก่อน ระบบคิดคะแนนตามกรอบฉบับปัจจุบัน "
        "(น้ำหนักและเกณฑ์ตามคำรับรองฯ ล่าสุด) ครั้งต่อไปกรุณาใช้แบบฟอร์มล่าสุด",
        "the template was made from another framework version; scored with the current one",
    ),
    # -- submission date ------------------------------------------------------------------------
    _check(
        "submitted_on_missing",
        _W,
        Scope.FLAG,
        f"ไม่ได้กรอกวันที่ส่งรายงาน {_NO_MTIME_TH} กรุณากรอกวันที่ส่งรายงานทุกครั้ง",
        f"submitted_on is empty; {_NO_MTIME_EN}",
    ),
    _check(
        "submitted_on_invalid",
        _W,
        Scope.FLAG,
        f"วันที่ส่งรายงาน '{{value}}' อ่านเป็นวันที่ไม่ได้ {_NO_MTIME_TH} กรุณากรอกเป็นวันที่ เช่น 5/4/2567",
        f"submitted_on '{{value}}' is not a date; {_NO_MTIME_EN}",
    ),
    _check(
        "submitted_on_implausible",
        _W,
        Scope.FLAG,
        f"วันที่ส่งรายงาน {{value}} ไม่สมเหตุสมผล ({{detail}}) {_NO_MTIME_TH} กรุณาตรวจสอบวันที่ส่ง",
        f"submitted_on {{value}} is implausible ({{detail}}); {_NO_MTIME_EN}",
    ),
    _check(
        "received_dates_differ",
        _W,
        Scope.FLAG,
        "วันที่รับไฟล์ไม่ตรงกัน: {used_th} {used_date} แต่{other_th} {value} (ต่างกันเกิน 1 วัน) "
        "ระบบคิดการส่งล่าช้าตาม{used_th} เจ้าหน้าที่กรุณาตรวจสอบว่าถูกต้อง",
        "received dates differ by more than one day: {used} {used_date}, {other} {value}; "
        "lateness is counted from the {used} date",
    ),
    # -- the KPI rows against the agreement --------------------------------------------------------
    _check(
        "kpi_missing",
        _E,
        Scope.KPI,
        f"ไม่พบแถวตัวชี้วัด {{kpi_id}} ตามคำรับรองฯ ในตาราง {_KPI_MISSING_TH} "
        "กรุณาใช้แบบฟอร์มที่ส่งให้โดยไม่ลบแถว",
        "KPI {kpi_id} of the agreement has no row; scored as missing",
    ),
    _check(
        "kpi_extra",
        _E,
        Scope.KPI,
        "ตัวชี้วัด {value} ไม่อยู่ในคำรับรองฯ ของหน่วยงาน ระบบไม่นำแถวนี้มาคิดคะแนน "
        "กรุณาใช้แบบฟอร์มที่ส่งให้โดยไม่เพิ่มแถว",
        "KPI {value} is not in the unit's agreement; the row is ignored",
        effect="that row",
    ),
    _check(
        "kpi_duplicate",
        _E,
        Scope.KPI,
        f"ตัวชี้วัด {{kpi_id}} มีมากกว่าหนึ่งแถว {_KPI_MISSING_TH} กรุณาลบแถวที่ซ้ำแล้วส่งใหม่",
        "KPI {kpi_id} has more than one row; its result is rejected",
    ),
    _check(
        "weight_changed",
        _W,
        Scope.FLAG,
        "น้ำหนักถูกแก้ไขเป็น {value} (ตามคำรับรองฯ คือ {expected}) ระบบใช้น้ำหนักตามคำรับรองฯ",
        "weight changed to {value} (agreement: {expected}); the agreement's weight is used",
    ),
    _check(
        "criteria_changed",
        _W,
        Scope.FLAG,
        "เกณฑ์ถูกแก้ไขเป็น {value} (ตามกรอบการประเมินคือ {expected}) ระบบใช้เกณฑ์ตามกรอบการประเมิน",
        "criteria changed to {value} (framework: {expected}); the framework's criteria are used",
    ),
    # -- the unit's inputs -------------------------------------------------------------------------
    _check(
        "cell_excel_error",
        _E,
        Scope.KPI,
        f"ช่องนี้มีค่าผิดพลาดของ Excel ({{value}}) {_KPI_MISSING_TH} กรุณาพิมพ์ผลเป็นตัวเลขแทนสูตร แล้วส่งใหม่",
        "the cell holds an Excel error ({value}); KPI {kpi_id} is scored as missing",
    ),
    _check(
        "cell_not_number",
        _E,
        Scope.KPI,
        f"ช่องนี้ต้องเป็นตัวเลข แต่พบ '{{value}}' {_KPI_MISSING_TH} "
        "กรุณากรอกเป็นตัวเลขเท่านั้น (คำอธิบายใส่ในช่องหมายเหตุ) แล้วส่งใหม่",
        "a number is expected, found '{value}'; KPI {kpi_id} is scored as missing",
    ),
    _check(
        "value_out_of_range",
        _E,
        Scope.KPI,
        f"ผลการดำเนินงาน {{value}} อยู่นอกช่วงที่เป็นไปได้ ({{detail}}) {_KPI_MISSING_TH} "
        "กรุณาตรวจสอบแล้วส่งใหม่",
        "value {value} is out of range ({detail}); KPI {kpi_id} is scored as missing",
    ),
    _check(
        "value_looks_fraction",
        _W,
        Scope.FLAG,
        "ผลการดำเนินงาน {value} ดูเหมือนกรอกเป็นสัดส่วน (เช่น 0.85 แทน 85) "
        "ระบบคิดคะแนนตามค่าที่กรอก หากเป็นร้อยละกรุณากรอกเป็นตัวเลข 0–100 แล้วส่งใหม่",
        "value {value} looks like a fraction for a percentage KPI; scored as typed",
    ),
    _check(
        "level_out_of_range",
        _E,
        Scope.KPI,
        f"ระดับขั้นตอน {{value}} ต้องอยู่ระหว่าง 0 ถึง {{limit}} {_KPI_MISSING_TH} กรุณาตรวจสอบแล้วส่งใหม่",
        "level {value} must be between 0 and {limit}; KPI {kpi_id} is scored as missing",
    ),
    _check(
        "numerator_negative",
        _E,
        Scope.KPI,
        f"ตัวตั้ง {{value}} ติดลบ {_KPI_MISSING_TH} กรุณาตรวจสอบแล้วส่งใหม่",
        "numerator {value} is negative; KPI {kpi_id} is scored as missing",
    ),
    _check(
        "denominator_not_positive",
        _E,
        Scope.KPI,
        f"ตัวหาร {{value}} ต้องมากกว่า 0 {_KPI_MISSING_TH} กรุณาตรวจสอบแล้วส่งใหม่",
        "denominator {value} must be > 0; KPI {kpi_id} is scored as missing",
    ),
    _check(
        "numerator_exceeds_denominator",
        _E,
        Scope.KPI,
        f"ตัวตั้ง {{value}} มากกว่าตัวหาร {{expected}} (เกินร้อยละ 100) {_KPI_MISSING_TH} "
        "กรุณาตรวจสอบแล้วส่งใหม่",
        "numerator {value} exceeds denominator {expected}; KPI {kpi_id} is scored as missing",
    ),
    _check(
        "ratio_incomplete",
        _E,
        Scope.KPI,
        f"กรอกตัวตั้งหรือตัวหารไม่ครบ {_KPI_MISSING_TH} กรุณากรอกทั้งตัวตั้งและตัวหาร แล้วส่งใหม่",
        "only one of numerator/denominator is filled; KPI {kpi_id} is scored as missing",
    ),
    _check(
        "result_not_applicable",
        _W,
        Scope.FLAG,
        "หน่วยงานแจ้งว่าตัวชี้วัด {kpi_id} ไม่มีผล (N/A) เหตุผล: {detail} — ยังไม่คิดคะแนนตัวชี้วัดนี้ "
        "(ระหว่างรอนับเป็น 0 ในคะแนนรวม ไม่ยกเว้นให้เอง) เจ้าภาพตัวชี้วัดหรือ กพร. "
        "กรุณาพิจารณาในแบบทบทวนผลหรือ adjustments: ยกเว้น (exempt = 1) หรือให้คะแนน (score)",
        "the unit marked KPI {kpi_id} N/A (reason: {detail}); not scored until the KPI owner "
        "or planning staff decide: exempt or a score (counted as 0 in the total meanwhile)",
        effect="nothing (the KPI has no score until a person decides)",
    ),
    _check(
        "result_not_applicable_no_reason",
        _E,
        Scope.KPI,
        "ตัวชี้วัด {kpi_id} กรอก '{value}' (ไม่มีผล N/A) แต่ไม่ได้ระบุเหตุผล "
        f"{_KPI_MISSING_TH} กรุณาพิมพ์เหตุผลในช่องหมายเหตุ {{note_cell}} "
        "(เช่น ไม่ได้รับมอบหมายประเด็นในรอบนี้) หรือกรอกผลเป็นตัวเลข แล้วส่งใหม่",
        "KPI {kpi_id} is marked N/A ('{value}') with no reason; it is scored as missing: "
        "write the reason in {note_cell}, or report the result",
    ),
    _check(
        "result_not_applicable_mixed",
        _E,
        Scope.KPI,
        "ตัวชี้วัด {kpi_id} มีทั้ง '{value}' (ไม่มีผล N/A) และตัวเลข "
        f"{_KPI_MISSING_TH} กรุณาเลือกอย่างใดอย่างหนึ่ง: ลบคำว่าไม่มีผล หรือลบตัวเลข แล้วส่งใหม่",
        "KPI {kpi_id} has both N/A ('{value}') and a number; it is scored as missing: keep one",
    ),
    _check(
        "result_empty",
        _W,
        Scope.FLAG,
        "ยังไม่ได้กรอกผลของตัวชี้วัด {kpi_id} ตัวชี้วัดนี้จะได้ 0 คะแนน หากมีผลการดำเนินงานกรุณากรอกแล้วส่งใหม่",
        "KPI {kpi_id} has no result; it is scored as missing",
        effect="nothing (scored as missing anyway)",
    ),
)

CHECKS: MappingProxyType[str, Check] = MappingProxyType({c.code: c for c in _CHECKS})


def check(code: str) -> Check:
    return CHECKS[code]


# Refusals of the file itself, before (or instead of) a workbook reader: a later stage never
# opens such a file again (a returned copy is the note sheet alone).
NOT_REOPENED = frozenset(
    {
        "file_unsupported_format",
        "file_empty",
        "file_too_large",
        "file_not_workbook",
        "file_corrupt",
        "file_unreadable",
        "file_encrypted",
        "file_zip_bomb",
        "file_xml_entities",
        "file_too_many_rows",
    }
)

# A file whose template token is wrong or missing is not used (intake/tokens.py).
TOKEN_ERRORS = frozenset({"unit_token_mismatch", "template_token_missing"})
# Files held for a person: no returned copy goes to the unit they claim (it may not be theirs).
HELD = frozenset({"unit_token_mismatch", "unit_conflicting_files"})
