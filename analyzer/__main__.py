"""``python -m analyzer`` runs the ``policy`` command."""

from .cli import main

main()
