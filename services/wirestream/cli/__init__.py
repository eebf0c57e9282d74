"""The `wirestream` command line (`main`), one module per group of commands."""

from wirestream.cli.main import main

__all__ = ["main"]
