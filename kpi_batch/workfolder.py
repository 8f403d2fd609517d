"""`kpi-batch init DIR`: a working folder for a planning officer who does not use a terminal.

    DIR/framework.xlsx            the FY2567 example (or, with --blank, the empty template)
    DIR/adjustments_template.xlsx the blank reviews/appeals workbook (copy to adjustments.xlsx)
    DIR/receipts_template.xlsx    the blank receipts register (copy to receipts.xlsx)
    DIR/inbox/                    the files the units send back
    DIR/output/                   what the runs write
    DIR/อ่านก่อน.txt               what to do, in Thai (UTF-8 with BOM, CRLF: Notepad)
    DIR/1_…5_….cmd / .sh          double-click launchers (kpi_batch/launchers.py)

A framework already in the folder is never replaced (it holds the officer's work); the
read-me and the launchers are the tool's and are written again, e.g. after an upgrade.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from kpi_batch.adjustments.template import write_adjustments_template
from kpi_batch.framework.example import example_framework_rows
from kpi_batch.framework.writer import write_framework, write_framework_template
from kpi_batch.launchers import LAUNCHERS, cmd_text, program, sh_text
from kpi_batch.receipts.spec import TEMPLATE_FILE as RECEIPTS_TEMPLATE_FILE
from kpi_batch.receipts.template import write_receipts_template
from kpi_batch.run_layout import RunLayout
from kpi_batch.specs.adjustments import TEMPLATE_FILE as ADJUSTMENTS_TEMPLATE_FILE

FRAMEWORK = "framework.xlsx"
ADJUSTMENTS_TEMPLATE = ADJUSTMENTS_TEMPLATE_FILE
README = "อ่านก่อน.txt"
FOLDERS = ("inbox", "output", "templates")

README_TEXT = """\
โฟลเดอร์ทำงาน kpi-batch — ประมวลผลคะแนนคำรับรองการปฏิบัติราชการ
=====================================================================

ในโฟลเดอร์นี้
  framework.xlsx            กรอบตัวชี้วัด: หน่วยงาน ตัวชี้วัด เกณฑ์ น้ำหนัก รอบการประเมิน
                            (แก้ไขใน Excel ได้ แล้วดับเบิลคลิก 1_ตรวจกรอบตัวชี้วัด)
  inbox\\                    วางไฟล์แบบรายงานผลที่หน่วยงานส่งกลับไว้ที่นี่ (ไม่ต้องเปลี่ยนชื่อไฟล์)
  output\\                   ผลการประมวลผลแต่ละครั้ง: output\\<ปีงบ>\\<รอบ>\\<วันที่>_<ครั้งที่>\\
  templates\\                แบบรายงานผลเปล่าสำหรับส่งให้หน่วยงาน
  adjustments_template.xlsx แบบฟอร์มทบทวน/อุทธรณ์ — เมื่อมีการปรับคะแนน ให้คัดลอกเป็น
                            adjustments.xlsx แล้วกรอก การประมวลผลจะใช้ไฟล์นี้เอง
  receipts_template.xlsx    ทะเบียนรับ (วันที่รับไฟล์ตามสารบรรณอิเล็กทรอนิกส์) — คัดลอกเป็น
                            receipts.xlsx แล้วกรอก การประมวลผลจะใช้วันที่รับนี้คิดการส่งล่าช้า

ขั้นตอนประจำเดือน (ดับเบิลคลิกไฟล์ตามลำดับ)
  1_ตรวจกรอบตัวชี้วัด     ตรวจ framework.xlsx ถ้ามีปัญหาจะบอกชีตและเซลล์ที่ต้องแก้
  2_สร้างแบบรายงาน       สร้างแบบรายงานผลของทุกหน่วยงานใน templates\\<รอบ> — ถามรหัสรอบ เช่น R1
  3_ประมวลผล             อ่านไฟล์ใน inbox คิดคะแนน จัดอันดับ เขียนรายงานลง output
                         — ถามวันที่ของข้อมูล เช่น 15/3/2567 (กด Enter = วันนี้)
  4_ทดลองส่งอีเมล         เตรียมอีเมลถึงทุกหน่วยงาน กองการเจ้าหน้าที่ และผู้บริหาร ไว้ในโฟลเดอร์
                         outbox ของการประมวลผลครั้งล่าสุด ยังไม่ส่งจริง — เปิดอ่านได้ด้วย Outlook
  5_ส่งอีเมลจริง          ส่งจริง ถามชื่อผู้ใช้และรหัสผ่านอีเมล (ไม่แสดงบนจอ ไม่บันทึกในไฟล์)
                         และให้พิมพ์ Y ยืนยันก่อนส่ง

