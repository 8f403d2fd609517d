"""Many small workbooks on two cores: a process pool fed a few batches at a time.

    run_jobs(jobs, workers=2, on_done=callback)   # jobs: (function, args) pairs
    on_done(function, how many calls of it have finished)

`ProcessPoolExecutor.map` submits every job before the first one runs, so the arguments
of 10,000 unit workbooks would all sit in memory at once. Here at most `2 × workers`
batches are in flight; the next batch is built (and its arguments created, when `jobs` is
a generator) only as one finishes. Functions must be module-level (they are pickled by
name), arguments plain data.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from itertools import islice
from typing import Any

Job = tuple[Callable[..., Any], tuple[Any, ...]]
# From this many jobs a second process pays off (benchmarks/bench_reports.py: 1,935 unit
# workbooks 17.3 s -> 11.9 s on two free cores; about even when the cores are busy).
POOL_MIN_JOBS = 200
BATCH = 16


def cpus() -> int:
    """CPUs this process may run on (a container's share, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def default_workers(n_jobs: int) -> int:
    return min(2, cpus()) if n_jobs >= POOL_MIN_JOBS else 1


def run_jobs(
    jobs: Iterable[Job],
    workers: int,
    on_done: Callable[[Callable[..., Any], int], None] | None = None,
    batch: int = BATCH,
) -> None:
    """Call every `function(*args)`. `on_done(function, calls of it finished so far)` follows
    the progress after each job (serial) or batch (pool). A job that raises stops the rest
    and its error is raised here."""
    finished: Counter[Callable[..., Any]] = Counter()

    def count(done: Counter[Callable[..., Any]]) -> None:
        finished.update(done)
        if on_done is not None:
            for fn in done:
                on_done(fn, finished[fn])

    if workers <= 1:
        for fn, args in jobs:
            fn(*args)
            count(Counter({fn: 1}))
        return
    batches = _batches(iter(jobs), batch)
    # Spawned, not forked: a fork would copy a parent holding the whole run (and whatever
    # locks its other threads hold at that moment); a fresh worker costs ~0.6 s of imports.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
        running: set[Future[Counter[Callable[..., Any]]]] = set()
        for chunk in islice(batches, 2 * workers):
            running.add(pool.submit(_run_batch, chunk))
        while running:
            ready, running = wait(running, return_when=FIRST_COMPLETED)
            for future in ready:
                count(future.result())
                for chunk in islice(batches, 1):
                    running.add(pool.submit(_run_batch, chunk))


def _batches(jobs: Iterator[Job], size: int) -> Iterator[Sequence[Job]]:
    while chunk := list(islice(jobs, size)):
        yield chunk


def _run_batch(chunk: Sequence[Job]) -> Counter[Callable[..., Any]]:
    done: Counter[Callable[..., Any]] = Counter()
    for fn, args in chunk:
        fn(*args)
        done[fn] += 1
    return done
