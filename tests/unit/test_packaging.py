"""The package: the core never imports the UI, and a wheel carries the data, migrations and stylesheets."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_core_never_imports_the_ui() -> None:
    """The import-linter contract in pyproject.toml: `progression` imports neither `screens` nor `textual`."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_a_wheel_ships_data_migrations_and_stylesheets(tmp_path: Path) -> None:
    """`pip install .` builds a wheel: everything the app reads at run time must be inside it."""
    from hatchling.builders.wheel import WheelBuilder

    wheel = next(WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"]))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "progression/data/councils/demo.yaml",
        "progression/data/reference/pcf.yaml",
        "progression/data/reference/ST0510-ksbs.csv",
        "progression/migrations/env.py",
        "progression/migrations/script.py.mako",
        "screens/app.py",
        "screens/app.tcss",
    }
    assert expected <= names, expected - names
    assert any(n.startswith("progression/migrations/versions/0001") for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "progression = progression.cli:cli" in text
    assert "tui = screens.app:run" in text


def test_the_code_is_linted_and_formatted() -> None:
    """ruff check and ruff format, as configured in pyproject.toml, over the code and its tests."""
    ruff = Path(sys.executable).with_name("ruff")
    paths = ["progression", "screens", "tests", "benchmarks"]
    check = subprocess.run([str(ruff), "check", *paths], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    formatted = subprocess.run(
        [str(ruff), "format", "--check", *paths], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
