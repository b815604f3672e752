"""observations: requests seen through an untrusted proxy

Revision ID: 5b1f0c2d9e47
Revises: 5d2a7e9c1b34
Create Date: 2026-11-23 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1f0c2d9e47'
down_revision = '5d2a7e9c1b34'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'observation',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_observation')),
    )


def downgrade():
    op.drop_table('observation')
