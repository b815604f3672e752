"""real answers in the contact log, the silence a group marks, closing report-backs

Revision ID: 3b8f0c2d5e71
Revises: 7c1e2b9d4a10
Create Date: 2026-11-23 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b8f0c2d5e71'
down_revision = '7c1e2b9d4a10'
branch_labels = None
depends_on = None


def upgrade():
    # Entries from before could not say otherwise: each of his messages counts as an answer.
    with op.batch_alter_table('contact_entry', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('real_answer', sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table('process', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('silence_alarm_days', sa.Integer(), nullable=False, server_default='60')
        )
    with op.batch_alter_table('report_back', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('closing', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table('report_back', schema=None) as batch_op:
        batch_op.alter_column('closing', server_default=None)
    with op.batch_alter_table('contact_entry', schema=None) as batch_op:
        batch_op.alter_column('real_answer', server_default=None)
    with op.batch_alter_table('process', schema=None) as batch_op:
        batch_op.alter_column('silence_alarm_days', server_default=None)


def downgrade():
    with op.batch_alter_table('report_back', schema=None) as batch_op:
        batch_op.drop_column('closing')
    with op.batch_alter_table('process', schema=None) as batch_op:
        batch_op.drop_column('silence_alarm_days')
    with op.batch_alter_table('contact_entry', schema=None) as batch_op:
        batch_op.drop_column('real_answer')
