"""The `progression` command line: global options, error handling, and the commands."""

from progression.cli.main import cli

__all__ = ["cli"]
