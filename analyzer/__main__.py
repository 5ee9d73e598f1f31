"""``python -m analyzer`` runs the ``policy`` command."""

from analyzer.cli import main

main()
