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
# The sealing is frozen here (format "i1" + key id + nonce + AES-GCM) so that this
# migration keeps working whatever the application's modules become.

_FORMAT = b"i1"
_KEY_ID_LENGTH = 8
_NONCE_LENGTH = 12


def _keys():
    import base64
    from pathlib import Path

    from flask import current_app

    configured = current_app.config.get("ANSWER_KEYS_DIR")
    directory = Path(configured) if configured else Path(current_app.instance_path) / "keys"
    keys = {p.stem: base64.b64decode(p.read_text().strip()) for p in directory.glob("*.key")}
    current_file = directory / "current"
    current = current_file.read_text().strip() if current_file.exists() else None
    if current not in keys:
        raise RuntimeError(f"No encryption key in {directory}: run `intake keys init` first.")
    return keys, current


def _seal(plaintext, context):
    import secrets

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    keys, current = _keys()
    nonce = secrets.token_bytes(_NONCE_LENGTH)
    sealed = AESGCM(keys[current]).encrypt(nonce, plaintext, context.encode())
    return _FORMAT + current.encode() + nonce + sealed


def _open(blob, context):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    keys, _ = _keys()
    head = len(_FORMAT)
    key_id = blob[head:head + _KEY_ID_LENGTH].decode()
    nonce = blob[head + _KEY_ID_LENGTH:head + _KEY_ID_LENGTH + _NONCE_LENGTH]
    return AESGCM(keys[key_id]).decrypt(nonce, blob[head + _KEY_ID_LENGTH + _NONCE_LENGTH:],
                                        context.encode())

def _rows(conn, column):
    return conn.execute(sa.text(f"SELECT id, process_id, {column} FROM checkin_round")).all()


def upgrade():
    conn = op.get_bind()
    existing = _rows(conn, "title")
    with op.batch_alter_table('checkin_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_sealed', sa.LargeBinary(), nullable=True))
    for row_id, process_id, title in existing:
        sealed = _seal(title.encode(), f"process:{process_id}:invitation")
        conn.execute(sa.text("UPDATE checkin_round SET title_sealed = :t WHERE id = :i"),
                     {"t": sealed, "i": row_id})
    with op.batch_alter_table('checkin_round', schema=None) as batch_op:
        batch_op.drop_column('title')
    with op.batch_alter_table('checkin_round', schema=None) as batch_op:
        batch_op.alter_column('title_sealed', new_column_name='title', nullable=False,
                              existing_type=sa.LargeBinary())


def downgrade():
    conn = op.get_bind()
    existing = _rows(conn, "title")
    with op.batch_alter_table('checkin_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_plain', sa.String(length=120), nullable=True))
    for row_id, process_id, sealed in existing:
        title = _open(bytes(sealed), f"process:{process_id}:invitation").decode()
        conn.execute(sa.text("UPDATE checkin_round SET title_plain = :t WHERE id = :i"),
                     {"t": title[:120], "i": row_id})
    with op.batch_alter_table('checkin_round', schema=None) as batch_op:
        batch_op.drop_column('title')
    with op.batch_alter_table('checkin_round', schema=None) as batch_op:
        batch_op.alter_column('title_plain', new_column_name='title', nullable=False,
                              existing_type=sa.String(length=120))
