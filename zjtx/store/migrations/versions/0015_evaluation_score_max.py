"""Each evaluation row keeps the most its score could still reach while the score is not
fixed (data missing, judgement items open), so the round table, `round show` and the round
overview show it as a range and leave it out of the ranking.

Evaluations stored before this revision get it from their stored result (its ``score_max``
where it is above ``score_min``), and their score becomes that result's ``score_min``, the
least it can be (the declared points of an option awaiting an evaluator are its most); a
fixed score keeps NULL.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 500


def _text(number: float) -> str:
    """A JSON number as the exact decimal text the column holds (95, 72.5)."""
    return format(Decimal(repr(number)).normalize(), "f")


def upgrade() -> None:
    op.add_column("evaluations", sa.Column("score_max", sa.String(length=40), nullable=True))
    bind = op.get_bind()
    results = sa.table(
        "evaluation_results",
        sa.column("evaluation_id", sa.Integer()),
        sa.column("result", sa.JSON()),
    )
    evaluations = sa.table(
        "evaluations",
        sa.column("id", sa.Integer()),
        sa.column("score", sa.String()),
        sa.column("score_sort", sa.Float()),
        sa.column("score_max", sa.String()),
    )
    low = results.c.result["score_min"].as_float()
    high = results.c.result["score_max"].as_float()
    found = [
        {"key": evaluation_id, "low": _text(least), "sort": least, "high": _text(top)}
        for evaluation_id, least, top in bind.execute(
            sa.select(results.c.evaluation_id, low, high).where(high > low)
        )
    ]
    statement = (
        evaluations.update()
        .where(evaluations.c.id == sa.bindparam("key"))
        .values(
            score=sa.bindparam("low"),
            score_sort=sa.bindparam("sort"),
            score_max=sa.bindparam("high"),
        )
    )
    for start in range(0, len(found), CHUNK):
        bind.execute(statement, found[start : start + CHUNK])


def downgrade() -> None:
    with op.batch_alter_table("evaluations") as batch:
        batch.drop_column("score_max")
