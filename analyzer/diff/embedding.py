"""What the pure core asks of a sentence-embedding model: the :class:`Embedder` protocol.

Alignment and the judgement's prototype detector take any object with a ``model_id`` and an
``embed`` method; tests inject fakes. The real one, which loads sentence-transformers and keeps
vectors on disk, is :mod:`analyzer.embedder`, an edge the core never imports (a layer rule in
``analyzer/diff/ruff.toml``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

__all__ = ["Embedder", "EmbedderUnavailable", "Vectors", "supports_language"]

Vectors = npt.NDArray[np.float32]
"""One row per text."""


class EmbedderUnavailable(Exception):
    """No embedding model can be used here; ``reason`` says why, for the report."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@runtime_checkable
class Embedder(Protocol):
    """What alignment needs from an embedding model (tests inject fakes)."""

    @property
    def model_id(self) -> str:
        """Names the model and its weights, for reports and cache keys."""
        ...

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One L2-normalised row per text, in order."""
        ...


def supports_language(embedder: object, language: str) -> bool:
    """Whether ``embedder`` reads texts of ``language`` (``en``, ``zh``, ``zh-CN`` …).

    An embedder may say which languages it reads with a ``languages`` attribute (a set of
    codes, or None for any); one that does not is taken to read English only, like MiniLM.
    """
    languages = getattr(embedder, "languages", frozenset({"en"}))
    if languages is None:
        return True
    return language.split("-")[0].split("_")[0].lower() in languages
