"""Files of the store: read whole but bounded (a version over 16 MiB is refused before it is
read, a path that leaves the store is refused), and written so that a reader never sees half of
one (:func:`write_atomic`)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from analyzer.errors import PolicyError

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Largest version file read (16 MiB): 280 times the largest policy of the corpus (58 KiB). A
larger file is refused at once, before it is read, rather than analysed for minutes (a policy
of 4.8 MiB diffs in about 30 s and 220 MiB; see BENCHMARKS.md, growth)."""


def read_bytes(path: Path, *, root: Path | None = None) -> bytes:
    """Read a version file, refusing what is not a regular file or escapes ``root``."""
    shown = str(path)
    if root is not None:
        check_inside(path, root)
    try:
        if path.is_dir():
            raise PolicyError("is a directory, not a version file", path=shown)
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PolicyError(too_large(size), path=shown)
        return path.read_bytes()
    except FileNotFoundError:
        raise PolicyError("no such file", path=shown) from None
    except PermissionError:
        raise PolicyError("permission denied", path=shown) from None
    except OSError as exc:
        raise PolicyError(exc.strerror or "cannot read file", path=shown) from None


def too_large(size: int) -> str:
    """Why a file of ``size`` bytes is refused."""
    return f"file too large ({size} bytes; a version may be at most {MAX_FILE_BYTES >> 20} MiB)"


def check_inside(path: Path, root: Path) -> None:
    """Refuse a path that leaves ``root``, by ``..`` or through a symlink."""
    try:
        real = path.resolve(strict=False)
        real_root = root.resolve(strict=False)
    except OSError:
        raise PolicyError("cannot resolve path", path=str(path)) from None
    if real != real_root and real_root not in real.parents:
        raise PolicyError(f"refused: resolves outside {root}", path=str(path))


def write_atomic(path: Path, data: str | bytes, *, overwrite: bool = True) -> None:
    """Write ``data`` to a temporary file next to ``path``, fsync it, then rename it into place.

    With ``overwrite=False`` an existing ``path`` is never replaced (the final step is a hard
    link, which fails when the name exists), so two writers cannot both think they created it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would (the
        # mode of the file it replaces, else 0666 less the umask), so that a report or a
        # version file is readable by whoever could read the folder.
        os.chmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _mode_for(path: Path) -> int:
    """Permission bits for a file written at ``path``."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
