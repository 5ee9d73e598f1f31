"""The text primitives every stage stands on; not a stage of its own.

Takes strings, gives strings and offsets: whitespace normalisation, content hashes and language
detection (:mod:`~analyzer.text.normalize`), numerals in digits, words, Chinese and Roman
(:mod:`~analyzer.text.numerals`), and linear-time scanning: case folding that keeps offsets,
sentence and clause boundaries, negation and modal cues (:mod:`~analyzer.text.scan`).
Imports nothing else of the analyzer.
"""
