"""a worker can have a database login: on PostgreSQL the actor is the login, not a claimed staff id

One column on `worker`: `login`, the person's PostgreSQL login (at most 63 characters, PostgreSQL's limit for a
role name), unique (a unique index), NULL for a worker who has none. `progression access grant STAFF_ID LOGIN` and the workers
CSV's `login` column set it. Every row is kept; nobody has a login until one is granted.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-16 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A unique index, not a table constraint: adding it never rebuilds `worker` (SQLite would have to copy the
    # table, which every other table refers to).
    op.add_column("worker", sa.Column("login", sqlmodel.sql.sqltypes.AutoString(length=63), nullable=True))
    op.create_index(op.f("ix_worker_login"), "worker", ["login"], unique=True)
    if op.get_bind().dialect.name == "postgresql":
        # Any login may read the schema revision (nothing else): one not linked to a worker is then told how to
        # get access, rather than failing on the revision check.
        op.execute("GRANT SELECT ON alembic_version TO PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("REVOKE SELECT ON alembic_version FROM PUBLIC")
    op.drop_index(op.f("ix_worker_login"), table_name="worker")
    # A plain DROP COLUMN (SQLite 3.35+): a batch rebuild of `worker` would trip the foreign keys that point at it.
    op.drop_column("worker", "login")
