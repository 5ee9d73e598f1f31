"""Clause alignment: which clauses of two versions are the same unit, cheapest evidence first.

:func:`align_clauses` settles each clause with the cheapest step that can:

1. **identical** — the same normalised text (:attr:`Clause.hash`). Clauses in the same order are
   paired by a longest common subsequence of hashes; copies left over (a moved clause, the same
   boilerplate twice) are paired in document order.
2. **lexical** — character n-gram TF-IDF cosine (:mod:`analyzer.diff.similarity`), IDF fitted on both
   versions. A pair is settled when each is the other's best candidate, the score is at least
   :data:`LEXICAL_ACCEPT` and it beats both runners-up by :data:`LEXICAL_MARGIN`. Rounds repeat
   until nothing more settles (a settled pair can clear the way for another).
3. **in place** — a gap between settled clauses that holds as many unsettled clauses on each
   side is an edit where the text stood: taken in order, pairs that are each other's best in
   the gap and score at least :data:`LEXICAL_IN_PLACE` are settled lexically (an effective
   date, a licence line, a table row).
4. **embedding** — only clauses still unsettled that have a plausible counterpart (a lexical
   score of at least :data:`AMBIGUOUS_FLOOR`, or near the place where the clause is expected)
   are embedded, in one call; pairs with cosine at least :data:`EMBEDDING_ACCEPT` are matched,
   mutual-best with a margin first, then greedily. Without an embedder, or for a language it
   does not read, these clauses are decided lexically (greedy by score, at least
   :data:`LEXICAL_FALLBACK`) and :attr:`Alignment.similarity_method` says why.
5. **split / merge** — an old clause whose text reappears as two or more *consecutive* new
   clauses (their concatenation scores at least :data:`SPLIT_ACCEPT`, closes most of the gap
   left by its best part, and every part is made of the clause's n-grams) is a split; the
   reverse is a merge. Only clauses left unmatched or matched by similarity are tried, grown
   over their unmatched neighbours.
6. **structure** — clauses without text (a bare number) are matched through their children.

Every assignment is one-to-one. Then order: a clause whose parent is matched to its new
parent is compared with its siblings only (the unchanged order is the increasing subsequence
that keeps the most siblings, then the most clauses), so a swapped section is one move and its
clauses are only renumbered; any other clause moved when it left the order of the whole document
(a clause re-attached where it stood did not move). ``renumbered`` means the normalised number
changed.

No step compares all pairs of a large document: identical clauses are matched in near-linear
time, and when the unsettled remainder is large, candidates come from rare shared n-grams and
from position (:func:`analyzer.diff.similarity.candidate_pairs`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from analyzer.diff.embedding import Embedder, supports_language
from analyzer.diff.redline import common_subsequence, longest_increasing
from analyzer.diff.similarity import (
    LexicalModel,
    SparseRows,
    candidate_pairs,
    cosine_matrix,
    pair_cosines,
)
from analyzer.model import Alignment, Clause, ClauseTree, Match
from analyzer.text.normalize import squash

__all__ = [
    "AMBIGUOUS_FLOOR",
    "EMBEDDING_ACCEPT",
    "EMBEDDING_MARGIN",
    "LEXICAL_ACCEPT",
    "LEXICAL_FALLBACK",
    "LEXICAL_IN_PLACE",
    "LEXICAL_MARGIN",
    "LEXICAL_METHOD",
    "SPLIT_ACCEPT",
    "SPLIT_CONTAINED",
    "SPLIT_GAIN",
    "align_clauses",
    "lexical_ngrams",
    "matched_pairs",
]

LEXICAL_METHOD = "lexical (char n-gram tf-idf)"

LEXICAL_ACCEPT = 0.5
"""Lexical cosine at which a mutual-best pair is settled without asking the embedder."""
LEXICAL_MARGIN = 0.1
"""How far a settled pair must beat each side's runner-up."""
LEXICAL_IN_PLACE = 0.3
"""Lexical cosine that settles the only unsettled clause on each side of one gap between
settled clauses (unrelated clauses of one policy score below 0.3 in 99 pairs out of 100)."""
LEXICAL_FALLBACK = 0.35
"""Without embeddings, the least lexical cosine at which unsettled clauses are still matched."""
AMBIGUOUS_FLOOR = 0.2
"""Lexical cosine from which an unsettled pair is worth embedding."""
EMBEDDING_ACCEPT = 0.7
"""Least embedding cosine for a match. With all-MiniLM-L6-v2, close paraphrases of a clause
score 0.75-0.9 and loose ones 0.6-0.75, while different clauses of one policy score up to about
0.7 (0.73 at most on the test policy): 0.7 keeps the clear paraphrases and leaves the rest
removed and added, which a reader can still compare."""
EMBEDDING_MARGIN = 0.05
"""How far a mutual-best embedding pair must beat the runners-up to be taken first."""
SPLIT_ACCEPT = 0.8
"""Least cosine between a clause and the concatenation of its parts for a split or merge."""
SPLIT_GAIN = 0.5
"""Share of the gap to a perfect score that the concatenation must close over its best part
alone (0.9 alone -> at least 0.95 together), so that a clause that only lost a short sentence
to its neighbour is still seen as split."""
SPLIT_CONTAINED = 0.8
"""Each part must have this share of its weight in n-grams of the whole clause."""
MAX_SLOT = 8
"""Largest gap (clauses on each side) settled in place by :data:`LEXICAL_IN_PLACE`."""
MAX_PARTS = 8
"""Most parts a split or merge may have."""

