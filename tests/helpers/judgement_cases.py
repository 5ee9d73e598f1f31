"""The labelled judgement set: version pairs with the decision a reviewer expects.

Layout (``tests/cases/judgement/``, described for reviewers in its README.md):

- ``<name>/case.yaml`` — one revision written as edits of a base text::

      why: The reply deadline for rights requests goes from 15 to 60 days.
      base: seed            # the shipped seed version, or a file of bases/ (zh-excerpt)
      language: en          # en | zh
      level: consent        # none | publish | popup | consent
      criteria: ['9.2', 9.4.4]    # criteria that must be triggered
      also_acceptable: []   # criteria that may be triggered too (optional)
      edits:                # applied in order; each find must occur exactly once
        - find: We will reply within 15 days.
          replace: We will reply within 60 days.

  ``base`` may also be ``corpus:<path under the shared corpus>`` (a real version, read from
  ``../shared/corpus``, never copied). A real revision is written as two corpus versions and
  no edits (the blind sets' "Form B")::

      old: corpus:mozilla-legal-docs/firefox-privacy-notice-en/2022-05-23.md
      new: corpus:mozilla-legal-docs/firefox-privacy-notice-en/2022-06-17.md

- ``bases/<name>.md`` — base texts other than the seed (our own Chinese excerpt).
- ``corpus-pairs.yaml`` — revisions of the shared corpus whose source labels materiality,
  referenced by path (the corpus is never copied): material -> at least ``popup``,
  not material -> ``publish``.

:func:`load_cases` materialises every case as (old text, new text, expectation); the
classifier stage asserts its decisions against them, this stage measures its extractors on
them (``tests/test_judgement_set.py``, ``bench/judgement_vocab.py``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analyzer.model import LEVELS, level_rank
from analyzer.parse.ingest import read_document

ROOT = Path(__file__).resolve().parents[2]
JUDGEMENT = ROOT / "tests" / "cases" / "judgement"
HOLDOUT = ROOT / "tests" / "cases" / "judgement-holdout"
"""Labelled pairs written once and never tuned on (see its README.md)."""
BLIND2 = ROOT / "tests" / "cases" / "judgement-blind2"
BLIND3 = ROOT / "tests" / "cases" / "judgement-blind3"
"""The third blind set: written and committed before any evaluation (see its README.md)."""
BLIND4 = ROOT / "tests" / "cases" / "judgement-blind4"
"""Real English policies other than the seed and GitHub's (Automattic, Firefox, Basecamp)."""
BLIND5 = ROOT / "tests" / "cases" / "judgement-blind5"
"""Chinese: the Firefox zh-CN notice and an invented mainland app policy."""
BLIND6 = ROOT / "tests" / "cases" / "judgement-blind6"
"""Big multi-section rewrites with labelled criteria (invented bases and corpus revisions)."""
BLIND7 = ROOT / "tests" / "cases" / "judgement-blind7"
"""Mixed: real corpus text, two invented English policies, a Chinese app policy (issue 13)."""
FINAL1 = ROOT / "tests" / "cases" / "judgement-final1"
"""The first final set of issue 13: run once untouched, then seen and used (BENCHMARKS.md)."""
FINAL2 = ROOT / "tests" / "cases" / "judgement-final2"
"""The second final set of issue 13: run once untouched at 80c0d39, then seen and used."""
BLIND8 = ROOT / "tests" / "cases" / "judgement-blind8"
"""Third round: corpus text, a telehealth and a camera policy, a Chinese car-rental app."""
FINAL3 = ROOT / "tests" / "cases" / "judgement-final3"
"""The third final set of issue 13: run once untouched at 471dde4, then seen and used."""
BLIND9 = ROOT / "tests" / "cases" / "judgement-blind9"
"""Fourth round: corpus text, a hotel-booking and a thermostat policy, a Chinese bike-sharing app."""
FINAL4 = ROOT / "tests" / "cases" / "judgement-final4"
"""The fourth final set of issue 13: run once untouched at 5c7c156, then seen and used."""
BLIND10 = ROOT / "tests" / "cases" / "judgement-blind10"
"""Fifth round: corpus text, a car-sharing and a school-messaging policy, a Chinese checkup app."""
FINAL5 = ROOT / "tests" / "cases" / "judgement-final5"
"""The fifth final set of issue 13: run once untouched at 85f7c94, then seen and used."""
BLIND11 = ROOT / "tests" / "cases" / "judgement-blind11"
"""Sixth round: corpus text, a music-streaming and a parking app, a Chinese second-hand market."""
FINAL6 = ROOT / "tests" / "cases" / "judgement-final6"
"""The sixth final set of issue 13: run once untouched at 319fa25, then seen and used."""
CORPUS = Path(os.environ.get("POLICY_SHARED", ROOT.parent / "shared")) / "corpus"
"""The shared corpus (``../shared/corpus``), read in place by ``corpus:`` references."""
SEED_VERSION = ROOT / "policy_versions" / "alibaba-cloud-privacy" / "2023-05-26.md"
CRITERIA_IDS = ("9.4.1", "9.4.2", "9.4.3", "9.4.4", "9.4.5", "9.4.6", "9.2")
_CASE_KEYS = {"why", "base", "language", "level", "criteria", "also_acceptable", "edits"}
_REAL_KEYS = {"why", "old", "new", "language", "level", "criteria", "also_acceptable"}
CORPUS_PREFIX = "corpus:"


