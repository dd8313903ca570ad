"""Arguments that no command can take are refused before any command runs, naming the argument."""

from __future__ import annotations

import pytest

from tests.utils.cli import run_cli


@pytest.mark.parametrize(
    "args",
    [
        ("team", "--output", "/tmp/out\x00.csv"),
        ("import", "workers", "workers\x00.csv"),
        ("init", "--authority", "a\x00.yaml"),
        ("next-steps", "E10\x0001"),
    ],
)
def test_a_nul_in_any_argument_is_named_and_changes_nothing(demo_url: str, args: tuple[str, ...]) -> None:
    result = run_cli("--db", demo_url, "--as", "E1001", *args)
    assert result.exit_code == 2, result.stderr
    assert "the text contains a control character (NUL)" in result.stderr
    assert "\x00" not in result.stderr
