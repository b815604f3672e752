"""the log's version on each process, and a process's contact entries by day

Revision ID: d5a7c9e1f3b4
Revises: d4f2b8c6a1e3
Create Date: 2026-12-06 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5a7c9e1f3b4'
down_revision = 'd4f2b8c6a1e3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('process', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('log_version', sa.BigInteger(), nullable=False, server_default='0')
        )
    # Each process starts at a version of its own, drawn at random as every later one is,
    # so that a database restored from elsewhere never shares a version with this one.
    if op.get_bind().dialect.name == 'postgresql':
        drawn = 'CAST(floor(random() * 4611686018427387904) AS BIGINT)'
    else:
        drawn = 'abs(random() % 4611686018427387904)'
    op.execute(f'UPDATE process SET log_version = {drawn}')
    with op.batch_alter_table('process', schema=None) as batch_op:
        batch_op.alter_column('log_version', server_default=None)
    with op.batch_alter_table('contact_entry', schema=None) as batch_op:
        batch_op.create_index('ix_contact_entry_process_day', ['process_id', 'on'], unique=False)


def downgrade():
    with op.batch_alter_table('contact_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_entry_process_day')
    with op.batch_alter_table('process', schema=None) as batch_op:
        batch_op.drop_column('log_version')
