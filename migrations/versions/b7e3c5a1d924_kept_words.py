"""words of a refused post, kept sealed for the same person for a short time

Revision ID: b7e3c5a1d924
Revises: a4d2b7c91e05
Create Date: 2026-11-23 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e3c5a1d924'
down_revision = 'a4d2b7c91e05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kept_words',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('link_id', sa.Integer(), nullable=True),
    sa.Column('process_id', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=2000), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('words', sa.LargeBinary(), nullable=False),
    sa.Column('kept_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_kept_words_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['link_id'], ['invitation.id'], name=op.f('fk_kept_words_link_id_invitation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['process_id'], ['process.id'], name=op.f('fk_kept_words_process_id_process'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_words'))
    )
    with op.batch_alter_table('kept_words', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_words_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kept_words_link_id'), ['link_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kept_words_process_id'), ['process_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kept_words_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('kept_words', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_words_expires_at'))
        batch_op.drop_index(batch_op.f('ix_kept_words_process_id'))
        batch_op.drop_index(batch_op.f('ix_kept_words_link_id'))
        batch_op.drop_index(batch_op.f('ix_kept_words_account_id'))
    op.drop_table('kept_words')
