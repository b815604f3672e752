"""a process's own questionnaires, their versions, and sealed form snapshots

Revision ID: a4d2b7c91e05
Revises: a4d2f6b8c901
"""

import sqlalchemy as sa
from alembic import op

revision = "a4d2b7c91e05"
down_revision = "a4d2f6b8c901"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("form_snapshot") as batch_op:
        batch_op.add_column(sa.Column("process_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("sealed", sa.LargeBinary(), nullable=True))
        batch_op.create_foreign_key(
            "fk_form_snapshot_process_id_process",
            "process",
            ["process_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index("ix_form_snapshot_process_id", ["process_id"], unique=False)

    op.create_table(
        "questionnaire",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.String(length=40), nullable=False),
        sa.Column("draft", sa.LargeBinary(), nullable=True),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["account.id"],
            name="fk_questionnaire_created_by_id_account",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["process_id"],
            ["process.id"],
            name="fk_questionnaire_process_id_process",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_questionnaire"),
        sa.UniqueConstraint("form_id", name="uq_questionnaire_form_id"),
    )
    with op.batch_alter_table("questionnaire") as batch_op:
        batch_op.create_index("ix_questionnaire_process_id", ["process_id"], unique=False)

    op.create_table(
        "questionnaire_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["account.id"],
            name="fk_questionnaire_version_published_by_id_account",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaire.id"],
            name="fk_questionnaire_version_questionnaire_id_questionnaire",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["form_snapshot.id"],
            name="fk_questionnaire_version_snapshot_id_form_snapshot",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_questionnaire_version"),
        sa.UniqueConstraint(
            "questionnaire_id", "version", name="uq_questionnaire_version_questionnaire_id"
        ),
    )
    with op.batch_alter_table("questionnaire_version") as batch_op:
        batch_op.create_index(
            "ix_questionnaire_version_questionnaire_id", ["questionnaire_id"], unique=False
        )


def downgrade():
    op.drop_table("questionnaire_version")
    op.drop_table("questionnaire")
    # The versions' records go with them: their definitions were sealed in these rows.
    op.execute(
        "DELETE FROM submission_revision WHERE snapshot_id IN "
        "(SELECT id FROM form_snapshot WHERE process_id IS NOT NULL)"
    )
    op.execute(
        "DELETE FROM submission WHERE snapshot_id IN "
        "(SELECT id FROM form_snapshot WHERE process_id IS NOT NULL)"
    )
    op.execute("DELETE FROM form_snapshot WHERE process_id IS NOT NULL")
    with op.batch_alter_table("form_snapshot") as batch_op:
        batch_op.drop_index("ix_form_snapshot_process_id")
        batch_op.drop_constraint("fk_form_snapshot_process_id_process", type_="foreignkey")
        batch_op.drop_column("sealed")
        batch_op.drop_column("process_id")
