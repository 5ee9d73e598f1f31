"""Lexical similarity: cosine of character n-gram TF-IDF vectors, with numpy only.

A text is squashed (whitespace runs to one space), case-folded and padded with a space on each
side; its features are its character n-grams (3 to 5 by default), so Chinese text, which has
no spaces, works the same way as English. Weights are ``(1 + ln tf) * idf`` with the smoothed
``idf = ln((1 + N) / (1 + df)) + 1`` fitted on both versions' clauses, and each vector is
L2-normalised, so a dot product is a cosine in ``[0, 1]``.

N-grams are hashed to 64-bit integers with numpy (a polynomial hash over code points, the n
mixed in), so fitting 20 000 clauses takes a fraction of a second and no Python string is made
per n-gram. Two different n-grams colliding needs about 2**32 distinct n-grams; it would only
nudge a score.

Scale
-----
:func:`cosine_matrix` is exact and dense (``len(a) x len(b)``); it is meant for the small sets
that are left once identical clauses are matched. For large sets, :func:`candidate_pairs`
finds, for every row on either side, the rows of the other side that share its rarest
n-grams (an inverted index on at most :data:`RARE_FEATURES` features per row, each with at most
:data:`MAX_POSTINGS` postings), and :func:`pair_cosines` scores only those pairs, exactly.
Both are linear in the number of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from analyzer.text.normalize import squash

__all__ = [
    "DEFAULT_NGRAMS",
    "MAX_POSTINGS",
    "POSTINGS_PER_ROW",
    "RARE_FEATURES",
    "LexicalModel",
    "SparseRows",
    "candidate_pairs",
    "cosine_matrix",
    "lexical_similarity",
    "pair_cosines",
]

DEFAULT_NGRAMS = (3, 5)
"""Character n-gram sizes, inclusive."""
RARE_FEATURES = 24
"""How many of its rarest n-grams a row is indexed by in :func:`candidate_pairs`."""
MAX_POSTINGS = 64
"""An n-gram found in more rows than this on one side is too common to propose candidates."""
POSTINGS_PER_ROW = 256
"""A row stops adding n-grams once their postings on the other side reach this many."""

_PRIME = np.uint64(0x100000001B3)  # the FNV-1 64-bit prime; any large odd number does
_DENSE_BLOCK = 4096
_TEXT_CHUNK = 1000  # texts counted together in one batch of numpy work
_PAIR_BATCH = 4_000_000  # entries per batch in pair_cosines

IntArray = npt.NDArray[np.int64]
_Int = TypeVar("_Int", np.int64, np.uint64)
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class SparseRows:
    """TF-IDF vectors of several texts, row by row (compressed sparse rows)."""

    indptr: IntArray
    """Row ``r`` has its entries at ``indptr[r]:indptr[r + 1]``."""
    indices: IntArray
    """Feature id of each entry, increasing within a row."""
    data: FloatArray
    """Weight of each entry; each row has unit L2 norm (or is empty)."""

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def row(self, r: int) -> tuple[IntArray, FloatArray]:
        """Feature ids and weights of one row."""
        lo, hi = self.indptr[r], self.indptr[r + 1]
        return self.indices[lo:hi], self.data[lo:hi]

    def take(self, rows: Sequence[int]) -> SparseRows:
        """A new set made of the given rows, in that order."""
        picked = np.asarray(rows, dtype=np.int64)
        starts, ends = self.indptr[picked], self.indptr[picked + 1]
        lengths = ends - starts
        indptr = np.zeros(len(picked) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        gather = _ranges(starts, lengths)
        return SparseRows(indptr, self.indices[gather], self.data[gather])


def _ranges(starts: IntArray, lengths: IntArray) -> IntArray:
    """Concatenation of ``range(s, s + n)`` for each start and length, vectorised."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(total, dtype=np.int64)


