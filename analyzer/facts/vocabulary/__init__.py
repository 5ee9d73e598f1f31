"""The words behind the fact kinds: which phrases, in English and Simplified Chinese, name a
category of personal information, a purpose, a recipient, a right, a channel and so on.

This module is data. :mod:`analyzer.facts.extract` compiles it into one matcher per language; nothing
here is fitted to one policy's sentences. Each entry maps a fact kind to its canonical values,
and each value to the phrases that express it.

Notation inside a phrase (English):

- ``{a,b,c}`` expands into one phrase per alternative (``partner{,s}`` is ``partner`` and
  ``partners``); several groups multiply out;
- a space matches any run of whitespace (re-wrapped text still matches);
- a hyphen matches a hyphen, whitespace or nothing (``e-mail`` matches ``email`` and ``e mail``);
- an apostrophe matches ``'`` or ``’``.

Matching is case-insensitive. English phrases match whole words only; Chinese phrases match
anywhere, and a space in a Chinese phrase is optional (``IP 地址`` matches ``IP地址``).

:data:`STOP_PHRASES` are phrases that contain a vocabulary word but mean something else
(``in charge of`` is not a fee, ``unauthorized access`` is not the right of access): they are
matched and dropped, so the shorter word inside them is not reported.

The data is kept in one module per group of kinds: :mod:`~analyzer.facts.vocabulary.information`,
:mod:`~analyzer.facts.vocabulary.use`, :mod:`~analyzer.facts.vocabulary.rights`,
:mod:`~analyzer.facts.vocabulary.contacts` and :mod:`~analyzer.facts.vocabulary.events`;
:data:`VOCABULARY` joins them in that order.
"""

from __future__ import annotations

from analyzer.facts.vocabulary.contacts import CONTACTS
from analyzer.facts.vocabulary.events import EVENTS
from analyzer.facts.vocabulary.information import INFORMATION
from analyzer.facts.vocabulary.rights import RIGHTS
from analyzer.facts.vocabulary.terms import Terms, Vocabulary
from analyzer.facts.vocabulary.use import USE

__all__ = ["STOP_PHRASES", "VOCABULARY", "Terms", "Vocabulary"]

VOCABULARY: Vocabulary = {**INFORMATION, **USE, **RIGHTS, **CONTACTS, **EVENTS}
"""Fact kind -> canonical value -> the phrases that express it."""

STOP_PHRASES = Terms(
    en=(
        "in charge of",
        "free to",
        "feel free",
        "unauthori{s,z}ed access",
        "access control{,s}",
        "access control mechanism{,s}",
        "access token{,s}",
        "public safety",
        "public health",
        "public interest{,s}",
        "public information",
        "public area",
        "public security",
        "not limited to",
        "log in",
        "log into",
        "log on",
        "log out",
        "log off",
        "logged in",
        "copyright{,s}",
        "carbon copy",
        "form of",
        "in the form",
        "in any form",
        "correct answer",
        "data center{,s}",
        "data centre{,s}",
        "content, scope and purpose",
        "court order{,s}",
    ),
    zh=(
        "不限于",
        "公开信息",
        "公共安全",
        "公共卫生",
        "公共利益",
        "数据中心",
        "安全措施",
        "个人信息安全",
    ),
)
"""Phrases matched and dropped, so that a vocabulary word inside them is not read as a fact."""
