"""rows imported from a spreadsheet are recognised when imported again

Revision ID: 8e3c1a7f2b90
Revises: 5b1f0c2d9e47
Create Date: 2026-11-23 09:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8e3c1a7f2b90'
down_revision = '5b1f0c2d9e47'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('contact_entry', 'meeting'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('import_key', sa.String(length=64), nullable=True))
            # Unique per process: the same file imported twice at once adds its rows once.
            batch_op.create_index(
                f'ix_{table}_import_key', ['process_id', 'import_key'], unique=True
            )


def downgrade():
    for table in ('meeting', 'contact_entry'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_import_key')
            batch_op.drop_column('import_key')
