"""records and amendment decisions dated by the day they happened

Revision ID: 9a4d2b6c8e15
Revises: 8e3c1a7f2b90
Create Date: 2026-11-23 09:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9a4d2b6c8e15'
down_revision = '8e3c1a7f2b90'
branch_labels = None
depends_on = None


def upgrade():
    # Records made before carry no such day: the chronology keeps using when they were sent.
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('happened_on', sa.Date(), nullable=True))
    with op.batch_alter_table('demand_amendment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decided_on', sa.Date(), nullable=True))
    # Decisions entered before were dated by the day they were entered.
    op.execute("UPDATE demand_amendment SET decided_on = DATE(decided_at) WHERE decided_at IS NOT NULL")


def downgrade():
    with op.batch_alter_table('demand_amendment', schema=None) as batch_op:
        batch_op.drop_column('decided_on')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_column('happened_on')
