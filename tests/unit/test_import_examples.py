"""docs/examples/ holds a small valid file for each import and an authority file: each imports into a fresh
council's database, so the examples stay valid as the rules change."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.utils.cli import run_cli

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
TODAY = ("--today", "2026-11-24")
AS = ("--as", "X100")
"""The examples' administrator (on PostgreSQL a command names its actor once there are workers)."""
IMPORTS = (
    ("workers", "workers.csv: 4 workers added, 0 updated, 0 unchanged, 1 team added"),
    ("standards", "standards.csv: 2 standard versions added"),
    ("enrolments", "enrolments.csv: 2 enrolments added, 0 updated, 0 unchanged"),
    ("otj", "otj.csv: 3 entries added, 0 updated, 0 unchanged"),
)


def test_every_import_has_an_example() -> None:
    assert {p.name for p in EXAMPLES.iterdir()} >= {f"{name}.csv" for name, _ in IMPORTS} | {"authority.yaml"}


def test_the_examples_load_into_a_new_council(empty_url: str) -> None:
    result = run_cli("--db", empty_url, *TODAY, "init", "--authority", str(EXAMPLES / "authority.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "Example Borough Council (fictional) (3 routes, 6 roles, 5 transitions)" in result.stdout
    for name, summary in IMPORTS:
        extra = ("--new-teams",) if name == "workers" else ()
        actor = () if name == "workers" else AS  # X100 is in the workers file
        result = run_cli("--db", empty_url, *actor, *TODAY, "import", name, *extra, str(EXAMPLES / f"{name}.csv"))
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith(summary), result.stdout
        assert result.stderr == ""
    steps = run_cli("--db", empty_url, *AS, *TODAY, "next-steps", "X101", "--json")
    assert steps.exit_code == 0, steps.stderr


@pytest.mark.parametrize("name", [name for name, _ in IMPORTS])
def test_each_example_imports_into_the_demo_council_too(council_url: str, name: str) -> None:
    """The role keys of the examples are the demo council's, so each file also loads there (in order)."""
    for earlier, _ in IMPORTS:
        actor = () if earlier == "workers" else AS
        result = run_cli("--db", council_url, *actor, *TODAY, "import", earlier, str(EXAMPLES / f"{earlier}.csv"))
        assert result.exit_code == 0, f"{earlier}: {result.stderr}"
        if earlier == name:
            break
