"""What the workers' fork server imports once, before it forks any worker.

On Linux the pool of :mod:`analyzer.workers` starts its workers from a fork server: a fresh
interpreter (nothing of the calling process is inherited) that imports this module, then forks
one worker per request. Each worker so starts with the analyzer already imported and its
patterns already compiled, instead of importing everything again (about 0.4 s of CPU per
worker). The numeric libraries are told to use one thread before anything imports them, as in a
spawned worker.
"""

from __future__ import annotations

import os

from analyzer.workers import SINGLE_THREADED

os.environ.update(SINGLE_THREADED)

from analyzer.store.compiled import install_disk_store

install_disk_store(save_at_exit=False)

# the pipeline of a revision's analysis and what a check, a site build and the corpus run
# around it (none of them loads the embedding model: a worker does that on first use)
import analyzer.check.run  # noqa: E402
import analyzer.judge.criteria  # noqa: E402
import analyzer.parse.tree  # noqa: E402
import analyzer.pipeline  # noqa: E402, F401
