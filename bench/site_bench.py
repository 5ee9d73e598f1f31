"""Archive site build: time and size, cold, unchanged and after adding one version; and the two
ways to compare any two versions (pre-built pages for every pair, or data + a script).

Usage (from the repository root)::

    python bench/site_bench.py                      # shipped examples + GitHub privacy statement
    python bench/site_bench.py --no-model           # lexical alignment only
    python bench/site_bench.py --corpus DIR --skip-pairs

Every build runs in a scratch folder with its own caches (the embedding cache too, unless
``--warm-embeddings``), so "cold" means nothing computed before. The versions are copied there;
nothing is written into the repository or the corpus.

* cold: empty caches, no previous site;
* unchanged: the same folder built again into the same output;
* incremental: the folder without its newest version is built, then the newest version is
  added back and the site built again; the second build is timed (the target is 10 % of cold).

The baseline is a plain copy of the built site's files (``shutil.copytree``), measured in the
same run: the least any build that writes the whole site must do.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.archive.analysis import load_site  # noqa: E402
from analyzer.archive.build import build_site, site_folder  # noqa: E402
from analyzer.archive.cache import BuildCache  # noqa: E402
from analyzer.archive.data import clause_text  # noqa: E402
from analyzer.archive.pages import plan_site, template_environment  # noqa: E402
from analyzer.archive.site import SitePolicy  # noqa: E402
from analyzer.diff.redline import redline  # noqa: E402
from analyzer.store.versions import Store  # noqa: E402

PAIR_TEMPLATE = """{% extends "base.html" %}
{% from "macros.html" import redline with context %}
{% block main %}
<h1>{{ policy.title }}: {{ old.key }} to {{ new.key }}</h1>
{% for row in rows %}
<article class="change kind-{{ row.kind }}"><h3><a href="../{{ new.key if row.new else old.key }}/index.html#{{ row.anchor }}">{{ row.address }}</a> <span class="kind">{{ row.kind }}</span></h3>
<p class="redline">{{ redline(row.ops) }}</p></article>
{% endfor %}
{% endblock %}
"""


def _embedder(no_model: bool) -> tuple[Any, str | None]:
    if no_model:
        return None, "--no-model given"
    from analyzer.diff.embedding import EmbedderUnavailable
    from analyzer.embedder import load_embedder

    try:
        return load_embedder(), None
    except EmbedderUnavailable as exc:
        return None, exc.reason


def _size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def _build(versions: Path, output: Path, cache: Path, no_model: bool) -> tuple[float, Any]:
    embedder, unavailable = _embedder(no_model)
    started = time.perf_counter()
    result = build_site(
        versions, output, cache=BuildCache(cache), embedder=embedder, unavailable=unavailable
    )
    return time.perf_counter() - started, result


def measure(name: str, source: Path, work: Path, no_model: bool, warm: bool) -> dict[str, Any]:
    """Cold, unchanged and incremental builds of one versions folder."""
    versions = work / "versions"
    shutil.copytree(source, versions)
    if not warm:
        os.environ["POLICY_ANALYZER_CACHE"] = str(work / "embeddings")
    cold_s, cold = _build(versions, work / "_site", work / "cache", no_model)
    same_s, same = _build(versions, work / "_site", work / "cache", no_model)
    started = time.perf_counter()
    shutil.copytree(work / "_site", work / "copy")
    copy_s = time.perf_counter() - started
    # incremental: without the newest version (already analysed), then with it
    store = Store(versions)
    newest = max(
        (v for p in store.policies() for v in store.versions(p)),
        key=lambda v: (v.version, v.policy),
    )
    held = newest.path.read_bytes()
    inc_s, inc = float("nan"), None
    if cold.versions > 1:
        newest.path.unlink()
        inc_cache = work / "cache-incremental"
        _build(versions, work / "_site_inc", inc_cache, no_model)
        newest.path.write_bytes(held)
        inc_s, inc = _build(versions, work / "_site_inc", inc_cache, no_model)
    files, size = _size(work / "_site")
    return {
        "name": name,
        "versions": cold.versions,
        "revisions": cold.revisions,
        "files": files,
        "bytes": size,
        "cold_s": cold_s,
        "unchanged_s": same_s,
        "unchanged_rendered": same.rendered,
        "incremental_s": inc_s,
        "incremental_rendered": inc.rendered if inc else 0,
        "incremental_analysed": inc.cache_misses if inc else 0,
        "copy_s": copy_s,
    }


def compare_options(source: Path, work: Path, no_model: bool, sample: int) -> dict[str, Any]:
    """Compare data for the browser (what the build writes) against a pre-built page per pair."""
    embedder, unavailable = _embedder(no_model)
    loaded = load_site(
        source, cache=BuildCache(work / "cache"), embedder=embedder, unavailable=unavailable
    )
    policy = loaded.site.policies[0]
    folder = site_folder()
    started = time.perf_counter()
    data = [
        job.render() for job in plan_site(loaded.site, folder) if job.path.endswith("clauses.js")
    ]
    browser_s = time.perf_counter() - started
    script = (folder / "assets" / "site.js").stat().st_size
    pairs = list(combinations(range(len(policy.versions)), 2))
    step = max(1, len(pairs) // sample) if sample else 1
    chosen = pairs[::step]
    env = template_environment(folder)
    template = env.from_string(PAIR_TEMPLATE)
    started = time.perf_counter()
    total = 0
    for a, b in chosen:
        total += len(_pair_page(template, loaded.site, policy, a, b))
    pairs_s = (time.perf_counter() - started) * len(pairs) / len(chosen)
    return {
        "versions": len(policy.versions),
        "pairs": len(pairs),
        "pairs_measured": len(chosen),
        "browser_s": browser_s,
        "browser_bytes": sum(len(d) for d in data) + script,
        "pairs_s": pairs_s,
        "pairs_bytes": total * len(pairs) / len(chosen),
    }


def _rows(policy: SitePolicy, a: int, b: int) -> Iterator[dict[str, Any]]:
    old, new = policy.versions[a], policy.versions[b]
    olds = {old.anchors[c.id]: c for c in old.tree.clauses}
    news = {new.anchors[c.id]: c for c in new.tree.clauses}
    for anchor, clause in news.items():
        before = olds.get(anchor)
        if before is None:
            yield {
                "kind": "added",
                "anchor": anchor,
                "address": clause.address,
                "new": True,
                "ops": (("+", clause_text(clause)),),
            }
        elif clause_text(before) != clause_text(clause):
            yield {
                "kind": "modified",
                "anchor": anchor,
                "address": clause.address,
                "new": True,
                "ops": redline(clause_text(before), clause_text(clause)),
            }
    for anchor, clause in olds.items():
        if anchor not in news:
            yield {
                "kind": "removed",
                "anchor": anchor,
                "address": clause.address,
                "new": False,
                "ops": (("-", clause_text(clause)),),
            }


def _pair_page(template: Any, site: Any, policy: SitePolicy, a: int, b: int) -> bytes:
    html = template.render(
        root="../../",
        site=site,
        policy=policy,
        old=policy.versions[a],
        new=policy.versions[b],
        rows=list(_rows(policy, a, b)),
    )
    return html.encode("utf-8")


def _mib(n: float) -> str:
    return f"{n / 1_048_576:.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--no-model", action="store_true")
    parser.add_argument("--warm-embeddings", action="store_true")
    parser.add_argument("--skip-pairs", action="store_true")
    parser.add_argument(
        "--pairs-sample",
        type=int,
        default=0,
        help="measure every n-th pair only and scale up (0: all pairs)",
    )
    args = parser.parse_args()
    shared = Path(os.environ.get("POLICY_SHARED", ROOT.parent / "shared"))
    corpus = args.corpus or shared / "corpus"
    github = corpus / "github-site-policy" / "github-privacy-statement"
    rows = []
    with tempfile.TemporaryDirectory(prefix="site-bench-") as scratch:
        base = Path(scratch)
        rows.append(
            measure(
                "shipped examples",
                ROOT / "policy_versions",
                base / "ex",
                args.no_model,
                args.warm_embeddings,
            )
        )
        compare = None
        if github.is_dir():
            one = base / "gh-src" / "github-privacy-statement"
            one.mkdir(parents=True)
            for path in github.glob("*.md"):
                shutil.copyfile(path, one / path.name)
            rows.append(
                measure(
                    "GitHub privacy statement",
                    base / "gh-src",
                    base / "gh",
                    args.no_model,
                    args.warm_embeddings,
                )
            )
            if not args.skip_pairs:
                compare = compare_options(
                    base / "gh" / "versions", base / "gh", args.no_model, args.pairs_sample
                )
        else:
            print(f"(corpus not found at {corpus}: GitHub figures skipped)")
    print(
        f"model: {'none (--no-model)' if args.no_model else 'default if installed'}; "
        f"embedding cache: {'warm' if args.warm_embeddings else 'cold'}"
    )
    print(
        "| input | versions | revisions | files | size | cold s | unchanged s | incremental s"
        " (files rendered) | incremental / cold | copy baseline s | cold / copy |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['name']} | {r['versions']} | {r['revisions']} | {r['files']} | "
            f"{_mib(r['bytes'])} | {r['cold_s']:.1f} | {r['unchanged_s']:.2f} | "
            f"{r['incremental_s']:.2f} ({r['incremental_rendered']}) | "
            f"{100 * r['incremental_s'] / r['cold_s']:.1f} % | {r['copy_s']:.2f} | "
            f"{r['cold_s'] / r['copy_s']:.0f} |"
        )
    if compare:
        print()
        print(
            f"compare, {compare['versions']} versions, {compare['pairs']} pairs "
            f"({compare['pairs_measured']} measured):"
        )
        print(
            f"  in the browser: clause data + script {_mib(compare['browser_bytes'])}, "
            f"written in {compare['browser_s']:.2f} s"
        )
        print(
            f"  pre-built pages: {_mib(compare['pairs_bytes'])}, "
            f"rendered in {compare['pairs_s']:.1f} s"
        )
    print(json.dumps({"rows": rows, "compare": compare}, indent=1, default=str), file=sys.stderr)


if __name__ == "__main__":
    main()
