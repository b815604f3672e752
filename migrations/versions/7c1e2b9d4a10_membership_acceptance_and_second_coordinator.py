"""membership acceptance, accounts created by a membership, take-over, acts a second coordinator confirms

Revision ID: 7c1e2b9d4a10
Revises: 644dbfa3f1f5
Create Date: 2026-11-23 08:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1e2b9d4a10'
down_revision = '644dbfa3f1f5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column('created_account', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table('process', schema=None) as batch_op:
        batch_op.add_column(sa.Column('taken_over_at', sa.DateTime(timezone=True), nullable=True))

    # Memberships made before acceptance existed were accepted when they were made.
    op.execute("UPDATE membership SET accepted_at = joined_at")
    # The earliest membership of each account is taken to be the one that created it.
    op.execute(
        "UPDATE membership SET created_account = true WHERE id IN "
        "(SELECT min(id) FROM membership GROUP BY account_id)"
    )
    # Processes whose contact group already has a coordinator with a password
    # belong to their members from now on.
    op.execute(
        "UPDATE process SET taken_over_at = CURRENT_TIMESTAMP WHERE id IN "
        "(SELECT m.process_id FROM membership m JOIN account a ON a.id = m.account_id "
        "WHERE m.role = 'contact' AND m.is_coordinator AND a.password_hash IS NOT NULL)"
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.alter_column('created_account', server_default=None)
    # The instance admin is never a member: memberships it was given before end now.
    op.execute(
        "UPDATE membership SET left_at = CURRENT_TIMESTAMP WHERE left_at IS NULL AND account_id IN "
        "(SELECT id FROM account WHERE is_instance_admin)"
    )

    op.create_table(
        'act_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('process_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('erase', 'erase-date', 'second-factor-off', 'coordinator-off', 'coordinator-removed', name='actkind', native_enum=False, length=24), nullable=False),
        sa.Column('erase_on', sa.Date(), nullable=True),
        sa.Column('membership_id', sa.Integer(), nullable=True),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('confirmed', sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(['decided_by_id'], ['account.id'], name=op.f('fk_act_request_decided_by_id_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['process_id'], ['process.id'], name=op.f('fk_act_request_process_id_process'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], name=op.f('fk_act_request_membership_id_membership'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['requested_by_id'], ['account.id'], name=op.f('fk_act_request_requested_by_id_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_act_request')),
    )
    with op.batch_alter_table('act_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_act_request_process_id'), ['process_id'], unique=False)


def downgrade():
    with op.batch_alter_table('act_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_act_request_process_id'))
    op.drop_table('act_request')
    # Pending memberships never gave access; without acceptance they would.
    op.execute("DELETE FROM membership WHERE accepted_at IS NULL")
    with op.batch_alter_table('process', schema=None) as batch_op:
        batch_op.drop_column('taken_over_at')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_column('created_account')
        batch_op.drop_column('accepted_at')