TRIPPING_LOOKALIKES = {
    "editorial-real-name-grammar": "'you need to go' -> 'you need to make': a modal moves",
    "editorial-retention-reworded": "'we will only retain' -> 'we keep … only': a modal goes",
    "editorial-sharing-principle-reworded": "'we will not share' -> 'is not shared': a modal goes",
    "shop-editorial-contact-reworded": "'can be reached at' -> 'You can reach … by email'",
    "shop-editorial-retention-reworded": "'is deleted' -> 'We delete': a right word appears",
    "shop-editorial-unsubscribe-condition": "'if you would rather not receive them': a negation "
    "and a modal appear",
    "zh-editorial-contact-reworded": "可以 -> 可: a modal changes form",
    "zh-travel-editorial-contact-reworded": "可 -> 可以 / 也可以: modals move",
    "editorial-withdrawal-cease": "'will no longer process' -> 'cease to process': a negation "
    "and a modal go, a verb of ceasing says the same",
}
"""Editorial look-alikes whose tokens do change (a modal verb moves, a right word appears in a
rewording): the nature stage calls them substantive, and the classifier must still find no
criterion in them (tests/test_judgement_decisions.py asserts that it does not)."""


class CaseError(ValueError):
    """A case file is malformed or an edit does not apply exactly once."""


class CorpusUnavailable(CaseError):
    """A case reads the shared corpus, and it is not there (tests skip such sets)."""


@dataclass(frozen=True)
class Edit:
    find: str
    replace: str


@dataclass(frozen=True)
class JudgementCase:
    """One labelled revision."""

    name: str
    """Folder name, e.g. ``9.2-reply-deadline-60-days``."""
    why: str
    """One line: what changed and why it deserves this level."""
    base: str
    """``seed``, the name of a file in ``bases/``, ``corpus:<path>``; for a real revision
    ``corpus:<old path> -> corpus:<new path>``."""
    language: str
    level: str
    """Expected decision level."""
    criteria: tuple[str, ...]
    """Criteria that must be triggered."""
    also_acceptable: tuple[str, ...]
    """Criteria that may be triggered as well; any other is a false positive."""
    edits: tuple[Edit, ...]
    old_text: str
    new_text: str

    @property
    def major(self) -> bool:
        """The revision needs at least a pop-up notice."""
        return level_rank(self.level) >= level_rank("popup")

    @property
    def editorial(self) -> bool:
        """The revision changes no meaning (level ``none`` or ``publish``)."""
        return not self.major


def corpus_text(reference: str, corpus: Path | None = None) -> str:
    """The body of a corpus version named ``corpus:<path>`` (front matter removed, as the
    analyzer reads it). Raises :class:`CorpusUnavailable` when the corpus is absent."""
    corpus = CORPUS if corpus is None else corpus
    if not corpus.is_dir():
        raise CorpusUnavailable(f"{reference}: the corpus is not available at {corpus}")
    relative = reference.removeprefix(CORPUS_PREFIX)
    path = (corpus / relative).resolve()
    if not path.is_relative_to(corpus.resolve()) or not path.is_file():
        raise CaseError(f"{reference}: no such corpus file")
    return read_document(path.read_bytes(), path.name).text


def uses_corpus(root: Path) -> bool:
    """Whether some case under ``root`` reads the shared corpus."""
    return any(
        CORPUS_PREFIX in p.read_text(encoding="utf-8") for p in sorted(root.glob("*/case.yaml"))
    )


def base_text(base: str, root: Path = JUDGEMENT) -> str:
    """The text a case edits: the body of the shipped seed version, a corpus version
    (``corpus:<path>``), or ``<root>/bases/<base>.md``."""
    if base.startswith(CORPUS_PREFIX):
        return corpus_text(base)
    if base == "seed":
        return read_document(SEED_VERSION.read_bytes(), str(SEED_VERSION)).text
    path = root / "bases" / f"{base}.md"
    if not path.is_file():
        raise CaseError(f"unknown base {base!r} (no {path.relative_to(ROOT)})")
    return path.read_text(encoding="utf-8")


