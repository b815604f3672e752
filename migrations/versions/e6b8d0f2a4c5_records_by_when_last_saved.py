"""a process's records by when they were last saved

Revision ID: e6b8d0f2a4c5
Revises: d5a7c9e1f3b4
Create Date: 2026-12-06 13:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e6b8d0f2a4c5'
down_revision = 'd5a7c9e1f3b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index(
            'ix_submission_process_updated', ['process_id', 'updated_at'], unique=False
        )


def downgrade():
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index('ix_submission_process_updated')
