"""Time intake + validation against a bare python-calamine read of the same files.

    .venv/bin/python -m benchmarks.bench_intake [--n 2000] [--kpis 12] [--repeat 3] [--keep DIR]
                                                [--vary-parts]

Generates `--n` filled submissions (template v1, one unit each, `--kpis` leaf KPIs: value,
lower-is-better value, ratio and milestone KPIs in turn), then measures in the same run:

(a) bare read: for each file, `CalamineWorkbook.from_path(p, load_tables=True)
    .get_table_by_name("results").to_python()` — the least any reader of the table does;
(b) `run_intake` on the folder: walk, hash, safety checks, load (names and table),
    normalisation, pandera validation of all files, duplicates and register.

Both are repeated (`--repeat`, alternating, after one warm-up of each) and the best time of
each is reported, per file, with the ratio (b)/(a). Target: <= 2x. For reference it also
times calamine as intake calls it (from the bytes intake has read and hashed, tables
loaded, the `results` table) and intake's safety checks alone (read, hash, zip and XML
checks, the report sheet inflated and scanned).

Files are made fast: one template is written with `write_unit_template`; each submission is
that workbook with its unit id replaced and its input cells filled by editing the sheet XML
(what Excel would write: numbers, a date serial for submitted_on; one file in ten has a
typed-text value such as "๘๕.๕" or "ร้อยละ 80", one in fifty an `#DIV/0!` error cell).
All other parts are the template's, byte for byte, as for files made from one template and
saved by one program; intake remembers parts it has checked by their exact bytes. With
`--vary-parts` no part is shared between files (each root element gets an unused namespace
declaration naming the unit): the worst case for those memos.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import re
import shutil
import tempfile
import time
import zipfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from types import MappingProxyType
from xml.sax.saxutils import escape

import python_calamine as pc

from kpi_batch.intake import run_intake
from kpi_batch.intake.container import Container, Limits, Rejection, inspect, worksheet
from kpi_batch.model import (
    AgreementItem,
    Band,
    Cluster,
    Criteria,
    Direction,
    Formula,
    Framework,
    Kpi,
    KpiType,
    Round,
    Settings,
    Unit,
)
from kpi_batch.templates.workbook import write_unit_template

D = Decimal
ROUND = Round(
    "R1",
    "รอบ 6 เดือน",
    dt.date(2023, 10, 1),
    dt.date(2024, 3, 31),
    dt.date(2024, 3, 31),
    dt.date(2024, 4, 5),
)
AS_OF = dt.date(2024, 4, 10)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def framework(n_units: int, n_kpis: int) -> Framework:
    kinds = ("value", "lower", "ratio", "milestone")
    kpis, criteria_rows = [], []
    for j in range(n_kpis):
        kind = kinds[j % 4]
        kid = f"{j // 4 + 1}.{j % 4 + 1}"
        parent = f"{j // 4 + 1}"
        if kind == "milestone":
            kpi = Kpi(kid, f"ตัวชี้วัด {kid}", parent, "PB", KpiType.MILESTONE,
                      Direction.HIGHER, "ระดับ")  # fmt: skip
            kpis.append(kpi)
            criteria_rows.append((D(1), None, D(2), None, D(3)))
            continue
        lower = kind == "lower"
        kpi = Kpi(kid, f"ตัวชี้วัด {kid}", parent, "PB", KpiType.QUANTITATIVE,
                  Direction.LOWER if lower else Direction.HIGHER,
                  "ต่อแสน" if lower else "ร้อยละ",
                  Formula.RATIO if kind == "ratio" else Formula.VALUE)  # fmt: skip
        kpis.append(kpi)
        base = 60 + j
        ts = [D(base + 5 * k) for k in range(5)]
        criteria_rows.append(tuple(reversed(ts)) if lower else tuple(ts))
    parents = {f"{j // 4 + 1}": Kpi(f"{j // 4 + 1}", "มิติ") for j in range(n_kpis)}
    items = tuple(AgreementItem(k, D(100) / n_kpis) for k in kpis)
    shared = MappingProxyType({k.kpi_id: k for k in kpis} | parents)
    units = tuple(Unit(f"U{i:05d}", f"หน่วยงาน {i}", "C1", ()) for i in range(n_units))
    return Framework(
        settings=Settings("กรมทดสอบ", 2567),
        rounds=(ROUND,),
        clusters=(Cluster("C1", "กลุ่ม 1"),),
        units=units,
        kpis=MappingProxyType({u.unit_id: shared for u in units}),
        agreements=MappingProxyType({u.unit_id: items for u in units}),
        criteria=MappingProxyType(
            {
                (u.unit_id, k.kpi_id, "R1"): Criteria(row)
                for u in units
                for k, row in zip(kpis, criteria_rows, strict=True)
            }
        ),
        bands=(Band("A", "ดี", D(3)),),
        fingerprint="ab" * 32,
    )


def _set_cell(sheet: bytes, ref: str, value: object) -> bytes:
    """Give the empty styled cell `ref` a value, as Excel writes it."""
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"( s="\d+")?/>')
    if isinstance(value, str):
        body = f"<is><t>{escape(value)}</t></is></c>".encode()
        new = rb'<c r="' + ref.encode() + rb'"\1 t="inlineStr">' + body
    elif value == "#DIV/0!":
        new = rb'<c r="' + ref.encode() + rb'"\1 t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    else:
        new = rb'<c r="' + ref.encode() + rb'"\1><v>' + repr(value).encode() + rb"</v></c>"
    return pattern.sub(lambda m: new.replace(rb"\1", m[1] or b""), sheet, count=1)


def _vary(name: str, body: bytes, unit: str) -> bytes:
    """The part with an unused namespace declaration on its root element: other bytes."""
    if not name.endswith((".xml", ".rels")):
        return body
    start = body.find(b"<", body.find(b"?>") + 2 if body.startswith(b"<?xml") else 0)
    end = body.find(b" ", start)
    return body[:end] + f' xmlns:v{unit}="urn:vary"'.encode() + body[end:]


def generate(fw: Framework, folder: Path, seed: int = 3, vary: bool = False) -> list[Path]:
    rng = random.Random(seed)
    first = fw.units[0].unit_id
    template = write_unit_template(fw, first, "R1", folder / "_template.xlsx")
    with zipfile.ZipFile(template) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    template.unlink()
    items = fw.agreements[first]
    paths = []
    for n, unit in enumerate(fw.units):
        sheet = parts["xl/worksheets/sheet1.xml"]
        for r, item in enumerate(items, start=14):
            kpi = item.kpi
            if rng.random() < 0.03:
                continue  # left empty
            if kpi.kpi_type is KpiType.MILESTONE:
                sheet = _set_cell(sheet, f"N{r}", rng.choice([1, 1.5, 2, 2.5, 3]))
            elif kpi.formula is Formula.RATIO:
                den = rng.randint(50, 400)
                sheet = _set_cell(sheet, f"L{r}", rng.randint(den // 2, den))
                sheet = _set_cell(sheet, f"M{r}", den)
            else:
                value: object = round(rng.uniform(55, 90), rng.choice([0, 1, 2]))
                if r == 14 and n % 10 == 5:
                    value = rng.choice(["๘๕.๕", "ร้อยละ 80", "1,234", " 77 "])
                if r == 14 and n % 50 == 7:
                    value = "#DIV/0!"
                sheet = _set_cell(sheet, f"K{r}", value)
        day = AS_OF - dt.timedelta(days=rng.randint(3, 12))
        sheet = _set_cell(sheet, "F7", float((day - _EXCEL_EPOCH).days))
        strings = parts["xl/sharedStrings.xml"].replace(first.encode(), unit.unit_id.encode())
        path = folder / f"sub{n // 500:02d}" / f"{unit.unit_id}.xlsx"
        path.parent.mkdir(exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, body in parts.items():
                if name == "xl/worksheets/sheet1.xml":
                    body = sheet
                elif name == "xl/sharedStrings.xml":
                    body = strings
                z.writestr(name, _vary(name, body, unit.unit_id) if vary else body)
        paths.append(path)
    return paths


def calamine_as_intake(paths: list[Path]) -> int:
    """calamine as intake calls it: on the bytes read once (and hashed), tables loaded."""
    rows = 0
    for p in paths:
        book = pc.CalamineWorkbook.from_filelike(BytesIO(p.read_bytes()), load_tables=True)
        rows += len(book.get_table_by_name("results").to_python())
    return rows


def safety_only(paths: list[Path]) -> int:
    """Intake's checks before parsing, alone: read, hash, zip and XML checks, the sheet."""
    ok = 0
    for p in paths:
        data = p.read_bytes()
        hashlib.sha256(data).hexdigest()
        found = inspect(data, ".xlsx", Limits())
        if isinstance(found, Container):
            ok += not isinstance(worksheet(found, "xl/worksheets/sheet1.xml"), Rejection)
    return ok