DENSE_PAIRS = 250_000
"""Unsettled remainders up to this many pairs are scored exactly, all pairs (a dense matrix);
larger ones through candidates."""
NEIGHBOURS = 3
"""Positional candidates per clause on each side of its expected place (large remainders)."""
_SCORE_FLOOR = 0.1  # pairs below this lexical cosine are not kept at all

Method = Literal["identical", "lexical", "embedding", "split", "merge"]


def lexical_ngrams(language: str) -> tuple[int, int]:
    """Character n-gram sizes for a language: Chinese and Japanese words are one to three
    characters, so shorter n-grams carry their words; alphabetic scripts use 3 to 5."""
    return (1, 3) if language.split("-")[0].lower() in {"zh", "ja"} else (3, 5)


@dataclass
class _Pair:
    old: list[int]
    new: list[int]
    method: Method
    similarity: float


def align_clauses(
    old: ClauseTree,
    new: ClauseTree,
    *,
    embedder: Embedder | None = None,
    unavailable: str | None = None,
) -> Alignment:
    """Align the clauses of two versions (see the module docstring for the steps).

    ``embedder`` is asked only about clauses the lexical step cannot settle. When it is None,
    ``unavailable`` says why (``"sentence-transformers is not installed"``), for the report.
    """
    return _Aligner(old, new, embedder, unavailable).run()


