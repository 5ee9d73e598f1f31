"""Run labelled revisions through classification and decision, and score the results.

Shared by the judgement tests and ``bench/judgement_eval.py``. Two texts go through the same
stages as ``policy diff``: parse, align, build changes, judge (:func:`analyzer.pipeline.analyze`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from analyzer.diff.align import align_clauses
from analyzer.diff.changes import build_changes
from analyzer.diff.embedding import Embedder
from analyzer.judge.criteria import CriteriaPack, load_pack
from analyzer.model import LEVELS, Change, ClauseTree, Report, level_rank
from analyzer.parse.ingest import read_document
from analyzer.parse.tree import parse
from analyzer.pipeline import analyze
from tests.helpers.judgement_cases import CRITERIA_IDS, CorpusPair, JudgementCase, load_cases


def tree(text: str, source: str = "version.md", language: str | None = None) -> ClauseTree:
    """Parse a version (``language`` adds a front matter when the text has none; a text with
    its own front matter, such as a base saying ``format: text``, is read as it is)."""
    head = f"---\nlanguage: {language}\n---\n" if language and not text.startswith("---\n") else ""
    return parse(read_document((head + text).encode("utf-8"), source))


def build_changes_for(
    old: ClauseTree, new: ClauseTree, embedder: Embedder | None = None
) -> tuple[Change, ...]:
    """The changes between two trees, by the pipeline's own stages (align, changes)."""
    return build_changes(old, new, align_clauses(old, new, embedder=embedder))


def judge_texts(
    old_text: str,
    new_text: str,
    *,
    pack: CriteriaPack,
    language: str = "en",
    embedder: Embedder | None = None,
) -> Report:
    """Two version bodies through the whole pipeline (:func:`analyzer.pipeline.analyze`)."""
    old = tree(old_text, "old.md", language)
    new = tree(new_text, "new.md", language)
    return analyze(old, new, pack=pack, embedder=embedder)


@dataclass(frozen=True)
class Outcome:
    """One labelled revision and what the analyzer decided."""

    name: str
    expected: str
    """Expected level (for a corpus pair: its lower bound)."""
    expected_at_most: str
    must: frozenset[str]
    allowed: frozenset[str]
    got: str
    triggered: frozenset[str]
    reasons: tuple[str, ...]
    known_miss: str = ""

    @property
    def level_ok(self) -> bool:
        return (
            level_rank(self.expected) <= level_rank(self.got) <= level_rank(self.expected_at_most)
        )

    @property
    def criteria_ok(self) -> bool:
        return self.must <= self.triggered <= self.allowed

    @property
    def ok(self) -> bool:
        return self.level_ok and self.criteria_ok

    def explain(self) -> str:
        lines = [
            f"{self.name}: decided {self.got} {sorted(self.triggered)}, expected {self.expected}"
            + (f"..{self.expected_at_most}" if self.expected_at_most != self.expected else "")
            + f" {sorted(self.must)} (also acceptable {sorted(self.allowed - self.must)})"
        ]
        lines += [f"    {r}" for r in self.reasons[:20]]
        return "\n".join(lines)


def judge_case(
    case: JudgementCase, pack: CriteriaPack, embedder: Embedder | None = None
) -> Outcome:
    j = judge_texts(
        case.old_text, case.new_text, pack=pack, language=case.language, embedder=embedder
    )
    return Outcome(
        name=case.name,
        expected=case.level,
        expected_at_most=case.level,
        must=frozenset(case.criteria),
        allowed=frozenset(case.criteria) | frozenset(case.also_acceptable),
        got=j.decision.level,
        triggered=frozenset(c.id for c in j.criteria if c.triggered),
        reasons=j.decision.reasons,
    )