def bare_read(paths: list[Path]) -> int:
    rows = 0
    for p in paths:
        rows += len(
            pc.CalamineWorkbook.from_path(p, load_tables=True)
            .get_table_by_name("results")
            .to_python()
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="submissions (default 2000)")
    parser.add_argument("--kpis", type=int, default=12, help="leaf KPIs per unit (default 12)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument(
        "--vary-parts", action="store_true", help="no part byte-identical between files"
    )
    args = parser.parse_args()

    fw = framework(args.n, args.kpis)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_intake_"))
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    paths = generate(fw, folder, vary=args.vary_parts)
    size = sum(p.stat().st_size for p in paths)
    print(f"generated {len(paths)} files ({size / len(paths) / 1024:.1f} kB each, "
          f"{args.kpis} KPIs) in {time.perf_counter() - t0:.1f} s: {folder}")  # fmt: skip
    try:
        bare_read(paths)  # warm-up: page cache, imports
        run_intake(folder, fw, "R1", AS_OF)
        times: dict[str, list[float]] = {"bare": [], "calamine": [], "safety": [], "full": []}
        for _ in range(args.repeat):
            steps = (("bare", bare_read), ("calamine", calamine_as_intake), ("safety", safety_only))
            for key, step in steps:
                t = time.perf_counter()
                step(paths)
                times[key].append(time.perf_counter() - t)
            t = time.perf_counter()
            result = run_intake(folder, fw, "R1", AS_OF)
            times["full"].append(time.perf_counter() - t)
        n = len(paths)
        b, ca, sa, f = (min(times[k]) for k in ("bare", "calamine", "safety", "full"))
        print(f"(a) bare python-calamine read : {b:7.3f} s  {b / n * 1e3:6.3f} ms/file"
              "  (from_path + results table)")  # fmt: skip
        print(f"(b) intake + validation       : {f:7.3f} s  {f / n * 1e3:6.3f} ms/file")
        print(f"ratio (b)/(a)                 : {f / b:5.2f}x  (target <= 2x)")
        print("for reference, in the same run:")
        print(f"  calamine as intake calls it   {ca / n * 1e3:6.3f} ms/file  "
              f"= {ca / b:4.2f}x (a)  (from the bytes read, tables loaded, the table)")  # fmt: skip
        print(
            f"  safety checks alone           {sa / n * 1e3:6.3f} ms/file  "
            f"= {sa / b:4.2f}x (a)  (read, sha256, zip/XML checks, sheet scan)"
        )
        print(f"statuses: {result.counts()}  issues: {len(result.issues)}  "
              f"result rows: {len(result.results)}")  # fmt: skip
    finally:
        if args.keep is None:
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
