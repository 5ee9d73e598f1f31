"""The criteria pack: its content, its identity in reports, and a strict schema."""

from __future__ import annotations

import copy
import hashlib
from importlib import resources
from pathlib import Path

import pytest
import yaml

from analyzer.errors import PolicyError
from analyzer.facts.compare import diff_texts
from analyzer.judge.criteria import DEFAULT_PACK, available_packs, load_pack, parse_pack
from analyzer.text.normalize import squash

PACK_BYTES = resources.files("analyzer.judge").joinpath("packs", "seed-9.4.yaml").read_bytes()


def test_default_pack_encodes_9_4_and_the_consent_rule() -> None:
    pack = load_pack()
    assert pack.id == DEFAULT_PACK == "seed-9.4"
    assert [c.id for c in pack.criteria] == [
        "9.4.1",
        "9.4.2",
        "9.4.3",
        "9.4.4",
        "9.4.5",
        "9.4.6",
        "9.2",
    ]
    assert {c.level for c in pack.criteria if c.id.startswith("9.4")} == {"popup"}
    assert pack.criterion("9.2").level == "consent"
    for criterion in pack.criteria:
        assert criterion.title.en and criterion.title.zh
        assert criterion.prototypes.en and criterion.prototypes.zh
        assert criterion.context.en and criterion.context.zh
        assert criterion.facts and criterion.tripwires


def test_ref_is_id_and_hash_of_the_file_bytes() -> None:
    pack = load_pack("seed-9.4")
    digest = hashlib.sha256(PACK_BYTES).hexdigest()
    assert pack.sha256 == digest
    assert pack.ref == f"seed-9.4@{digest[:12]}"
    assert load_pack().ref == pack.ref  # deterministic


def test_wording_quotes_the_seed_policy(seed_path: Path) -> None:
    seed = squash(seed_path.read_text(encoding="utf-8"))
    for criterion in load_pack().criteria:
        assert criterion.wording in seed, criterion.id


def test_restrictions_find_what_restricts_rights() -> None:
    rule = load_pack().criterion("9.2")
    by_id = {r.id: r for r in rule.restrictions}
    longer = diff_texts("We will reply within 15 days.", "We will reply within 60 days.")
    assert by_id["deadline-lengthened"].evidence(longer) == (
        "deadline-lengthened: '15 days' -> '60 days'",
    )
    shorter = diff_texts("We will reply within 15 days.", "We will reply within 7 days.")
    assert by_id["deadline-lengthened"].find(shorter) == ()
    fee = diff_texts("We will not charge a fee.", "We will charge a fee.")
    assert by_id["fee-added"].find(fee)
    promise = diff_texts(
        "Without your explicit consent, we will not restrict your rights under this policy.", ""
    )
    assert by_id["promise-removed"].find(promise)
    denied = diff_texts("You can delete your information.", "You cannot delete your information.")
    assert by_id["right-removed"].find(denied)


def test_pack_by_path(tmp_path: Path) -> None:
    path = tmp_path / "custom.yaml"
    path.write_bytes(PACK_BYTES.replace(b"id: seed-9.4", b"id: custom"))
    pack = load_pack(str(path))
    assert pack.id == "custom"
    assert pack.path == str(path)
    assert "seed-9.4" in available_packs()


def test_pack_serialises() -> None:
    data = load_pack().to_dict()
    assert data["ref"].startswith("seed-9.4@")
    assert data["criteria"][-1]["restrictions"][0]["id"] == "right-removed"


# --------------------------------------------------------------------------- bad packs


def _mutated(tmp_path: Path, change: object) -> str:
    data = yaml.safe_load(PACK_BYTES)
    change(data)  # type: ignore[operator]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


BAD = [
    ("unknown key 'extra'", lambda d: d.update(extra=1)),
    ("criteria[0]: unknown key 'notes'", lambda d: d["criteria"][0].update(notes="x")),
    ("missing key 'wording'", lambda d: d["criteria"][1].pop("wording")),
    ("unknown fact kind 'colour'", lambda d: d["criteria"][0]["facts"].append("colour")),
    (
        "unknown value 'cats' of recipient",
        lambda d: d["criteria"][2]["facts"].append("recipient:cats"),
    ),
    ("unknown kind 'gossip'", lambda d: d["criteria"][0]["tripwires"].append("gossip")),
    ("expected popup or consent", lambda d: d["criteria"][0].update(level="loud")),
    ("(quote it)", lambda d: d["criteria"][6].update(id=9.2)),
    ("appears twice", lambda d: d["criteria"][1].update(id="9.4.1")),
    ("version: expected a positive integer", lambda d: d.update(version="one")),
    ("title: missing key 'zh'", lambda d: d["title"].pop("zh")),
    ("needs at least one restriction", lambda d: d["criteria"][6].pop("restrictions")),
    (
        "only consent criteria carry restrictions",
        lambda d: d["criteria"][0].update(
            restrictions=copy.deepcopy(d["criteria"][6]["restrictions"])
        ),
    ),
    (
        "expected one of added, removed",
        lambda d: d["criteria"][6]["restrictions"][0].update(change="vanished"),
    ),
    (
        "prototypes.en: expected a non-empty list",
        lambda d: d["criteria"][0]["prototypes"].update(en=[]),
    ),
]


@pytest.mark.parametrize(("message", "change"), BAD, ids=[b[0] for b in BAD])
def test_bad_pack_is_a_policy_error_naming_file_and_problem(
    tmp_path: Path, message: str, change: object
) -> None:
    path = _mutated(tmp_path, change)
    with pytest.raises(PolicyError) as info:
        load_pack(path)
    assert message in str(info.value)
    assert str(info.value).startswith(path)


def test_yaml_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="invalid YAML"):
        load_pack(str(broken))
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("a: &x [1]\nb: *x\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="aliases are not allowed"):
        load_pack(str(aliases))
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(b"id: caf\xe9\n")
    with pytest.raises(PolicyError, match="not valid UTF-8"):
        load_pack(str(latin1))
    with pytest.raises(PolicyError, match="top level: expected a mapping"):
        parse_pack(b"- a list\n", "list.yaml")


def test_missing_pack(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="criteria pack not found"):
        load_pack(str(tmp_path / "nope.yaml"))
    with pytest.raises(
        PolicyError, match=r"unknown criteria pack 'nope' \(shipped packs: seed-9.4"
    ):
        load_pack("nope")


def test_libyaml_and_the_python_loader_read_every_shipped_pack_alike() -> None:
    from analyzer.judge.criteria import _load_yaml
    from analyzer.parse.frontmatter import load_yaml

    for pack_id in available_packs():
        text = (
            resources.files("analyzer.judge")
            .joinpath("packs", f"{pack_id}.yaml")
            .read_text("utf-8")
        )
        assert _load_yaml(text) == load_yaml(text, where="a criteria pack")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # a 'billion laughs' bomb: refused before anything expands
        (
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n",
            "aliases are not allowed",
        ),
        ("id: !!python/object/apply:os.system [ls]\n", "invalid YAML"),
        ("id: !!python/name:os.system\n", "invalid YAML"),
        ("id: \x07bell\n", "invalid YAML"),
    ],
)
def test_hostile_yaml_in_a_pack_is_refused_by_the_safe_loader(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match=message):
        load_pack(str(path))
