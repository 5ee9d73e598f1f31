"""Run a labelled case (or any two texts) through classification and decision.

Shared by ``tests/test_judgement_decisions.py`` and ``bench/judgement_eval.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from changebuild import build_changes, tree

from analyzer.criteria import CriteriaPack
from analyzer.decide import Judgement, judge
from analyzer.embedder import Embedder
from analyzer.model import LEVELS, level_rank


def judge_texts(
    old_text: str,
    new_text: str,
    *,
    pack: CriteriaPack,
    language: str = "en",
    embedder: Embedder | None = None,
    new_meta: str = "",
) -> Judgement:
    """Parse, align, build changes and judge two version bodies."""
    old = tree(old_text, "old.md", language)
    new = tree(
        new_meta + new_text if new_meta else new_text, "new.md", None if new_meta else language
    )
    return judge(build_changes(old, new), old, new, pack=pack, embedder=embedder)


@dataclass
class Tally:
    """Per-criterion counts, decision confusion and misses over a set of labelled pairs."""

    criteria: tuple[str, ...]
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

    def add(
        self,
        name: str,
        expected_level: str,
        triggered: set[str],
        must: set[str],
        allowed: set[str],
        got_level: str,
    ) -> None:
        self.pairs += 1
        self.confusion[(expected_level, got_level)] = (
            self.confusion.get((expected_level, got_level), 0) + 1
        )
        if got_level == expected_level:
            self.correct += 1
        else:
            self.misses.append(f"{name}: level {got_level}, expected {expected_level}")
        if level_rank(expected_level) >= level_rank("popup"):
            self.major_total += 1
            self.major_caught += level_rank(got_level) >= level_rank("popup")
        else:
            self.editorial_total += 1
            self.editorial_raised += level_rank(got_level) >= level_rank("popup")
        for c in self.criteria:
            hit = c in triggered
            if c in must:
                if hit:
                    self.tp[c] = self.tp.get(c, 0) + 1
                else:
                    self.fn[c] = self.fn.get(c, 0) + 1
                    self.misses.append(f"{name}: {c} not triggered")
            elif hit and c not in allowed:
                self.fp[c] = self.fp.get(c, 0) + 1
                self.misses.append(f"{name}: {c} triggered, not expected")

    def prf(self, c: str | None = None) -> tuple[float, float, float]:
        keys = [c] if c else list(self.criteria)
        tp = sum(self.tp.get(k, 0) for k in keys)
        fp = sum(self.fp.get(k, 0) for k in keys)
        fn = sum(self.fn.get(k, 0) for k in keys)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def table(self) -> str:
        lines = [
            "| criterion | TP | FP | FN | precision | recall | F1 |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in [*self.criteria, None]:
            p, r, f = self.prf(c)
            keys = [c] if c else list(self.criteria)
            tp = sum(self.tp.get(k, 0) for k in keys)
            fp = sum(self.fp.get(k, 0) for k in keys)
            fn = sum(self.fn.get(k, 0) for k in keys)
            lines.append(
                f"| {c or '**all (micro)**'} | {tp} | {fp} | {fn} | {p:.2f} | {r:.2f} | {f:.2f} |"
            )
        return "\n".join(lines)

    def confusion_table(self) -> str:
        head = "| expected \\ decided | " + " | ".join(LEVELS) + " |"
        lines = [head, "|---" * (len(LEVELS) + 1) + "|"]
        for e in LEVELS:
            row = [str(self.confusion.get((e, g), 0)) for g in LEVELS]
            lines.append(f"| {e} | " + " | ".join(row) + " |")
        return "\n".join(lines)
