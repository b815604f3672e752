"""the mail carrying each private link, and when a report render took its slot

Revision ID: a4d2f6b8c901
Revises: e1c7a9d3f240
"""

import sqlalchemy as sa
from alembic import op

revision = "a4d2f6b8c901"
down_revision = "e1c7a9d3f240"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("invitation") as batch_op:
        batch_op.add_column(
            sa.Column(
                "mail_state",
                sa.Enum("waiting", "sending", "sent", "failed", name="mailstate", native_enum=False, length=16),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("mail_tries", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("mail_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("mail_problem", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("mail_link", sa.LargeBinary(), nullable=True))
    # Links mailed before this version went out inside the request: they count as sent.
    op.execute("UPDATE invitation SET mail_state = 'sent' WHERE last_sent_at IS NOT NULL")
    with op.batch_alter_table("report_back") as batch_op:
        batch_op.add_column(sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
    # Renders left "being made" by a worker that died are then marked failed by their page.
    op.execute(
        "UPDATE report_back SET started_at = created_at "
        "WHERE state IN ('queued', 'rendering') AND started_at IS NULL"
    )


def downgrade():
    with op.batch_alter_table("report_back") as batch_op:
        batch_op.drop_column("started_at")
    with op.batch_alter_table("invitation") as batch_op:
        batch_op.drop_column("mail_link")
        batch_op.drop_column("mail_problem")
        batch_op.drop_column("mail_due_at")
        batch_op.drop_column("mail_tries")
        batch_op.drop_column("mail_state")