class _Aligner:
    def __init__(
        self,
        old: ClauseTree,
        new: ClauseTree,
        embedder: Embedder | None,
        unavailable: str | None,
    ) -> None:
        self.old = old.clauses
        self.new = new.clauses
        languages = {old.language.split("-")[0].lower(), new.language.split("-")[0].lower()}
        # a Chinese side decides: the embedder must not be asked about it
        self.language = next((x for x in ("zh", "ja") if x in languages), old.language)
        self.embedder = embedder
        self.unavailable = unavailable
        self._index_old = {c.id: k for k, c in enumerate(self.old)}
        self._index_new = {c.id: k for k, c in enumerate(self.new)}
        self.texts_old = [_text(c) for c in self.old]
        self.texts_new = [_text(c) for c in self.new]
        self.pairs: list[_Pair] = []
        self.old_pair: dict[int, _Pair] = {}
        self.new_pair: dict[int, _Pair] = {}
        self._rows: tuple[LexicalModel, _Vectors, _Vectors] | None = None
        self._residual: tuple[list[int], list[int]] = ([], [])
        self.embedded = 0
        self.embedding_used = False
        self.embedding_skipped: str | None = None
        self.model_loaded = False

    # -- bookkeeping --------------------------------------------------------------------------

    def _add(self, old: list[int], new: list[int], method: Method, similarity: float) -> None:
        pair = _Pair(old, new, method, similarity)
        self.pairs.append(pair)
        for i in old:
            self.old_pair[i] = pair
        for j in new:
            self.new_pair[j] = pair

    def _drop(self, pair: _Pair) -> None:
        self.pairs.remove(pair)
        for i in pair.old:
            del self.old_pair[i]
        for j in pair.new:
            del self.new_pair[j]

    def _free_old(self) -> list[int]:
        return [i for i in range(len(self.old)) if i not in self.old_pair and self.texts_old[i]]

    def _free_new(self) -> list[int]:
        return [j for j in range(len(self.new)) if j not in self.new_pair and self.texts_new[j]]

    # -- the steps ----------------------------------------------------------------------------

    def run(self) -> Alignment:
        self._identical()
        self._residual = (self._free_old(), self._free_new())
        free_old, free_new = self._free_old(), self._free_new()
        if free_old and free_new:
            scores = self._lexical_scores(free_old, free_new)
            self._settle(scores, LEXICAL_ACCEPT, LEXICAL_MARGIN, "lexical")
            self._ambiguous(scores)
        self._splits_and_merges()
        self._structural()
        return self._result()

    def _identical(self) -> None:
        """Step 1: same normalised text, in order first, then leftover copies in order."""

        def key(c: Clause, text: str, side: str, k: int) -> str:
            # textless clauses are matched through their children, never by their empty hash
            return c.hash if text else f"{side}{k}"

        hashes_old = [
            key(c, t, "o", k) for k, (c, t) in enumerate(zip(self.old, self.texts_old, strict=True))
        ]
        hashes_new = [
            key(c, t, "n", k) for k, (c, t) in enumerate(zip(self.new, self.texts_new, strict=True))
        ]
        for i, j in common_subsequence(hashes_old, hashes_new):
            self._add([i], [j], "identical", 1.0)
        left_new: dict[str, list[int]] = {}
        for j in self._free_new():
            left_new.setdefault(hashes_new[j], []).append(j)
        for i in self._free_old():
            queue = left_new.get(hashes_old[i])
            if queue:
                self._add([i], [queue.pop(0)], "identical", 1.0)

    def _model(self) -> tuple[LexicalModel, _Vectors, _Vectors]:
        """The lexical model, fitted on both versions, and vectors of the clauses that were
        unsettled after the identical step (no later step compares any other clause)."""
        if self._rows is None:
            residual_old, residual_new = self._residual
            model = LexicalModel.fit(
                self.texts_old + self.texts_new,
                ngrams=lexical_ngrams(self.language),
                only=[self.texts_old[i] for i in residual_old]
                + [self.texts_new[j] for j in residual_new],
            )
            self._rows = (
                model,
                _Vectors(model, residual_old, self.texts_old),
                _Vectors(model, residual_new, self.texts_new),
            )
        return self._rows

    def _lexical_scores(
        self, free_old: list[int], free_new: list[int]
    ) -> dict[tuple[int, int], float]:
        """Lexical cosines of plausible unsettled pairs (all of them when few)."""
        _, rows_old, rows_new = self._model()
        a, b = rows_old.take(free_old), rows_new.take(free_new)
        out: dict[tuple[int, int], float] = {}
        if len(free_old) * len(free_new) <= DENSE_PAIRS:
            matrix = cosine_matrix(a, b)
            ia, ib = np.nonzero(matrix >= _SCORE_FLOOR)
            for x, y in zip(ia.tolist(), ib.tolist(), strict=True):
                out[free_old[x], free_new[y]] = _round(matrix[x, y])
            return out
        ra, rb, _scores = candidate_pairs(a, b)
        wanted = {(free_old[x], free_new[y]) for x, y in zip(ra.tolist(), rb.tolist(), strict=True)}
        wanted |= self._positional(free_old, free_new)
        listed = sorted(wanted)
        index_old = {i: k for k, i in enumerate(free_old)}
        index_new = {j: k for k, j in enumerate(free_new)}
        cos = pair_cosines(
            a,
            b,
            np.array([index_old[i] for i, _ in listed], dtype=np.int64),
            np.array([index_new[j] for _, j in listed], dtype=np.int64),
        )
        for (i, j), s in zip(listed, cos.tolist(), strict=True):
            if s >= _SCORE_FLOOR:
                out[i, j] = _round(s)
        return out

    def _anchor_lists(self) -> tuple[list[int], list[int]]:
        """Settled pairs that keep their order (a longest increasing subsequence), in old
        order, as parallel lists of positions: the fixed points between which gaps lie."""
        settled = sorted((min(p.old), min(p.new)) for p in self.pairs)
        keep = longest_increasing([j for _, j in settled])
        return [settled[k][0] for k in keep], [settled[k][1] for k in keep]

    def _gap(self, i: int, olds: list[int], news: list[int]) -> tuple[int, int]:
        """The new positions between which old clause ``i`` is expected (exclusive): after the
        counterpart of the anchor before it, before the counterpart of the anchor after it."""
        k = bisect_left(olds, i)
        low = news[k - 1] if k > 0 else -1
        high = news[k] if k < len(news) else len(self.new)
        return low, high

    def _slots(self, lexical: dict[tuple[int, int], float]) -> None:
        """Settle edits in place: when a gap between anchors holds as many unsettled clauses on
        each side, taken in order they are the same clauses if each pair is the other's best in
        the gap and shares at least :data:`LEXICAL_IN_PLACE` (an effective date, a table row,
        a licence line rewritten where it stood)."""
        olds, news = self._anchor_lists()
        free_new = self._free_new()
        by_gap: dict[tuple[int, int], list[int]] = {}
        for i in self._free_old():
            by_gap.setdefault(self._gap(i, olds, news), []).append(i)
        for (low, high), members in sorted(by_gap.items()):
            inside = free_new[bisect_right(free_new, low) : bisect_left(free_new, high)]
            if len(members) != len(inside) or len(members) > MAX_SLOT:
                continue
            pairs = list(zip(members, inside, strict=True))
            scores = [lexical.get(pair, 0.0) for pair in pairs]
            if min(scores) < LEXICAL_IN_PLACE:
                continue
            best = all(
                lexical.get((i, j2), 0.0) < s and lexical.get((i2, j), 0.0) < s
                for (i, j), s in zip(pairs, scores, strict=True)
                for i2 in members
                for j2 in inside
                if i2 != i and j2 != j
            )
            if best:
                for (i, j), s in zip(pairs, scores, strict=True):
                    self._add([i], [j], "lexical", s)

    def _near(
        self, i: int, free_new: list[int], olds: list[int], news: list[int], *, inside: bool
    ) -> list[int]:
        """The unsettled new clauses nearest where old clause ``i`` is expected: its relative
        position between the anchors around it, carried over to the new side (only those
        within the anchors' gap when ``inside``)."""
        low, high = self._gap(i, olds, news)
        k = bisect_left(olds, i)
        before = olds[k - 1] if k > 0 else -1
        after = olds[k] if k < len(olds) else len(self.old)
        expected = low + (i - before) * (high - low) / max(after - before, 1)
        at = bisect_left(free_new, expected)
        near = free_new[max(0, at - NEIGHBOURS) : at + NEIGHBOURS]
        return [j for j in near if low < j < high] if inside else near

    def _positional(self, free_old: list[int], free_new: list[int]) -> set[tuple[int, int]]:
        """Each unsettled old clause with the unsettled new clauses nearest its expected place."""
        olds, news = self._anchor_lists()
        return {(i, j) for i in free_old for j in self._near(i, free_new, olds, news, inside=False)}

    def _settle(
        self,
        scores: dict[tuple[int, int], float],
        accept: float,
        margin: float,
        method: Method,
    ) -> None:
        """Match mutual-best pairs above ``accept`` that beat both runners-up by ``margin``;
        repeat while that settles something."""
        while True:
            best_old = _two_best(scores, self.old_pair, self.new_pair, by_old=True)
            best_new = _two_best(scores, self.old_pair, self.new_pair, by_old=False)
            settled = []
            for i, (s, j, runner) in best_old.items():
                if s < accept or s - runner < margin:
                    continue
                _s2, i2, runner2 = best_new[j]
                if i2 == i and s - runner2 >= margin:
                    settled.append((i, j, s))
            if not settled:
                return
            for i, j, s in sorted(settled):
                self._add([i], [j], method, s)

    def _greedy(self, scores: dict[tuple[int, int], float], floor: float, method: Method) -> None:
        """Match the remaining pairs greedily, best score first, nearest position on ties."""
        n_old, n_new = max(len(self.old), 1), max(len(self.new), 1)

        def order(item: tuple[tuple[int, int], float]) -> tuple[float, float, int, int]:
            (i, j), s = item
            return (-s, abs(i / n_old - j / n_new), i, j)

        for (i, j), s in sorted(scores.items(), key=order):
            if s >= floor and i not in self.old_pair and j not in self.new_pair:
                self._add([i], [j], method, s)

    def _ambiguous(self, lexical: dict[tuple[int, int], float]) -> None:
        """Step 3: what the lexical step could not settle, by embeddings or else lexically."""
        self._slots(lexical)
        free_old, free_new = self._free_old(), self._free_new()
        if not free_old or not free_new:
            return
        candidates = {
            (i, j): s
            for (i, j), s in lexical.items()
            if s >= AMBIGUOUS_FLOOR and i not in self.old_pair and j not in self.new_pair
        }
        olds, news = self._anchor_lists()
        for i in free_old:
            for j in self._near(i, free_new, olds, news, inside=True):
                candidates.setdefault((i, j), lexical.get((i, j), 0.0))
        if not candidates:
            return
        embedder = self.embedder
        if embedder is None:
            self.embedding_skipped = self.unavailable or "none given"
        elif not supports_language(embedder, self.language):
            self.embedding_skipped = f"{embedder.model_id} does not read {self.language}"
        if embedder is None or self.embedding_skipped is not None:
            self._greedy(lexical, LEXICAL_FALLBACK, "lexical")
            return
        involved_old = sorted({i for i, _ in candidates})
        involved_new = sorted({j for _, j in candidates})
        vectors = embedder.embed(
            [self.texts_old[i] for i in involved_old] + [self.texts_new[j] for j in involved_new]
        )
        vectors_old, vectors_new = vectors[: len(involved_old)], vectors[len(involved_old) :]
        self.embedding_used = True
        self.embedded += len(involved_old) + len(involved_new)
        self.model_loaded = bool(getattr(embedder, "model_loaded", True))
        row_old = {i: k for k, i in enumerate(involved_old)}
        row_new = {j: k for k, j in enumerate(involved_new)}
        semantic = {
            (i, j): _round(float(vectors_old[row_old[i]] @ vectors_new[row_new[j]]))
            for i, j in candidates
        }
        self._settle(semantic, EMBEDDING_ACCEPT, EMBEDDING_MARGIN, "embedding")
        self._greedy(semantic, EMBEDDING_ACCEPT, "embedding")

    # -- splits and merges --------------------------------------------------------------------

    def _splits_and_merges(self) -> None:
        """Step 4: one clause against runs of consecutive unmatched clauses on the other side."""
        if not self.old or not self.new:
            return
        directions: tuple[Literal["split", "merge"], ...] = ("split", "merge")
        for direction in directions:
            seeds = self._split_seeds(direction)
            if seeds:
                self._grow(seeds, direction)

    def _split_seeds(self, direction: Literal["split", "merge"]) -> list[tuple[int, int, float]]:
        """``(whole, first part, score of that part alone)`` worth growing: the whole clause is
        unmatched or weakly matched and the part has an unmatched neighbour."""
        whole_texts, part_texts = (
            (self.texts_old, self.texts_new)
            if direction == "split"
            else (self.texts_new, self.texts_old)
        )
        whole_pair, part_pair = (
            (self.old_pair, self.new_pair)
            if direction == "split"
            else (self.new_pair, self.old_pair)
        )

        def free_part(k: int) -> bool:
            return 0 <= k < len(part_texts) and k not in part_pair and bool(part_texts[k])

        seeds: list[tuple[int, int, float]] = []
        loose: list[int] = []
        for w in range(len(whole_texts)):
            if not whole_texts[w]:
                continue
            pair = whole_pair.get(w)
            if pair is None:
                loose.append(w)
            elif (
                pair.method in ("lexical", "embedding")
                and len(pair.old) == len(pair.new) == 1
                and pair.similarity < 0.99
            ):
                part = (pair.new if direction == "split" else pair.old)[0]
                if free_part(part - 1) or free_part(part + 1):
                    seeds.append((w, part, pair.similarity))
        if loose:
            # an unmatched whole starts from its best unmatched part
            free_parts = [k for k in range(len(part_texts)) if free_part(k)]
            if free_parts:
                scores = self._cross_scores(direction, loose, free_parts)
                best: dict[int, tuple[float, int]] = {}
                for (w, k), s in scores.items():
                    if s >= AMBIGUOUS_FLOOR and (s, -k) > (
                        best.get(w, (0.0, 0))[0],
                        -best.get(w, (0.0, 0))[1],
                    ):
                        best[w] = (s, k)
                for w, (s, k) in sorted(best.items()):
                    if free_part(k - 1) or free_part(k + 1):
                        seeds.append((w, k, s))
        return seeds

    def _cross_scores(
        self, direction: Literal["split", "merge"], wholes: list[int], parts: list[int]
    ) -> dict[tuple[int, int], float]:
        if direction == "split":
            return self._lexical_scores(wholes, parts)
        flipped = self._lexical_scores(parts, wholes)
        return {(w, k): s for (k, w), s in flipped.items()}

    def _grow(
        self, seeds: list[tuple[int, int, float]], direction: Literal["split", "merge"]
    ) -> None:
        """Extend each seed over free neighbours while the concatenation scores better."""
        model, rows_old, rows_new = self._model()
        whole_rows, part_rows = (
            (rows_old, rows_new) if direction == "split" else (rows_new, rows_old)
        )
        part_texts = self.texts_new if direction == "split" else self.texts_old
        whole_pair, part_pair = (
            (self.old_pair, self.new_pair)
            if direction == "split"
            else (self.new_pair, self.old_pair)
        )
        taken: set[int] = set()
        windows = {w: (k, k, s) for w, k, s in seeds}
        base = {w: s for w, _, s in seeds}
        active = sorted(windows)

        def free(k: int) -> bool:
            return (
                0 <= k < len(part_texts)
                and k not in part_pair
                and bool(part_texts[k])
                and k not in taken
            )

        for _ in range(MAX_PARTS - 1):
            trials: list[tuple[int, int, int]] = []
            for w in active:
                lo, hi, _ = windows[w]
                if free(lo - 1):
                    trials.append((w, lo - 1, hi))
                if free(hi + 1):
                    trials.append((w, lo, hi + 1))
            if not trials:
                break
            joined = [" ".join(part_texts[k] for k in range(lo, hi + 1)) for _, lo, hi in trials]
            scores = pair_cosines(
                whole_rows.take([w for w, _, _ in trials]),
                model.transform(joined),
                np.arange(len(trials), dtype=np.int64),
                np.arange(len(trials), dtype=np.int64),
            )
            improved: dict[int, tuple[float, int, int]] = {}
            for (w, lo, hi), s in zip(trials, scores.tolist(), strict=True):
                s = _round(s)
                if s > windows[w][2] + 0.01 and s > improved.get(w, (-1.0, 0, 0))[0]:
                    improved[w] = (s, lo, hi)
            active = sorted(improved)
            for w in active:
                s, lo, hi = improved[w]
                windows[w] = (lo, hi, s)
        # accept the best windows first; a part serves one whole only
        ranked = sorted(windows.items(), key=lambda item: (-item[1][2], item[0]))
        for w, (lo, hi, s) in ranked:
            if hi == lo or s < SPLIT_ACCEPT or s - base[w] < SPLIT_GAIN * (1.0 - base[w]):
                continue
            span = list(range(lo, hi + 1))
            whole = whole_rows.take([w])
            if min(_contained(part_rows.take([k]), whole) for k in span) < SPLIT_CONTAINED:
                continue
            current = whole_pair.get(w)
            own = set(current.new if direction == "split" else current.old) if current else set()
            if any(k in taken or (k in part_pair and k not in own) for k in span):
                continue
            if current is not None:
                self._drop(current)
            taken.update(span)
            if direction == "split":
                self._add([w], span, "split", s)
            else:
                self._add(span, [w], "merge", s)

    # -- textless clauses ---------------------------------------------------------------------

    def _structural(self) -> None:
        """Step 5: a clause without text matches the clause that holds most of its children's
        counterparts, when that one is also without text and unmatched."""
        id_old = {c.id: k for k, c in enumerate(self.old)}
        id_new = {c.id: k for k, c in enumerate(self.new)}
        children_old: dict[int, list[int]] = {}
        for k, c in enumerate(self.old):
            if c.parent in id_old:
                children_old.setdefault(id_old[c.parent], []).append(k)
        # deepest first, so that nested bare numbers resolve from the inside out
        bare = sorted(
            (i for i, t in enumerate(self.texts_old) if not t and i not in self.old_pair),
            key=lambda i: (-self.old[i].depth, i),
        )
        for i in bare:
            votes: Counter[int] = Counter()
            for child in children_old.get(i, []):
                pair = self.old_pair.get(child)
                if pair is None:
                    continue
                for j in pair.new:
                    parent = self.new[j].parent
                    if parent in id_new:
                        votes[id_new[parent]] += 1
            ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
            for j, _ in ranked[:1]:
                if not self.texts_new[j] and j not in self.new_pair:
                    self._add([i], [j], "identical", 1.0)
        # bare clauses with the same number under matched parents
        bare_new: dict[tuple[int, ...], list[int]] = {}
        for j in range(len(self.new)):
            if not self.texts_new[j] and j not in self.new_pair:
                bare_new.setdefault(self.new[j].number, []).append(j)
        for i in range(len(self.old)):
            if self.texts_old[i] or i in self.old_pair:
                continue
            for j in bare_new.get(self.old[i].number, []):
                if j not in self.new_pair and self._same_parent(i, j, id_old, id_new):
                    self._add([i], [j], "identical", 1.0)
                    break

    def _same_parent(self, i: int, j: int, id_old: dict[str, int], id_new: dict[str, int]) -> bool:
        po, pn = self.old[i].parent, self.new[j].parent
        if po is None or pn is None:
            return po is None and pn is None
        pair = self.old_pair.get(id_old[po]) if po in id_old else None
        return pair is not None and pn in id_new and id_new[pn] in pair.new

    # -- order and the result -----------------------------------------------------------------

    def _moves(self, pairs: list[_Pair]) -> set[int]:
        """Indices of the pairs reported as moved.

        A pair whose clauses hang under parents matched to each other (or both at top level)
        is compared with its siblings only: the siblings' unchanged order is a longest
        increasing subsequence that keeps as many of them as possible, then as many clauses
        (so of two swapped sections the smaller one moved). Any other clause (it changed
        parent, or a parent has no counterpart) moved when it left the order of the whole
        document (a longest increasing subsequence over all pairs): a clause that only changed
        parent where it stood (a heading inserted above it, a list re-attached) did not move.
        """
        parent_old = [self._index_old.get(c.parent, -1) if c.parent else -1 for c in self.old]
        parent_new = [self._index_new.get(c.parent, -1) if c.parent else -1 for c in self.new]
        size = [1] * len(self.old)
        for i in range(len(self.old) - 1, -1, -1):
            if parent_old[i] >= 0:
                size[parent_old[i]] += size[i]

        by_old = sorted(range(len(pairs)), key=lambda k: min(pairs[k].old))
        kept = {by_old[k] for k in longest_increasing([min(pairs[k].new) for k in by_old])}
        moved: set[int] = set()
        groups: dict[int, list[int]] = {}
        index = {id(p): k for k, p in enumerate(pairs)}
        for k, pair in enumerate(pairs):
            po, pn = parent_old[min(pair.old)], parent_new[min(pair.new)]
            holder_old = self.old_pair.get(po) if po >= 0 else None
            holder_new = self.new_pair.get(pn) if pn >= 0 else None
            if po < 0 and pn < 0:
                groups.setdefault(-1, []).append(k)
            elif holder_old is not None and holder_old is holder_new:
                groups.setdefault(index[id(holder_old)], []).append(k)
            elif k not in kept:
                moved.add(k)  # under another parent and out of the document's order
        for members in groups.values():
            members.sort(key=lambda k: min(pairs[k].old))
            stay = _heaviest_increasing(
                [min(pairs[k].new) for k in members],
                [size[min(pairs[k].old)] for k in members],
            )
            moved.update(members[x] for x in range(len(members)) if x not in stay)
        return moved

    def _result(self) -> Alignment:
        pairs = sorted(self.pairs, key=lambda p: (min(p.new), min(p.old)))
        moved = self._moves(pairs)
        matches = []
        for k, pair in enumerate(pairs):
            old_first, new_first = self.old[min(pair.old)], self.new[min(pair.new)]
            matches.append(
                Match(
                    old=tuple(self.old[i].id for i in sorted(pair.old)),
                    new=tuple(self.new[j].id for j in sorted(pair.new)),
                    method=pair.method,
                    similarity=pair.similarity,
                    moved=k in moved,
                    renumbered=old_first.number != new_first.number,
                )
            )
        removed = tuple(c.id for i, c in enumerate(self.old) if i not in self.old_pair)
        added = tuple(c.id for j, c in enumerate(self.new) if j not in self.new_pair)
        return Alignment(
            matches=tuple(matches),
            removed=removed,
            added=added,
            similarity_method=self._method_note(),
            model_loaded=self.model_loaded,
            embedded=self.embedded,
        )

    def _method_note(self) -> str:
        if self.embedding_used and self.embedder is not None:
            return f"{LEXICAL_METHOD}; embedding ({self.embedder.model_id}) for ambiguous clauses"
        if self.embedding_skipped is not None:
            return f"{LEXICAL_METHOD}; no embedding model: {self.embedding_skipped}"
        return LEXICAL_METHOD


