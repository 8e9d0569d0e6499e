"""Run stale chapters in parallel (``python -m netralitas.build.execute --jobs N``; default: one worker
per CPU core available to this process).

Each chapter runs in its own kernel, in a worker process forked from the executor, exactly as the
serial executor runs it (:func:`netralitas.build.execute.execute`, with tracing); the parent alone
writes ``.cache/execution.json``. Order is kept where it matters: a chapter whose recorded reads
include another planned chapter's notebook (``audit_sitasi`` reads every chapter) starts only
after that chapter finished. A chapter without a record yet (fresh clone) can still read a
notebook that another worker is rewriting: notebooks are replaced atomically, and the hash taken
*before* the run is what gets recorded, so the executor's next pass re-runs such a reader. The
notebooks written are the same bytes as in a serial run (``tests/test_parallel.py``).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

__all__ = ["default_jobs", "run_plan"]


def default_jobs() -> int:
    """Workers to use: ``NETRALITAS_JOBS`` if set, else the CPU cores this process may use."""
    env = os.environ.get("NETRALITAS_JOBS", "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            raise SystemExit(f"execute: NETRALITAS_JOBS must be a whole number, not {env!r}") from None
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 2)


def _work(nb_path: str, root: str) -> tuple[str, object, float]:
    """In a worker: execute one chapter; return ("ok", trace, seconds) or ("error", line, s)."""
    from . import execute as ex

    t0 = time.perf_counter()
    try:
        found = ex.execute(Path(nb_path), trace=True, root=Path(root), log_dir=Path(root) / ".cache")
    except Exception as exc:  # noqa: BLE001 - sent back as one line (exceptions may not pickle)
        return "error", ex.failure_line(exc), time.perf_counter() - t0
    return "ok", found, time.perf_counter() - t0


def _in_worker(nb_path: str, root: str):
    return _work(nb_path, root)  # looked up at call time (tests replace _work)


def _waits_for(plan, cache: dict) -> dict[str, set[str]]:
    """For each planned chapter, the planned chapters whose notebook it read last time."""
    names = {name for _, name, _ in plan}
    return {name: {d for d in cache["notebooks"].get(name, {}).get("deps", {})
                   if d in names and d != name} for _, name, _ in plan}


def run_plan(root: Path, plan, failed: list[str], cache: dict, jobs: int) -> None:
    """Execute ``plan`` ([(path, name, reason)], already ordered) over ``jobs`` workers."""
    from . import execute as ex

    waits = _waits_for(plan, cache)
    pending = list(plan)
    done: set[str] = set()
    running: dict = {}
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(plan)), mp_context=ctx) as pool:
        while pending or running:
            ready = [item for item in pending if waits[item[1]] <= done]
            if not ready and not running:  # a cycle in recorded reads: run in plan order
                ready = pending[:1]
            for item in ready[:max(0, jobs - len(running))]:
                nb_path, name, reason = item
                pending.remove(item)
                snapshot = ex._snapshot(root, exclude=name)
                fut = pool.submit(_in_worker, str(nb_path), str(root))
                running[fut] = (nb_path, name, reason, snapshot)
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in finished:
                nb_path, name, reason, snapshot = running.pop(fut)
                done.add(name)
                try:
                    status, value, seconds = fut.result()
                except Exception as exc:  # noqa: BLE001 - a worker died (e.g. out of memory)
                    status, value, seconds = "error", ex.failure_line(exc), 0.0
                if status != "ok":
                    print(f"execute: {name} FAILED: {value}", file=sys.stderr, flush=True)
                    failed.append(name)
                    ex.update_cache(root, drop=[name])
                    continue
                ex.update_cache(root, {name: ex.record_for(nb_path, root, value, snapshot, seconds)})
                print(f"execute: {name} ({seconds:.1f} s; {reason})", flush=True)
