"""The whole monthly batch on N units, against a bare calamine read and a naive script.

    .venv/bin/python -m benchmarks.bench_batch --n 2000 [--kpis 15] [--cache DIR]
        [--naive-sample K] [--no-naive]

Builds (once; cached under `--cache`, default `~/.cache/kpi_batch_bench`) a framework
workbook with N units of `--kpis` leaf KPIs (value, lower-is-better, ratio and milestone
KPIs in turn, four clusters, four fixed bands) and N filled submissions made the way
`bench_intake` makes them (one in ten with a typed-text value, one in fifty with an
`#DIV/0!` cell, 3 % of KPIs left empty). Then, in one run:

(a) bare read: `bench_intake.bare_read`, python-calamine opening every file and reading its
    `results` table — the least any program that looks at the files does;
(b) the batch: `kpi-batch run` in a child process (`python -m kpi_batch.cli run`, the
    real command), fresh output folder. Wall time of the child, the per-stage times of its
    manifest, and its peak memory: the sum of RSS over the child and its pool workers,
    sampled every 20 ms (needs psutil: `.venv/bin/pip install psutil`, bench only), and
    the largest single process's peak from getrusage (always);
(c) the naive script a planning officer would write: for every file
    `pd.read_excel(f, sheet_name=None, engine="openpyxl")`, then one `to_excel` per unit.
    With `--naive-sample K` it runs on the first K files only and the full time is
    extrapolated linearly (printed as such).

Ratios: (b)/(a) and (b)/(c). Targets (issue 6): 10,000 units end to end <= 2 minutes,
<= 1 GB peak, (b)/(c) <= 0.7.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

try:
    import psutil  # bench only: `.venv/bin/pip install psutil`
except ImportError:  # pragma: no cover
    psutil = None

from benchmarks.bench_intake import AS_OF, ROUND, bare_read, generate
from kpi_batch.framework.load import load_framework
from kpi_batch.framework.writer import write_framework

CACHE_VERSION = 1  # bump when the generated files change
CLUSTERS = 4


def framework_rows(n_units: int, n_kpis: int) -> dict[str, list[dict[str, Any]]]:
    """bench_intake's framework as workbook rows: shared (`*`) KPIs and criteria, one
    weight row per unit and KPI (what planning staff fill for 10,000 units)."""
    kinds = ("value", "lower", "ratio", "milestone")
    kpis: list[dict[str, Any]] = []
    criteria: list[dict[str, Any]] = []
    leaves = []
    for p in range((n_kpis + 3) // 4):
        kpis.append({"unit_id": "*", "kpi_id": str(p + 1), "name": f"มิติที่ {p + 1}",
                     "component": "Performance Base"})  # fmt: skip
    for j in range(n_kpis):
        kind, kid = kinds[j % 4], f"{j // 4 + 1}.{j % 4 + 1}"
        leaves.append(kid)
        row: dict[str, Any] = {
            "unit_id": "*",
            "kpi_id": kid,
            "parent_id": str(j // 4 + 1),
            "name": f"ตัวชี้วัด {kid} ร้อยละของหน่วยบริการที่ผ่านเกณฑ์มาตรฐาน",
            "component": "Performance Base",
        }
        points: list[Any]
        if kind == "milestone":
            row |= {"kpi_type": "milestone", "measure_unit": "ระดับ"}
            points = [1, None, 2, None, 3]
        else:
            lower = kind == "lower"
            row |= {
                "kpi_type": "quantitative",
                "direction": "lower" if lower else "higher",
                "measure_unit": "ต่อแสน" if lower else "ร้อยละ",
                "formula": "ratio" if kind == "ratio" else None,
            }
            points = [60 + j + 5 * k for k in range(5)]
            points = points[::-1] if lower else points
        kpis.append(row)
        criteria.append({"unit_id": "*", "kpi_id": kid, "round_id": ROUND.round_id,
                         **{str(i + 1): v for i, v in enumerate(points)}})  # fmt: skip
    units = [
        {"unit_id": f"U{i:05d}", "name": f"หน่วยงาน {i}", "cluster_id": f"C{i % CLUSTERS + 1}",
         "email": f"u{i:05d}@dept.example"}
        for i in range(n_units)
    ]  # fmt: skip
    weight = round(100 / n_kpis, 2)
    return {
        "settings": [
            {"key": "organisation", "value": "กรมทดสอบ (benchmark)"},
            {"key": "fiscal_year", "value": 2567},
        ],
        "rounds": [
            {
                "round_id": ROUND.round_id,
                "name": ROUND.name,
                "period_start": ROUND.period_start,
                "period_end": ROUND.period_end,
                "data_cutoff": ROUND.data_cutoff,
                "due_date": ROUND.due_date,
            }
        ],
        "clusters": [{"cluster_id": f"C{c}", "name": f"กลุ่มที่ {c}"} for c in range(1, 5)],
        "units": units,
        "kpis": kpis,
        "criteria": criteria,
        "weights": [
            {"unit_id": u["unit_id"], "kpi_id": k, "weight": weight} for u in units for k in leaves
        ],
        "bands": [
            {"band_id": "A", "name": "ดีเด่น", "min_score": 4.5},
            {"band_id": "B", "name": "ดีมาก", "min_score": 4},
            {"band_id": "C", "name": "ดี", "min_score": 3.5},
            {"band_id": "D", "name": "ต้องปรับปรุง", "min_score": 0},
        ],
    }


def prepare(n: int, n_kpis: int, cache: Path) -> tuple[Path, Path, list[Path]]:
    """framework.xlsx and inbox/ for N units, generated once and reused."""
    folder = cache / f"v{CACHE_VERSION}_n{n}_k{n_kpis}"
    framework, inbox, done = folder / "framework.xlsx", folder / "inbox", folder / "complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        inbox.mkdir(parents=True)
        t = time.perf_counter()
        write_framework(framework_rows(n, n_kpis), framework)
        generate(load_framework(framework), inbox)
        done.write_text(f"generated in {time.perf_counter() - t:.1f} s\n", encoding="utf-8")
        print(f"generated {n} submissions in {time.perf_counter() - t:.1f} s: {folder}")
    paths = sorted(inbox.rglob("*.xlsx"))
    return framework, inbox, paths


def bare(paths: list[Path]) -> float:
    """(a): bench_intake's bare python-calamine read (open + the `results` table)."""
    start = time.perf_counter()
    bare_read(paths)
    return time.perf_counter() - start