def _text(clause: Clause) -> str:
    """What is compared: the heading and the text, squashed."""
    return squash(f"{clause.heading or ''} {clause.text}")


class _Vectors:
    """TF-IDF rows of some clauses of one version, addressed by clause position."""

    def __init__(self, model: LexicalModel, positions: list[int], texts: list[str]) -> None:
        self.rows = model.transform([texts[k] for k in positions])
        self.row_of = {k: r for r, k in enumerate(positions)}

    def take(self, positions: Iterable[int]) -> SparseRows:
        return self.rows.take([self.row_of[k] for k in positions])


def _heaviest_increasing(values: list[int], sizes: list[int]) -> set[int]:
    """Positions of an increasing subsequence of ``values`` with the most items, then the most
    total ``sizes`` (ties: the leftmost). Fenwick tree over value ranks: O(n log n)."""
    n = len(values)
    if n == 0:
        return set()
    rank = {v: r for r, v in enumerate(sorted(set(values)), start=1)}
    scale = sum(sizes) + 1
    tree: list[tuple[int, int]] = [(0, -1)] * (len(rank) + 1)  # (weight, index) best per prefix
    best_at: list[tuple[int, int]] = [(0, -1)] * n
    for x, v in enumerate(values):
        r = rank[v] - 1
        best = (0, -1)
        while r > 0:  # best chain ending below this value
            if tree[r][0] > best[0]:
                best = tree[r]
            r -= r & -r
        weight = best[0] + scale + sizes[x]
        best_at[x] = (weight, best[1])
        r = rank[v]
        while r <= len(rank):
            if weight > tree[r][0]:
                tree[r] = (weight, x)
            r += r & -r
    end = max(range(n), key=lambda x: (best_at[x][0], -x))
    out: set[int] = set()
    while end >= 0:
        out.add(end)
        end = best_at[end][1]
    return out


