"""a process's records of one form, and its steps by the day agreed and by deadline

Revision ID: f7c9e1a3b5d6
Revises: e6b8d0f2a4c5
Create Date: 2026-12-06 19:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f7c9e1a3b5d6'
down_revision = 'e6b8d0f2a4c5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index('ix_submission_process_form', ['process_id', 'form_id'], unique=False)
    with op.batch_alter_table('agreed_step', schema=None) as batch_op:
        batch_op.create_index(
            'ix_agreed_step_process_agreed', ['process_id', 'agreed_on'], unique=False
        )
        batch_op.create_index(
            'ix_agreed_step_process_deadline', ['process_id', 'deadline'], unique=False
        )


def downgrade():
    with op.batch_alter_table('agreed_step', schema=None) as batch_op:
        batch_op.drop_index('ix_agreed_step_process_deadline')
        batch_op.drop_index('ix_agreed_step_process_agreed')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index('ix_submission_process_form')
