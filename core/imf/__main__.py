"""``python -m imf`` runs the CLI."""

from imf.cli.main import main

main()
