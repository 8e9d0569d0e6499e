"""``make bench``: how long the book takes to set up, build, rebuild and validate.

Every measurement runs on a fresh copy of the working tree in a temporary folder (the repository
itself is never touched) and is the median of repeated runs; slow steps are repeated fewer times
(the table says how often). Measured:

- fresh set-up: a new virtual environment from ``requirements.txt`` with uv (warm uv cache);
- clean build: ``make book`` in a copy without ``.cache/`` and ``_build/`` (every chapter runs);
- no-op ``make book`` right after it;
- one data file changed: ``make book`` after an edit of one CSV, and which chapters re-ran
  (compared with the chapters whose recorded reads include that file);
- nbval: ``make nbval`` (strict, every chapter);
- floor: a bare kernel start (median), and per chapter a kernel start plus that chapter's imports;
- the reference for the clean-build target: every chapter executed bare (plain nbclient, no
  tracing, no cache) plus one ``jupyter-book build`` with execution off on a clean ``_build/``.

``python tools/bench.py [--quick] [--update-readme]``; the whole run stays under 10 minutes.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from netralitas import execute as ex  # noqa: E402

BUDGET = 560.0  # seconds: skip remaining repeats beyond this
T0 = time.perf_counter()


def log(msg: str) -> None:
    print(f"[bench {time.perf_counter() - T0:5.0f} s] {msg}", file=sys.stderr, flush=True)


def over_budget() -> bool:
    return time.perf_counter() - T0 > BUDGET


def run(cmd, cwd, env=None, check=True) -> tuple[float, subprocess.CompletedProcess]:
    t = time.perf_counter()
    res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t
    if check and res.returncode != 0:
        raise SystemExit(f"bench: {' '.join(map(str, cmd))} failed in {cwd}:\n{res.stdout[-2000:]}"
                         f"\n{res.stderr[-2000:]}")
    return dt, res


class Copy:
    """A fresh copy of the project with the make arguments and environment to drive it."""

    def __init__(self, base: Path, tag: str):
        self.dir = ex.copy_project(base / tag, ROOT)
        for junk in (".cache", "_build"):
            shutil.rmtree(self.dir / junk, ignore_errors=True)
        self.args, self.env = ex.copy_env(self.dir, ROOT)

    def make(self, target: str, check=True):
        return run(["make", "--no-print-directory", target, *self.args], self.dir, self.env, check)


def executed(out: str) -> list[str]:
    return sorted({line.split()[1] for line in out.splitlines() if line.startswith("execute: ")
                   and "FAILED" not in line})


def median(xs):
    return statistics.median(xs) if xs else float("nan")


# ------------------------------------------------------------------------------ measurements

def fresh_setup(base: Path, repeats: int) -> tuple[list[float], str]:
    uv = ROOT / ".venv" / "bin" / "uv"
    if not uv.exists():
        return [], "uv not found in .venv"
    py = getattr(sys, "_base_executable", sys.executable)
    times, note = [], "warm uv cache"
    for i in range(repeats):
        if i and over_budget():
            break
        venv = base / f"venv{i}"
        t = time.perf_counter()
        run([str(uv), "venv", "-q", "--python", py, str(venv)], base)
        cmd = [str(uv), "pip", "install", "-q", "--python", str(venv / "bin" / "python"),
               "--compile-bytecode", "-r", str(ROOT / "requirements.txt")]
        _, res = run(cmd, base, check=False)
        if res.returncode != 0:  # no network: the pins must come from the uv cache
            run(cmd + ["--offline"], base)
            note = "warm uv cache, offline"
        times.append(time.perf_counter() - t)
        shutil.rmtree(venv, ignore_errors=True)
    return times, note


def clean_builds(base: Path, repeats: int) -> tuple[list[float], Copy, list[str]]:
    times, copy, ran = [], None, []
    for i in range(repeats):
        if i and over_budget():
            break
        copy = Copy(base, f"clean{len(list(base.glob('clean*')))}")
        dt, res = copy.make("book")
        times.append(dt)
        ran = executed(res.stdout)
        log(f"clean build {i + 1}: {dt:.1f} s, {len(ran)} chapters executed")
    return times, copy, ran


def no_ops(copy: Copy, repeats: int) -> tuple[list[float], bool]:
    times, quiet = [], True
    for _ in range(repeats):
        dt, res = copy.make("book")
        times.append(dt)
        quiet &= not executed(res.stdout) and "up to date" in res.stdout
    return times, quiet


def _readers(copy: Copy) -> dict[str, list[str]]:
    cache = ex.load_cache(copy.dir)["notebooks"]
    readers: dict[str, list[str]] = {}
    for nb, entry in cache.items():
        for dep in entry["deps"]:
            if dep.startswith("data/") and dep.endswith(".csv"):
                readers.setdefault(dep, []).append(nb)
    return {k: sorted(v) for k, v in readers.items()}


def _edit_csv(path: Path, marker: str) -> None:
    """Append ``marker`` to a free-text cell of the first data row (the file stays valid)."""
    schema = json.loads((path.parent / "schemas" / f"{path.stem}.json").read_text(encoding="utf-8"))
    keys = set(schema.get("primaryKey", [])) | {"source"} | {
        c for fk in schema.get("foreignKeys", []) for c in fk["fields"]}
    free = [f["name"] for f in schema["fields"] if f.get("type", "string") == "string"
            and f["name"] not in keys
            and not set(f.get("constraints", {})) & {"enum", "pattern", "unique", "maxLength"}]
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    col = rows[0].index(free[-1])
    rows[1][col] = rows[1][col].removesuffix(" (bench)") if marker == "" else rows[1][col] + marker
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def one_data_file(copy: Copy, repeats: int, data_file: str | None):
    readers = _readers(copy)
    if not readers:
        return [], "", [], []
    if data_file is None:  # the CSV read by the fewest chapters (but at least one)
        data_file = min(readers, key=lambda k: (len(readers[k]), k))
    expected = readers.get(data_file, [])
    times, reran = [], []
    for i in range(repeats):
        if i and over_budget():
            break
        _edit_csv(copy.dir / data_file, " (bench)" if i % 2 == 0 else "")
        dt, res = copy.make("book")
        times.append(dt)
        reran.append(executed(res.stdout))
        log(f"one data file ({data_file}) {i + 1}: {dt:.1f} s, re-ran {len(reran[-1])}")
    return times, data_file, expected, reran


def nbval(copy: Copy, repeats: int) -> list[float]:
    times = []
    for i in range(repeats):
        if i and over_budget():
            break
        dt, res = copy.make("nbval", check=False)
        if res.returncode != 0:
            log("nbval reported failures (timed anyway): " + res.stdout.strip().splitlines()[-1])
        times.append(dt)
    return times


def _time_notebook(code_cells: list[str], cwd: Path) -> float:
    import nbformat
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell(c) for c in code_cells])
    nb = nbformat.from_dict(nb)
    t = time.perf_counter()
    NotebookClient(nb, kernel_name="python3", timeout=600,
                   resources={"metadata": {"path": str(cwd)}}).execute(stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def floor(copy: Copy, kernel_repeats: int, import_repeats: int):
    cache = ex.load_cache(copy.dir)["notebooks"]
    kernel = [_time_notebook(["pass"], copy.dir / "book") for _ in range(kernel_repeats)]
    per_chapter = {}
    for nb, entry in sorted(cache.items()):
        mods = sorted({Path(d).stem for d in entry["deps"] if d.startswith("src/netralitas/")}
                      - {"__init__"})
        lines = [f"import netralitas.{m}" for m in mods]
        lines += [f"try:\n    import {m}\nexcept Exception:\n    pass"
                  for m in entry.get("imports", []) if m.isidentifier() and m != "netralitas"]
        per_chapter[nb] = median([_time_notebook(["\n".join(lines) or "pass"], copy.dir / "book")
                                  for _ in range(import_repeats)])
    return kernel, per_chapter


def bare_executions(copy: Copy) -> dict[str, float]:
    import nbformat
    from nbclient import NotebookClient

    out = {}
    for p in ex.notebooks(copy.dir):
        nb = nbformat.read(p, as_version=4)
        t = time.perf_counter()
        NotebookClient(nb, kernel_name="python3", timeout=600,
                       resources={"metadata": {"path": str(p.parent)}}).execute(
                           stderr=subprocess.DEVNULL)
        out[ex.rel(p, copy.dir)] = time.perf_counter() - t
    return out


def build_only(copy: Copy, repeats: int) -> list[float]:
    times = []
    jb = ROOT / ".venv" / "bin" / "jupyter-book"
    for i in range(repeats):
        if i and over_budget():
            break
        shutil.rmtree(copy.dir / "_build", ignore_errors=True)
        dt, _ = run([str(jb), "build", ".", "-n", "-W", "--keep-going", "--quiet"], copy.dir,
                    copy.env)
        times.append(dt)
    return times


# --------------------------------------------------------------------------------- report

def fmt(xs) -> str:
    return f"{median(xs):.1f} s" if xs else "–"


def table(r: dict) -> str:
    ref = r["bare_sum"] + median(r["build_only"])
    clean = median(r["clean"])
    ok_clean = clean <= 1.3 * ref
    noop = median(r["noop"])
    only = all(set(x) == set(r["expected"]) for x in r["reran"]) if r["reran"] else False
    rows = [
        ("fresh set-up (uv venv + pinned requirements, " + r["setup_note"] + ")",
         fmt(r["setup"]), len(r["setup"]), "–"),
        (f"clean build: `make book`, {r['n_chapters']} chapters executed + build",
         fmt(r["clean"]), len(r["clean"]),
         f"≤ 1.3 × {ref:.1f} s = {1.3 * ref:.1f} s: {'met' if ok_clean else 'NOT met'} "
         f"(ratio {clean / ref:.2f})"),
        ("no-op `make book`", f"{noop:.2f} s", len(r["noop"]),
         f"≤ 3 s: {'met' if noop <= 3 else 'NOT met'}"
         + ("" if r["noop_quiet"] else " (something re-ran!)")),
        (f"one data file changed (`{r['data_file']}`): `make book`", fmt(r["change"]),
         len(r["change"]),
         f"only its readers re-run: {'met' if only else 'NOT met'}"),
    ]
    if r.get("second"):
        f2, t2, exp2, reran2 = r["second"]
        ok2 = all(set(x) == set(exp2) for x in reran2)
        rows.append((f"one data file changed (`{f2}`): `make book`", fmt(t2), len(t2),
                     f"only its readers re-run: {'met' if ok2 else 'NOT met'}"))
    rows += [
        ("nbval, strict (`make nbval`)", fmt(r["nbval"]), len(r["nbval"]), "–"),
        ("floor: bare kernel start", f"{median(r['kernel']):.2f} s", len(r["kernel"]), "–"),
        ("floor: Σ chapters (kernel start + the chapter's imports)",
         f"{sum(r['floor'].values()):.1f} s", r["import_repeats"], "–"),
        ("reference: Σ bare chapter executions (plain nbclient)", f"{r['bare_sum']:.1f} s", 1,
         "–"),
        ("reference: `jupyter-book build`, execution off, clean `_build/`",
         fmt(r["build_only"]), len(r["build_only"]), "–"),
    ]
    lines = ["| measurement | median | runs | target |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    reran = r["reran"][0] if r["reran"] else []
    lines.append("")
    lines.append(f"- Changing `{r['data_file']}` re-ran: "
                 + (", ".join(f"`{Path(x).stem}`" for x in reran) or "nothing")
                 + " — the chapters whose recorded reads include it: "
                 + (", ".join(f"`{Path(x).stem}`" for x in r["expected"]) or "none") + ".")
    if r.get("second"):
        f2, _, exp2, reran2 = r["second"]
        lines.append(f"- Changing `{f2}` re-ran {len(reran2[0]) if reran2 else 0} chapters: "
                     + (", ".join(f"`{Path(x).stem}`" for x in (reran2[0] if reran2 else []))
                        or "nothing") + f" (its readers: {len(exp2)}).")
    heavy = {nb: [m for m in e.get("imports", []) if m in ("seaborn", "statsmodels", "scipy",
                                                          "networkx", "frictionless")]
             for nb, e in r["cache"].items()}
    heavy_txt = "; ".join(f"`{Path(nb).stem}`: {', '.join(v)}" for nb, v in sorted(heavy.items())
                          if v) or "none"
    lines.append(f"- Heavy imports by chapter (seaborn, statsmodels, scipy, networkx, frictionless): "
                 f"{heavy_txt}.")
    slow = sorted(r["bare"].items(), key=lambda kv: -kv[1])[:3]
    lines.append("- Slowest bare chapter executions: "
                 + ", ".join(f"`{Path(k).stem}` {v:.1f} s" for k, v in slow) + ".")
    lines.append(f"- Whole benchmark: {r['total']:.0f} s on {os.cpu_count()} CPU cores "
                 f"(load average at start {r['load']:.1f}), {time.strftime('%Y-%m-%d')}.")
    return "\n".join(lines)


def update_readme(text: str) -> None:
    readme = ROOT / "README.md"
    s = readme.read_text(encoding="utf-8")
    head = "## Performance"
    i = s.index(head)
    j = s.find("\n## ", i + len(head))
    intro = (
        "\n\n`make book` is incremental and data-aware. It validates `data/` and "
        "`references.bib` first (a defect stops it with one line: file, row, column, rule). A "
        "chapter is re-executed only when its code cells, the `netralitas` modules it imported "
        "or the files it read changed, compared by content hash: while a chapter runs, a silent "
        "set-up cell (not stored in the notebook) records every file the kernel opens under the "
        "project folder, and the modules it imports, in `.cache/execution.json` "
        "(`python -m netralitas.build.execute --deps` lists them). `jupyter-book build` is skipped when "
        "no source of the HTML changed since the last successful build. A fresh clone has no "
        "`.cache/`, so everything runs once.\n\n"
        "`make bench` (`tools/bench.py`) measures on fresh copies of the repository in a "
        "temporary folder; each figure is the median of the runs shown (slow steps fewer times, "
        "to stay under 10 minutes). Targets: no-op `make book` ≤ 3 s; clean build ≤ 1.3 × "
        "(Σ bare chapter executions + one build with execution off); one data file changed → "
        "only the chapters that read it re-run.\n\n")
    new = head + intro + text + "\n"
    s = s[:i] + new + (s[j:] if j != -1 else "")
    readme.write_text(s, encoding="utf-8")


def fits(last: float) -> bool:
    """Another run of a step that last took ``last`` seconds stays within the budget."""
    return time.perf_counter() - T0 + last < BUDGET


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one run of each step")
    ap.add_argument("--data-file", help="CSV to change (default: the one read by fewest chapters)")
    ap.add_argument("--second-data-file", default="data/violations.csv",
                    help="a second CSV to change once (default: data/violations.csv, Table 1)")
    ap.add_argument("--update-readme", action="store_true", help="write the table into README")
    ap.add_argument("--skip-setup", action="store_true", help="do not time a fresh set-up")
    args = ap.parse_args(argv)
    os.environ.update(PYTHONHASHSEED="0", MPLBACKEND="Agg", PYDEVD_DISABLE_FILE_VALIDATION="1")
    r: dict = {"load": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory(prefix="nt-bench-") as tmp:
        base = Path(tmp)
        # first pass: one run of every step (several for the cheap ones)
        r["clean"], copy, ran = clean_builds(base, 1)
        r["n_chapters"] = len(ran)
        r["noop"], r["noop_quiet"] = no_ops(copy, 5)
        log(f"no-op: {median(r['noop']):.2f} s")
        r["cache"] = ex.load_cache(copy.dir)["notebooks"]
        r["change"], r["data_file"], r["expected"], r["reran"] = one_data_file(
            copy, 2, args.data_file)
        second = args.second_data_file
        if second and second != r["data_file"] and (copy.dir / second).exists():
            t, _, exp2, reran2 = one_data_file(copy, 1, second)
            r["second"] = (second, t, exp2, reran2)
        r["nbval"] = nbval(copy, 1)
        log(f"nbval: {median(r['nbval']):.1f} s")
        os.environ.update({k: copy.env[k] for k in ("PYTHONPATH", "NETRALITAS_ROOT")})
        os.environ.pop("NETRALITAS_VALIDATED", None)
        r["bare"] = bare_executions(copy)
        r["bare_sum"] = sum(r["bare"].values())
        log(f"bare executions: {r['bare_sum']:.1f} s")
        r["build_only"] = build_only(copy, 1)
        log(f"build only: {median(r['build_only']):.1f} s")
        r["import_repeats"] = 1
        r["kernel"], r["floor"] = floor(copy, 5, 1)
        log(f"floor: kernel {median(r['kernel']):.2f} s, Σ {sum(r['floor'].values()):.1f} s")
        r["setup"], r["setup_note"] = ([], "skipped") if args.skip_setup else fresh_setup(base, 1)
        log(f"set-up: {fmt(r['setup'])}")
        # further repeats of the slow steps while the 10-minute budget allows
        if not args.quick:
            if r["change"] and fits(r["change"][-1]):
                t, *_ = one_data_file(copy, 1, r["data_file"])
                r["change"] += t
            if r["setup"] and fits(r["setup"][-1]):
                r["setup"] += fresh_setup(base, 1)[0]
            if fits(r["build_only"][-1]):
                r["build_only"] += build_only(copy, 1)
            shutil.rmtree(copy.dir, ignore_errors=True)
            if fits(r["clean"][-1] * 1.1):
                t, copy2, _ = clean_builds(base, 1)
                r["clean"] += t
    r["total"] = time.perf_counter() - T0
    text = table(r)
    print(text)
    if args.update_readme:
        update_readme(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
