"""Version ids: ``YYYY-MM-DD`` and ``YYYY-MM-DD-N``, parsed once, ordered by date then N."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.text.version_ids import (
    VersionId,
    free_id,
    key_order,
    parse_version_id,
    sortable_name,
    version_order,
)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("2023-05-26", VersionId(dt.date(2023, 5, 26))),
        ("2023-02-22-2", VersionId(dt.date(2023, 2, 22), 2)),
        ("2023-02-22-10", VersionId(dt.date(2023, 2, 22), 10)),
        ("2023-02-22-999", VersionId(dt.date(2023, 2, 22), 999)),
        (dt.date(2024, 1, 1), VersionId(dt.date(2024, 1, 1))),
        ("2023-02-22-1", None),  # the first of a day has no suffix
        ("2023-02-22-0", None),
        ("2023-02-22-02", None),
        ("2023-02-22-1000", None),
        ("2023-02-30", None),
        ("2023-02-22.zh", None),
        ("23-02-22", None),
        (dt.datetime(2024, 1, 1, 10), None),
        (20230222, None),
    ],
)
def test_what_is_a_version_id(text: object, parsed: VersionId | None) -> None:
    assert parse_version_id(text) == parsed
    if parsed is not None and isinstance(text, str):
        assert str(parsed) == text


def test_ids_order_by_date_then_n_where_strings_do_not() -> None:
    ids = ["2023-02-22-10", "2023-02-23", "2023-02-22", "2023-02-22-9", "2023-02-22-2"]
    assert sorted(ids, key=version_order) == [
        "2023-02-22",
        "2023-02-22-2",
        "2023-02-22-9",
        "2023-02-22-10",
        "2023-02-23",
    ]
    assert sorted(ids) != sorted(ids, key=version_order)
    keys = ["2023-02-22-2", "2023-02-22.zh", "2023-02-22", "2023-02-22-2.zh"]
    assert sorted(keys, key=key_order) == [
        "2023-02-22",
        "2023-02-22.zh",
        "2023-02-22-2",
        "2023-02-22-2.zh",
    ]


def test_sortable_names_leave_other_paths_alone() -> None:
    for path in ("v/demo/2023-05-26.md", "v/demo/PUBLISHED", "v/demo-2/x.md", "2023-02-22-1.md"):
        assert sortable_name(path) == path
    files = [
        "p/2023-02-22-2.md",
        "p/2023-02-22.zh.md",
        "p/2023-02-23.md",
        "p/2023-02-22-10.md",
        "p/2023-02-22.md",
        "p/PUBLISHED",
    ]
    assert sorted(files, key=sortable_name) == [
        "p/2023-02-22.md",
        "p/2023-02-22.zh.md",
        "p/2023-02-22-2.md",
        "p/2023-02-22-10.md",
        "p/2023-02-23.md",
        "p/PUBLISHED",
    ]


_days = st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))
_ids = st.builds(VersionId, _days, st.integers(1, 999))


@given(st.lists(_ids, min_size=2, max_size=12, unique=True), st.sampled_from(["", ".zh", ".zh-CN"]))
def test_file_names_sort_like_the_ids_they_carry(ids: list[VersionId], lang: str) -> None:
    names = [f"policy/{i}{lang}.md" for i in ids]
    by_name = sorted(names, key=sortable_name)
    assert [parse_version_id(n.split("/")[1].split(".")[0]) for n in by_name] == sorted(ids)
    assert sorted((str(i) for i in ids), key=version_order) == [str(i) for i in sorted(ids)]


def test_the_next_free_id_of_a_day() -> None:
    day = dt.date(2023, 2, 22)
    assert free_id(day, []) == VersionId(day)
    taken = [VersionId(day), VersionId(day, 3)]
    assert free_id(day, taken) == VersionId(day, 4)
    # it follows the version before it, on that version's later day if need be
    assert free_id(day, taken, after=VersionId(day, 7)) == VersionId(day, 8)
    later = VersionId(dt.date(2023, 2, 23))
    assert free_id(day, taken, after=later) == VersionId(later.day, 2)
    with pytest.raises(ValueError, match="more than 999"):
        free_id(day, [VersionId(day, 999)])
