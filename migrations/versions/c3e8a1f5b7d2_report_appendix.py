"""report-backs that carry every entry of the chronology as an appendix

Revision ID: c3e8a1f5b7d2
Revises: c3d9e4f7a215
Create Date: 2026-11-23 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3e8a1f5b7d2'
down_revision = 'c3d9e4f7a215'
branch_labels = None
depends_on = None


def upgrade():
    # Report-backs made before printed every entry in their chronology; they are frozen
    # PDFs already, so what this says of them only matters for one started again.
    with op.batch_alter_table('report_back', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('appendix', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table('report_back', schema=None) as batch_op:
        batch_op.alter_column('appendix', server_default=None)


def downgrade():
    with op.batch_alter_table('report_back', schema=None) as batch_op:
        batch_op.drop_column('appendix')
