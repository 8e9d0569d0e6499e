"""Re-execute chapter notebooks in place, deterministically and only when needed.

``python -m netralitas.build.execute [--force] [NOTEBOOK ...]``

1. **Validate first.** The data package and ``references.bib`` are validated before any chapter
   runs. A defect prints one line (``data error: data/x.csv, line 3 (data row 2), column 'year':
   type error: …``) and exits 1; nothing is executed. A successful validation is remembered by
   content hash, so an unchanged package is not validated twice.
2. **Execute what is stale.** A notebook is executed when it has never run here, when its code
   cells changed (markdown-only edits do not count) or lost their outputs, or when any file it
   *actually read* changed. What a chapter reads is recorded while it runs: a silent set-up cell
   (never stored in the notebook) installs an audit hook in the kernel that logs every file
   opened for reading under the project root (``data/*.csv``, schemas, ``references.bib``, …);
   at the end a silent cell lists the ``netralitas`` modules the chapter imported. Reads done by
   ``netralitas.data.validate`` (which reads the whole package to check foreign keys) are not
   counted, because the package is validated here before every run. All of it is compared by
   content hash (not mtime), recorded in ``.cache/execution.json`` (outside the notebooks, so no
   timestamps enter stored outputs). A fresh clone has no record, so every chapter runs once.
3. **Build only when needed** (``make book``): ``--source-digest`` / ``--mark-built`` /
   ``--built-is-current`` let the Makefile skip ``jupyter-book build`` when no source of the HTML
   changed since the last successful build.

Stale chapters run in parallel, one worker per CPU core (``--jobs N`` or ``NETRALITAS_JOBS``;
see :mod:`netralitas.build.parallel`), with the same bytes as a serial run.

Outputs are made deterministic: no timing metadata, a fixed kernelspec and language_info without
the Python version, cell ids kept. ``--deps`` prints what each chapter read and imported.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .. import paths
from ..data import VALIDATOR_FILES, tree_digest, validation_key  # noqa: F401

__all__ = ["CACHE", "KERNELSPEC", "VALIDATOR_FILES", "tree_digest", "validation_key",
           "validate_inputs", "execute", "notebooks", "why_stale", "load_cache", "update_cache",
           "code_digest", "outputs_digest", "env_digest", "sha256_file", "source_digest",
           "built_is_current", "copy_project", "copy_env", "failure_line", "unlisted_in_manifest",
           "main"]

CACHE = ".cache/execution.json"
CACHE_VERSION = 3
# Bump when the executor changes what it writes into notebooks (forces every chapter to re-run).
RUNNER = "2"
MAX_PASSES = 3
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
# Never dependencies of a chapter and never sources of the HTML.
SKIP_DIRS = {".git", ".venv", "_build", ".cache", "__pycache__", ".ipynb_checkpoints",
             ".pytest_cache", "node_modules"}
# Imported in the kernel only to check the executor's validation stamp: not a chapter dependency.
RUNNER_MODULES = {"netralitas.build.execute"}
# Files and folders that do not affect the built HTML.
NOT_BUILD_SOURCES = {"tests", "tools", "_build.log", ".github", ".ci"}


# --------------------------------------------------------------------------------------------
# hashing

def sha256_file(path: Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return "missing"


def _walk(base: Path, skip: set[str] = SKIP_DIRS):
    if base.is_file():
        yield base
        return
    if not base.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if d not in skip)
        for name in sorted(filenames):
            yield Path(dirpath) / name


def env_digest(root: Path) -> str:
    """What every chapter depends on: the pinned environment, Python, and this runner."""
    h = hashlib.sha256(f"{RUNNER}:{sys.version_info[0]}.{sys.version_info[1]}".encode())
    h.update(sha256_file(root / "requirements.txt").encode())
    return h.hexdigest()


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def code_digest(nb: dict) -> str:
    """Hash of the code cells only (markdown edits do not require re-execution)."""
    h = hashlib.sha256()
    h.update(json.dumps(nb.get("metadata", {}).get("kernelspec", {}).get("name", "")).encode())
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            h.update(_source(cell).encode() + b"\0")
    return h.hexdigest()


def outputs_digest(nb: dict) -> str:
    """Hash of the stored outputs (and execution counts) of the code cells."""
    h = hashlib.sha256()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            h.update(json.dumps([cell.get("execution_count"), cell.get("outputs", [])],
                                sort_keys=True).encode() + b"\0")
    return h.hexdigest()


def has_code(nb) -> bool:
    return any(c.get("cell_type") == "code" and _source(c).strip() for c in nb.get("cells", []))


def outputs_present(nb: dict) -> bool:
    """Every non-empty code cell carries an execution count (jupytext output drops them)."""
    return all(c.get("execution_count") is not None for c in nb.get("cells", [])
               if c.get("cell_type") == "code" and _source(c).strip())


def rel(path: Path, root: Path) -> str:
    path = Path(path)
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _abs(name: str, root: Path) -> Path:
    p = Path(name)
    return p if p.is_absolute() else root / p


# --------------------------------------------------------------------------------------------
# the cache (.cache/execution.json), shared by concurrent runs: merged under a file lock

@contextmanager
def _locked(root: Path):
    lock_path = root / ".cache" / "execution.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as fh:
        try:
            import fcntl

            fcntl.flock(fh, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - not POSIX
            pass
        yield


def load_cache(root: Path) -> dict:
    try:
        cache = json.loads((root / CACHE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        cache = {}
    if not isinstance(cache, dict) or cache.get("version") != CACHE_VERSION:
        cache = {"version": CACHE_VERSION}
    cache.setdefault("notebooks", {})
    return cache


def update_cache(root: Path, notebooks: dict | None = None, drop=(), **top) -> None:
    """Merge entries into the cache file (re-read under a lock, written atomically)."""
    with _locked(root):
        cache = load_cache(root)
        cache["notebooks"].update(notebooks or {})
        for name in drop:
            cache["notebooks"].pop(name, None)
        cache.update(top)
        path = root / CACHE
        text = json.dumps(cache, indent=1, sort_keys=True) + "\n"
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".execution-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)


# --------------------------------------------------------------------------------------------
# validation before execution

def validate_inputs(root: Path, cache: dict | None = None) -> str | None:
    """Validate ``data/`` and ``references.bib``; return the one-line error, or None if valid."""
    key = validation_key(root)
    if cache is not None and cache.get("validated") == key:
        return None
    import logging

    from .. import bib, data

    # bibtexparser logs its own multi-line warning for a failed block; bib.parse reports it
    # as one line, so the library's logger is muted while validating.
    bib_log = logging.getLogger("bibtexparser")
    was_disabled, bib_log.disabled = bib_log.disabled, True
    try:
        bib.parse()
        data.validate()
    except (data.DataError, bib.BibError) as exc:
        return " ".join(str(exc).split())
    except Exception as exc:  # noqa: BLE001 - a validator crash must still be one readable line
        first = (str(exc).strip().splitlines() or [""])[0]
        return f"data/: validation failed unexpectedly ({type(exc).__name__}: {first})"
    finally:
        bib_log.disabled = was_disabled
    if cache is not None:
        update_cache(root, validated=key)
    return None


# --------------------------------------------------------------------------------------------
# the instrumented kernel

# Runs silently (not stored, no execution count) before the first cell. The audit hook logs each
# file opened for reading under the project root, except reads made inside
# netralitas.data.validate (whole-package validation is done by the executor before every run).
TRACE_SETUP = r'''
def _nt_install_trace(root, log_path, base_path):
    import os, sys
    root = os.path.realpath(root)
    prefix = root + os.sep
    skip = tuple(os.path.join(root, d) + os.sep for d in (".git", ".venv", "_build", ".cache", "src"))
    validator = os.path.join("netralitas", "data.py")
    with open(base_path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(sorted(sys.modules)))
    log = open(log_path, "a", encoding="utf-8")
    seen = set()

    def validating(frame):
        while frame is not None:
            code = frame.f_code
            if code.co_name == "validate" and code.co_filename.endswith(validator):
                return True
            frame = frame.f_back
        return False

    def hook(event, args):
        if event != "open" or not args:
            return
        path = args[0]
        if path is None or isinstance(path, int):
            return
        mode = args[1] if len(args) > 1 else None
        if isinstance(mode, str):
            if any(c in mode for c in "wax+"):
                return
        elif len(args) > 2 and isinstance(args[2], int) and args[2] & (os.O_WRONLY | os.O_RDWR):
            return
        try:
            path = os.path.abspath(os.fsdecode(path))
        except (TypeError, ValueError):
            return
        if not path.startswith(prefix) or path.startswith(skip) or path in seen:
            return
        if validating(sys._getframe(1)):
            return
        seen.add(path)
        log.write(path + "\n")
        log.flush()

    sys.addaudithook(hook)


_nt_install_trace({root!r}, {log!r}, {base!r})
del _nt_install_trace
'''

# Runs silently after the last cell: which modules the chapter imported.
TRACE_COLLECT = r'''
def _nt_collect(out_path):
    import json, sys
    mods = {{}}
    for name, mod in list(sys.modules.items()):
        if name == "netralitas" or name.startswith("netralitas."):
            f = getattr(mod, "__file__", None)
            if f:
                mods[name] = f
    with open(out_path, "w", encoding="utf-8") as fh:
        json.dump({{"netralitas": mods, "modules": sorted(sys.modules)}}, fh)


_nt_collect({out!r})
del _nt_collect
'''


class TraceError(RuntimeError):
    pass


def _run_silent(client, code: str, timeout: int = 60) -> None:
    from nbclient.util import run_sync

    msg_id = client.kc.execute(code, silent=True, store_history=False)
    reply = run_sync(client.async_wait_for_reply)(msg_id)
    content = (reply or {}).get("content", {})
    if content.get("status") != "ok":
        raise TraceError(f"tracing cell failed: {content.get('ename')}: {content.get('evalue')}")


def _run(nb, cwd: Path, timeout: int, trace_dir: Path | None, root: Path, stderr=None) -> None:
    from nbclient import NotebookClient

    from . import forkserver

    # the kernel is killed once the last reply is in: its outputs are all received by then, and a
    # graceful shutdown only added ~0.7 s of waiting per chapter
    client = NotebookClient(nb, km=forkserver.kernel_manager("python3"), timeout=timeout,
                            kernel_name="python3", record_timing=False,
                            shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(cwd)}})
    client.reset_execution_trackers()
    kwargs = {"stderr": stderr} if stderr is not None else {}
    # the kernel is shut down at the end even when its manager came from the fork server
    with client.setup_kernel(cleanup_kc=True, **kwargs):
        if trace_dir is not None:
            _run_silent(client, TRACE_SETUP.format(
                root=str(root.resolve()), log=str(trace_dir / "reads.log"),
                base=str(trace_dir / "baseline.txt")))
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
        if trace_dir is not None:
            _run_silent(client, TRACE_COLLECT.format(out=str(trace_dir / "modules.json")))


def normalise(nb) -> None:
    """Strip what varies between runs or machines from notebook metadata."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    for key in ("widgets", "papermill", "execution", "jupytext"):
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("execution", None)