@dataclass
class Batch:
    wall: float
    timings: dict[str, float]
    peak_pss: float | None  # MB, the batch process and its workers together
    peak_rss: float | None  # MB, the same summed as RSS (shared pages counted twice)
    peak_main_rss: float | None  # MB, the batch process alone
    exit_code: int
    cpu: float  # user + system seconds of the batch process and its workers
    counts: dict[str, Any]
    run_dir: Path | None


def batch(framework: Path, inbox: Path, out: Path) -> Batch:
    """(b): the real command in a child process, its memory sampled every 20 ms."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "kpi_batch.cli", "run", "--framework", str(framework),
               "--inbox", str(inbox), "--out", str(out), "--as-of", AS_OF.isoformat(),
               "--round", ROUND.round_id]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks: dict[str, float] = {}
    sampler = threading.Thread(target=_sample, args=(child.pid, peaks), daemon=True)
    sampler.start()
    stdout, stderr = child.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    sampler.join(timeout=2)
    if child.returncode not in (0, 1):
        raise SystemExit(f"kpi-batch run failed ({child.returncode}):\n{stdout}\n{stderr}")
    timings = {k: float(v) for k, v in re.findall(r"(\S+) (\d+\.\d+)s", _time_line(stdout))}
    pointer = out / "2567" / ROUND.round_id / "latest"
    run_dir = pointer.parent / pointer.read_text(encoding="utf-8").strip()
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    return Batch(
        wall, timings, peaks.get("pss"), peaks.get("rss"), peaks.get("main"),
        child.returncode, cpu, manifest["counts"], run_dir,
    )  # fmt: skip


def _time_line(stdout: str) -> str:
    return next((line for line in stdout.splitlines() if line.startswith("เวลา / time:")), "")


def _sample(pid: int, peaks: dict[str, float]) -> None:
    """Peak memory of `pid` and its descendants: PSS (shared pages split between the
    processes sharing them, so the sum is what the machine gives) and RSS."""
    if psutil is None:
        return
    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    mb = 1024 * 1024
    while True:
        try:
            procs = [root, *root.children(recursive=True)]
            pss = rss = 0.0
            for proc in procs:
                try:
                    info = proc.memory_full_info()
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                pss += getattr(info, "pss", info.rss)
                rss += info.rss
                if proc.pid == pid:
                    peaks["main"] = max(peaks.get("main", 0.0), info.rss / mb)
            peaks["pss"] = max(peaks.get("pss", 0.0), pss / mb)
            peaks["rss"] = max(peaks.get("rss", 0.0), rss / mb)
        except psutil.NoSuchProcess:
            return
        if root.status() == psutil.STATUS_ZOMBIE:
            return
        time.sleep(0.02)


def naive(paths: list[Path], out: Path, sample: int) -> tuple[float, float, int]:
    """(c): what a planning officer would write with pandas: every sheet of every file with
    openpyxl, then one to_excel per unit (pandas' default writer). Returns (seconds for
    all files, CPU seconds for all files, files actually processed): with `sample`, the
    first `sample` files are timed and both times are scaled to all files."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    todo = paths[:sample] if 0 < sample < len(paths) else paths
    start, cpu = time.perf_counter(), time.process_time()
    for path in todo:
        sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl")
        report = next(iter(sheets.values()))
        report.to_excel(out / f"{path.stem}.xlsx", index=False)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    scale = len(paths) / len(todo)
    return seconds * scale, cpu * scale, len(todo)


