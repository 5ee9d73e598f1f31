"""The phrases of one canonical value, in English and Simplified Chinese."""

from __future__ import annotations

from typing import NamedTuple


class Terms(NamedTuple):
    """The phrases of one canonical value, per language."""

    en: tuple[str, ...] = ()
    zh: tuple[str, ...] = ()


Vocabulary = dict[str, dict[str, Terms]]
