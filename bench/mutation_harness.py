"""Mutation harness for clause alignment (issue 3 acceptance).

Takes real clause trees, applies known edits — words changed in place, clauses deleted and
inserted, clauses and whole sections moved, clauses split in two and merged — while keeping the
true correspondence, aligns the result with :func:`analyzer.diff.align.align_clauses`, and scores:

- **correspondence F1**: over (old clause, new clause) pairs, splits and merges counted part by
  part, removed and added clauses by being left out;
- **move recall**: of the subtrees really moved, the share whose root is reported ``moved``;
  **move precision**: of the reported moves, the share that are real.

Usage::

    python bench/mutation_harness.py [--trials 20] [--seed 1] [--corpus DIR]

Trees are parsed (``analyzer.parse.tree``) from the shipped seed policy and, with ``--corpus``, from
the latest version of each corpus document. Everything is seeded: the same command prints the same figures.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.diff.align import align_clauses, matched_pairs  # noqa: E402
from analyzer.model import Alignment, Clause, ClauseTree  # noqa: E402
from analyzer.parse.ingest import read_document  # noqa: E402
from analyzer.parse.tree import parse  # noqa: E402
from analyzer.text.normalize import content_hash  # noqa: E402

INSERTS = [
    "We may use automated decision-making to detect fraudulent transactions on your account.",
    "If you live in the European Economic Area, you may lodge a complaint with your supervisory authority.",
    "We keep backups for thirty days, after which they are overwritten.",
    "Our representative in the United Kingdom can be reached at the address below.",
    "You can ask us for a copy of your data in a machine-readable format.",
    "We use web beacons in e-mails to learn whether a message was opened.",
    "Payment card details are processed by our payment provider and never stored by us.",
    "We review this notice at least once a year.",
    "我们会定期审查本政策，并在发生重大变更时通知您。",
    "如果您对本政策有任何疑问，可以通过客服热线与我们联系。",
]
PHRASES = [
    "where permitted by law",
    "as described in this policy",
    "without undue delay",
    "in accordance with applicable regulations",
    "at our discretion",
]
_SENTENCE_END = re.compile(r"(?<=[.;!?。；！？])\s*")


@dataclass(eq=False)
class Node:
    """A clause being edited: where it came from and where it now hangs."""

    origin: tuple[str, ...]
    heading: str | None
    text: str
    number: tuple[int, ...]
    kind: str
    label: str | None
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    touched: bool = False
    """Already mutated: later mutations leave it alone, so the truth stays simple."""


@dataclass
class Truth:
    pairs: set[tuple[str, str]]
    moved: list[frozenset[str]]
    """Each move, as the old ids that may be reported for it: the moved subtree's root, or
    either section of a swap (both descriptions are right)."""
    mutations: list[str]


@dataclass
class Score:
    true_pairs: int = 0
    predicted_pairs: int = 0
    correct_pairs: int = 0
    moves: int = 0
    moves_found: int = 0
    moves_reported: int = 0
    moves_reported_true: int = 0
    trials: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)

    def add(self, truth: Truth, al: Alignment) -> None:
        predicted = set(matched_pairs(al))
        self.true_pairs += len(truth.pairs)
        self.predicted_pairs += len(predicted)
        self.correct_pairs += len(predicted & truth.pairs)
        moved_old = {o for m in al.matches if m.moved for o in m.old[:1]}
        acceptable = set().union(*truth.moved) if truth.moved else set()
        self.moves += len(truth.moved)
        self.moves_found += sum(1 for options in truth.moved if options & moved_old)
        self.moves_reported += len(moved_old)
        self.moves_reported_true += len(moved_old & acceptable)
        self.trials += 1
        for o, n in sorted(truth.pairs - predicted)[:3]:
            self.misses.append(f"missed {o}->{n} ({'; '.join(truth.mutations)})")

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def move_recall(self) -> float:
        return self.moves_found / self.moves if self.moves else 1.0

    @property
    def move_precision(self) -> float:
        return self.moves_reported_true / self.moves_reported if self.moves_reported else 1.0


# -- trees <-> nodes ---------------------------------------------------------------------------


def to_nodes(tree: ClauseTree) -> list[Node]:
    """The tree's top-level nodes, children in document order."""
    nodes: dict[str, Node] = {}
    roots: list[Node] = []
    for c in tree.clauses:
        node = Node((c.id,), c.heading, c.text, c.number, c.kind, c.label)
        nodes[c.id] = node
        parent = nodes.get(c.parent) if c.parent else None
        if parent is None:
            roots.append(node)
        else:
            node.parent = parent
            parent.children.append(node)
    return roots


