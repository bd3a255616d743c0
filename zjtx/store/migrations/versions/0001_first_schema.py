"""First schema: rounds, evaluators, applicants and versions, evaluations, reviews, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-27 18:39:12.530316
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Frozen copy of the JSON column type at this revision (never import models in migrations).
JSON_TYPE = sa.JSON()

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('evaluators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluators')),
    sa.UniqueConstraint('name', name=op.f('uq_evaluators_name'))
    )
    op.create_table('rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('tier', sa.String(length=50), nullable=False),
    sa.Column('round_date', sa.Date(), nullable=False),
    sa.Column('region', sa.String(length=200), nullable=True),
    sa.Column('rulebook', sa.String(length=100), nullable=True),
    sa.Column('overlay', sa.String(length=100), nullable=True),
    sa.Column('settings', JSON_TYPE, nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['evaluators.id'], name=op.f('fk_rounds_created_by_id_evaluators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rounds')),
    sa.UniqueConstraint('name', name=op.f('uq_rounds_name'))
    )
    op.create_table('applicants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.Column('current_evaluation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_applicants_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applicants')),
    sa.UniqueConstraint('round_id', 'uscc', name=op.f('uq_applicants_round_id'))
    )
    with op.batch_alter_table('applicants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applicants_round_id'), ['round_id'], unique=False)

    op.create_table('import_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=False),
    sa.Column('rows_imported', sa.Integer(), nullable=False),
    sa.Column('rows_blocked', sa.Integer(), nullable=False),
    sa.Column('rows_blank', sa.Integer(), nullable=False),
    sa.Column('versions_created', sa.Integer(), nullable=False),
    sa.Column('issues', JSON_TYPE, nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['imported_by_id'], ['evaluators.id'], name=op.f('fk_import_files_imported_by_id_evaluators')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_import_files_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_files')),
    sa.UniqueConstraint('round_id', 'sha256', name=op.f('uq_import_files_round_id'))
    )
    with op.batch_alter_table('import_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_files_round_id'), ['round_id'], unique=False)

    op.create_table('applicant_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('values', JSON_TYPE, nullable=False),
    sa.Column('provenance', JSON_TYPE, nullable=False),
    sa.Column('source', JSON_TYPE, nullable=True),
    sa.Column('values_hash', sa.String(length=64), nullable=False),
    sa.Column('issues', JSON_TYPE, nullable=False),
    sa.Column('warnings', sa.Integer(), nullable=False),
    sa.Column('import_file_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['applicants.id'], name=op.f('fk_applicant_versions_applicant_id_applicants')),
    sa.ForeignKeyConstraint(['created_by_id'], ['evaluators.id'], name=op.f('fk_applicant_versions_created_by_id_evaluators')),
    sa.ForeignKeyConstraint(['import_file_id'], ['import_files.id'], name=op.f('fk_applicant_versions_import_file_id_import_files')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applicant_versions')),
    sa.UniqueConstraint('applicant_id', 'number', name=op.f('uq_applicant_versions_applicant_id'))
    )
    with op.batch_alter_table('applicant_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applicant_versions_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applicant_versions_import_file_id'), ['import_file_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('entity', sa.String(length=50), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('applicant_id', sa.Integer(), nullable=True),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('before', JSON_TYPE, nullable=True),
    sa.Column('after', JSON_TYPE, nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['applicant_id'], ['applicants.id'], name=op.f('fk_audit_events_applicant_id_applicants')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_audit_events_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_round_applicant', ['round_id', 'applicant_id'], unique=False)

    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=True),
    sa.Column('opinion', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['applicants.id'], name=op.f('fk_reviews_applicant_id_applicants')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['evaluators.id'], name=op.f('fk_reviews_decided_by_id_evaluators')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['evaluators.id'], name=op.f('fk_reviews_updated_by_id_evaluators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('applicant_id', name=op.f('uq_reviews_applicant_id'))
    )
    op.create_table('evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('rulebook_id', sa.String(length=100), nullable=False),
    sa.Column('rulebook_version', sa.String(length=50), nullable=False),
    sa.Column('rulebook_hash', sa.String(length=64), nullable=False),
    sa.Column('input_hash', sa.String(length=64), nullable=False),
    sa.Column('application_type', sa.String(length=20), nullable=True),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('score', sa.String(length=40), nullable=True),
    sa.Column('score_sort', sa.Float(), nullable=True),
    sa.Column('max_score', sa.String(length=40), nullable=True),
    sa.Column('open_judgements', sa.Integer(), nullable=False),
    sa.Column('cause', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['applicants.id'], name=op.f('fk_evaluations_applicant_id_applicants')),
    sa.ForeignKeyConstraint(['created_by_id'], ['evaluators.id'], name=op.f('fk_evaluations_created_by_id_evaluators')),
    sa.ForeignKeyConstraint(['version_id'], ['applicant_versions.id'], name=op.f('fk_evaluations_version_id_applicant_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluations'))
    )
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluations_applicant_id'), ['applicant_id'], unique=False)

    op.create_table('evaluation_results',
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('result', JSON_TYPE, nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_evaluation_results_evaluation_id_evaluations')),
    sa.PrimaryKeyConstraint('evaluation_id', name=op.f('pk_evaluation_results'))
    )
    op.create_table('review_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('target', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=True),
    sa.Column('override', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['evaluator_id'], ['evaluators.id'], name=op.f('fk_review_items_evaluator_id_evaluators')),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_items_review_id_reviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_items')),
    sa.UniqueConstraint('review_id', 'kind', 'target', name=op.f('uq_review_items_review_id'))
    )
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_items_review_id'), ['review_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_items_review_id'))

    op.drop_table('review_items')
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluations_applicant_id'))

    op.drop_table('evaluation_results')
    op.drop_table('evaluations')
    op.drop_table('reviews')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_round_applicant')

    op.drop_table('audit_events')
    with op.batch_alter_table('applicant_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applicant_versions_import_file_id'))
        batch_op.drop_index(batch_op.f('ix_applicant_versions_applicant_id'))

    op.drop_table('applicant_versions')
    with op.batch_alter_table('import_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_files_round_id'))

    op.drop_table('import_files')
    with op.batch_alter_table('applicants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applicants_round_id'))

    op.drop_table('applicants')
    op.drop_table('rounds')
    op.drop_table('evaluators')
