"""The working state of one extraction, shared by every extractor: the text, its ASCII
lower-cased copy, the facts found so far and the spans value-like facts have claimed.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from analyzer.facts.types import Fact

# --------------------------------------------------------------------------- extractors


@dataclass
class Scan:
    """Working state of one extraction: the text, what was found, which spans are taken."""

    text: str
    lower: str
    facts: list[Fact] = field(default_factory=list)
    taken: list[tuple[int, int]] = field(default_factory=list)
    """Spans of value-like facts (URL, e-mail, date, phone …) later patterns must not reuse."""
    _reversed: str | None = None

    def reversed(self) -> str:
        """The text reversed (for reading words right to left), computed once."""
        if self._reversed is None:
            self._reversed = self.text[::-1]
        return self._reversed

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.taken, (start, start))
        if i > 0 and self.taken[i - 1][1] > start:
            return True
        return i < len(self.taken) and self.taken[i][0] < end

    def add(
        self,
        kind: str,
        value: str,
        start: int,
        end: int,
        *,
        magnitude: float | None = None,
        exclusive: bool = False,
    ) -> bool:
        """Record a fact; an ``exclusive`` one is refused when it overlaps a taken span, and
        takes its own span when recorded."""
        if exclusive:
            if self.overlaps(start, end):
                return False
            bisect.insort(self.taken, (start, end))
        self.facts.append(
            Fact(kind, value, self.text[start:end], (start, end), magnitude=magnitude)
        )
        return True


Extractor = Callable[[Scan], None]
