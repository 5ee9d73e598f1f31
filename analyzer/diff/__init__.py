"""Stage 3, diff: two clause trees -> :class:`~analyzer.model.Alignment` -> :class:`~analyzer.model.Change` records.

Takes the old and new :class:`~analyzer.model.ClauseTree` and gives the clause-level changes:
which clauses are the same unit (:mod:`~analyzer.diff.align`, cheapest evidence first: equal
text, character n-grams (:mod:`~analyzer.diff.similarity`), then sentence embeddings through
the :class:`~analyzer.diff.embedding.Embedder` protocol), word-level redlines
(:mod:`~analyzer.diff.redline`), and each change's kind and editorial or substantive nature
(:mod:`~analyzer.diff.changes`, :mod:`~analyzer.diff.nature`, :mod:`~analyzer.diff.tripwires`).
Pure: the model is reached only through the protocol.
"""
