"""``make bench``: build, test and page-weight figures, each against a peer measured in the same run.

Every measurement runs on fresh copies of the working tree in a temporary folder (the repository
itself is never touched); timings alternate between this project's command and its peer, and
each figure is the median of the runs shown.

Peers (issue #13):
- build times: a plain ``jupyter-book build`` of the same book with ``execute_notebooks: force``
  (every chapter executed by Jupyter Book itself, one after another; clean ``_build/``), in a
  copy whose ``_config.yml`` differs only in that line and in leaving out
  ``netralitas.build.assets`` (so the peer site also has the unmodified theme assets);
- page weight: that peer site, with the theme's assets as the theme ships them.

Measured:
- clean ``make book`` (``.venv`` present, no ``.cache/``, no ``_build/``); target ≤ 0.7 × peer;
- fresh clone → ``make book`` (new ``.venv`` from the warm uv cache, then everything); ≤ 45 s;
- ``make test`` with ``.venv`` present (in a git clone of that copy, so the git check is real);
  ≤ 120 s; and fresh clone → ``.ci/run`` as set-up + ``make test`` (chromium already installed
  here, so its apt install is not included); ≤ 4 min with the install;
- no-op ``make book`` and one data file changed (only its readers re-run);
- page weight in Chromium, served as a static host serves it (gzip, ETag, max-age): first visit
  of every chapter (≤ 400 KB) and the next chapter right after it (≤ 60 KB), both sites.

``python tools/bench.py [--quick] [--update-readme] [--skip-test]``; about 10 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from netralitas.build import execute as ex  # noqa: E402
from netralitas.build import site  # noqa: E402

T0 = time.perf_counter()
FIRST_MAX, SECOND_MAX = 400_000, 60_000
TARGETS = {"clean_ratio": 0.7, "fresh": 45.0, "test": 120.0, "ci": 240.0}


def log(msg: str) -> None:
    print(f"[bench {time.perf_counter() - T0:5.0f} s] {msg}", file=sys.stderr, flush=True)


CPU: dict[float, float] = {}  # wall seconds of a run -> CPU seconds of its process tree


def _children_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run(cmd, cwd, env=None, check=True) -> tuple[float, subprocess.CompletedProcess]:
    """Run ``cmd``; its wall time (and, in CPU, the CPU seconds of every process it waited for)."""
    c0, t = _children_cpu(), time.perf_counter()
    res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t
    CPU[dt] = _children_cpu() - c0
    if check and res.returncode != 0:
        raise SystemExit(f"bench: {' '.join(map(str, cmd))} failed in {cwd}:\n{res.stdout[-3000:]}"
                         f"\n{res.stderr[-3000:]}")
    return dt, res


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def _clean_env() -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NETRALITAS_", "MAKE", "MFLAGS")) and k != "PYTHONPATH"}
    env.update(PYTHONHASHSEED="0", MPLBACKEND="Agg", PYDEVD_DISABLE_FILE_VALIDATION="1")
    return env


class Copy:
    """A fresh copy of the project, driven with the shared .venv (never reinstalled)."""

    def __init__(self, base: Path, tag: str):
        self.dir = ex.copy_project(base / tag, ROOT)
        for junk in (".cache", "_build"):
            shutil.rmtree(self.dir / junk, ignore_errors=True)
        self.args, self.env = ex.copy_env(self.dir, ROOT)
        self.env = {**_clean_env(), **{k: self.env[k] for k in ("PYTHONPATH", "NETRALITAS_ROOT")}}

    def make(self, target: str, check=True):
        return run(["make", "--no-print-directory", target, *self.args], self.dir, self.env, check)


def executed(out: str) -> list[str]:
    return sorted({line.split()[1] for line in out.splitlines() if line.startswith("execute: ")
                   and "FAILED" not in line})


# ------------------------------------------------------------------------------ the peer

def peer_copy(base: Path, tag: str) -> Copy:
    """A copy whose _config.yml asks Jupyter Book to execute every notebook itself, with the
    theme's assets left as they are."""
    c = Copy(base, tag)
    cfg = (c.dir / "_config.yml").read_text(encoding="utf-8")
    new = re.sub(r'execute_notebooks:\s*"?off"?', 'execute_notebooks: "force"', cfg)
    new = re.sub(r"\n\s*- netralitas\.build\.assets[^\n]*", "", new)
    assert new != cfg and "force" in new and "build.assets" not in new, "peer config not made"
    (c.dir / "_config.yml").write_text(new, encoding="utf-8")
    return c


