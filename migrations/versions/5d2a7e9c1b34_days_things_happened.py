"""the days things happened: step outcomes, demand status changes with their evidence

Revision ID: 5d2a7e9c1b34
Revises: 3b8f0c2d5e71
Create Date: 2026-11-23 09:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d2a7e9c1b34'
down_revision = '3b8f0c2d5e71'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('step_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on', sa.Date(), nullable=True))
    # Before, a change happened on the day it was entered.
    op.execute("UPDATE step_change SET \"on\" = DATE(changed_at)")
    with op.batch_alter_table('demand_status_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reason', sa.LargeBinary(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_demand_status_change_evidence_id_submission'),
            'submission', ['evidence_id'], ['id'], ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('demand_status_change', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_demand_status_change_evidence_id_submission'), type_='foreignkey'
        )
        batch_op.drop_column('reason')
        batch_op.drop_column('evidence_id')
    with op.batch_alter_table('step_change', schema=None) as batch_op:
        batch_op.drop_column('on')