def _prepare(text: str) -> str:
    # squashed (str.split: every Unicode space) and case-folded, padded so that the first and
    # last words have their own n-grams
    squashed = " ".join(text.casefold().split())
    return f" {squashed} " if squashed else ""


def _gram_keys(
    texts: Sequence[str], ngrams: tuple[int, int]
) -> tuple[IntArray, npt.NDArray[np.uint64]]:
    """For every n-gram occurrence of every text: the row it belongs to and its 64-bit key."""
    prepared = [_prepare(t) for t in texts]
    lengths = np.array([len(p) for p in prepared], dtype=np.int64)
    joined = "".join(prepared)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(
        np.uint64
    )
    starts = np.zeros(len(prepared), dtype=np.int64)
    if len(prepared) > 1:
        np.cumsum(lengths[:-1], out=starts[1:])
    ends = starts + lengths
    row_of = np.repeat(np.arange(len(prepared), dtype=np.int64), lengths)
    rows: list[IntArray] = []
    keys: list[npt.NDArray[np.uint64]] = []
    low, high = ngrams
    with np.errstate(over="ignore"):
        for n in range(low, high + 1):
            count = len(codes) - n + 1
            if count <= 0:
                continue
            h = np.full(count, np.uint64(n), dtype=np.uint64)
            for k in range(n):
                h = h * _PRIME + codes[k : k + count]
            # keep windows that do not cross into the next text
            valid = np.arange(count, dtype=np.int64) + n <= ends[row_of[:count]]
            rows.append(row_of[:count][valid])
            keys.append(h[valid])
        # a text shorter than the smallest n-gram is one feature on its own
        short = np.nonzero((lengths > 0) & (lengths < low))[0]
        for r in short:
            whole = np.array([1_000_003], dtype=np.uint64)
            for c in codes[starts[r] : ends[r]]:
                whole = whole * _PRIME + c
            rows.append(np.array([r], dtype=np.int64))
            keys.append(whole)
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    return np.concatenate(rows), np.concatenate(keys)


def _unique_inverse(
    values: npt.NDArray[np.uint64],
) -> tuple[npt.NDArray[np.uint64], IntArray]:
    """Sorted distinct values and, for each input, the index of its value (sort-based)."""
    order = np.argsort(values)
    ordered = values[order]
    flag = np.ones(len(ordered), dtype=bool)
    flag[1:] = ordered[1:] != ordered[:-1]
    ids = np.cumsum(flag) - 1
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = ids
    return ordered[flag], inverse


def _unique_counts(values: npt.NDArray[_Int]) -> tuple[npt.NDArray[_Int], IntArray]:
    """Sorted distinct values and how often each occurs (sort-based)."""
    ordered = np.sort(values)
    flag = np.ones(len(ordered), dtype=bool)
    flag[1:] = ordered[1:] != ordered[:-1]
    starts = np.nonzero(flag)[0]
    counts = np.diff(np.append(starts, len(ordered)))
    return ordered[flag], counts


def _distinct(values: npt.NDArray[_Int]) -> npt.NDArray[_Int]:
    """``np.unique(values)`` without its masked-array check (which imports ``numpy.ma``,
    ~20 ms of a one-shot ``policy diff``)."""
    ordered = np.sort(values)
    flag = np.ones(len(ordered), dtype=bool)
    flag[1:] = ordered[1:] != ordered[:-1]
    return ordered[flag]


def _shared(a: npt.NDArray[_Int], b: npt.NDArray[_Int]) -> npt.NDArray[_Int]:
    """``np.intersect1d(a, b)``: the sorted values found in both (same reason as above)."""
    both = np.sort(np.concatenate((_distinct(a), _distinct(b))))
    common: npt.NDArray[_Int] = both[:-1][both[1:] == both[:-1]]
    return common