ทุกไฟล์จะแสดงผลเป็นภาษาไทย บอกรหัสผลลัพธ์ (exit code) เมื่อจบ แล้วเปิดโฟลเดอร์ผลลัพธ์ให้
  0 = เรียบร้อย
  1 = ทำเสร็จ แต่มีไฟล์ที่ไม่ผ่านการตรวจหรือหน่วยงานที่ยังไม่ส่ง ดู {validation_report}
  2 = ต้องแก้ไขก่อน (กรอบตัวชี้วัดผิด ไฟล์เปิดค้างใน Excel ฯลฯ) อ่านข้อความ แก้ แล้วสั่งใหม่
  3 = โปรแกรมขัดข้อง ส่งไฟล์ log ที่ข้อความบอกให้ผู้ดูแลระบบ

ข้อควรรู้
  - ปิดไฟล์ผลลัพธ์ใน Excel ก่อนประมวลผลซ้ำหรือส่งอีเมล ถ้าไฟล์ยังเปิดอยู่ โปรแกรมจะบอกชื่อไฟล์ให้ปิด
  - ไฟล์ใน inbox และ framework.xlsx ไม่ถูกแก้ไขหรือย้ายโดยโปรแกรม
  - ประมวลผลซ้ำได้เสมอ แต่ละครั้งได้โฟลเดอร์ใหม่ ครั้งล่าสุดคือ output\\<ปีงบ>\\<รอบ>\\latest
  - ถ้าย้ายโฟลเดอร์นี้ไปเครื่องอื่น ให้ติดตั้งโปรแกรมที่เครื่องนั้นแล้วสั่ง kpi-batch init ใหม่
    ในโฟลเดอร์เดิม (กรอบตัวชี้วัดเดิมไม่ถูกเขียนทับ)

ตั้งค่าอีเมลผู้ส่งในชีต settings ของ framework.xlsx: smtp_host, smtp_port, smtp_tls, smtp_from,
appeal_deadline (รายละเอียดใน docs/email.md ของโปรแกรม)
""".replace("{validation_report}", RunLayout.VALIDATION_REPORT)


@dataclass
class WorkFolder:
    root: Path
    framework_kept: bool  # an existing framework.xlsx was left as it was
    written: list[Path] = field(default_factory=list)


def init_folder(root: Path, *, blank: bool = False) -> WorkFolder:
    root.mkdir(parents=True, exist_ok=True)
    for name in FOLDERS:
        (root / name).mkdir(exist_ok=True)
    framework = root / FRAMEWORK
    folder = WorkFolder(root, framework_kept=framework.exists())
    if not folder.framework_kept:
        if blank:
            write_framework_template(framework)
        else:
            write_framework(
                example_framework_rows(),
                framework,
                instructions=True,
                title="ตัวอย่างกรอบการประเมินผลการปฏิบัติราชการ ปีงบประมาณ พ.ศ. 2567",
            )
        folder.written.append(framework)
    folder.written.append(write_adjustments_template(root / ADJUSTMENTS_TEMPLATE))
    folder.written.append(write_receipts_template(root / RECEIPTS_TEMPLATE_FILE))
    readme = root / README
    readme.write_text(README_TEXT.replace("\n", "\r\n"), encoding="utf-8-sig", newline="")
    folder.written.append(readme)
    prog = program()
    for launcher in LAUNCHERS:
        cmd = root / f"{launcher.stem}.cmd"
        cmd.write_bytes(cmd_text(launcher, prog).encode("utf-8"))
        sh = root / f"{launcher.stem}.sh"
        sh.write_text(sh_text(launcher, prog), encoding="utf-8", newline="\n")
        if os.name != "nt":
            sh.chmod(sh.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        folder.written += [cmd, sh]
    return folder
