"""the neutral site "Exit this page" leads to, per process

Revision ID: e1c7a9d3f240
Revises: 5f1e7c3a9d20
"""

import sqlalchemy as sa
from alembic import op

revision = "e1c7a9d3f240"
down_revision = "5f1e7c3a9d20"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("process") as batch_op:
        batch_op.add_column(sa.Column("exit_url", sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table("process") as batch_op:
        batch_op.drop_column("exit_url")
