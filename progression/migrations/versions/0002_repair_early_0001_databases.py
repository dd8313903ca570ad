"""repair databases made by an early 0001

Revision 0001 was edited in place by two commits after it was first released, so a database stamped 0001 may
lack what they added: the `audit_head` table (added with the audit log's head row) and the partial unique
index `uq_progression_request_open_step` (at most one open request per worker and step). Building every
historic version of 0001 and comparing the schemas finds only these two differences, on SQLite and PostgreSQL.

This revision adds whatever is missing and keeps every row; on a database made by today's 0001 it does
nothing. The head row is rebuilt from the existing chain (the newest entry and the count). The index cannot be
built while two open requests share a step: then it is left out here, and `progression init` names the
requests and creates the index once they are resolved (`progression.db.repair_schema`).

From now on a released revision is never edited: every schema change is a new revision.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OPEN_STEP_INDEX = "uq_progression_request_open_step"
OPEN_STATES = "state IN ('submitted', 'endorsed')"


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    if not inspector.has_table("audit_head"):
        op.create_table(
            "audit_head",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("last_id", sa.Integer(), nullable=False),
            sa.Column("last_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
            sa.Column("entries", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
        )
    if bind.execute(sa.text("SELECT count(*) FROM audit_head")).scalar_one() == 0:
        newest = bind.execute(sa.text("SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1")).first()
        if newest is not None:
            entries = bind.execute(sa.text("SELECT count(*) FROM audit_entry")).scalar_one()
            bind.execute(
                sa.text("INSERT INTO audit_head (id, last_id, last_hash, entries) VALUES (1, :id, :hash, :entries)"),
                {"id": newest.id, "hash": newest.hash, "entries": entries},
            )
    if OPEN_STEP_INDEX in {index["name"] for index in inspector.get_indexes("progression_request")}:
        return
    shared = bind.execute(
        sa.text(
            "SELECT worker_id FROM progression_request WHERE " + OPEN_STATES + " "
            "GROUP BY worker_id, from_role_id, to_role_id HAVING count(*) > 1"
        )
    ).first()
    if shared is None:
        op.create_index(
            OPEN_STEP_INDEX,
            "progression_request",
            ["worker_id", "from_role_id", "to_role_id"],
            unique=True,
            sqlite_where=sa.text(OPEN_STATES),
            postgresql_where=sa.text(OPEN_STATES),
        )


def downgrade() -> None:
    pass  # what this revision adds belongs to revision 0001: nothing to take away
