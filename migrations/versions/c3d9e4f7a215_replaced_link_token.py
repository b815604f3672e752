"""the token a reminder replaced, so words typed with it find their link

Revision ID: c3d9e4f7a215
Revises: b7e3c5a1d924
Create Date: 2026-11-23 15:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d9e4f7a215'
down_revision = 'b7e3c5a1d924'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replaced_token_hash', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_invitation_replaced_token_hash'), ['replaced_token_hash'], unique=False)


def downgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_replaced_token_hash'))
        batch_op.drop_column('replaced_token_hash')
