"""SQLite is one person's file: created readable by its owner only, tightened by `init`, and its local user named
as the administrator on every decision they take."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from progression.db import make_engine
from tests.conftest import TODAY
from tests.utils.cli import run_cli

DAY = TODAY.isoformat()

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; on Windows nothing is changed")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def files_of(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


@contextmanager
def opened(db: Path) -> Iterator[None]:
    """The database held open, as the app or another command holds it: SQLite keeps its -wal and -shm files."""
    engine = make_engine(f"sqlite:///{db}", create=False)
    with engine.connect():
        yield
    engine.dispose()


@contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


@posix_only
@pytest.mark.parametrize("command", [("init",), ("demo", "--workers", "3")])
@pytest.mark.parametrize("mask", [0o022, 0o000])
def test_a_new_database_and_its_wal_and_shm_files_are_owner_only(
    tmp_path: Path, command: tuple[str, ...], mask: int
) -> None:
    """Whatever the umask (0 would give 666), `init` and `demo` create the file, -wal and -shm as 600."""
    db = tmp_path / "new" / "demo.db"
    with umask(mask):
        result = run_cli("--db", str(db), "--today", DAY, *command)
        assert result.exit_code == 0, result.stderr
        with opened(db):
            for file in files_of(db):
                assert mode(file) == 0o600, file
    assert "tightened" not in result.stdout


@posix_only
def test_init_tightens_an_existing_looser_file_and_says_so_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    assert run_cli("--db", str(db), "--today", DAY, "init").exit_code == 0
    with opened(db):
        for file in files_of(db):
            file.chmod(0o644)
        result = run_cli("--db", str(db), "--today", DAY, "init")
        assert result.exit_code == 0, result.stderr
        assert [mode(file) for file in files_of(db)] == [0o600] * 3
    told = [line for line in result.stdout.splitlines() if "tightened" in line]
    assert told == [f"tightened {db} to owner-only (was 644), with its -wal and -shm files"]
    again = run_cli("--db", str(db), "--today", DAY, "init")
    assert again.exit_code == 0 and "tightened" not in again.stdout


@posix_only
def test_init_tightens_a_file_copied_without_its_wal_and_names_the_old_mode(tmp_path: Path) -> None:
    """A database copied with `cp` under a loose umask (640 here), closed, so no -wal or -shm file beside it."""
    db = tmp_path / "copy.db"
    assert run_cli("--db", str(db), "--today", DAY, "init").exit_code == 0
    db.chmod(0o640)
    result = run_cli("--db", str(db), "--today", DAY, "init")
    assert result.exit_code == 0, result.stderr
    assert f"tightened {db} to owner-only (was 640)" in result.stdout.splitlines()
    assert mode(db) == 0o600


@posix_only
def test_only_the_sidecar_files_loose_are_named_as_such(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    assert run_cli("--db", str(db), "--today", DAY, "init").exit_code == 0
    with opened(db):
        db.with_name("x.db-shm").chmod(0o664)
        result = run_cli("--db", str(db), "--today", DAY, "init")
        assert mode(db.with_name("x.db-shm")) == 0o600
    assert f"tightened {db}'s -shm file to owner-only (was 664)" in result.stdout.splitlines()


@posix_only
def test_a_file_init_cannot_tighten_is_reported_with_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone else's file (chmod refused): init still upgrades, and says on standard error what to run."""
    db = tmp_path / "theirs.db"
    assert run_cli("--db", str(db), "--today", DAY, "init").exit_code == 0
    db.chmod(0o644)

    def refuse(self: Path, _mode: int, **_kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted", str(self))

    monkeypatch.setattr(Path, "chmod", refuse)
    result = run_cli("--db", str(db), "--today", DAY, "init")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"progression: could not make {db} readable by its owner only (Operation not permitted): "
        f"run `chmod 600 {db}` as its owner."
    ]
    assert mode(db) == 0o644