def _contained(part: SparseRows, whole: SparseRows) -> float:
    """Share of the (squared, normalised) weight of ``part``'s one row on n-grams that the one
    row of ``whole`` also has."""
    features, weights = part.row(0)
    mask = np.isin(features, whole.row(0)[0], assume_unique=True)
    return float(np.sum(weights[mask].astype(np.float64) ** 2))


def _round(value: float) -> float:
    # six decimals: float noise (thread counts, BLAS) never flips a comparison or an output byte
    return round(float(value), 6)


def _two_best(
    scores: dict[tuple[int, int], float],
    old_pair: dict[int, _Pair],
    new_pair: dict[int, _Pair],
    *,
    by_old: bool,
) -> dict[int, tuple[float, int, float]]:
    """For each free clause on one side: (best score, its partner, runner-up score), among
    free partners; ties go to the lower position."""
    best: dict[int, tuple[float, int, float]] = {}
    for (i, j), s in scores.items():
        if i in old_pair or j in new_pair:
            continue
        me, other = (i, j) if by_old else (j, i)
        current = best.get(me)
        if current is None:
            best[me] = (s, other, 0.0)
        elif (s, -other) > (current[0], -current[1]):
            best[me] = (s, other, current[0])
        elif s > current[2]:
            best[me] = (current[0], current[1], s)
    return best


def matched_pairs(alignment: Alignment) -> Iterable[tuple[str, str]]:
    """Every (old id, new id) the alignment puts together (all parts of splits and merges)."""
    for match in alignment.matches:
        for o in match.old:
            for n in match.new:
                yield o, n