def peer_build(c: Copy) -> float:
    shutil.rmtree(c.dir / "_build", ignore_errors=True)
    jb = ROOT / ".venv" / "bin" / "jupyter-book"
    dt, _ = run([str(jb), "build", ".", "--quiet"], c.dir, c.env)
    return dt


# ------------------------------------------------------------------------------ ours

def clean_book(base: Path) -> tuple[float, Copy, list[str]]:
    c = Copy(base, f"clean{len(list(base.glob('clean*')))}")
    dt, res = c.make("book")
    return dt, c, executed(res.stdout)


def fresh_clone_book(base: Path) -> tuple[float, float, Path]:
    """``make setup`` then ``make book`` in a copy without .venv (warm uv cache).
    Returns the total, the set-up part and the copy."""
    d = ex.copy_project(base / "fresh", ROOT)
    for junk in (".cache", "_build", ".venv"):
        shutil.rmtree(d / junk, ignore_errors=True)
    env = _clean_env()
    setup, _ = run(["make", "--no-print-directory", "setup"], d, env)
    book, _ = run(["make", "--no-print-directory", "book"], d, env)
    CPU[setup + book] = CPU[setup] + CPU[book]
    return setup + book, setup, d


def make_test(d: Path) -> tuple[float, str]:
    """``make test`` in ``d`` (its own .venv present), inside a fresh git repository."""
    env = _clean_env()
    genv = dict(env, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@localhost",
                GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@localhost")
    if not (d / ".git").exists():
        run(["git", "init", "-q"], d, genv)
        run(["git", "add", "-A"], d, genv)
        run(["git", "commit", "-q", "-m", "bench"], d, genv)
    shutil.rmtree(d / "_build", ignore_errors=True)
    dt, res = run(["make", "--no-print-directory", "test"], d, env, check=False)
    text = res.stdout + res.stderr
    # the whole log is kept, so a failure in the bench's copy can be read afterwards
    log = ROOT / ".cache" / "bench-make-test.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text(text, encoding="utf-8")
    lines = text.strip().splitlines() or [""]
    first = next((ln for ln in lines if ln.startswith(("FAILED", "ERROR", "E  "))
                  or "failed" in ln.lower() and "passed" in ln.lower()), lines[-1])
    status = "passed" if res.returncode == 0 else f"FAILED ({first[:120]}; log: .cache/bench-make-test.log)"
    return dt, status


def no_ops(c: Copy, n: int) -> list[float]:
    return [c.make("book")[0] for _ in range(n)]


def _edit_csv(path: Path, marker: str) -> None:
    schema = json.loads((path.parent / "schemas" / f"{path.stem}.json").read_text(encoding="utf-8"))
    keys = set(schema.get("primaryKey", [])) | {"source"} | {
        c for fk in schema.get("foreignKeys", []) for c in fk["fields"]}
    free = [f["name"] for f in schema["fields"] if f.get("type", "string") == "string"
            and f["name"] not in keys
            and not set(f.get("constraints", {})) & {"enum", "pattern", "unique", "maxLength"}]
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    col = rows[0].index(free[-1])
    rows[1][col] = rows[1][col] + marker
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def one_data_file(c: Copy) -> tuple[float, str, list[str], list[str]]:
    cache = ex.load_cache(c.dir)["notebooks"]
    readers: dict[str, list[str]] = {}
    for nb, entry in cache.items():
        for dep in entry["deps"]:
            if dep.startswith("data/") and dep.endswith(".csv"):
                readers.setdefault(dep, []).append(nb)
    data_file = min(readers, key=lambda k: (len(readers[k]), k))
    _edit_csv(c.dir / data_file, " (bench)")
    dt, res = c.make("book")
    return dt, data_file, sorted(readers[data_file]), executed(res.stdout)


# ------------------------------------------------------------------------------ page weight

def weight(site_dir: Path) -> list[dict]:
    from netralitas.build import transfer

    pages = site.toc_pages(ROOT)
    return transfer.measure_site(site_dir, pages, os.environ.get("CHROMIUM", "/usr/bin/chromium"))


# ------------------------------------------------------------------------------ report

def _verdict(value: float, target: float, unit: str = "s") -> str:
    if value <= target:
        return f"met (≤ {target:g} {unit})"
    return f"**missed** by {value - target:.1f} {unit} (target ≤ {target:g} {unit})"


def table(r: dict) -> str:
    peer = median(r["peer"])
    clean = median(r["clean"])
    lines = ["| measurement | this project | its CPU time | peer | ratio | runs | target |",
             "|---|---:|---:|---:|---:|---|---|"]

    def cpu(xs):
        return median([CPU[x] for x in xs if x in CPU])

    def row(name, ours, ratio_of, runs, target, cpu_s=None):
        ratio = f"{ours / ratio_of:.2f}" if ratio_of else "–"
        c = f"{cpu_s:.0f} s" if cpu_s is not None and cpu_s == cpu_s else "–"
        lines.append(f"| {name} | {ours:.1f} s | {c} | {peer:.1f} s | {ratio} | {runs} | {target} |")

    ratio = clean / peer
    row("clean `make book` (`.venv` present; no `.cache/`, no `_build/`)", clean, peer,
        f"{len(r['clean'])} + {len(r['peer'])}",
        ("met" if ratio <= TARGETS["clean_ratio"] else f"**missed** by {ratio - 0.7:.2f}")
        + f" (ratio ≤ {TARGETS['clean_ratio']})", cpu(r["clean"]))
    if r.get("fresh"):
        row(f"fresh clone → `make book` (set-up {r['fresh_setup']:.1f} s, warm uv cache)",
            r["fresh"], peer, 1, _verdict(r["fresh"], TARGETS["fresh"]), cpu([r["fresh"]]))
    if r.get("test"):
        row(f"`make test`, `.venv` present ({r['test_status']})", r["test"], peer, 1,
            _verdict(r["test"], TARGETS["test"]), cpu([r["test"]]))
        ci = r["fresh_setup"] + r["test"]
        row("fresh clone → `.ci/run` without the apt install of chromium (set-up + `make test`)",
            ci, peer, "–", _verdict(ci, TARGETS["ci"]) + "; the apt install is not included")
    lines.append(f"| no-op `make book` | {median(r['noop']):.2f} s | – | – | – | {len(r['noop'])} "
                 f"| ≤ 3 s: {'met' if median(r['noop']) <= 3 else '**missed**'} |")
    df, expected, reran = r["change"][1:]
    lines.append(f"| one data file changed (`{df}`) → `make book` | {r['change'][0]:.1f} s | – | – | – "
                 f"| 1 | only its readers re-run: {'met' if set(expected) == set(reran) else '**missed**'} |")
    lines.append("")
    lines.append(f"Peer: `jupyter-book build .` with `execute_notebooks: force`, clean `_build/`, "
                 f"median of {len(r['peer'])} ({', '.join(f'{x:.1f}' for x in r['peer'])} s); "
                 f"clean `make book`: {', '.join(f'{x:.1f}' for x in r['clean'])} s. "
                 f"Chapters executed by the clean build: {r['n_chapters']}, with "
                 f"{r['jobs']} workers. Peer CPU time: {cpu(r['peer']):.0f} s. CPU time is "
                 f"user + system seconds of the processes each command waited for, a lower "
                 f"bound: Chromium's processes are not counted (during `make browser` alone "
                 f"both cores are 90–99% busy, while this count sees about a third of that); "
                 f"on 2 cores an idle machine cannot finish faster than half of the CPU time.")
    lines.append("")
    if r.get("weight"):
        ours, theirs = r["weight"], r["weight_peer"]
        f_max = max(ours, key=lambda x: x["first"])
        s_max = max(ours, key=lambda x: x["second"])
        pf_max = max(theirs, key=lambda x: x["first"])
        ps_max = max(theirs, key=lambda x: x["second"])
        lines += ["| page weight (Chromium, gzip, as served by a static host) | this site | "
                  "peer (unmodified theme assets) | ratio | target |", "|---|---:|---:|---:|---|"]
        lines.append(f"| first visit, heaviest chapter | {f_max['first'] / 1000:.1f} KB "
                     f"(`{f_max['page']}`) | {pf_max['first'] / 1000:.1f} KB | "
                     f"{f_max['first'] / pf_max['first']:.2f} | "
                     f"{_verdict(f_max['first'] / 1000, FIRST_MAX / 1000, 'KB')} |")
        med_f = median([x["first"] for x in ours])
        lines.append(f"| first visit, median chapter | {med_f / 1000:.1f} KB | "
                     f"{median([x['first'] for x in theirs]) / 1000:.1f} KB | "
                     f"{med_f / median([x['first'] for x in theirs]):.2f} | – |")
        lines.append(f"| next chapter right after, heaviest (`{s_max['next']}`) | "
                     f"{s_max['second'] / 1000:.1f} KB | {ps_max['second'] / 1000:.1f} KB | "
                     f"{s_max['second'] / ps_max['second']:.2f} | "
                     f"{_verdict(s_max['second'] / 1000, SECOND_MAX / 1000, 'KB')} |")
        if all("second_all" in x for x in ours + theirs):
            sa_max = max(ours, key=lambda x: x["second_all"])
            psa_max = max(theirs, key=lambda x: x["second_all"])
            lines.append(f"| next chapter right after, heaviest, every figure fetched "
                         f"(`{sa_max['next']}`, as if scrolled to the end) | "
                         f"{sa_max['second_all'] / 1000:.1f} KB | {psa_max['second_all'] / 1000:.1f} KB | "
                         f"{sa_max['second_all'] / psa_max['second_all']:.2f} | "
                         f"{_verdict(sa_max['second_all'] / 1000, SECOND_MAX / 1000, 'KB')} |")
        med_s = median([x["second"] for x in ours])
        lines.append(f"| next chapter right after, median | {med_s / 1000:.1f} KB | "
                     f"{median([x['second'] for x in theirs]) / 1000:.1f} KB | "
                     f"{med_s / median([x['second'] for x in theirs]):.2f} | – |")
        over = [x for x in ours if x["second"] > SECOND_MAX]
        lines.append("")
        lines.append(f"- First visit ≤ {FIRST_MAX // 1000} KB: {sum(x['first'] <= FIRST_MAX for x in ours)}"
                     f" of {len(ours)} pages. Next chapter ≤ {SECOND_MAX // 1000} KB: "
                     f"{len(ours) - len(over)} of {len(ours)}"
                     + (": over it are " + ", ".join(
                         f"`{x['next']}` {x['second'] / 1000:.0f} KB" for x in over)
                        + " — their own HTML and figures, which no cache holds before the "
                          "chapter is first opened" if over else "") + ". Figures load lazily "
                     "(when they come near the screen): the first rows count what opening the "
                     "chapter fetches, the row 'every figure fetched' adds the figures a reader "
                     "who scrolls to the end also downloads.")
    lines.append(f"- Whole benchmark: {r['total']:.0f} s on {os.cpu_count()} CPU cores, load average "
                 f"{r['load'][0]:.1f} at start and {r['load'][1]:.1f} at the end (the 1-minute "
                 f"average, which counts the benchmark's own processes), "
                 f"{time.strftime('%Y-%m-%d')}.")
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
        "(`python -m netralitas.build.execute --deps` lists them). Stale chapters run in parallel, one "
        "per CPU core (`--jobs N` or `NETRALITAS_JOBS`; a chapter that read another chapter's "
        "notebook waits for it; the notebooks written are byte-identical to a serial run, "
        "`tests/test_parallel.py`), the longest first (by last runtime; chapters without one "
        "first, largest notebook first). Each "
        "chapter gets a fresh kernel forked from a warm *fork server* that imported IPython, "
        "pandas, matplotlib, myst-nb's glue and statsmodels once per run, and nothing of the "
        "project (`netralitas.build.forkserver`; the notebooks are byte-identical to those of a "
        "plainly started kernel, `tests/test_determinism.py`); a kernel is killed once its last "
        "reply is in. `jupyter-book build` is skipped when no source of the HTML changed since "
        "the last successful build; in a build, numbered references unpickle each target page "
        "once, pybtex's plugin lookups are cached and the data package is not validated again "
        "when the executor just validated these bytes (`netralitas.build.speed`; same site "
        "bytes). The built site carries only the theme assets the pages use "
        "(`netralitas.build.assets`: an icon subset of Font Awesome, subset icon fonts, no "
        "source maps, SVG figures without Matplotlib's metadata, comments and layout whitespace, "
        "coordinates rounded to 0.01 pt and written as relative path data, loaded lazily; code "
        "cells without highlighting spans that repeat the block's colour). `make test` executes "
        "every chapter once and checks that one "
        "execution both with nbval (strict) and byte for byte (`make verify`); the unit tests "
        "and lint run alongside the chain verify → build → pdf → browser (`make -j`). Set-up "
        "installs with uv without precompiling the environment (modules are compiled on first "
        "import).\n\n"
        "`make bench` (`tools/bench.py`) measures on fresh copies of the repository in a "
        "temporary folder, each against a peer measured in the same run: a plain "
        "`jupyter-book build` of the same book with `execute_notebooks: force` for build times, "
        "and that peer's site (unmodified theme assets) for page weight. Targets: clean "
        "`make book` ≤ 0.7 × peer; fresh clone → `make book` ≤ 45 s; `make test` ≤ 120 s; fresh "
        "clone → `.ci/run` ≤ 4 min including the chromium install; first visit of any chapter "
        "≤ 400 KB and a second chapter after it ≤ 60 KB with every figure, compressed, in "
        "Chromium.\n\n")
    s = s[:i] + head + intro + text + "\n" + (s[j:] if j != -1 else "")
    readme.write_text(s, encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one run of each build")
    ap.add_argument("--skip-test", action="store_true", help="do not time make test / fresh clone")
    ap.add_argument("--skip-weight", action="store_true", help="do not measure page weight")
    ap.add_argument("--update-readme", action="store_true", help="write the table into README")
    args = ap.parse_args(argv)
    from netralitas.build.parallel import default_jobs

    r: dict = {"load": [os.getloadavg()[0]], "jobs": default_jobs()}
    repeats = 1 if args.quick else 2
    with tempfile.TemporaryDirectory(prefix="nt-bench-") as tmp:
        base = Path(tmp)
        r["clean"], r["peer"] = [], []
        pc = peer_copy(base, "peer")
        for i in range(repeats):  # alternate: ours, peer, ours, peer
            dt, c, ran = clean_book(base)
            r["clean"].append(dt)
            r["n_chapters"] = len(ran)
            log(f"clean make book {i + 1}: {dt:.1f} s ({len(ran)} chapters)")
            r["peer"].append(peer_build(pc))
            log(f"peer jupyter-book build (execute force) {i + 1}: {r['peer'][-1]:.1f} s")
        r["noop"] = no_ops(c, 3)
        log(f"no-op: {median(r['noop']):.2f} s")
        r["change"] = one_data_file(c)
        log(f"one data file: {r['change'][0]:.1f} s, re-ran {len(r['change'][3])}")
        if not args.skip_weight:
            r["weight"] = weight(c.dir / "_build" / "html")
            r["weight_peer"] = weight(pc.dir / "_build" / "html")
            log("page weight measured (this site and the peer site)")
        for extra in base.glob("clean*"):
            shutil.rmtree(extra, ignore_errors=True)
        shutil.rmtree(pc.dir, ignore_errors=True)
        if not args.skip_test:
            r["fresh"], r["fresh_setup"], d = fresh_clone_book(base)
            log(f"fresh clone make book: {r['fresh']:.1f} s (set-up {r['fresh_setup']:.1f} s)")
            r["test"], r["test_status"] = make_test(d)
            log(f"make test: {r['test']:.1f} s, {r['test_status']}")
    r["load"].append(os.getloadavg()[0])
    r["total"] = time.perf_counter() - T0
    text = table(r)
    print(text)
    if args.update_readme:
        update_readme(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
