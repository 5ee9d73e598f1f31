"""Where the editable template folders are: ``notices/`` and ``site/``.

They live at the top of a source checkout, where editors find them; a wheel carries them inside
the package as ``analyzer/_templates/notices`` and ``analyzer/_templates/site`` (see
``pyproject.toml``). Both are found through :mod:`importlib.resources`, never through a
module's own ``__file__``, so a module can move without losing them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["package_root", "template_folder"]


def package_root() -> Path:
    """The folder the ``analyzer`` package is imported from."""
    return Path(str(resources.files("analyzer")))


def template_folder(name: str, marker: str) -> Path | None:
    """The folder ``name`` (``notices`` or ``site``) of this installation: the checkout's
    top-level one when the package runs from a source checkout (a ``pyproject.toml`` beside
    it), else the wheel's copy; None when neither holds the file ``marker``."""
    root = package_root()
    checkout = root.parent / name
    if (checkout / marker).is_file() and (root.parent / "pyproject.toml").is_file():
        return checkout
    shipped = root / "_templates" / name
    return shipped if (shipped / marker).is_file() else None
