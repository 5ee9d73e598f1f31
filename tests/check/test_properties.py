"""Invariants of the check: whatever a version file or a ledger holds, the check reports it as
hits (never a crash), in a stable order, and the same input gives the same result."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.check.rules import RULES
from analyzer.check.run import run_check
from tests.helpers.versions_repo import BODY, version_text

CONFIG = b"title: Demo\nlanguages: [en]\nnotice_period_days: 30\n"

front_values = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["2024-01-01", "2024-02-30", "published", "draft", "popup", "[x", "{", "&a"]),
)
field_names = st.sampled_from(
    ["title", "policy", "version", "updated", "effective", "language", "status", "notice"]
)


@st.composite
def version_files(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["bytes", "text", "mutated"]))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "text":
        return draw(st.text(max_size=300)).encode("utf-8")
    text = version_text("2024-02-01", body=BODY)
    for _ in range(draw(st.integers(0, 3))):
        key, value = draw(field_names), draw(front_values)
        text = text.replace(f"\n{key}:", f"\n{key}: {value!s}\nx-{key}:", 1)
    return text.encode("utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(version_files(), st.text(max_size=300))
def test_any_version_file_or_ledger_is_reported_not_raised(data: bytes, ledger: str) -> None:
    files = {
        "demo/policy.yaml": CONFIG,
        "demo/2024-01-01.md": version_text("2024-01-01").encode("utf-8"),
        "demo/2024-02-01.md": data,
        "demo/PUBLISHED": ledger.encode("utf-8"),
    }
    result = run_check(files, versions="v")
    for hit in result.hits:
        assert hit.rule in RULES and hit.severity == RULES[hit.rule].severity
        assert hit.line >= 1 and "\n" not in hit.message
    keys = [(h.file, h.line, h.rule, h.message) for h in result.hits]
    assert keys == sorted(keys)
    assert run_check(files, versions="v") == result
