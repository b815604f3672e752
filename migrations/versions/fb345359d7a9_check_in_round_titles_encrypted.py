"""check-in round titles encrypted

Revision ID: fb345359d7a9
Revises: c72a6478a452
Create Date: 2026-11-22 05:56:50.386570

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fb345359d7a9'
down_revision = 'c72a6478a452'
branch_labels = None
depends_on = None


# Round titles are the contact group's free text, so they are encrypted at rest
# like every other answer. Existing titles are sealed with the instance's key.

def _rows(conn, column):
    return conn.execute(sa.text(f"SELECT id, process_id, {column} FROM checkin_round")).all()


def upgrade():
    from intake.crypto import keyring

    conn = op.get_bind()
    existing = _rows(conn, "title")
    with op.batch_alter_table('checkin_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_sealed', sa.LargeBinary(), nullable=True))
    for row_id, process_id, title in existing:
        sealed = keyring().encrypt(title.encode(), f"process:{process_id}:invitation")
        conn.execute(sa.text("UPDATE checkin_round SET title_sealed = :t WHERE id = :i"),
                     {"t": sealed, "i": row_id})
    with op.batch_alter_table('checkin_round', schema=None) as batch_op:
        batch_op.drop_column('title')
    with op.batch_alter_table('checkin_round', schema=None) as batch_op:
        batch_op.alter_column('title_sealed', new_column_name='title', nullable=False,
                              existing_type=sa.LargeBinary())


def downgrade():
    from intake.crypto import keyring

    conn = op.get_bind()
    existing = _rows(conn, "title")
    with op.batch_alter_table('checkin_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_plain', sa.String(length=120), nullable=True))
    for row_id, process_id, sealed in existing:
        title = keyring().decrypt(bytes(sealed), f"process:{process_id}:invitation").decode()
        conn.execute(sa.text("UPDATE checkin_round SET title_plain = :t WHERE id = :i"),
                     {"t": title[:120], "i": row_id})
    with op.batch_alter_table('checkin_round', schema=None) as batch_op:
        batch_op.drop_column('title')
    with op.batch_alter_table('checkin_round', schema=None) as batch_op:
        batch_op.alter_column('title_plain', new_column_name='title', nullable=False,
                              existing_type=sa.String(length=120))
