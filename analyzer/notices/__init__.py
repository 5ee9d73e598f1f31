"""Stage 5, notices: a :class:`~analyzer.model.Report` -> the pop-up, change-log entry and e-mail users are shown.

Takes a report and a language and gives the notices: one plain-language sentence per change
(:mod:`~analyzer.notices.sentences`, worded by ``notices/<lang>/sentences.yaml`` through
:mod:`~analyzer.notices.patterns`), the data a template receives
(:mod:`~analyzer.notices.context`), safe links (:mod:`~analyzer.notices.links`) and the
Jinja2 templates of ``notices/`` filled with it (:mod:`~analyzer.notices.render`).
"""
