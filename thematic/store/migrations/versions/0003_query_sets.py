"""saved searches and coding queries (named sets of spans)

Revision ID: 0003
Revises: 0002
Create Date: 2027-01-10 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('query_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_query_sets_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_query_sets')),
    sa.UniqueConstraint('project_id', 'name', name=op.f('uq_query_sets_project_id'))
    )
    with op.batch_alter_table('query_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_query_sets_project_id'), ['project_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('query_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_query_sets_project_id'))
    op.drop_table('query_sets')
