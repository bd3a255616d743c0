"""Each review keeps the verdict its decision was taken on, so a rescore that changes it asks
for a second look (需复核) as a re-import does.

Decisions taken before this revision get the verdict of the evaluation that was current when
they were taken: the latest one of the applicant stored no later than the decision.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("reviews", sa.Column("verdict_at_decision", sa.String(length=20), nullable=True))
    reviews = sa.table(
        "reviews",
        sa.column("applicant_id", sa.Integer()),
        sa.column("decided_at", sa.DateTime(timezone=True)),
        sa.column("verdict_at_decision", sa.String()),
    )
    evaluations = sa.table(
        "evaluations",
        sa.column("id", sa.Integer()),
        sa.column("applicant_id", sa.Integer()),
        sa.column("verdict", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    # Ids grow with time: the highest id stored by then is the evaluation then current.
    then_current = (
        sa.select(evaluations.c.verdict)
        .where(
            evaluations.c.applicant_id == reviews.c.applicant_id,
            evaluations.c.created_at <= reviews.c.decided_at,
        )
        .order_by(evaluations.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    op.execute(
        reviews.update()
        .where(reviews.c.decided_at.is_not(None))
        .values(verdict_at_decision=then_current)
    )


def downgrade() -> None:
    op.drop_column("reviews", "verdict_at_decision")
