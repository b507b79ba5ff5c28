"""The imf command-line interface (click); the console entry point is :mod:`imf.cli.entry`."""