def execute(path: Path, timeout: int = 600, trace: bool = False, root: Path | None = None,
            log_dir: Path | None = None) -> dict:
    """Execute notebook ``path`` in place; return what it read (``trace=True``).

    Returns ``{"reads": [abs paths], "netralitas": {module: file}, "imports": [top-level
    modules imported by the chapter]}`` (empty without tracing).
    """
    import nbformat

    path = Path(path)
    root = Path(root) if root else paths.root()
    nb = nbformat.read(path, as_version=4)
    found: dict = {}
    if has_code(nb):
        with tempfile.TemporaryDirectory(prefix="nt-trace-") as tmp:
            tdir = Path(tmp) if trace else None
            with ExitStack() as stack:
                stderr = None
                if log_dir is not None:  # the kernel's own chatter goes to .cache/, not the console
                    log_dir.mkdir(parents=True, exist_ok=True)
                    stderr = stack.enter_context(open(log_dir / f"kernel-{path.stem}.log", "w"))
                _run(nb, path.parent, timeout, tdir, root, stderr=stderr)
            if tdir is not None:
                found = _read_trace(tdir)
    normalise(nb)
    text = nbformat.writes(nb) + "\n"
    if path.read_text(encoding="utf-8") != text:
        # replaced atomically: a chapter running in parallel may be reading this notebook
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".ipynb")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    return found


