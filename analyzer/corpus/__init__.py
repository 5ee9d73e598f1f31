"""Stage ``corpus``: an archive of many policies in, two Parquet tables out.

Takes a folder of versions (the ``policy_versions/`` layout, or the corpus layout
``<source>/<document>/<date>[-N].md`` with ``versions.json``) and gives one row per revision and
one row per finding, computed by the diff pipeline (:func:`analyzer.pipeline.analyze`) on
processes of this machine or on a Dask cluster, resumable and incremental; then the questions
archive users ask of those tables (:mod:`analyzer.corpus.report`).

Modules, in the order a run uses them:

- :mod:`~analyzer.corpus.listing`: find the policies, their versions in order, and the revisions;
- :mod:`~analyzer.corpus.declared`: what a version says it announced (front matter ``notice:``,
  or the corpus's ``versions.json``);
- :mod:`~analyzer.corpus.work`: what a worker does with a batch of revisions (the pipeline, one
  embedder per worker process);
- :mod:`~analyzer.corpus.engine`: where batches run (local processes or Dask); the only module
  that imports dask;
- :mod:`~analyzer.corpus.table`: the Parquet tables; the only module that imports pyarrow;
- :mod:`~analyzer.corpus.run`: one ``policy corpus analyze``: list, skip what is done, run,
  assemble;
- :mod:`~analyzer.corpus.report`: ``policy corpus report``: the terminal table and the HTML page.
"""

from __future__ import annotations

from analyzer.errors import PolicyError


def missing_extra(module: str) -> PolicyError:
    """The one-line error for a library of the ``corpus`` extra that is not installed."""
    return PolicyError(
        f"{module} is not installed: install the corpus extra "
        "(pip install -c constraints.txt -e '.[corpus]')"
    )