def _wait_quiet(limit: float, patience: float = 600) -> None:
    """A shared machine: wait until other jobs leave the cores (or give up and say so)."""
    deadline = time.monotonic() + patience
    while os.getloadavg()[0] > limit and time.monotonic() < deadline:
        time.sleep(5)
    if os.getloadavg()[0] > limit:
        print(f"(load still {_load()} after {patience:.0f} s; measuring anyway)")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def _mb(value: float | None) -> int | None:
    return None if value is None else round(value)


def measure(
    n: int, n_kpis: int, cache: Path, work: Path, sample: int, with_naive: bool
) -> dict[str, Any]:
    framework, inbox, paths = prepare(n, n_kpis, cache)
    size = sum(p.stat().st_size for p in paths)
    print(f"\n== N = {n:,} units, {n_kpis} KPIs: {len(paths):,} files, "
          f"{size / len(paths) / 1024:.1f} kB each ({inbox})")  # fmt: skip
    bare(paths)  # warm-up: page cache, imports
    load_before = _load()
    a = bare(paths)
    b = batch(framework, inbox, work / f"out_{n}")
    c, c_cpu, c_files = naive(paths, work / f"naive_{n}", sample) if with_naive else (None, None, 0)
    load_after = _load()

    print(f"(a) bare python-calamine read : {a:8.1f} s  ({a / n * 1000:.2f} ms/file)")
    print(f"(b) kpi-batch run, end to end : {b.wall:8.1f} s  (exit {b.exit_code}; "
          f"{b.cpu:.1f} CPU-s in all its processes)")  # fmt: skip
    for stage, seconds in b.timings.items():
        print(f"      {stage:<12} {seconds:7.1f} s")
    rest = b.wall - sum(b.timings.values())
    print(f"      {'start, exit':<12} {rest:7.1f} s  (interpreter, imports, summary)")
    if c is not None:
        how = "" if c_files == n else f"  EXTRAPOLATED from {c_files:,} files (x{n / c_files:.1f})"
        print(f"(c) naive pandas script       : {c:8.1f} s  ({c / n * 1000:.2f} ms/file; "
              f"{c_cpu:.1f} CPU-s, one process){how}")  # fmt: skip
    print(f"ratio (b)/(a)                 : {b.wall / a:8.1f}x")
    if c is not None:
        print(f"ratio (b)/(c)                 : {b.wall / c:8.2f}x  (target <= 0.7)")
    if b.peak_pss is not None:
        print(f"peak memory, batch + workers  : {b.peak_pss:8.0f} MB PSS  "
              f"(RSS summed {b.peak_rss:.0f} MB; batch process alone {b.peak_main_rss:.0f} MB RSS)"
              "  (target <= 1024)")  # fmt: skip
    else:
        print("peak memory                   :  (install psutil into the venv to measure)")
    print(f"files {b.counts.get('files')}  units {b.counts.get('units')}")
    print(f"load average before / after   : {load_before} / {load_after}  (2 = both cores busy)")
    return {
        "n": n, "kpis": n_kpis, "files": len(paths), "bare_s": round(a, 2),
        "batch_s": round(b.wall, 2), "batch_cpu_s": round(b.cpu, 1), "timings_s": b.timings,
        "naive_s": None if c is None else round(c, 2), "naive_files_timed": c_files,
        "naive_cpu_s": None if c_cpu is None else round(c_cpu, 1),
        "ratio_bare": round(b.wall / a, 2),
        "ratio_naive": None if c is None else round(b.wall / c, 3),
        "peak_pss_mb": _mb(b.peak_pss), "peak_rss_mb": _mb(b.peak_rss),
        "peak_main_rss_mb": _mb(b.peak_main_rss),
        "counts": b.counts, "load_before": load_before, "load_after": load_after,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[2000], help="units (2000)")
    parser.add_argument("--kpis", type=int, default=15, help="leaf KPIs per unit (15)")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "kpi_batch_bench")
    parser.add_argument("--work", type=Path, help="output folders (default: a temp folder)")
    parser.add_argument("--naive-sample", type=int, default=0, metavar="K",
                        help="naive script on K files, extrapolated (0: all)")  # fmt: skip
    parser.add_argument("--no-naive", action="store_true", help="skip the naive script")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--quiet-load", type=float, metavar="L",
                        help="wait (<= 10 min) for a 1-minute load average <= L")  # fmt: skip
    args = parser.parse_args()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{platform.node()}: {platform.machine()}, {cpus} CPUs, "
          f"Python {platform.python_version()}, {dt.datetime.now():%Y-%m-%d %H:%M}")  # fmt: skip
    results = []
    with tempfile.TemporaryDirectory(prefix="bench_batch_") as tmp:
        work = args.work or Path(tmp)
        for n in args.n:
            if args.quiet_load is not None:
                _wait_quiet(args.quiet_load)
            results.append(
                measure(n, args.kpis, args.cache, work, args.naive_sample, not args.no_naive)
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