def _preorder(nodes: Iterable[Node]) -> Iterable[Node]:
    for node in nodes:
        yield node
        yield from _preorder(node.children)


def to_tree(roots: list[Node], language: str) -> tuple[ClauseTree, dict[Node, str]]:
    """Flatten nodes (preorder) into a clause tree with fresh ids."""
    ids: dict[Node, str] = {}
    clauses: list[Clause] = []
    for k, node in enumerate(_preorder(roots), start=1):
        ids[node] = f"n{k}"
        depth = 0
        up = node.parent
        while up is not None:
            depth += 1
            up = up.parent
        hashed = " ".join(p for p in (node.heading, node.text) if p)
        clauses.append(
            Clause(
                id=ids[node],
                label=node.label,
                number=node.number,
                heading=node.heading,
                text=node.text,
                parent=ids[node.parent] if node.parent is not None else None,
                depth=depth,
                lines=(k, k),
                hash=content_hash(hashed),
                kind=node.kind,  # type: ignore[arg-type]
            )
        )
    return ClauseTree(source="mutated", meta={}, clauses=tuple(clauses), language=language), ids


# -- mutations ---------------------------------------------------------------------------------


def _siblings(node: Node, roots: list[Node]) -> list[Node]:
    return node.parent.children if node.parent is not None else roots


def _detach(node: Node, roots: list[Node]) -> int:
    siblings = _siblings(node, roots)
    index = siblings.index(node)
    siblings.pop(index)
    return index


def _size(node: Node) -> int:
    return 1 + sum(_size(c) for c in node.children)


def _words(node: Node) -> list[str]:
    return node.text.split(" ")