def apply_edits(text: str, edits: tuple[Edit, ...], where: str) -> str:
    """Apply find/replace edits in order; each ``find`` must occur exactly once."""
    for i, edit in enumerate(edits):
        count = text.count(edit.find)
        if count != 1:
            raise CaseError(
                f"{where}: edit {i + 1}: 'find' occurs {count} times: {edit.find[:60]!r}"
            )
        text = text.replace(edit.find, edit.replace)
    return text


def load_case(folder: Path) -> JudgementCase:
    """Read and materialise ``<folder>/case.yaml``."""
    where = str(folder.relative_to(ROOT) / "case.yaml")
    data = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise CaseError(f"{where}: expected a mapping")
    real = "old" in data or "new" in data
    unknown = set(data) - (_REAL_KEYS if real else _CASE_KEYS)
    if unknown:
        raise CaseError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("why", "level", "criteria", *(("old", "new") if real else ("edits",))):
        if key not in data:
            raise CaseError(f"{where}: missing {key!r}")
    level = data["level"]
    if level not in LEVELS:
        raise CaseError(f"{where}: level {level!r} is not one of {LEVELS}")
    criteria = _ids(data["criteria"], where)
    also = _ids(data.get("also_acceptable", []), where)
    if (level in ("none", "publish")) != (not criteria):
        raise CaseError(
            f"{where}: a {level} case must list {'no' if not criteria else 'some'} criteria"
        )
    if level == "consent" and "9.2" not in criteria:
        raise CaseError(f"{where}: a consent case must list 9.2")
    if real:
        refs = [str(data["old"]), str(data["new"])]
        if not all(r.startswith(CORPUS_PREFIX) for r in refs):
            raise CaseError(f"{where}: old and new must be corpus:<path> references")
        return JudgementCase(
            name=folder.name,
            why=str(data["why"]),
            base=" -> ".join(refs),
            language=str(data.get("language", "en")),
            level=level,
            criteria=criteria,
            also_acceptable=also,
            edits=(),
            old_text=corpus_text(refs[0]),
            new_text=corpus_text(refs[1]),
        )
    raw_edits = data["edits"]
    if not isinstance(raw_edits, list) or not raw_edits:
        raise CaseError(f"{where}: 'edits' must be a non-empty list")
    edits = []
    for e in raw_edits:
        if not isinstance(e, dict) or set(e) != {"find", "replace"}:
            raise CaseError(f"{where}: each edit is {{find, replace}}, got {e!r}")
        if not isinstance(e["find"], str) or not e["find"] or not isinstance(e["replace"], str):
            raise CaseError(f"{where}: find must be a non-empty string, replace a string")
        edits.append(Edit(e["find"], e["replace"]))
    base = str(data.get("base", "seed"))
    old = base_text(base, folder.parent)
    new = apply_edits(old, tuple(edits), where)
    return JudgementCase(
        name=folder.name,
        why=str(data["why"]),
        base=base,
        language=str(data.get("language", "en")),
        level=level,
        criteria=criteria,
        also_acceptable=also,
        edits=tuple(edits),
        old_text=old,
        new_text=new,
    )


