"""Stage 2, facts: clause text -> :class:`~analyzer.facts.types.Fact` records, and the difference of two sets of them.

Takes a text (English, Simplified Chinese or a mix) and gives what it states: categories of
personal information, purposes, recipients, rights and their channels, contacts, durations …
(:func:`analyzer.facts.extract.facts_of`), from the vocabulary data
(:mod:`~analyzer.facts.vocabulary`); compares the facts of two texts
(:mod:`~analyzer.facts.compare`) and turns the difference into items a reader is told
(:mod:`~analyzer.facts.items`). Pure, linear in the length of the text.
"""