def edit_in_place(rng: random.Random, roots: list[Node], log: list[str]) -> bool:
    """Change a few words of a clause of at least twelve words (or a Chinese phrase)."""
    pool = [
        n
        for n in _preorder(roots)
        if not n.touched and n.origin and (len(n.text.split()) >= 12 or len(n.text) >= 30)
    ]
    if not pool:
        return False
    node = rng.choice(pool)
    words = _words(node)
    how = rng.choice(["replace", "insert", "delete", "number", "reword"])
    if len(words) < 4:  # Chinese: edit characters
        k = rng.randrange(max(1, len(node.text) - 4))
        node.text = node.text[:k] + rng.choice(["不", "及其关联公司", "或"]) + node.text[k + 2 :]
    elif how == "replace":
        k = rng.randrange(len(words) - 2)
        words[k : k + 2] = rng.sample(["our", "partners", "promptly", "records", "shall"], 2)
        node.text = " ".join(words)
    elif how == "insert":
        k = rng.randrange(1, len(words))
        words[k:k] = rng.choice(PHRASES).split()
        node.text = " ".join(words)
    elif how == "delete":
        k = rng.randrange(len(words) - 3)
        del words[k : k + rng.randint(1, 3)]
        node.text = " ".join(words)
    elif how == "reword":  # a heavy edit: about a third of the words replaced or dropped
        vocabulary = ["information", "data", "we", "may", "your", "services", "use", "with"]
        for k in rng.sample(range(len(words)), len(words) // 3):
            words[k] = rng.choice(vocabulary) if rng.random() < 0.7 else ""
        node.text = " ".join(w for w in words if w)
    else:
        node.text = node.text + " This applies within 30 days."
    node.touched = True
    log.append(f"edit {node.origin[0]} ({how})")
    return True


def delete_clause(rng: random.Random, roots: list[Node], log: list[str]) -> bool:
    pool = [
        n for n in _preorder(roots) if not n.children and n.parent is not None and not n.touched
    ]
    if not pool:
        return False
    node = rng.choice(pool)
    _detach(node, roots)
    log.append(f"delete {node.origin[0]}")
    return True


def insert_clause(rng: random.Random, roots: list[Node], log: list[str]) -> bool:
    parents = [n for n in _preorder(roots) if n.children]
    if not parents:
        return False
    parent = rng.choice(parents)
    text = rng.choice(INSERTS)
    node = Node((), None, text, (*parent.number, 99), "clause", None, parent=parent, touched=True)
    parent.children.insert(rng.randrange(len(parent.children) + 1), node)
    log.append(f"insert under {parent.origin[0] if parent.origin else '?'}")
    return True


def move_subtree(
    rng: random.Random, roots: list[Node], moved: list[frozenset[str]], log: list[str]
) -> bool:
    """Move a clause or a small section far from where it was (another parent)."""
    flat = list(_preorder(roots))
    position = {n: k for k, n in enumerate(flat)}
    pool = [
        n
        for n in flat
        if n.origin
        and _size(n) <= 4
        and n.parent is not None
        and (n.text or n.heading)
        and not any(x.touched for x in _preorder([n]))
    ]
    rng.shuffle(pool)
    for node in pool:
        inside = set(_preorder([node]))
        targets = [
            p
            for p in flat
            if p.children
            and p not in inside
            and p is not node.parent
            and abs(position[p] - position[node]) > 8
        ]
        if not targets:
            continue
        target = rng.choice(targets)
        old_parent = node.parent
        old_index = _detach(node, roots)
        others_before = list(_preorder(roots))
        node.parent = target
        target.children.insert(rng.randrange(len(target.children) + 1), node)
        # a real move jumps over other clauses (a re-parenting where it stood is no move)
        after = [n for n in _preorder(roots) if n not in inside]
        jumped = abs(_slot(others_before, flat, node) - _slot(after, list(_preorder(roots)), node))
        if jumped < 3:
            target.children.remove(node)
            node.parent = old_parent
            _siblings(node, roots).insert(old_index, node)
            continue
        moved.append(frozenset(node.origin[:1]))
        node.touched = True
        log.append(f"move {node.origin[0]}")
        return True
    return False


def _slot(others: list[Node], flat: list[Node], node: Node) -> int:
    """How many of ``others`` come before ``node`` in the document order ``flat``."""
    mine = flat.index(node)
    before = set(flat[:mine])
    return sum(1 for n in others if n in before)


def split_clause(rng: random.Random, roots: list[Node], log: list[str]) -> bool:
    """Cut a leaf clause of two or more sentences into two consecutive clauses."""
    pool = []
    for n in _preorder(roots):
        if n.children or not n.origin or n.touched:
            continue
        parts = [p for p in _SENTENCE_END.split(n.text) if p]
        if len(parts) >= 2 and all(len(p) >= 20 for p in parts):
            pool.append((n, parts))
    if not pool:
        return False
    node, parts = rng.choice(pool)
    cut = rng.randrange(1, len(parts))
    sep = "" if re.search(r"[。；！？]$", parts[0]) else " "
    first, second = sep.join(parts[:cut]), sep.join(parts[cut:])
    node.text = first
    twin = Node(node.origin, None, second, node.number, node.kind, None, parent=node.parent)
    node.touched = twin.touched = True
    siblings = node.parent.children if node.parent else roots
    siblings.insert(siblings.index(node) + 1, twin)
    log.append(f"split {node.origin[0]}")
    return True


def merge_clauses(rng: random.Random, roots: list[Node], log: list[str]) -> bool:
    """Join two consecutive leaf siblings into one clause."""
    pool = []
    for n in _preorder(roots):
        siblings = n.children
        for a, b in itertools.pairwise(siblings):
            if a.touched or b.touched:
                continue
            leaves = not a.children and not b.children and bool(a.text and b.text)
            plain = a.heading is None and b.heading is None
            if leaves and plain and len(a.origin) == len(b.origin) == 1:
                pool.append((n, a, b))
    if not pool:
        return False
    parent, a, b = rng.choice(pool)
    sep = "" if re.search(r"[。；！？]$", a.text) else " "
    a.text = a.text + sep + b.text
    a.origin = a.origin + b.origin
    a.touched = True
    parent.children.remove(b)
    log.append(f"merge {a.origin[0]}+{a.origin[1]}")
    return True


PROFILES = {
    # edits, deletions, insertions, splits, merges, moves, section swaps
    "light": (3, 1, 1, 1, 1, 1, 0),
    "heavy": (10, 4, 4, 2, 2, 3, 1),
}


def swap_sections(
    rng: random.Random, roots: list[Node], moved: list[frozenset[str]], log: list[str]
) -> bool:
    """Swap two neighbouring sections; reporting either one as moved is right."""
    flat = list(_preorder(roots))
    pool = []
    for parent in [None, *flat]:
        siblings = roots if parent is None else parent.children
        for a, b in itertools.pairwise(siblings):
            sections = a.children and b.children and a.origin and b.origin
            if sections and not any(x.touched for x in _preorder([a, b])):
                pool.append((siblings, a, b))
    if not pool:
        return False
    siblings, a, b = rng.choice(pool)
    i = siblings.index(a)
    siblings[i], siblings[i + 1] = b, a
    moved.append(frozenset({a.origin[0], b.origin[0]}))
    a.touched = b.touched = True
    log.append(f"swap {a.origin[0]}<->{b.origin[0]}")
    return True


def mutate(
    tree: ClauseTree, rng: random.Random, profile: str = "light"
) -> tuple[ClauseTree, Truth]:
    """A revision of ``tree`` with known correspondence."""
    roots = to_nodes(tree)
    log: list[str] = []
    moved: list[frozenset[str]] = []
    edits, deletions, insertions, splits, merges, moves, swaps = PROFILES[profile]
    for _ in range(swaps):
        swap_sections(rng, roots, moved, log)
    for _ in range(moves):
        move_subtree(rng, roots, moved, log)
    for _ in range(splits):
        split_clause(rng, roots, log)
    for _ in range(merges):
        merge_clauses(rng, roots, log)
    for _ in range(deletions):
        delete_clause(rng, roots, log)
    for _ in range(insertions):
        insert_clause(rng, roots, log)
    for _ in range(edits):
        edit_in_place(rng, roots, log)
    new, ids = to_tree(roots, tree.language)
    pairs = {(o, ids[n]) for n in ids for o in n.origin}
    # a moved clause that was also merged or split keeps its move under the first old id
    return new, Truth(pairs, moved, log)


# -- corpora -----------------------------------------------------------------------------------


def seed_tree() -> ClauseTree:
    """The shipped seed policy, parsed."""
    return _parse(ROOT / "policy_versions" / "alibaba-cloud-privacy" / "2023-05-26.md")


def _parse(path: Path) -> ClauseTree:
    return parse(read_document(path.read_bytes(), path.name))


def corpus_trees(corpus: Path) -> list[tuple[str, ClauseTree]]:
    """The latest version of each corpus document."""
    out = []
    for versions in sorted(corpus.glob("*/*/versions.json")):
        latest = sorted(versions.parent.glob("*.md"))[-1]
        out.append((str(latest.relative_to(corpus)), _parse(latest)))
    return out


def run(
    trees: Sequence[tuple[str, ClauseTree]], trials: int, seed: int, profile: str = "light"
) -> dict[str, Score]:
    scores: dict[str, Score] = {}
    for name, tree in trees:
        score = Score()
        for t in range(trials):
            rng = random.Random(f"{seed}:{profile}:{name}:{t}")
            new, truth = mutate(tree, rng, profile)
            start = time.perf_counter()
            al = align_clauses(tree, new)
            score.seconds += time.perf_counter() - start
            score.add(truth, al)
        scores[name] = score
    return scores


def total(scores: dict[str, Score]) -> Score:
    out = Score()
    for s in scores.values():
        for attr in (
            "true_pairs", "predicted_pairs", "correct_pairs", "moves", "moves_found",
            "moves_reported", "moves_reported_true", "trials", "seconds",
        ):  # fmt: skip
            setattr(out, attr, getattr(out, attr) + getattr(s, attr))
    return out


def report(
    trees: Sequence[tuple[str, ClauseTree]],
    scores: dict[str, Score],
    profile: str,
    *,
    verbose: bool,
) -> None:
    edits, deletions, insertions, splits, merges, moves, swaps = PROFILES[profile]
    print(
        f"\nprofile {profile}: {edits} edits, {deletions} deletions, {insertions} insertions, "
        f"{splits} splits, {merges} merges, {moves} moves, {swaps} section swaps per revision"
    )
    print(
        f"{'document':<62} {'clauses':>7} {'F1':>6} {'P':>6} {'R':>6} {'moves':>5} "
        f"{'mv R':>5} {'mv P':>5} {'ms':>6}"
    )
    for (name, tree), score in zip(trees, scores.values(), strict=True):
        print(
            f"{name:<62} {len(tree.clauses):>7} {score.f1:>6.3f} {score.precision:>6.3f} "
            f"{score.recall:>6.3f} {score.moves:>5} {score.move_recall:>5.2f} "
            f"{score.move_precision:>5.2f} {1000 * score.seconds / max(score.trials, 1):>6.0f}"
        )
        if verbose:
            for line in score.misses[:10]:
                print("   ", line)
    t = total(scores)
    print(
        f"{'all':<62} {'':>7} {t.f1:>6.3f} {t.precision:>6.3f} {t.recall:>6.3f} {t.moves:>5} "
        f"{t.move_recall:>5.2f} {t.move_precision:>5.2f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--profile", choices=sorted(PROFILES), default=None, help="default: both")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    trees = [("seed (alibaba-cloud-privacy)", seed_tree())]
    if args.corpus is not None:
        trees += corpus_trees(args.corpus)
    for profile in [args.profile] if args.profile else sorted(PROFILES, reverse=True):
        report(trees, run(trees, args.trials, args.seed, profile), profile, verbose=args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
