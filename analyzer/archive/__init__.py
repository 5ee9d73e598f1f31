"""The archive site (``policy site build``, ``policy history``): a versions folder -> a static site.

Takes the versions folder and gives the public archive: every version read, parsed and analysed
through the pipeline (:mod:`~analyzer.archive.analysis`), content-keyed caching
(:mod:`~analyzer.archive.cache`), clause anchors that survive renumbering
(:mod:`~analyzer.archive.anchors`), the site model and clause lineages
(:mod:`~analyzer.archive.site`), what a revision page shows (:mod:`~analyzer.archive.data`),
the pages (:mod:`~analyzer.archive.pages`), and the build, written atomically under a lock
(:mod:`~analyzer.archive.build`, :mod:`~analyzer.archive.publish`).
"""
