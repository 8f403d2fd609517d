"""Time `write_templates` for a large synthetic framework (built in memory).

    .venv/bin/python -m benchmarks.bench_templates [--units 1000] [--kpis 15]

Prints seconds in total and per template. Each unit signs `--kpis` leaf KPIs under three
parents: value, ratio and milestone KPIs in turn, one in five with derived criteria.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from kpi_batch.templates.workbook import write_templates
from tests.template_factories import synthetic_framework


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--kpis", type=int, default=15)
    args = parser.parse_args()
    fw = synthetic_framework(args.units, args.kpis)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        paths = write_templates(fw, "R1", Path(tmp))
        seconds = time.perf_counter() - start
        size = sum(p.stat().st_size for p in paths) / len(paths)
    print(
        f"{len(paths)} templates x {args.kpis} KPIs: {seconds:.2f} s total, "
        f"{seconds / len(paths) * 1000:.1f} ms per template, {size / 1024:.1f} kB each"
    )


if __name__ == "__main__":
    main()
