"""a decision names its decider when they are not a worker: the local administrator of a SQLite file

Until now a decision by the local administrator (SQLite without `--as`) was stored with no decider, like an
automatic one. One column on `decision`: `by_label`, who decided when it was not a worker, e.g.
'local administrator (alice)' (with the operating-system account). A worker's decision names them by `by_id` and
an automatic decision (outcome `automatic`) has neither.

Decisions already in the database with no decider and an outcome a person chooses were taken by the local
administrator (only they decide without being a worker): they are labelled 'local administrator' (the account
was not recorded then). Every row is kept.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-09 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("by_label", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
    decision = sa.table(
        "decision",
        sa.column("by_id", sa.Integer()),
        sa.column("outcome", sa.String()),
        sa.column("by_label", sa.String()),
    )
    op.execute(
        decision.update()
        .where(decision.c.by_id.is_(None), decision.c.outcome != "automatic", decision.c.by_label.is_(None))
        .values(by_label="local administrator")
    )


def downgrade() -> None:
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_column("by_label")
