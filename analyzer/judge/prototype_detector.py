"""The ``prototype-similarity`` detector: the last resort, with the sentence embedder.

For substantive changes no other detector explained, :func:`prepare_prototypes` embeds in one
batch the sentences the changes added or removed whole, with the popup criteria's prototype
sentences, and :func:`prototype_similarity` reports a criterion whose prototype is close
(cosine at least :data:`PROTOTYPE_THRESHOLD`). :func:`worth_embedding` keeps changes whose
only signals are editorial (a date, a renumbered reference) from loading the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analyzer.diff.embedding import EmbedderUnavailable, supports_language
from analyzer.diff.tripwires import EDITORIAL_KINDS, TRIPWIRE_KINDS
from analyzer.judge.evidence import ChangeView, Context
from analyzer.judge.wording import quote, related
from analyzer.model import Change, Finding
from analyzer.text.normalize import squash
from analyzer.text.scan import ascii_lower, sentence_starts

__all__ = ["PROTOTYPE_THRESHOLD", "prepare_prototypes", "prototype_similarity", "worth_embedding"]


PROTOTYPE_THRESHOLD = 0.75
"""Least cosine (all-MiniLM-L6-v2) between a changed sentence and a prototype sentence for the
``prototype-similarity`` detector. Sentences of privacy policies score 0.6-0.7 against any
prototype merely by being about personal information (measured on the corpus revisions);
0.75 and above are close paraphrases."""


def prototype_similarity(change: Change, ctx: Context) -> list[Finding]:
    """A sentence added or removed whole whose embedding is close to one of a popup criterion's
    prototype sentences (cosine at least :data:`PROTOTYPE_THRESHOLD`). The vectors of a revision are
    computed in one batch before this runs (:func:`prepare_prototypes`)."""
    all_scores = ctx.scratch.get("prototype-scores")
    if not isinstance(all_scores, dict):
        return []
    scores = all_scores.get(change.id, {})
    view = ctx.view(change)
    found: list[Finding] = []
    for criterion in ctx.popup_criteria():
        best = scores.get(criterion.id)
        if best is None or best[0] < PROTOTYPE_THRESHOLD:
            continue
        cosine, sentence, prototype = best
        gone = sentence.startswith("removed: ")
        sentence = sentence.removeprefix("removed: ")
        found.append(
            view.finding(
                criterion,
                "prototype-similarity",
                f"{'removed' if gone else 'added'} sentence reads like '{quote(prototype, 60)}' "
                f"(cosine {cosine:.2f}): '{quote(sentence)}'",
                before=sentence if gone else "",
                after="" if gone else sentence,
                confidence=min(0.7, cosine),
                facts=(f"prototype:{prototype}",),
            )
        )
    return found


@dataclass(frozen=True)
class _Probe:
    """A sentence the change added or removed whole."""

    sentence: str
    removed: bool


def _probes(view: ChangeView) -> list[_Probe]:
    """Sentences the change added (new sentences overlapping a ``+`` run of the redline that
    rewrite no old sentence) and removed (old sentences overlapping a ``-`` run that no new
    sentence rewrites). A rewritten sentence is left out: it was about its subject before the
    change too, and its facts were read by the detectors before."""
    new_changed = _touched(view.new_text, _op_spans(view.change, "+"), not view.change.old)
    old_changed = _touched(view.old_text, _op_spans(view.change, "-"), not view.change.new)
    old_all = _touched(view.old_text, [(0, len(view.old_text))], True)
    new_all = _touched(view.new_text, [(0, len(view.new_text))], True)
    out = [_Probe(s, False) for s in new_changed if not any(related(o, s) for o in old_all)]
    out += [_Probe(s, True) for s in old_changed if not any(related(s, n) for n in new_all)]
    return out


def _touched(text: str, spans: Sequence[tuple[int, int]], whole: bool) -> list[str]:
    """Sentences of ``text`` (of four words or more) overlapping one of ``spans``."""
    if not text:
        return []
    if whole:
        spans = [(0, len(text))]
    starts = sentence_starts(ascii_lower(text))
    bounds = [*starts, len(text)]
    out: list[str] = []
    for k in range(len(starts)):
        a, b = bounds[k], bounds[k + 1]
        if any(s < b and a < e for s, e in spans):
            sentence = squash(text[a:b])
            if len(sentence.split()) >= 4:
                out.append(sentence)
    return list(dict.fromkeys(out))


def _op_spans(change: Change, op: str) -> list[tuple[int, int]]:
    """Offsets of the ``op`` runs in the text of their own side."""
    spans = []
    pos = 0
    for o, t in change.inline:
        if o in ("=", op):
            if o == op:
                spans.append((pos, pos + len(t)))
            pos += len(t)
    return spans


def prepare_prototypes(changes: Sequence[Change], ctx: Context) -> None:
    """Embed the sentences ``changes`` added or removed whole with the popup criteria's
    prototypes in one call; keep, per change and criterion, the best (cosine, sentence,
    prototype)."""
    if ctx.embedder is None:
        return
    if not supports_language(ctx.embedder, ctx.language):
        ctx.warnings.append(
            f"{len(changes)} substantive change(s) that no detector explained were not compared "
            f"with the criteria's prototype sentences: the embedding model does not read "
            f"'{ctx.language}'"
        )
        return
    per_change = {c.id: _probes(ctx.view(c)) for c in changes}
    texts = sorted({p.sentence for own in per_change.values() for p in own})
    if not texts:
        return
    prototypes = [
        (criterion.id, p)
        for criterion in ctx.popup_criteria()
        for p in (criterion.prototypes.zh if ctx.language == "zh" else criterion.prototypes.en)
    ]
    ctx.scratch["embedded"] = len(texts)
    try:
        vectors = ctx.embedder.embed(texts + [p for _, p in prototypes])
    except EmbedderUnavailable as exc:
        ctx.warnings.append(f"prototype similarity skipped: {exc.reason}")
        return
    matrix = np.asarray(vectors, dtype=np.float64)
    cosines = np.round(matrix[: len(texts)] @ matrix[len(texts) :].T, 4)
    row = {t: k for k, t in enumerate(texts)}
    scores: dict[str, dict[str, tuple[float, str, str]]] = {}
    for change_id, own in per_change.items():
        best: dict[str, tuple[float, str, str]] = {}
        for probe in own:
            for j, (criterion_id, prototype) in enumerate(prototypes):
                value = float(cosines[row[probe.sentence], j])
                if criterion_id not in best or value > best[criterion_id][0]:
                    shown = f"removed: {probe.sentence}" if probe.removed else probe.sentence
                    best[criterion_id] = (value, shown, prototype)
        scores[change_id] = best
    ctx.scratch["prototype-scores"] = scores


def worth_embedding(view: ChangeView) -> bool:
    """A modified clause whose only signals are editorial tripwires (a date, a renumbered
    reference) is not worth loading a model for; one with a meaning tripwire, or made
    substantive for another reason (a whole sentence added, a low similarity), is."""
    if view.change.kind in ("added", "removed"):
        return True
    other_reasons = set(view.change.reasons) - set(TRIPWIRE_KINDS)
    return bool(view.tripwire_kinds - EDITORIAL_KINDS) or bool(other_reasons)