@dataclass(frozen=True)
class _GramCounts:
    """The distinct n-grams of each text of one chunk, with their counts."""

    vocabulary: npt.NDArray[np.uint64]
    """Sorted distinct n-gram keys of the chunk."""
    rows: IntArray
    """Text (index in the whole input) of each entry; entries sorted by text, then n-gram."""
    local: IntArray
    """Position in ``vocabulary`` of each entry's n-gram."""
    counts: IntArray
    """How often the n-gram occurs in the text."""


def _text_grams(texts: Sequence[str], ngrams: tuple[int, int]) -> list[_GramCounts]:
    """Count n-grams chunk by chunk, so that temporary arrays stay small and cache-friendly."""
    out = []
    for lo in range(0, len(texts), _TEXT_CHUNK):
        rows, keys = _gram_keys(texts[lo : lo + _TEXT_CHUNK], ngrams)
        vocabulary, inverse = _unique_inverse(keys)
        width = max(len(vocabulary), 1)
        pairs, counts = _unique_counts(rows * width + inverse)
        out.append(_GramCounts(vocabulary, pairs // width + lo, pairs % width, counts))
    return out


class LexicalModel:
    """Character n-gram TF-IDF, fitted on a set of texts (both versions' clauses)."""

    def __init__(
        self, vocabulary: npt.NDArray[np.uint64], idf: FloatArray, ngrams: tuple[int, int]
    ) -> None:
        self.vocabulary = vocabulary
        """Sorted n-gram keys; a feature's id is its position here."""
        self.idf = idf
        """Inverse document frequency of each feature."""
        self.ngrams = ngrams
        """The n-gram sizes (inclusive range)."""

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        *,
        ngrams: tuple[int, int] = DEFAULT_NGRAMS,
        only: Sequence[str] | None = None,
    ) -> LexicalModel:
        """Learn the vocabulary and document frequencies of ``texts``.

        With ``only``, the vocabulary is limited to the n-grams of those texts (document
        frequencies are still counted over all of ``texts``): vectors of ``only`` are the same
        as with the full vocabulary, and the work on the other texts is a lookup. Alignment
        uses this to fit on both versions while only the unsettled clauses need vectors.
        """
        if only is None:
            return cls._fit_counts(_text_grams(texts, ngrams), len(texts), ngrams)
        wanted = [chunk.vocabulary for chunk in _text_grams(only, ngrams)]
        vocabulary = _distinct(np.concatenate(wanted)) if wanted else np.zeros(0, np.uint64)
        df = np.zeros(len(vocabulary), dtype=np.int64)
        # a bitmap of the vocabulary's top 24 bits discards most other n-grams before the
        # (slower) search: with a vocabulary of 10**5 n-grams, 99 % of the rest never get there
        present = np.zeros(1 << 24, dtype=bool)
        present[(vocabulary >> np.uint64(40)).astype(np.int64)] = True
        for lo in range(0, len(texts), _TEXT_CHUNK):
            rows, keys = _gram_keys(texts[lo : lo + _TEXT_CHUNK], ngrams)
            if len(vocabulary) == 0 or len(keys) == 0:
                continue
            maybe = present[(keys >> np.uint64(40)).astype(np.int64)]
            rows, keys = rows[maybe], keys[maybe]
            pos = np.minimum(np.searchsorted(vocabulary, keys), len(vocabulary) - 1)
            hit = vocabulary[pos] == keys
            pairs, _ = _unique_counts(rows[hit] * len(vocabulary) + pos[hit])
            df += np.bincount(pairs % len(vocabulary), minlength=len(vocabulary))
        idf = (np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0).astype(np.float32)
        return cls(vocabulary, idf, ngrams)

    @classmethod
    def fit_transform(
        cls, texts: Sequence[str], *, ngrams: tuple[int, int] = DEFAULT_NGRAMS
    ) -> tuple[LexicalModel, SparseRows]:
        """:meth:`fit` then :meth:`transform` on the same texts, counting n-grams once."""
        counts = _text_grams(texts, ngrams)
        model = cls._fit_counts(counts, len(texts), ngrams)
        return model, model._weigh(counts, len(texts))

    @classmethod
    def _fit_counts(
        cls, chunks: list[_GramCounts], n_texts: int, ngrams: tuple[int, int]
    ) -> LexicalModel:
        # each chunk lists each (text, n-gram) once: the n-gram's count over all chunks is its df
        keys = [chunk.vocabulary[chunk.local] for chunk in chunks]
        vocabulary, df = _unique_counts(np.concatenate(keys) if keys else np.zeros(0, np.uint64))
        idf = (np.log((1.0 + n_texts) / (1.0 + df)) + 1.0).astype(np.float32)
        return cls(vocabulary, idf, ngrams)

    def transform(self, texts: Sequence[str]) -> SparseRows:
        """TF-IDF rows of ``texts``; n-grams the model has not seen are left out."""
        return self._weigh(_text_grams(texts, self.ngrams), len(texts))

    def _weigh(self, chunks: list[_GramCounts], n_texts: int) -> SparseRows:
        vocab = self.vocabulary
        rows_out: list[IntArray] = []
        feats_out: list[IntArray] = []
        counts_out: list[IntArray] = []
        for chunk in chunks:
            # chunk vocabularies are sorted and distinct: one fast search maps them to features
            pos = np.searchsorted(vocab, chunk.vocabulary)
            found = pos < len(vocab)
            found[found] = vocab[pos[found]] == chunk.vocabulary[found]
            known = found[chunk.local]
            rows_out.append(chunk.rows[known])
            feats_out.append(pos[chunk.local[known]].astype(np.int64))
            counts_out.append(chunk.counts[known])
        rows = np.concatenate(rows_out) if rows_out else np.zeros(0, np.int64)
        feats = np.concatenate(feats_out) if feats_out else np.zeros(0, np.int64)
        counts = np.concatenate(counts_out) if counts_out else np.zeros(0, np.int64)
        weights = (1.0 + np.log(counts)) * self.idf[feats].astype(np.float64)
        norms = np.sqrt(np.bincount(rows, weights=weights**2, minlength=n_texts))
        weights /= np.where(norms > 0, norms, 1.0)[rows]
        indptr = np.zeros(n_texts + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n_texts), out=indptr[1:])
        return SparseRows(indptr, feats, weights.astype(np.float32))

    def matrix(self, a_texts: Sequence[str], b_texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Dense cosine matrix ``len(a_texts) x len(b_texts)`` (for small sets)."""
        return cosine_matrix(self.transform(a_texts), self.transform(b_texts))


def lexical_similarity(a: str, b: str) -> float:
    """Cosine of the two texts' n-gram TF-IDF vectors, fitted on the two texts alone."""
    if squash(a).casefold() == squash(b).casefold():
        return 1.0 if squash(a) else 0.0
    model = LexicalModel.fit([a, b])
    rows = model.transform([a, b])
    return float(pair_cosines(rows, rows, np.array([0]), np.array([1]))[0])


def cosine_matrix(a: SparseRows, b: SparseRows) -> npt.NDArray[np.float64]:
    """Exact cosines of every row of ``a`` with every row of ``b``, as a dense array.

    Only features present on both sides matter; they are laid out densely in blocks of
    columns, so memory stays at ``(len(a) + len(b)) x 4096`` floats whatever the vocabulary.
    """
    out = np.zeros((len(a), len(b)), dtype=np.float64)
    if len(a) == 0 or len(b) == 0:
        return out
    shared = _shared(a.indices, b.indices)
    if len(shared) == 0:
        return out
    a_rows = np.repeat(np.arange(len(a)), np.diff(a.indptr))
    b_rows = np.repeat(np.arange(len(b)), np.diff(b.indptr))
    a_col = np.searchsorted(shared, a.indices)
    b_col = np.searchsorted(shared, b.indices)
    a_in = (a_col < len(shared)) & (shared[np.minimum(a_col, len(shared) - 1)] == a.indices)
    b_in = (b_col < len(shared)) & (shared[np.minimum(b_col, len(shared) - 1)] == b.indices)
    for lo in range(0, len(shared), _DENSE_BLOCK):
        hi = lo + _DENSE_BLOCK
        dense_a = np.zeros((len(a), min(hi, len(shared)) - lo), dtype=np.float32)
        dense_b = np.zeros((len(b), dense_a.shape[1]), dtype=np.float32)
        pick_a = a_in & (a_col >= lo) & (a_col < hi)
        pick_b = b_in & (b_col >= lo) & (b_col < hi)
        dense_a[a_rows[pick_a], a_col[pick_a] - lo] = a.data[pick_a]
        dense_b[b_rows[pick_b], b_col[pick_b] - lo] = b.data[pick_b]
        out += dense_a @ dense_b.T
    return np.clip(out, 0.0, 1.0)


def pair_cosines(
    a: SparseRows, b: SparseRows, rows_a: IntArray, rows_b: IntArray
) -> npt.NDArray[np.float64]:
    """Exact cosines of the pairs ``(a[rows_a[k]], b[rows_b[k]])``, vectorised.

    Each pair's entries get the key ``k * V + feature`` on both sides; keys sorted on both
    sides (features increase within a row), a search finds the shared ones.
    """
    rows_a = np.asarray(rows_a, dtype=np.int64)
    rows_b = np.asarray(rows_b, dtype=np.int64)
    out = np.zeros(len(rows_a), dtype=np.float64)
    if len(rows_a) == 0:
        return out
    width = int(max(a.indices.max(initial=0), b.indices.max(initial=0))) + 1
    # batches of pairs small enough to keep the temporary arrays modest
    sizes = (a.indptr[rows_a + 1] - a.indptr[rows_a]) + (b.indptr[rows_b + 1] - b.indptr[rows_b])
    ends = np.cumsum(sizes)
    start = 0
    while start < len(rows_a):
        done = int(ends[start - 1]) if start else 0
        stop = max(start + 1, int(np.searchsorted(ends, done + _PAIR_BATCH, side="right")))
        out[start:stop] = _pair_batch(a, b, rows_a[start:stop], rows_b[start:stop], width)
        start = stop
    return np.clip(out, 0.0, 1.0)


def _pair_batch(
    a: SparseRows, b: SparseRows, rows_a: IntArray, rows_b: IntArray, width: int
) -> npt.NDArray[np.float64]:
    len_a = a.indptr[rows_a + 1] - a.indptr[rows_a]
    len_b = b.indptr[rows_b + 1] - b.indptr[rows_b]
    take_a = _ranges(a.indptr[rows_a], len_a)
    take_b = _ranges(b.indptr[rows_b], len_b)
    pair_a = np.repeat(np.arange(len(rows_a), dtype=np.int64), len_a)
    pair_b = np.repeat(np.arange(len(rows_b), dtype=np.int64), len_b)
    keys_a = pair_a * width + a.indices[take_a]
    keys_b = pair_b * width + b.indices[take_b]
    pos = np.searchsorted(keys_b, keys_a)
    hit = pos < len(keys_b)
    hit[hit] = keys_b[pos[hit]] == keys_a[hit]
    products = a.data[take_a][hit].astype(np.float64) * b.data[take_b][pos[hit]]
    return np.bincount(pair_a[hit], weights=products, minlength=len(rows_a)).astype(np.float64)


def candidate_pairs(
    a: SparseRows, b: SparseRows, *, per_row: int = 4
) -> tuple[IntArray, IntArray, npt.NDArray[np.float64]]:
    """Likely matches between two large sets, with their exact cosines.

    Every row of either side proposes the rows of the other side that share the most of its
    rarest n-grams (at most :data:`RARE_FEATURES` n-grams per row, each found in at most
    :data:`MAX_POSTINGS` rows of the other side), keeping its ``per_row`` best. The union of the
    proposals is scored exactly. Returns ``(rows_a, rows_b, cosines)`` sorted by row of ``a``
    then row of ``b``. A row whose n-grams are all common proposes nothing: callers add their
    own candidates (neighbours by position) for those.
    """
    features = max(int(a.indices.max(initial=-1)), int(b.indices.max(initial=-1))) + 1
    df_a = np.bincount(a.indices, minlength=features)
    df_b = np.bincount(b.indices, minlength=features)
    proposals = [
        _propose(a, b, df_a + df_b, df_b, per_row, flip=False),
        _propose(b, a, df_a + df_b, df_a, per_row, flip=True),
    ]
    keys, _ = _unique_counts(np.concatenate(proposals))
    rows_a, rows_b = keys // max(len(b), 1), keys % max(len(b), 1)
    return rows_a, rows_b, pair_cosines(a, b, rows_a, rows_b)


def _propose(
    src: SparseRows,
    dst: SparseRows,
    df: IntArray,
    df_dst: IntArray,
    per_row: int,
    *,
    flip: bool,
) -> IntArray:
    """Pair keys ``row_a * len(b) + row_b`` proposed by the rows of ``src``."""
    n_src = len(src)
    if n_src == 0 or len(dst) == 0:
        return np.zeros(0, dtype=np.int64)
    src_rows = np.repeat(np.arange(n_src, dtype=np.int64), np.diff(src.indptr))
    usable = (df_dst[src.indices] > 0) & (df_dst[src.indices] <= MAX_POSTINGS)
    rows, feats = src_rows[usable], src.indices[usable]
    # the RARE_FEATURES rarest usable features of each row (ties by feature id), by sorting
    # one packed integer: row, then document frequency, then feature
    width, depth = int(df.max(initial=0)) + 1, len(df)
    packed = np.sort((rows * width + df[feats]) * depth + feats)
    rows, feats = packed // (width * depth), packed % depth
    first = np.searchsorted(rows, rows, side="left")
    seen = np.cumsum(df_dst[feats])
    seen_before_row = (seen - df_dst[feats])[first]
    keep = (np.arange(len(rows)) - first < RARE_FEATURES) & (
        (seen - seen_before_row <= POSTINGS_PER_ROW) | (np.arange(len(rows)) == first)
    )
    rows, feats = rows[keep], feats[keep]
    # postings of dst, sorted by feature then row
    dst_rows = np.repeat(np.arange(len(dst), dtype=np.int64), np.diff(dst.indptr))
    postings = np.sort(dst.indices * len(dst) + dst_rows)
    post_feats, post_rows = postings // len(dst), postings % len(dst)
    lo = np.searchsorted(post_feats, feats, side="left")
    hi = np.searchsorted(post_feats, feats, side="right")
    counts = hi - lo
    hits_src = np.repeat(rows, counts)
    hits_dst = post_rows[_ranges(lo, counts)]
    if len(hits_src) == 0:
        return np.zeros(0, dtype=np.int64)
    pair, votes = _unique_counts(hits_src * len(dst) + hits_dst)
    # best per_row per source row: most shared rare n-grams first, then lowest row id
    most = RARE_FEATURES + 1
    packed = np.sort((pair // len(dst) * most + (most - votes)) * len(dst) + pair % len(dst))
    p_src, p_dst = packed // (most * len(dst)), packed % len(dst)
    p_votes = most - packed // len(dst) % most
    first = np.searchsorted(p_src, p_src, side="left")
    # the per_row best, and only those with at least a quarter of the row's best vote count
    keep = (np.arange(len(p_src)) - first < per_row) & (4 * p_votes >= p_votes[first])
    p_src, p_dst = p_src[keep], p_dst[keep]
    keys: IntArray = p_dst * n_src + p_src if flip else p_src * len(dst) + p_dst
    return keys
