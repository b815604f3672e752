"""one-time keys of create forms, so a form posted twice makes one record

Revision ID: 5f1e7c3a9d20
Revises: 9a4d2b6c8e15
Create Date: 2026-11-23 09:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5f1e7c3a9d20'
down_revision = '9a4d2b6c8e15'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('form_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('result', sa.String(length=300), nullable=True),
    sa.Column('spent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_form_key_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_key')),
    sa.UniqueConstraint('key', name=op.f('uq_form_key_key'))
    )
    with op.batch_alter_table('form_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_key_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_key_spent_at'), ['spent_at'], unique=False)


def downgrade():
    with op.batch_alter_table('form_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_key_spent_at'))
        batch_op.drop_index(batch_op.f('ix_form_key_account_id'))
    op.drop_table('form_key')
