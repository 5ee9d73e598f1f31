"""Issue 15, step 1: what it costs to have the vocabulary and the analyzer's patterns ready in
a fresh process, four ways, each in fresh child processes (median of ``--repeat``, CPU time):

- **compile**: every pattern compiled from its source (``re.compile``), the phrase tries built
  from the vocabulary first: what every ``policy`` process did before;
- **combined**: the same, with each language's phrase tries as one alternation instead of
  buckets of 40 first characters (fewer, larger patterns);
- **automaton**: the literal phrases in an Aho-Corasick automaton (``pyahocorasick``, when
  installed), built from the vocabulary, or loaded from a pickle on disk; the other patterns
  compiled as before (an automaton only replaces the phrase tries, and it matches literal
  strings: the tries' flexible spaces, hyphens and apostrophes would need the text normalised
  first, with an offset map back);
- **disk**: what ``analyzer.store.compiled`` keeps (the engine's code lists and the built
  tries) read back from the cache file.

Each child also matches the phrase tries (or the automaton) against the seed, to show the cost
of matching next to the cost of getting ready. Run from the repository root::

    python bench/vocab_compile.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import ROOT, print_machine, python, run

CHILD = r"""
import json, os, pickle, re, sys, time
sys.path.insert(0, ROOT)
mode, work = sys.argv[1], sys.argv[2]
t0 = time.process_time()
import analyzer.text.compiled as compiled
if mode == "disk":
    from analyzer.store.compiled import install_disk_store
    install_disk_store(__import__("pathlib").Path(work))
from analyzer.facts import matcher as m
from analyzer.facts.vocabulary import VOCABULARY, STOP_PHRASES
import analyzer.facts.names, analyzer.facts.values, analyzer.diff.tripwires
import analyzer.judge.classify, analyzer.parse.tree
t1 = time.process_time()
text = open(SEED, encoding="utf-8").read()
lower = text.lower()
found = 0
if mode in ("compile", "disk"):
    en, zh = m.matchers()
    found = len(en.matches(lower)) + len(zh.matches(lower))
elif mode == "combined":
    en = m.build_matcher(VOCABULARY, chinese=False)
    zh = m.build_matcher(VOCABULARY, chinese=True)
    for one in (en, zh):
        joined = re.compile("|".join("(?:" + s + ")" for s in one.sources))  # noqa: TID251
        found += sum(1 for _ in joined.finditer(lower))
elif mode in ("automaton", "automaton-pickle"):
    import ahocorasick
    from analyzer.text.scan import expand_phrase
    path = os.path.join(work, "automaton.pickle")
    if mode == "automaton-pickle" and os.path.exists(path):
        with open(path, "rb") as handle:
            automaton = pickle.load(handle)
    else:
        automaton = ahocorasick.Automaton()
        for kind, values in VOCABULARY.items():
            for value, terms in values.items():
                for phrase in (*terms.en, *terms.zh):
                    for form in expand_phrase(phrase):
                        automaton.add_word(form.lower(), (kind, value))
        automaton.make_automaton()
        with open(path, "wb") as handle:
            pickle.dump(automaton, handle)
    found = sum(1 for _ in automaton.iter_long(" ".join(lower.split())))
t2 = time.process_time()
print(json.dumps({"ready": t1 - t0, "match": t2 - t1, "found": found}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    import importlib.util

    modes = ["compile", "combined", "disk"]
    if importlib.util.find_spec("ahocorasick") is not None:
        modes[2:2] = ["automaton", "automaton-pickle"]
    seed = ROOT / "policy_versions" / "alibaba-cloud-privacy" / "2023-05-26.md"
    code = CHILD.replace("ROOT", repr(str(ROOT))).replace("SEED", repr(str(seed)))
    print_machine("Vocabulary: compiled once or in every process")
    with tempfile.TemporaryDirectory() as work:
        results: dict[str, list[dict[str, float]]] = {m: [] for m in modes}
        cpu: dict[str, list[float]] = {m: [] for m in modes}
        for mode in ("disk", "automaton-pickle"):  # fill the caches once, not measured
            if mode in modes:
                run(python("-c", code, mode, work))
        for _ in range(args.repeat):
            for mode in modes:
                done = run(python("-c", code, mode, work), keep_output=True)
                results[mode].append(json.loads(done.stdout.strip().splitlines()[-1]))
                cpu[mode].append(done.cpu)
    base = statistics.median(cpu["compile"])
    print(
        "| way | imports + patterns ready, ms | matching the seed, ms | whole child CPU, ms | × compile |"
    )
    print("|---|---:|---:|---:|---:|")
    for mode in modes:
        ready = statistics.median(r["ready"] for r in results[mode]) * 1000
        match = statistics.median(r["match"] for r in results[mode]) * 1000
        whole = statistics.median(cpu[mode])
        print(f"| {mode} | {ready:.0f} | {match:.1f} | {whole * 1000:.0f} | {whole / base:.2f} |")


if __name__ == "__main__":
    main()
