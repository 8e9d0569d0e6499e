"""Kernels forked from a warm process: each chapter still gets a fresh kernel, without the imports.

Starting an IPython kernel and importing what every chapter needs (IPython, ipykernel, pandas,
matplotlib, myst-nb's glue with nbformat and jsonschema, docutils; seaborn, scipy and statsmodels
for two chapters) took about 2 s per chapter, paid again for every chapter in every run. The
executor now starts one *fork server* per run (:func:`running`): a Python process that imports
those libraries once and then waits on a Unix socket. For each chapter, the kernel manager's
provisioner (a ``LocalProvisioner`` subclass) asks it to fork; the child becomes the kernel
exactly as ``python -m ipykernel_launcher -f <connection file>`` would (new session, the
chapter's working directory, environment, standard streams and arguments), so the chapter sees
a fresh interpreter with some third-party modules already in ``sys.modules``. Nothing of the
project is imported before the fork: the executor's record of which files and ``netralitas``
modules a chapter read stays exact (its record of *third-party* imports, shown by ``--deps``,
no longer lists what the server preloaded). A forked and a plain execution of the same chapter
give the same bytes (``tests/test_determinism.py`` compares both for two chapters; ``make test``
re-executes every chapter forked and compares it with the stored outputs, which plainly started
kernels wrote before the server existed).

A kernel is launched the ordinary way (``subprocess``) whenever the fork server cannot stand in
for it: none is running, the kernel command is not ``<this python> -m ipykernel_launcher``, or the
kernel's environment differs from the server's in a variable read at interpreter start
(``PYTHON*``, locale, home and config folders, matplotlib's backend, config directory and
``MATPLOTLIBRC``), or the chapter's folder holds a ``matplotlibrc`` (read when matplotlib is
imported, which the server did elsewhere).

One difference remains by design: what importing a preloaded library does to the interpreter's
global state is in place from the kernel's start, not from the moment the chapter imports the
library. For the warning filters some libraries add at import (statsmodels does) this could
matter to a chapter that sets its own filters *before* importing such a library; no chapter sets
warning filters, and ``make test``'s verify step compares every chapter's forked execution with
its stored outputs, byte for byte. numpy's global random state, which would otherwise be the
same in every forked kernel, is reseeded from the OS in each, as a fresh import seeds it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["PRELOAD", "kernel_manager", "running", "serve"]

#: Imported by the server before it forks: what the chapters import, except the project itself
#: (the executor records the project modules each chapter imports) and frictionless (chapters
#: must not re-validate the package; a test checks that from the record).
PRELOAD = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "IPython", "matplotlib", "matplotlib.pyplot",
    "matplotlib_inline.backend_inline", "numpy", "pandas", "PIL.Image", "docutils.core", "yaml",
    "nbformat", "jsonschema", "myst_nb.ext.glue", "bibtexparser", "networkx", "scipy.stats",
    "seaborn", "statsmodels.api",
)
INLINE = "module://matplotlib_inline.backend_inline"
_LAUNCHER = ("-m", "ipykernel_launcher")
_HEADER = struct.Struct("!I")
_STARTUP_VARS = ("LANG", "LC_ALL", "LC_CTYPE", "MPLCONFIGDIR", "MATPLOTLIBRC", "HOME",
                 "XDG_CONFIG_HOME")


def _startup_env(env: dict) -> dict:
    """The variables an interpreter reads when it starts or imports the preloaded modules."""
    keep = {k: v for k, v in env.items() if k.startswith("PYTHON") or k in _STARTUP_VARS}
    keep["MPLBACKEND"] = env.get("MPLBACKEND") or INLINE  # what ipykernel itself would set
    return keep


# --------------------------------------------------------------------------------------------
# the server (``python .../netralitas/build/forkserver.py DIRECTORY``)

def serve(directory: str) -> None:
    """Import :data:`PRELOAD`, then fork a kernel for each request until stdin closes.

    Listens on ``<directory>/s``; writes ``<directory>/info.json`` (what it was started with)
    once it is ready to fork.
    """
    import importlib

    def report(info: dict) -> None:
        tmp_info = os.path.join(directory, "info.tmp")
        with open(tmp_info, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(info))
        os.replace(tmp_info, os.path.join(directory, "info.json"))

    try:
        os.environ["MPLBACKEND"] = os.environ.get("MPLBACKEND") or INLINE
        for name in PRELOAD:
            with contextlib.suppress(Exception):  # a chapter that needs it gets the error itself
                importlib.import_module(name)
        base_path = sys.path[1:]  # without this script's folder, as ipykernel_launcher drops the cwd
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(os.path.join(directory, "s"))
        srv.listen(16)
    except BaseException as exc:  # kernels are then launched plainly, at once
        report({"ready": False, "error": f"{type(exc).__name__}: {exc}"})
        raise
    report({"ready": True, "env": _startup_env(dict(os.environ)), "python": sys.executable})
    children: dict[int, socket.socket] = {}
    killed: set[int] = set()  # until reaped; their connections are no longer watched
    try:
        while True:
            killed &= children.keys()
            conns = {c: pid for pid, c in children.items() if pid not in killed}
            ready, _, _ = select.select([srv, sys.stdin, *conns], [], [], 0.05)
            if sys.stdin in ready and not os.read(sys.stdin.fileno(), 1024):
                break  # the executor is gone
            if srv in ready:
                conn, _ = srv.accept()
                pid = _fork(conn, srv, children, base_path)
                if pid:
                    children[pid] = conn
            for conn in ready:
                # the kernel's manager said nothing after the pid: end of file means the process
                # that manages the kernel died (a worker killed, say); the kernel goes too
                if conn in conns and not _peek(conn):
                    killed.add(conns[conn])
                    with contextlib.suppress(OSError):
                        os.killpg(conns[conn], signal.SIGKILL)
            _reap(children)
    finally:
        for pid in children:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
        srv.close()


def _peek(conn: socket.socket) -> bool:
    """False when the other end closed the connection."""
    try:
        return bool(conn.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT))
    except BlockingIOError:
        return True
    except OSError:
        return False


def _recv_request(conn: socket.socket, msg: bytes) -> dict:
    size = _HEADER.unpack(msg[:_HEADER.size])[0]
    body = msg[_HEADER.size:]
    while len(body) < size:
        chunk = conn.recv(size - len(body))
        if not chunk:
            raise ConnectionError("request cut short")
        body += chunk
    return json.loads(body.decode("utf-8"))


def _fork(conn: socket.socket, srv: socket.socket, children: dict, base_path: list[str]) -> int:
    fds: list[int] = []
    try:
        msg, received, _, _ = socket.recv_fds(conn, 65536, 3)
        fds = list(received)
        req = _recv_request(conn, msg)
        if len(fds) != 3:
            raise ValueError("a request passes three file descriptors")
    except (OSError, ValueError, struct.error):
        for fd in fds:  # never inherited by a later kernel
            os.close(fd)
        conn.close()
        return 0
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the kernel
        code = 1
        try:
            srv.close()
            conn.close()
            for other in children.values():
                other.close()
            os.setsid()
            for target, fd in zip((0, 1, 2), fds):
                os.dup2(fd, target)
            for fd in fds:
                os.close(fd)
            # as a fresh interpreter has them (ipykernel then installs its own)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            for sig in (signal.SIGTERM, signal.SIGCHLD):
                signal.signal(sig, signal.SIG_DFL)
            os.chdir(req["cwd"])
            os.environ.clear()
            os.environ.update(req["env"])
            sys.path[:] = base_path
            if "numpy.random" in sys.modules:
                sys.modules["numpy.random"].seed()
            import ipykernel_launcher
            from ipykernel import kernelapp

            sys.argv = [ipykernel_launcher.__file__, *req["args"]]
            # ipykernel reads JPY_PARENT_PID when it is imported (here: before the fork)
            parent = int(os.environ.get("JPY_PARENT_PID") or 0)
            kernelapp.IPKernelApp.launch_instance(
                argv=[*req["args"], f"--IPKernelApp.parent_handle={parent}"])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:  # noqa: BLE001 - reported on the kernel's stderr
            import traceback

            traceback.print_exc()
        finally:
            with contextlib.suppress(Exception):
                import atexit

                atexit._run_exitfuncs()
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)
    for fd in fds:
        os.close(fd)
    try:
        conn.sendall(f"{pid}\n".encode())
    except OSError:
        os.killpg(pid, signal.SIGKILL)
    return pid


def _reap(children: dict) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
            conn.close()


# --------------------------------------------------------------------------------------------
# the executor's side

#: The server of this process and of the workers forked from it: its folder ("dir": socket and
#: report), its "pid", and once read, its report ("info").
_SERVER: dict | None = None
#: How long a kernel launch waits for the server to finish its imports before launching plainly.
READY_TIMEOUT = 30.0


@contextlib.contextmanager
def running():
    """Run a fork server for the duration of the block (kernels launched in it are forked).

    Returns at once; the server imports in the background and the first kernel launch waits for
    it (workers forked from this process use the same server).
    """
    global _SERVER
    if _SERVER is not None:
        yield
        return
    # a short folder: a Unix socket's path may not exceed 107 bytes (a long TMPDIR would)
    tmp = tempfile.mkdtemp(prefix="nt-fork-", dir="/tmp" if os.path.isdir("/tmp") else None)
    # run as a script, not with ``-m``: the package would be imported, and nothing of the
    # project may be in the kernels' ``sys.modules`` before the chapter imports it
    proc = subprocess.Popen([sys.executable, __file__, tmp], stdin=subprocess.PIPE, cwd=tmp)
    _SERVER = {"dir": tmp, "pid": proc.pid}
    try:
        yield
    finally:
        _SERVER = None
        with contextlib.suppress(OSError):
            proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for name in ("s", "info.json"):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(tmp, name))
        with contextlib.suppress(OSError):
            os.rmdir(tmp)


def _server_info() -> dict | None:
    """The server's report once its imports are done; None without a (working) server."""
    if _SERVER is None:
        return None
    if "info" not in _SERVER:
        info_path = Path(_SERVER["dir"]) / "info.json"
        end = time.monotonic() + READY_TIMEOUT
        while not info_path.exists() and time.monotonic() < end:
            try:
                os.kill(_SERVER["pid"], 0)
            except ProcessLookupError:
                break
            time.sleep(0.02)
        try:
            _SERVER["info"] = json.loads(info_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            _SERVER["info"] = {"ready": False}
    info = _SERVER["info"]
    return info if info.get("ready") else None


class _Forked:
    """The kernel's process as the provisioner sees it (``poll``/``wait``/``send_signal``)."""

    stdin = stdout = stderr = None

    def __init__(self, sock: socket.socket, pid: int):
        self.sock, self.pid, self.returncode = sock, pid, None
        self._buf = b""

    def poll(self) -> int | None:
        if self.returncode is None:
            ready, _, _ = select.select([self.sock], [], [], 0)
            if ready:
                data = self.sock.recv(64)
                self._buf += data
                if b"\n" in self._buf or not data:
                    line = self._buf.split(b"\n", 1)[0].strip()
                    self.returncode = int(line) if line.lstrip(b"-").isdigit() else -1
                    self.sock.close()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired("forked kernel", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _fd(value, default, devnull, stdout=None) -> int:
    if value == subprocess.DEVNULL:
        return devnull
    if value == subprocess.STDOUT and stdout is not None:
        return stdout
    if value is None or isinstance(value, int) and value < 0:  # None, PIPE
        value = default
    return value if isinstance(value, int) else value.fileno()


def _request(cmd: list[str], kwargs: dict) -> _Forked | None:
    """Ask the server for a kernel; None when it cannot stand in for ``cmd``."""
    info = _server_info()
    if info is None or len(cmd) < 3 or tuple(cmd[1:3]) != _LAUNCHER or cmd[0] != info["python"]:
        return None
    env = dict(kwargs.get("env") or os.environ)
    cwd = str(kwargs.get("cwd") or os.getcwd())
    if _startup_env(env) != info["env"] or os.path.exists(os.path.join(cwd, "matplotlibrc")):
        return None
    env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
    body = json.dumps({"args": list(cmd[3:]), "env": env, "cwd": cwd}).encode("utf-8")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with open(os.devnull, "r+b") as devnull:  # the kernel reads no stdin
            null = devnull.fileno()
            out = _fd(kwargs.get("stdout"), sys.stdout, null)
            streams = [null, out, _fd(kwargs.get("stderr"), sys.stderr, null, stdout=out)]
            sock.connect(os.path.join(_SERVER["dir"], "s"))
            message = _HEADER.pack(len(body)) + body
            sent = socket.send_fds(sock, [message], streams)
            sock.sendall(message[sent:])
        line = b""
        while b"\n" not in line:
            chunk = sock.recv(64)
            if not chunk:
                raise ConnectionError("the fork server closed the connection")
            line += chunk
    except OSError:
        sock.close()
        return None
    pid_text, _, rest = line.partition(b"\n")
    proc = _Forked(sock, int(pid_text))
    proc._buf = rest
    return proc


@functools.lru_cache(maxsize=1)
def _provisioner_class():
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    class ForkProvisioner(LocalProvisioner):
        """:class:`LocalProvisioner` whose kernel process is forked by the server when it can be."""

        async def launch_kernel(self, cmd, **kwargs):
            proc = _request(cmd, kwargs)
            if proc is None:
                return await super().launch_kernel(cmd, **kwargs)
            self.process, self.pid, self.pgid = proc, proc.pid, proc.pid
            self.cwd = kwargs.get("cwd", Path.cwd())
            return self.connection_info

    return ForkProvisioner


def kernel_manager(kernel_name: str = "python3"):
    """An ``AsyncKernelManager`` whose kernel comes from the fork server (None without one)."""
    if _SERVER is None:
        return None
    import uuid

    from jupyter_client.manager import AsyncKernelManager

    km = AsyncKernelManager(kernel_name=kernel_name)
    km.kernel_id = str(uuid.uuid4())
    km.provisioner = _provisioner_class()(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec,
                                          parent=km)
    return km


if __name__ == "__main__":
    serve(sys.argv[1])
