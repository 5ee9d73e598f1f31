"""The CI gate (``policy check``): a versions folder, and optionally its state at a git base -> rule hits and a verdict.

Takes snapshots of the versions folder (path -> bytes, read by :mod:`analyzer.store.snapshot`)
and gives a :class:`~analyzer.check.model.CheckResult`: what the rules see
(:mod:`~analyzer.check.records`), the rules registered by stable id
(:mod:`~analyzer.check.rules`), the run over the snapshot with the one seam to the judgement
pipeline (:mod:`~analyzer.check.run`), and its text, JSON and GitHub output
(:mod:`~analyzer.check.output`).
"""
