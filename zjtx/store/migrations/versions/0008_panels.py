"""Expert panels (专家组): members, their judgements, opinions and 回避 declarations.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-20 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('panels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('aggregation', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_panels_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_panels')),
    sa.UniqueConstraint('round_id', name=op.f('uq_panels_round_id'))
    )
    op.create_table('panel_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['panel_id'], ['panels.id'], name=op.f('fk_panel_members_panel_id_panels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_members')),
    sa.UniqueConstraint('panel_id', 'name', name=op.f('uq_panel_members_panel_id'))
    )
    op.create_index(op.f('ix_panel_members_panel_id'), 'panel_members', ['panel_id'], unique=False)
    op.create_table('panel_judgements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.String(length=100), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=False),
    sa.Column('points', sa.String(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['applicants.id'], name=op.f('fk_panel_judgements_applicant_id_applicants')),
    sa.ForeignKeyConstraint(['member_id'], ['panel_members.id'], name=op.f('fk_panel_judgements_member_id_panel_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_judgements')),
    sa.UniqueConstraint('member_id', 'applicant_id', 'criterion', name=op.f('uq_panel_judgements_member_id'))
    )
    op.create_index(op.f('ix_panel_judgements_applicant_id'), 'panel_judgements', ['applicant_id'], unique=False)
    op.create_index(op.f('ix_panel_judgements_member_id'), 'panel_judgements', ['member_id'], unique=False)
    op.create_table('panel_opinions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('opinion', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['applicants.id'], name=op.f('fk_panel_opinions_applicant_id_applicants')),
    sa.ForeignKeyConstraint(['member_id'], ['panel_members.id'], name=op.f('fk_panel_opinions_member_id_panel_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_opinions')),
    sa.UniqueConstraint('member_id', 'applicant_id', name=op.f('uq_panel_opinions_member_id'))
    )
    op.create_index(op.f('ix_panel_opinions_applicant_id'), 'panel_opinions', ['applicant_id'], unique=False)
    op.create_index(op.f('ix_panel_opinions_member_id'), 'panel_opinions', ['member_id'], unique=False)
    op.create_table('panel_recusals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['applicants.id'], name=op.f('fk_panel_recusals_applicant_id_applicants')),
    sa.ForeignKeyConstraint(['member_id'], ['panel_members.id'], name=op.f('fk_panel_recusals_member_id_panel_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_recusals')),
    sa.UniqueConstraint('member_id', 'applicant_id', name=op.f('uq_panel_recusals_member_id'))
    )
    op.create_index(op.f('ix_panel_recusals_applicant_id'), 'panel_recusals', ['applicant_id'], unique=False)
    op.create_index(op.f('ix_panel_recusals_member_id'), 'panel_recusals', ['member_id'], unique=False)


def downgrade() -> None:
    for table in ("panel_recusals", "panel_opinions", "panel_judgements", "panel_members"):
        op.drop_table(table)
    op.drop_table("panels")
