"""Running ``policy`` in a child process and measuring what the run cost: wall time and the
child's own peak memory (``ru_maxrss`` from ``wait4``, so earlier children of the test process
do not count)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "analyzer", *args],
            cwd=cwd,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=environment,
        )
        if stdin is not None:
            assert process.stdin is not None
            process.stdin.write(stdin)
            process.stdin.close()
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return Run(
            code=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            seconds=seconds,
            peak_mib=usage.ru_maxrss / 1024,
        )
