"""Crash test: `init`, `demo` and `import workers` run as real processes and are killed (SIGKILL) at random
moments while they write; each kill leaves the database intact and either as it was or complete, and a
rerun completes the work. On the backend chosen by PROGRESSION_TEST_BACKEND.

The child is the real command line (tests/fixtures/crash_child.py) that says when it begins to write and
runs each statement a little slower (a slow disk); the kill comes a seeded random delay after that, so it
lands anywhere in the database work, the short DDL statements of a first `init` included. A process that
finished first counts as a completed run, which is fine.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from progression.db import current_revision, head_revision, make_engine
from progression.services.actor import local_admin
from progression.services.audit import verify_chain
from tests.fixtures.crash_child import MARK

TODAY = "2026-11-24"
SLOWDOWN = "PROGRESSION_CRASH_SLOWDOWN"
KILLS = 3
"""Kills per command; each test also runs the command once more to completion."""
SEED = 20261124
IMPORTED = 1000
"""Workers in the imported file (long enough a transaction to be killed inside)."""


def progression(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "tests.fixtures.crash_child", "--db", url, "--today", TODAY, *args]


def kill_while_writing(command: list[str], delay: float) -> str:
    """Start `command`, wait until it begins to write, wait `delay` seconds more, kill it with SIGKILL.

    Returns "killed" or, when the process ended first, "finished (exit N)".
    """
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    assert process.stderr is not None
    seen: list[str] = []
    while (line := process.stderr.readline()) and MARK not in line:
        seen.append(line)
    assert line, f"{command} ended without writing: {''.join(seen)}"
    time.sleep(delay)
    if process.poll() is not None:
        rest = "".join(seen) + process.stderr.read()
        assert process.returncode in (0, 1), rest
        assert "Traceback" not in rest
        return f"finished (exit {process.returncode})"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    process.stderr.close()
    return "killed"


def state(url: str) -> dict[str, int]:
    """Row counts of every table (none for an empty database), after checking the database is intact: SQLite's
    integrity check, the schema at head or absent, the audit chain holding."""
    if make_url(url).get_backend_name() == "sqlite":
        path = Path(make_url(url).database or "")
        if not path.exists():
            return {}
        raw = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
        try:
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            raw.close()
    engine = make_engine(url, create=False)
    try:
        tables = set(inspect(engine).get_table_names())
        revision = current_revision(engine)
        if revision is None:
            assert tables <= {"alembic_version"}, f"tables without the schema's stamp: {sorted(tables)[:5]}"
            return {}
        assert revision == head_revision()
        check = verify_chain(engine, local_admin())
        assert check.ok, check.problem
        with engine.connect() as connection:
            return {
                name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                for name in sorted(tables)
                if name not in ("audit_entry", "audit_head")
            }
    finally:
        engine.dispose()


def crash_then_complete(url: str, command: list[str], rng: random.Random, *, window: float) -> dict[str, int]:
    """Kill `command` KILLS times (each run on what the kill before left), check each leftover, then run it to
    completion. Every leftover must equal the state before or the completed state; returns the latter."""
    before = state(url)
    leftovers = []
    for _ in range(KILLS):
        outcome = kill_while_writing(command, rng.uniform(0, window))
        leftovers.append((outcome, state(url)))
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env={**os.environ, SLOWDOWN: "0"})
    assert "Traceback" not in done.stderr
    complete = state(url)
    if done.returncode != 0:  # only a demo refuses to run again, and only once complete
        assert "already has" in done.stderr and complete != before, done.stderr
    for outcome, leftover in leftovers:
        assert leftover in (before, complete), f"a kill ({outcome}) left part of the work"
    print(f"{command[-3:]}: {[outcome for outcome, _ in leftovers]}")
    assert any(outcome == "killed" for outcome, _ in leftovers), "no kill landed while the command wrote"
    return complete


def test_init_killed_at_random_moments(empty_url: str) -> None:
    complete = crash_then_complete(empty_url, progression(empty_url, "init"), random.Random(SEED), window=0.6)
    assert complete["framework"] > 0 and complete["council"] == 0


def test_demo_killed_at_random_moments(empty_url: str) -> None:
    command = progression(empty_url, "demo", "--workers", "300")
    complete = crash_then_complete(empty_url, command, random.Random(SEED + 1), window=1.5)
    assert complete["worker"] == 300
    assert complete["decision"] > 0  # the demo's automatic steps were taken in the same transaction


def test_import_killed_at_random_moments(demo_url: str, tmp_path: Path) -> None:
    engine = make_engine(demo_url, create=False)
    with engine.connect() as connection:
        admin = connection.execute(text("SELECT staff_id FROM worker WHERE is_admin ORDER BY id")).scalars().first()
        base = connection.execute(text("SELECT count(*) FROM worker")).scalar_one()
    engine.dispose()
    assert admin is not None
    file = tmp_path / "workers.csv"
    lines = ["staff_id,name,role,role_since,employed_since,qualified_on,team"]
    lines += [
        f"C{i:05d},Crash Test {i},social-worker-1,2024-01-{1 + i % 28:02d},2023-01-01,2022-06-01,Crash team {i % 7}"
        for i in range(IMPORTED)
    ]
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [*progression(demo_url, "--as", admin), "import", "workers", str(file)]
    complete = crash_then_complete(demo_url, command, random.Random(SEED + 2), window=1.5)
    assert complete["worker"] == base + IMPORTED