def _read_trace(tdir: Path) -> dict:
    reads = (tdir / "reads.log").read_text(encoding="utf-8").split("\n") \
        if (tdir / "reads.log").exists() else []
    base = set((tdir / "baseline.txt").read_text(encoding="utf-8").split("\n"))
    mods = json.loads((tdir / "modules.json").read_text(encoding="utf-8"))
    tops = {m.split(".")[0] for m in mods["modules"] if m not in base}
    tops -= {m.split(".")[0] for m in base}
    return {"reads": sorted({r for r in reads if r}), "netralitas": mods["netralitas"],
            "imports": sorted(t for t in tops if not t.startswith("_"))}


# --------------------------------------------------------------------------------------------
# staleness

def notebooks(root: Path | None = None) -> list[Path]:
    root = root or paths.root()
    return sorted((root / "book").glob("*.ipynb"))


def record_for(nb_path: Path, root: Path, found: dict, snapshot: dict[str, str],
               seconds: float | None = None) -> dict:
    """The cache entry of a freshly executed notebook: the hash of everything it depends on
    (and how long it ran, which orders the next run: longest first)."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    deps = {}
    for p in found.get("reads", []):
        if Path(p).is_file() and Path(p).resolve() != nb_path.resolve():
            deps[rel(Path(p), root)] = None
    for mod, f in found.get("netralitas", {}).items():
        if mod not in RUNNER_MODULES:
            deps[rel(Path(f), root)] = None
    for name in deps:
        # hash as of *before* the run when known, so a change made during the run is caught
        deps[name] = snapshot.get(name) or sha256_file(_abs(name, root))
    return {
        "code": code_digest(nb),
        "outputs": outputs_digest(nb),
        "notebook": sha256_file(nb_path),
        "env": env_digest(root),
        "deps": dict(sorted(deps.items())),
        **({"seconds": round(seconds, 1)} if seconds is not None else {}),
        "imports": found.get("imports", []),
    }


def why_stale(nb_path: Path, root: Path, entry: dict | None, env: str) -> tuple[str | None, bool]:
    """Reason to re-execute (None if up to date), and whether only the notebook hash moved."""
    if not entry:
        return "no record", False
    if entry.get("env") != env:
        return "environment changed", False
    nb_hash = sha256_file(nb_path)
    moved = False
    if nb_hash != entry.get("notebook"):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        if code_digest(nb) != entry.get("code"):
            return "code changed", False
        if has_code(nb) and not outputs_present(nb):
            return "outputs missing", False
        if outputs_digest(nb) != entry.get("outputs"):
            return "stored outputs differ from the last execution", False
        moved = True  # markdown-only edit: nothing to run, remember the new file hash
    for name, digest in entry.get("deps", {}).items():
        if sha256_file(_abs(name, root)) != digest:
            return f"{name} changed", False
    return None, moved


def _snapshot(root: Path, exclude: str = "") -> dict[str, str]:
    """Hashes of the likely dependencies *before* a run (a change during the run is caught)."""
    snap = {}
    for part in ("data", "references.bib", "src/netralitas", "book"):
        for p in _walk(root / part):
            name = rel(p, root)
            if name != exclude:
                snap[name] = sha256_file(p)
    return snap


# --------------------------------------------------------------------------------------------
# the HTML build

def source_digest(root: Path) -> str:
    """Hash of everything the HTML is built from (book/, configs, bib, data, package, pins)."""
    parts = sorted(p.name for p in root.iterdir()
                   if p.name not in SKIP_DIRS and p.name not in NOT_BUILD_SOURCES
                   and not p.name.startswith("."))
    return tree_digest(root, parts)


def built_is_current(root: Path) -> bool:
    cache = load_cache(root)
    index = root / "_build" / "html" / "index.html"
    return index.exists() and cache.get("built") == source_digest(root)


# --------------------------------------------------------------------------------------------

def print_deps(root: Path, targets: list[Path]) -> None:
    cache = load_cache(root)
    for nb_path in targets:
        name = rel(nb_path, root)
        entry = cache["notebooks"].get(name)
        if not entry:
            print(f"{name}: not executed here yet")
            continue
        files = [d for d in entry["deps"] if not d.startswith("src/")]
        mods = [d for d in entry["deps"] if d.startswith("src/")]
        print(f"{name}:\n  reads   {' '.join(files) or '–'}\n  package {' '.join(mods) or '–'}"
              f"\n  imports {' '.join(entry.get('imports', [])) or '–'}")


def copy_project(dst: Path, root: Path | None = None) -> Path:
    """Copy the project (working tree, without .git, .venv, _build, .cache) to ``dst``.

    For tests and benchmarks: run ``make VENV=<root>/.venv …`` in the copy with
    ``PYTHONPATH=<dst>/src`` (see :func:`copy_env`) so that kernels import the copy's package.
    """
    import shutil

    root = Path(root) if root else paths.root()
    skip = SKIP_DIRS | {"_build.log"}
    shutil.copytree(root, dst, ignore=lambda d, names: [n for n in names if n in skip],
                    dirs_exist_ok=True)
    return Path(dst)


def copy_env(dst: Path, root: Path | None = None) -> tuple[list[str], dict]:
    """``make`` arguments and environment that run the Makefile of a project copy at ``dst``."""
    root = Path(root) if root else paths.root()
    env = dict(os.environ, PYTHONPATH=str(Path(dst) / "src"), NETRALITAS_ROOT=str(dst))
    env.pop("NETRALITAS_VALIDATED", None)
    # the copy uses <root>/.venv as it is: `-o` marks its set-up stamp as done (never reinstall)
    pins = b"".join((Path(dst) / f).read_bytes() for f in ("requirements.txt", "pyproject.toml")
                    if (Path(dst) / f).exists())
    stamp = root / ".venv" / f".installed-{hashlib.sha256(pins).hexdigest()[:16]}"
    return [f"VENV={root / '.venv'}", "-o", str(stamp)], env


def failure_line(exc: BaseException) -> str:
    """One line for a failed chapter: the kernel's exception name and message, no traceback."""
    import re

    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename:
        text = f"{ename}: {evalue}"
    else:
        lines = [m for m in str(exc).strip().splitlines() if m.strip()]
        text = lines[-1] if lines else type(exc).__name__
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return " ".join(text.split())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", type=Path)
    ap.add_argument("--force", action="store_true", help="execute even if nothing changed")
    ap.add_argument("--jobs", "-j", type=int, default=None,
                    help="chapters executed at once (default: NETRALITAS_JOBS, else CPU cores)")
    ap.add_argument("--dry-run", action="store_true", help="only say what would run, and why")
    ap.add_argument("--deps", action="store_true", help="print what each chapter read and imported")
    ap.add_argument("--source-digest", action="store_true", help="print the hash of the HTML's sources")
    ap.add_argument("--mark-built", metavar="DIGEST", help="record a successful build of DIGEST")
    ap.add_argument("--built-is-current", action="store_true",
                    help="exit 0 if _build/html was built from the current sources, else 1")
    args = ap.parse_args(argv)
    root = paths.root()
    targets = [p.resolve() for p in args.notebooks] or notebooks(root)

    if args.source_digest:
        print(source_digest(root))
        return 0
    if args.mark_built:
        update_cache(root, built=args.mark_built)
        return 0
    if args.built_is_current:
        return 0 if built_is_current(root) else 1
    if args.deps:
        print_deps(root, targets)
        return 0

    cache = load_cache(root)
    error = validate_inputs(root, cache)
    if error:
        print(f"data error: {error}", file=sys.stderr)
        return 1
    # kernels skip re-validating exactly these bytes (see netralitas.data.validate)
    old_stamp = os.environ.get("NETRALITAS_VALIDATED")
    os.environ["NETRALITAS_VALIDATED"] = validation_key(root)
    try:
        rc = _execute_stale(root, targets, cache, args)
        if rc == 0 and not args.dry_run:
            problems = unlisted_in_manifest(root)
            for line in problems:
                print(f"manifest: {line}", file=sys.stderr)
            rc = 1 if problems else 0
        return rc
    finally:
        if old_stamp is None:
            os.environ.pop("NETRALITAS_VALIDATED", None)
        else:
            os.environ["NETRALITAS_VALIDATED"] = old_stamp


