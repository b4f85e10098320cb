"""derived arrays: the codebook's scores of a project's segments, kept between processes

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 22:45:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('derived_arrays',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_derived_arrays'))
    )
    with op.batch_alter_table('derived_arrays', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_derived_arrays_kind'), ['kind'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('derived_arrays', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_derived_arrays_kind'))
    op.drop_table('derived_arrays')
