"""supervision sessions record who recorded them and when they were confirmed

A session the supervisee records waits for the supervisor's confirmation and does not count until then; one the
supervisor records counts at once. Three columns on `supervision`: `recorded_by_id` (who recorded it),
`confirmed_at` (when it was confirmed; NULL while it waits) and `confirmed_by_id` (who confirmed it).

Sessions already in the database were counted before this revision, so they count as confirmed: `confirmed_at`
is set to the time of the upgrade; who recorded and who confirmed them is not known (NULL). Every row is kept.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("supervision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorded_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_supervision_recorded_by_id_worker"), "worker", ["recorded_by_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_supervision_confirmed_by_id_worker"), "worker", ["confirmed_by_id"], ["id"]
        )
    supervision = sa.table("supervision", sa.column("confirmed_at", sqlmodel.sql.sqltypes.UTCDateTime()))
    op.execute(supervision.update().where(supervision.c.confirmed_at.is_(None)).values(confirmed_at=datetime.now(UTC)))


def downgrade() -> None:
    with op.batch_alter_table("supervision", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_supervision_confirmed_by_id_worker"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_supervision_recorded_by_id_worker"), type_="foreignkey")
        batch_op.drop_column("confirmed_by_id")
        batch_op.drop_column("confirmed_at")
        batch_op.drop_column("recorded_by_id")