def judge_pair(
    pair: CorpusPair, corpus: Path, pack: CriteriaPack, embedder: Embedder | None = None
) -> Outcome:
    old, new = pair.texts(corpus)
    j = judge_texts(old, new, pack=pack, language=pair.language, embedder=embedder)
    return Outcome(
        name=f"{pair.document}: {pair.old} -> {pair.new}",
        expected=pair.level_at_least,
        expected_at_most=pair.level_at_most,
        must=frozenset(),
        allowed=frozenset(CRITERIA_IDS),
        got=j.decision.level,
        triggered=frozenset(c.id for c in j.criteria if c.triggered),
        reasons=j.decision.reasons,
        known_miss=pair.known_miss,
    )


@lru_cache(maxsize=4)
def judged_cases(root: Path) -> tuple[Outcome, ...]:
    """Every case under ``root`` judged with the default pack, without an embedder (cached:
    several tests read the same outcomes)."""
    pack = load_pack()
    return tuple(judge_case(case, pack) for case in load_cases(root))


@dataclass
class Tally:
    """Per-criterion counts, the decision confusion matrix and the misses over outcomes."""

    criteria: tuple[str, ...] = CRITERIA_IDS
    tp: dict[str, int] = field(default_factory=dict)
    fp: dict[str, int] = field(default_factory=dict)
    fn: dict[str, int] = field(default_factory=dict)
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    pairs: int = 0
    correct: int = 0
    major_total: int = 0
    major_caught: int = 0
    editorial_total: int = 0
    editorial_raised: int = 0

    def add(self, outcome: Outcome, *, score_criteria: bool = True) -> None:
        self.pairs += 1
        key = (outcome.expected, outcome.got)
        self.confusion[key] = self.confusion.get(key, 0) + 1
        if outcome.level_ok:
            self.correct += 1
        else:
            self.misses.append(
                f"{outcome.name}: level {outcome.got}, expected {outcome.expected}"
                + (f" (known: {outcome.known_miss})" if outcome.known_miss else "")
            )
        if level_rank(outcome.expected) >= level_rank("popup"):
            self.major_total += 1
            self.major_caught += level_rank(outcome.got) >= level_rank("popup")
        else:
            self.editorial_total += 1
            self.editorial_raised += level_rank(outcome.got) >= level_rank("popup")
        if not score_criteria:
            return
        for c in self.criteria:
            hit = c in outcome.triggered
            if c in outcome.must:
                bucket = self.tp if hit else self.fn
                bucket[c] = bucket.get(c, 0) + 1
                if not hit:
                    self.misses.append(f"{outcome.name}: {c} not triggered")
            elif hit and c not in outcome.allowed:
                self.fp[c] = self.fp.get(c, 0) + 1
                self.misses.append(f"{outcome.name}: {c} triggered, not expected")

    def counts(self, c: str | None = None) -> tuple[int, int, int]:
        keys = [c] if c else list(self.criteria)
        return (
            sum(self.tp.get(k, 0) for k in keys),
            sum(self.fp.get(k, 0) for k in keys),
            sum(self.fn.get(k, 0) for k in keys),
        )

    def prf(self, c: str | None = None) -> tuple[float, float, float]:
        """Precision, recall and F1 of one criterion, or micro-averaged over all."""
        tp, fp, fn = self.counts(c)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    @property
    def major_recall(self) -> float:
        return self.major_caught / self.major_total if self.major_total else 1.0

    @property
    def editorial_raised_share(self) -> float:
        return self.editorial_raised / self.editorial_total if self.editorial_total else 0.0

    def table(self) -> str:
        lines = [
            "| criterion | TP | FP | FN | precision | recall | F1 |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in [*self.criteria, None]:
            p, r, f = self.prf(c)
            tp, fp, fn = self.counts(c)
            name = c or "**all (micro)**"
            lines.append(f"| {name} | {tp} | {fp} | {fn} | {p:.2f} | {r:.2f} | {f:.2f} |")
        return "\n".join(lines)

    def confusion_table(self) -> str:
        lines = ["| expected \\ decided | " + " | ".join(LEVELS) + " |"]
        lines.append("|---" * (len(LEVELS) + 1) + "|")
        for e in LEVELS:
            row = [str(self.confusion.get((e, g), 0)) for g in LEVELS]
            lines.append(f"| {e} | " + " | ".join(row) + " |")
        return "\n".join(lines)
