"""Stage 4, judge: changes -> :class:`~analyzer.model.Finding` records -> :class:`~analyzer.model.Decision`.

Takes the changes of a revision, both clause trees and a criteria pack, and gives what the
revision owes users: the pack (:mod:`~analyzer.judge.criteria`), what each change states
against the whole document (:mod:`~analyzer.judge.evidence`, :mod:`~analyzer.judge.cues`),
the detectors registered by name (:mod:`~analyzer.judge.classify`), reviewer verdicts and the
level ``none`` / ``publish`` / ``popup`` / ``consent`` (:func:`analyzer.judge.decide.judge`).
Pure.
"""