def unlisted_in_manifest(root: Path) -> list[str]:
    """Labelled tables and figures of the executed chapters that ``data/manifest.csv`` does not
    list, one line each naming the chapter file and the label (``make book`` stops on them: the
    manifest is the single list of tables and figures, README's list is generated from it)."""
    from .. import data, manifest

    items = manifest.labelled_items(root / "book", manifest.toc_pages(root))
    return manifest.unlisted_items(data.load("manifest", root / "data"), items)


def _execute_stale(root: Path, targets: list[Path], cache: dict, args) -> int:
    env = env_digest(root)
    plan, moved = [], {}
    for nb_path in targets:
        name = rel(nb_path, root)
        reason, only_moved = ("forced", False) if args.force else \
            why_stale(nb_path, root, cache["notebooks"].get(name), env)
        if reason:
            plan.append((nb_path, name, reason))
        elif only_moved:
            entry = dict(cache["notebooks"][name], notebook=sha256_file(nb_path))
            moved[name] = entry
    if moved and not args.dry_run:
        update_cache(root, moved)
    if args.dry_run:
        for _, name, reason in plan:
            print(f"execute: {name} would run ({reason})")
        return 0

    failed: list[str] = []
    with ExitStack() as stack:
        if len(plan) > 1:  # kernels forked from one warm process (see netralitas.build.forkserver)
            from . import forkserver

            stack.enter_context(forkserver.running())
        _run_passes(root, targets, plan, cache, env, failed, args)
    return 1 if failed else 0


