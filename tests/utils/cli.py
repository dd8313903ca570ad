"""Running the `progression` command in-process, as a user would from a shell."""

from __future__ import annotations

from dataclasses import dataclass

from click.testing import CliRunner

from progression.cli import cli


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> Run:
    """Run `progression ARGS...` and capture its exit code, standard output and standard error."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)
