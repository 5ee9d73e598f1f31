"""Running ``policy`` in a child process and measuring what the run cost: wall time and the
child's own peak memory; and running Python in a child with another hash seed
(:func:`python_with_another_hash_seed`), for determinism tests that must compare two
processes, not two calls in one.

Linux counts in a process's peak RSS (``ru_maxrss``) the memory of the process it was forked
from, up to its ``exec``: a child of a pytest process that has grown to 900 MiB reports at least
900 MiB. So ``policy`` is started by a small launcher (a fresh interpreter, about 10 MiB), which
forks it, waits for it with ``wait4`` and writes its ``ru_maxrss`` to a file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_LAUNCHER = """
import os, sys
report, args = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "analyzer", *args])
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as handle:
    handle.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
os._exit(code if code >= 0 else 128 - code)
"""
"""Forks ``python -m analyzer ARGS``, waits for it, writes its peak RSS (KiB) to ``report``
and exits as it did (128 + N when killed by signal N)."""


@dataclass(frozen=True)
class Run:
    """One finished ``policy`` process."""

    code: int
    """Exit code (negative: killed by that signal, e.g. by the timeout)."""
    stdout: str
    stderr: str
    seconds: float
    """Wall time from start to exit."""
    peak_mib: float
    """The child's peak resident memory in MiB."""

    def one_line_error(self) -> str:
        """The error line of a bad-input exit; fails the test unless the run ended that way."""
        assert self.code == 2, (self.code, self.stderr[-2000:])
        lines = self.stderr.strip().splitlines()
        assert len(lines) == 1, self.stderr[-2000:]
        assert lines[0].startswith("policy: error: "), lines
        assert "Traceback" not in self.stderr
        return lines[0]


def policy(
    *args: str,
    cwd: Path,
    timeout: float = 120,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
) -> Run:
    """Run ``python -m analyzer ARGS`` in ``cwd``; a run longer than ``timeout`` is killed (and
    then fails whatever the test asserts about its exit code)."""
    environment = dict(os.environ)
    environment.setdefault("POLICY_ANALYZER_CACHE", str(cwd / ".policy-cache"))
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    environment.update(env or {})
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        report = Path(scratch) / "maxrss"
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, str(report), *args],
            cwd=cwd,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=environment,
            start_new_session=True,  # the timeout kills the launcher and policy together
        )
        if stdin is not None:
            assert process.stdin is not None
            process.stdin.write(stdin)
            process.stdin.close()
        timer = threading.Timer(timeout, os.killpg, (process.pid, signal.SIGKILL))
        timer.start()
        try:
            code = process.wait()
        finally:
            timer.cancel()
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        peak = int(report.read_text()) if report.is_file() else 0
        return Run(
            code=128 - code if code > 128 else code,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            seconds=seconds,
            peak_mib=peak / 1024,
        )


def another_hash_seed() -> str:
    """A ``PYTHONHASHSEED`` other than this process's: a child run with it hashes strings
    differently, so set and dict orders that leak into an output would show."""
    return "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"


def python_with_another_hash_seed(*args: str, exit_code: int = 0) -> bytes:
    """The standard output of ``python ARGS`` (``-c CODE`` or ``-m analyzer …``) run in the
    repository with :func:`another_hash_seed`; another exit code than ``exit_code`` fails the
    test with its stderr."""
    env = {**os.environ, "PYTHONHASHSEED": another_hash_seed()}
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, cwd=ROOT, env=env, check=False, timeout=600
    )
    assert done.returncode == exit_code, done.stderr.decode("utf-8", "replace")
    return done.stdout