def _run_passes(root: Path, targets: list[Path], plan, cache: dict, env: str, failed: list[str],
                args) -> None:
    for _ in range(MAX_PASSES):
        if not plan:
            break
        jobs = args.jobs if getattr(args, "jobs", None) else _default_jobs()
        if jobs > 1 and len(plan) > 1:
            from . import parallel

            parallel.run_plan(root, _order(plan, cache, root), failed, cache, jobs)
        else:
            _run_plan(root, _order(plan, cache, root), failed)
        # a chapter that reads another chapter's file (e.g. a citation audit) is stale again
        # when that file was re-executed after it: run such chapters in another pass
        cache = load_cache(root)
        plan = []
        for nb_path in targets:
            name = rel(nb_path, root)
            if name in failed:
                continue
            reason, _ = why_stale(nb_path, root, cache["notebooks"].get(name), env)
            if reason:
                plan.append((nb_path, name, reason))
    else:
        if plan:
            names = ", ".join(name for _, name, _ in plan)
            print(f"execute: still stale after {MAX_PASSES} passes (chapters read each other?): "
                  f"{names}", file=sys.stderr)


def _default_jobs() -> int:
    from . import parallel

    return parallel.default_jobs()


def _order(plan, cache: dict, root: Path):
    """Chapters whose notebook another planned chapter reads run first; then the chapters with no
    recorded runtime (new, failed last time, or a fresh clone), largest notebook first; then the
    longest last time first (so that the slowest chapter does not start last and run alone);
    then by name."""
    entries = cache["notebooks"]
    read = {d for _, name, _ in plan for d in entries.get(name, {}).get("deps", {})}

    def size(path: Path | None) -> int:
        return path.stat().st_size if path is not None and path.exists() else 0

    def key(item):
        seconds = entries.get(item[1], {}).get("seconds")
        return (item[1] not in read, seconds is not None, -(seconds or 0.0), -size(item[0]),
                item[1])

    return sorted(plan, key=key)


def _run_plan(root: Path, plan, failed: list[str]) -> None:
    for nb_path, name, reason in plan:
        snapshot = _snapshot(root, exclude=name)
        t0 = time.perf_counter()
        try:
            found = execute(nb_path, trace=True, root=root, log_dir=root / ".cache")
        except Exception as exc:  # noqa: BLE001 - report the failed chapter in one line
            print(f"execute: {name} FAILED: {failure_line(exc)}", file=sys.stderr, flush=True)
            failed.append(name)
            update_cache(root, drop=[name])
            continue
        seconds = time.perf_counter() - t0
        update_cache(root, {name: record_for(nb_path, root, found, snapshot, seconds)})
        print(f"execute: {name} ({seconds:.1f} s; {reason})", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
