"""The register across years (培育库): published lists and the recognitions read from them.

Entries are append-only: a later state of a recognition is a new row superseding the old.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('registry_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('document_title', sa.Text(), nullable=False),
    sa.Column('title', sa.String(length=30), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('batch', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('valid_years', sa.Integer(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('entries_added', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('imported_by_id', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['imported_by_id'], ['evaluators.id'], name=op.f('fk_registry_lists_imported_by_id_evaluators')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_registry_lists_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_lists'))
    )
    op.create_index(op.f('ix_registry_lists_sha256'), 'registry_lists', ['sha256'], unique=False)
    op.create_table('registry_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('list_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_key', sa.String(length=300), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('county', sa.String(length=100), nullable=True),
    sa.Column('title', sa.String(length=30), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('batch', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('valid_until', sa.Integer(), nullable=False),
    sa.Column('source_file', sa.String(length=500), nullable=False),
    sa.Column('source_sheet', sa.String(length=200), nullable=True),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.Column('source_title', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['evaluators.id'], name=op.f('fk_registry_entries_created_by_id_evaluators')),
    sa.ForeignKeyConstraint(['list_id'], ['registry_lists.id'], name=op.f('fk_registry_entries_list_id_registry_lists')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['registry_entries.id'], name=op.f('fk_registry_entries_supersedes_id_registry_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_entries'))
    )
    op.create_index('ix_registry_entries_title_valid', 'registry_entries', ['title', 'valid_until'], unique=False)
    op.create_index('ix_registry_entries_name_key', 'registry_entries', ['name_key'], unique=False)
    op.create_index('ix_registry_entries_uscc', 'registry_entries', ['uscc'], unique=False)
    op.create_index('ix_registry_entries_supersedes', 'registry_entries', ['supersedes_id'], unique=False)


def downgrade() -> None:
    op.drop_table('registry_entries')
    op.drop_table('registry_lists')
