"""Stage 1, parse: bytes -> :class:`~analyzer.model.Document` -> :class:`~analyzer.model.ClauseTree`.

Takes the bytes of a version (plain text, Markdown or HTML, with YAML front matter) and gives
its clause tree: decoding and front matter (:mod:`~analyzer.parse.ingest`,
:mod:`~analyzer.parse.frontmatter`), one block reader per format (:mod:`~analyzer.parse.text`,
:mod:`~analyzer.parse.markdown`, :mod:`~analyzer.parse.html`), clause numbers
(:mod:`~analyzer.parse.numbering`), and the builder that nests blocks into clauses
(:func:`analyzer.parse.tree.parse`). Pure: no file is read here.
"""