def _ids(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise CaseError(f"{where}: criteria must be a list")
    out = []
    for v in value:
        if not isinstance(v, str):
            raise CaseError(f"{where}: criterion {v!r} must be a quoted string")
        if v not in CRITERIA_IDS:
            raise CaseError(f"{where}: unknown criterion {v!r}")
        out.append(v)
    return tuple(out)


def load_cases(root: Path = JUDGEMENT) -> list[JudgementCase]:
    """Every case under ``root``, sorted by name."""
    return [load_case(p.parent) for p in sorted(root.glob("*/case.yaml"))]


# --------------------------------------------------------------------------- corpus pairs


@dataclass(frozen=True)
class CorpusPair:
    """A revision of the shared corpus whose source labels its materiality."""

    document: str
    """``<source>/<document-slug>`` under the corpus folder."""
    old: str
    """File name of the earlier version."""
    new: str
    """File name of the later version."""
    materiality: str
    """``material`` or ``not_material``, as the source says."""
    level_at_least: str
    """``popup`` for material, ``publish`` for not material."""
    level_at_most: str
    """``consent`` for material, ``publish`` for not material."""
    basis: str
    """Why the source says so (from ``versions.json``)."""
    known_miss: str = ""
    """Why the analyzer disagrees with the source on this pair ('' when it should agree);
    tests expect the disagreement (strict xfail), so that a fix shows."""

    def texts(self, corpus: Path) -> tuple[str, str]:
        """Old and new text, read from the corpus (never copied into the project)."""
        folder = corpus / self.document
        return (
            read_document((folder / self.old).read_bytes(), self.old).text,
            read_document((folder / self.new).read_bytes(), self.new).text,
        )

    @property
    def language(self) -> str:
        return "zh" if re.search(r"zh", self.document) else "en"


def load_corpus_pairs(root: Path = JUDGEMENT) -> list[CorpusPair]:
    """The pairs listed in ``corpus-pairs.yaml``."""
    data = yaml.safe_load((root / "corpus-pairs.yaml").read_text(encoding="utf-8"))
    pairs = []
    for item in data["pairs"]:
        material = item["materiality"] == "material"
        pairs.append(
            CorpusPair(
                document=item["document"],
                old=item["old"],
                new=item["new"],
                materiality=item["materiality"],
                level_at_least="popup" if material else "publish",
                level_at_most="consent" if material else "publish",
                basis=item["basis"],
                known_miss=str(item.get("known_miss", "")),
            )
        )
    return pairs


# --------------------------------------------------------------------------- measuring signals


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, whitespace squashed: a stand-in for the clause parser
    that lets this stage measure itself without depending on it."""
    return [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


def changed_pairs(old: str, new: str) -> list[tuple[str, str]]:
    """(old paragraph, new paragraph) for every paragraph that changed; '' for one added or
    removed. Paragraphs are aligned by difflib on their squashed text."""
    import difflib

    a, b = paragraphs(old), paragraphs(new)
    pairs: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            pairs.append((olds[k] if k < len(olds) else "", news[k] if k < len(news) else ""))
    return pairs


@dataclass(frozen=True)
class Signals:
    """What this stage's extractors see in one revision."""

    pairs: tuple[tuple[str, str], ...]
    tripwires: tuple[Any, ...]
    """Every tripwire of every changed paragraph pair."""
    fact_kinds: frozenset[str]
    """Kinds with a fact difference in a changed pair or across the document."""
    deltas: tuple[Any, ...]
    """The fact deltas: one per changed pair, then the document's."""
    restrictions: tuple[str, ...]
    """Evidence lines of the consent criterion's restriction patterns."""
    rights_clause_flips: tuple[str, ...]
    """Negation or modality tripwires in a changed pair whose old text states a right."""
    promises_broken: tuple[tuple[str, str], ...] = ()
    """What the statement model of the whole policy finds restricting (a promise not to share
    reversed or withdrawn, a right no longer granted): each change's detail and the old
    statement's words."""

    @property
    def tripwire_kinds(self) -> frozenset[str]:
        return frozenset(t.kind for t in self.tripwires)

    def touches(self, spec: str) -> bool:
        """A fact difference concerns ``spec`` (``kind`` or ``kind:value``)."""
        return any(delta.touches(spec) for delta in self.deltas)


def signals(old: str, new: str, language: str, pack: Any) -> Signals:
    """Tripwires, fact deltas and restriction evidence between two versions."""
    from analyzer.diff.tripwires import find_tripwires
    from analyzer.facts.compare import diff_document_facts, diff_texts
    from analyzer.facts.extract import extract_facts

    pairs = changed_pairs(old, new)
    wires: list[Any] = []
    kinds: set[str] = set()
    deltas = []
    flips: list[str] = []
    for o, n in pairs:
        found = find_tripwires(o, n, language=language)
        wires += found
        delta = diff_texts(o, n, language)
        deltas.append(delta)
        kinds |= delta.kinds()
        if any(t.kind in ("negation", "modality") for t in found) and any(
            f.kind == "right" for f in extract_facts(o, language)
        ):
            flips += [
                f"{t.kind}: {t.before!r} -> {t.after!r}"
                for t in found
                if t.kind in ("negation", "modality")
            ]
    doc = diff_document_facts(
        {str(i): p for i, p in enumerate(paragraphs(old))},
        {str(i): p for i, p in enumerate(paragraphs(new))},
        language,
    )
    deltas.append(doc)
    kinds |= doc.kinds()
    evidence: list[str] = []
    for criterion in pack.criteria:
        for restriction in criterion.restrictions:
            for delta in deltas:
                evidence += restriction.evidence(delta)
    return Signals(
        tuple(pairs),
        tuple(wires),
        frozenset(kinds),
        tuple(deltas),
        tuple(sorted(set(evidence))),
        tuple(flips),
        _promises_broken(old, new, language),
    )


def _promises_broken(old: str, new: str, language: str) -> tuple[tuple[str, str], ...]:
    """The restricting statement changes between two versions read whole, as the judgement
    reads them (:mod:`analyzer.statements`)."""
    from analyzer.parse.tree import parse
    from analyzer.statements import compare_statements, statements_of

    def statements(text: str, name: str) -> Any:
        head = f"---\nlanguage: {language}\n---\n" if not text.startswith("---\n") else ""
        return statements_of(parse(read_document((head + text).encode("utf-8"), name)))

    delta = compare_statements(statements(old, "old.md"), statements(new, "new.md"))
    return tuple(
        (sc.detail, sc.before.text if sc.before else "") for sc in delta.changes if sc.restricts
    )
