"""The versions store: the only code that reads ``policy_versions/``, the disk or git.

Takes what the user names (a path, ``POLICY@VERSION``, ``git:REV:PATH``, a versions folder, a
git commit) and gives bytes and :class:`~analyzer.model.Document` objects: the versions folder
and its ``policy.yaml`` (:mod:`~analyzer.store.versions`), the ``PUBLISHED`` ledger
(:mod:`~analyzer.store.ledger`), bounded file reads and atomic writes
(:mod:`~analyzer.store.files`), the one git runner (:mod:`~analyzer.store.git`), the
folder as a snapshot on disk or at a commit (:mod:`~analyzer.store.snapshot`), and a policy's
past brought in from a history (:mod:`~analyzer.store.importing`: a file's commits in git, a
folder of dated files, an Open Terms Archive dataset, named by :mod:`~analyzer.store.histories`).
"""
