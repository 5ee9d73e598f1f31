"""Helpers shared by the benchmark scripts: the machine, child processes, best-of timing.

Every measured run is a child process started by a lean parent (this module imports nothing
heavy), so that its wall time is the time a user waits and its peak RSS (``ru_maxrss`` from
``wait4``) is its own: a child forked from a parent that had loaded numpy would report the
parent's pages too.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("POLICY_SHARED", ROOT.parent / "shared")) / "corpus"
OUT = ROOT / "bench" / "out"
"""Scratch space of the benchmarks (git-ignored): generated inputs, embedding caches."""


@dataclass(frozen=True)
class Run:
    """One finished child process."""

    wall: float
    """Seconds from start to exit."""
    cpu: float
    """User + system CPU seconds of the child."""
    rss_kib: int
    """Peak resident set size of the child (KiB)."""
    code: int
    """Exit status (negative: killed by that signal; -9 after a timeout)."""
    stdout: str = ""
    """What the child printed, when asked to keep it."""
    tree_rss_kib: int = 0
    """The largest peak RSS among the child and the processes it waited for (its workers)."""

    @property
    def rss_mib(self) -> float:
        return self.rss_kib / 1024


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    return {
        "cores": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "numpy": version("numpy"),
        "torch": version("torch"),
        "typer": version("typer"),
        "pyyaml": version("PyYAML"),
    }


def load() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def print_machine(title: str) -> None:
    info = machine()
    print(f"## {title}\n")
    print(
        f"machine: {info['cores']} cores, {info['cpu']}, {info['system']}; Python "
        f"{info['python']}, numpy {info['numpy']}, torch {info['torch']}, typer "
        f"{info['typer']}, PyYAML {info['pyyaml']}"
    )
    print(f"load average before: {load()}\n", flush=True)


_PEAK = (
    "import atexit as _a, sys as _s\n"
    "def _peak():\n"
    "    try:\n"
    "        for _l in open('/proc/self/status'):\n"
    "            if _l.startswith('VmHWM:'):\n"
    "                _s.stderr.write('\\n@@peak-rss-kib ' + _l.split()[1] + '\\n')\n"
    "    except OSError:\n"
    "        pass\n"
    "_a.register(_peak)\n"
)
"""Prepended to every measured Python child: its own peak RSS (``VmHWM``, the high-water mark
of the memory it mapped after ``exec``). ``ru_maxrss`` from ``wait4`` would also count the
pages of the parent the child was forked from (about 25 MiB of this script)."""


def python(*args: str) -> list[str]:
    """A child Python of the same interpreter (the project's virtualenv) that reports its own
    peak RSS: ``python("-c", CODE, ...)``, ``python("-m", MODULE, ...)`` or
    ``python(SCRIPT, ...)``."""
    if args[0] == "-c":
        body = f"exec(compile({args[1]!r}, '<string>', 'exec'), {{'__name__': '__main__'}})"
        return [sys.executable, "-c", _PEAK + body, *args[2:]]
    if args[0] == "-m":
        body = f"import runpy; runpy.run_module({args[1]!r}, run_name='__main__', alter_sys=True)"
        return [sys.executable, "-c", _PEAK + body, *args[2:]]
    body = (
        f"import runpy; _s.argv[0] = {args[0]!r}; _s.path.insert(0, {str(Path(args[0]).parent)!r}); "
        f"runpy.run_path({args[0]!r}, run_name='__main__')"
    )
    return [sys.executable, "-c", _PEAK + body, *args[1:]]


def policy(*args: str) -> list[str]:
    """The ``policy`` command as a user runs it (the console script's entry point)."""
    return python("-m", "analyzer", *args)


def run(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    keep_output: bool = False,
    cwd: Path = ROOT,
) -> Run:
    """Run one child to completion (killed after ``timeout`` seconds) and measure it."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            list(argv),
            stdout=out if keep_output else subprocess.DEVNULL,
            stderr=err,
            env=dict(env) if env is not None else None,
            cwd=cwd,
        )
        timer = None
        if timeout is not None:
            timer = threading.Timer(timeout, lambda: child.send_signal(signal.SIGKILL))
            timer.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        if timer is not None:
            timer.cancel()
        orphans = _reap_orphans()
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output = out.read().decode("utf-8", "replace")
        errors = err.read().decode("utf-8", "replace")
    peak = int(usage.ru_maxrss)
    for line in reversed(errors.splitlines()):
        if line.startswith("@@peak-rss-kib "):
            peak = int(line.split()[1])
            break
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime + orphans[0],
        rss_kib=peak,
        code=child.returncode,
        stdout=output,
        tree_rss_kib=max(peak, int(usage.ru_maxrss), orphans[1]),
    )


def _become_subreaper() -> bool:
    """Make this process the reaper of its descendants' orphans (Linux): a fork server that a
    measured child leaves behind, with the workers it forked, is then waited for here and its
    CPU time counted (``wait4`` on the child counts only the descendants the child waited
    for)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(36, 1, 0, 0, 0) == 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


_SUBREAPER = _become_subreaper()


def _reap_orphans(wait: float = 10.0) -> tuple[float, int]:
    """Wait (at most ``wait`` seconds) for the orphans of the child just measured, which have
    become ours; their CPU seconds and largest peak RSS (KiB)."""
    cpu, rss = 0.0, 0
    if not _SUBREAPER:
        return cpu, rss
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            pid, _status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(0.02)
            continue
        cpu += usage.ru_utime + usage.ru_stime
        rss = max(rss, int(usage.ru_maxrss))
    return cpu, rss


def best_of(
    commands: Mapping[str, Sequence[str]],
    repeat: int,
    *,
    env: Mapping[str, str] | None = None,
    ok: tuple[int, ...] = (0, 1),
) -> dict[str, Run]:
    """Each command ``repeat`` times, round-robin (so that a burst of load on the shared cores
    hits every command alike); the fastest run of each, with the highest peak RSS seen."""
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, argv in commands.items():
            result = run(argv, env=env)
            if result.code not in ok:
                raise SystemExit(f"{' '.join(argv)} exited {result.code}")
            runs[name].append(result)
    out = {}
    for name, results in runs.items():
        fastest = min(results, key=lambda r: r.wall)
        out[name] = Run(
            fastest.wall,
            min(r.cpu for r in results),
            max(r.rss_kib for r in results),
            fastest.code,
        )
    return out


def median_of(
    commands: Mapping[str, Sequence[str]],
    repeat: int,
    *,
    env: Mapping[str, str] | None = None,
    ok: tuple[int, ...] = (0, 1),
) -> dict[str, Run]:
    """Each command ``repeat`` times, round-robin; the median wall time and the median CPU time
    of each (CPU time is what the issue's targets are stated in: the cores are shared, so a
    run's wall time depends on what else runs), with the highest peak RSS seen."""
    import statistics

    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, argv in commands.items():
            result = run(argv, env=env)
            if result.code not in ok:
                raise SystemExit(f"{' '.join(argv)} exited {result.code}")
            runs[name].append(result)
    return {
        name: Run(
            statistics.median(r.wall for r in results),
            statistics.median(r.cpu for r in results),
            max(r.rss_kib for r in results),
            results[0].code,
        )
        for name, results in runs.items()
    }


REDLINES = """
import sys
from redlines import Redlines
a = open(sys.argv[1], encoding="utf-8").read()
b = open(sys.argv[2], encoding="utf-8").read()
sys.stdout.write(Redlines(a, b, markdown_style="none").output_markdown)
"""
"""The peer a legal editor would otherwise run: ``redlines`` (in the dev extra) writing a word
redline of the same two files, as a fresh process."""


def have_redlines() -> bool:
    import importlib.util

    return importlib.util.find_spec("redlines") is not None


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}".replace(",", " ")


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}" if b > 0 else "–"


def ensure_bytecode() -> None:
    """Compile the package's bytecode once, as ``pip install`` does: a run with
    ``PYTHONDONTWRITEBYTECODE`` set would otherwise compile every module in every child."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "analyzer")],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""},
    )
