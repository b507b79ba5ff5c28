"""``python -m imf`` runs the CLI."""

from imf.cli.entry import main

main()
