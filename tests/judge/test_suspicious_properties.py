"""Issue 14's property: inserting any mix of look-alike letters, invisible format characters
and bidi controls into a major change never lowers its decision (the judgement reads the text
as a reader sees it)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.judge.criteria import load_pack
from analyzer.model import level_rank
from tests.helpers.judging import judge_texts
from tests.helpers.versions_repo import BODY

PACK = load_pack()

MAJOR = [
    # (old body, new body, the words of the change that the insertions go into)
    (
        BODY,
        BODY.replace(
            "1.2. We keep server logs for security.",
            "1.2. We keep server logs for security.\n\n"
            "1.3. We share your precise location with advertisers.",
        ),
        "We share your precise location with advertisers.",
    ),
    (
        BODY,
        BODY.replace("Call our hotline (400-80-13260)", "Call our hotline (95187)"),
        "Call our hotline (95187)",
    ),
    (
        BODY.replace("information.", "information. We answer within 15 days.", 1),
        BODY.replace("information.", "information. We answer within 60 days.", 1),
        "We answer within 60 days.",
    ),
    (
        BODY + "\n2.3. We will not share your location information with advertisers.\n",
        BODY + "\n2.3. We will share your location information with advertisers.\n",
        "We will share your location information with advertisers.",
    ),
]

LOOK_ALIKES = {
    "a": "\u0430",
    "e": "\u0435",
    "o": "\u043e",
    "p": "\u0440",
    "c": "\u0441",
    "y": "\u0443",
    "x": "\u0445",
    "i": "\u0456",
    "s": "\u0455",
}
INVISIBLE = ["\u2062", "\u2063", "\u034f", "\u200d", "\u200c", "\ufe0f", "\u3164", "\u180e"]
BIDI = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
]

edit = st.tuples(
    st.integers(min_value=0, max_value=10_000),
    st.one_of(st.just("look-alike"), st.sampled_from(INVISIBLE), st.sampled_from(BIDI)),
)


def _apply(words: str, edits: list[tuple[int, str]]) -> str:
    chars = list(words)
    for position, what in edits:
        if what == "look-alike":
            letters = [k for k, c in enumerate(chars) if c in LOOK_ALIKES]
            if letters:
                k = letters[position % len(letters)]
                chars[k] = LOOK_ALIKES[chars[k]]
        else:
            chars.insert(position % (len(chars) + 1), what)
    return "".join(chars)


BASELINE = {
    k: judge_texts(old, new, pack=PACK).decision.level for k, (old, new, _) in enumerate(MAJOR)
}


def test_the_cases_are_major() -> None:
    assert all(level_rank(level) >= level_rank("popup") for level in BASELINE.values()), BASELINE


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(MAJOR) - 1), st.lists(edit, min_size=1, max_size=8))
def test_hidden_characters_never_lower_a_major_decision(
    case: int, edits: list[tuple[int, str]]
) -> None:
    old, new, words = MAJOR[case]
    hidden = new.replace(words, _apply(words, edits))
    report = judge_texts(old, hidden, pack=PACK)
    assert level_rank(report.decision.level) >= level_rank(BASELINE[case]), (
        repr(hidden[-200:]),
        report.decision.reasons,
    )
