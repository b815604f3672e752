"""contact entries know whether their record has a note for the report-back

Revision ID: d4f2b8c6a1e3
Revises: c3e8a1f5b7d2
Create Date: 2026-12-06 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4f2b8c6a1e3'
down_revision = 'c3e8a1f5b7d2'
branch_labels = None
depends_on = None


def upgrade():
    # Entries already there stay NULL, "not known": their words are sealed and only the
    # service holds the keys, so a report reads those records as before, and
    # `intake keys rotate` fills the flag in while it has each record open anyway.
    with op.batch_alter_table('contact_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('has_report_note', sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table('contact_entry', schema=None) as batch_op:
        batch_op.drop_column('has_report_note')
