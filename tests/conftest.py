"""Test databases on the backend chosen by PROGRESSION_TEST_BACKEND (sqlite by default, or postgresql).

Each test gets its own database, copied from a template that was migrated and seeded once per run.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from progression.db import make_engine
from progression.services.actor import local_admin
from progression.services.demo import build_demo
from progression.services.setup import initialise

TODAY = date(2026, 11, 24)
"""The fixed date every test takes as today."""
DEFAULT_POSTGRESQL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKEND = os.environ.get("PROGRESSION_TEST_BACKEND", "sqlite")
IN_CI = bool(os.environ.get("CI"))


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's data or settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("PROGRESSION_CONFIG_FILE", str(home / "config" / "settings.json"))
    monkeypatch.delenv("PROGRESSION_DATABASE_URL", raising=False)


def postgresql_admin_url() -> str:
    return os.environ.get("PROGRESSION_TEST_POSTGRESQL_URL", DEFAULT_POSTGRESQL)


def postgresql_answers(url: str) -> str | None:
    """None when the server answers, else the reason it does not."""
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001  any failure means: no server here
        return str(exc).splitlines()[0]


def require_postgresql() -> str:
    """The admin URL of the test PostgreSQL server; skip (locally) or fail (in CI) when none answers."""
    url = postgresql_admin_url()
    reason = postgresql_answers(url)
    if reason is not None:
        message = (
            f"no PostgreSQL server answered at {make_url(url).render_as_string()} ({reason}); "
            "set PROGRESSION_TEST_POSTGRESQL_URL to run these tests"
        )
        if IN_CI:
            pytest.fail(f"CI needs PostgreSQL: {message}")
        pytest.skip(message)
    return url


class Databases:
    """Makes databases on one backend: empty ones, and copies of a template."""

    def __init__(self, backend: str, workdir: Path) -> None:
        self.backend, self.workdir = backend, workdir
        self.created: list[str] = []
        self._dropper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drop-test-databases")
        self._dropping: list[Future[None]] = []
        if backend == "postgresql":
            self.admin_url = require_postgresql()
            self.admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        elif backend != "sqlite":
            raise pytest.UsageError(f"PROGRESSION_TEST_BACKEND must be sqlite or postgresql, not {backend!r}")

    def new_url(self, template: str | None = None) -> str:
        name = f"progression_test_{uuid.uuid4().hex[:12]}"
        if self.backend == "sqlite":
            path = self.workdir / f"{name}.db"
            if template is not None:
                shutil.copyfile(make_url(template).database, path)  # type: ignore[arg-type]
            return f"sqlite:///{path}"
        clause = f' TEMPLATE "{make_url(template).database}"' if template else ""
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        self.created.append(name)
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def done(self, url: str) -> None:
        """A test has finished with this database: drop it now, in the background, while other tests run (dropping
        hundreds at the end of the run took over a minute)."""
        if self.backend != "postgresql":
            return
        name = make_url(url).database
        if name in self.created:
            self.created.remove(name)
            self._dropping.append(self._dropper.submit(self._drop, name))

    def _drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def drop_all(self) -> None:
        if self.backend != "postgresql":
            return
        self._dropper.shutdown(wait=True)
        for future in self._dropping:
            future.result()
        for name in self.created:
            self._drop(name)
        self.admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    made = Databases(BACKEND, tmp_path_factory.mktemp("databases"))
    yield made
    made.drop_all()


def _template(databases: Databases, workers: int) -> str:
    url = databases.new_url()
    engine = make_engine(url)
    initialise(engine, local_admin(), authority=None, today=TODAY, demo_council=True)
    if workers:
        build_demo(engine, local_admin(), workers=workers, seed=1, today=TODAY)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def council_template(databases: Databases) -> str:
    """A database with the schema, reference data and the demo council loaded, and no workers."""
    return _template(databases, 0)


@pytest.fixture(scope="session")
def demo_template(databases: Databases) -> str:
    """The demo council with its 60 fictional workers, built for TODAY with seed 1."""
    return _template(databases, 60)


def _engine(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _url(databases: Databases, template: str | None = None) -> Iterator[str]:
    url = databases.new_url(template)
    yield url
    databases.done(url)


@pytest.fixture
def empty_url(databases: Databases) -> Iterator[str]:
    """A brand-new database with nothing in it."""
    yield from _url(databases)


@pytest.fixture
def council_url(databases: Databases, council_template: str) -> Iterator[str]:
    yield from _url(databases, council_template)


@pytest.fixture
def demo_url(databases: Databases, demo_template: str) -> Iterator[str]:
    yield from _url(databases, demo_template)


@pytest.fixture
def council_engine(council_url: str) -> Iterator[Engine]:
    """This test's own copy of the council without workers."""
    yield from _engine(council_url)


@pytest.fixture
def demo_engine(demo_url: str) -> Iterator[Engine]:
    """This test's own copy of the demo council with 60 workers."""
    yield from _engine(demo_url)
