"""The UI tests' database and app: the demo council with a few hand-written workers, on a fixed date."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from progression.db import make_engine
from progression.services.actor import Actor, local_admin, resolve_actor
from progression.services.importing import import_workers
from screens.app import ProgressionApp, make_app
from tests.conftest import Databases
from tests.ui.helpers import TODAY

HEADER = "staff_id,name,role,role_since,employed_since,qualified_on,team,manager,email,fte,access,completed\n"
ROWS = {
    "T1": "Bo Manager,team-manager,2020-01-01,2015-01-01,2010-06-01,North Child Protection,,,1,manager,",
    "T3": "Cal Apprentice,social-work-apprentice,2025-09-01,2023-01-09,,Family Help,T1,,1,,",
    "T4": "Dee Senior,senior-social-worker,2023-04-01,2016-02-01,2015-07-01,South Assessment,,,1,,",
}
ADA_ROLES = [("nqsw", "2021-09-01"), ("social-worker-1", "2022-09-01"), ("social-worker-2", "2025-03-01")]
"""Ada's career, imported one step at a time so her role history has three spells."""


def workers_csv(tmp: Path, ada_role: str, ada_since: str) -> Path:
    """A workers file with Ada in the given role, and the others as in ROWS."""
    ada = f"T2,Ada Worker,{ada_role},{ada_since},2021-09-01,2021-07-01,North Child Protection,T1,,1,,asye:2022-09-01\n"
    path = tmp / f"workers-{ada_role}.csv"
    path.write_text(HEADER + "".join(f"{key},{row}\n" for key, row in ROWS.items()) + ada, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def ui_template(databases: Databases, council_template: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo council with four workers, built once per run."""
    url = databases.new_url(council_template)
    engine = make_engine(url)
    tmp = tmp_path_factory.mktemp("ui-workers")
    for role, since in ADA_ROLES:
        import_workers(engine, local_admin(), workers_csv(tmp, role, since))
    engine.dispose()
    return url


@pytest.fixture
def ui_engine(databases: Databases, ui_template: str) -> Iterator[Engine]:
    """This test's own copy of the UI database."""
    engine = make_engine(databases.new_url(ui_template))
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inputs draw a steady cursor, so screenshots do not depend on timing."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture
def admin_app(ui_engine: Engine) -> ProgressionApp:
    """The app as the local administrator."""
    return make_app(engine=ui_engine, actor=local_admin(), today=TODAY)


@pytest.fixture
def ada(ui_engine: Engine) -> Actor:
    """Ada, a social worker with no manager, educator or admin rights."""
    return resolve_actor(ui_engine, "T2")


@pytest.fixture
def ada_app(ui_engine: Engine, ada: Actor) -> ProgressionApp:
    """The app as Ada."""
    return make_app(engine=ui_engine, actor=ada, today=TODAY)
