"""The imf command-line interface (click)."""
