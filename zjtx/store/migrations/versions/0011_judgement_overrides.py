"""An evaluator's 改判 of a judgement item its data had decided, saved before this revision,
becomes the override it was meant to be.

The review pane offered 改判 for such an item (SR26-0 of a manufacturer), but the item was
stored as a confirmation, which decides the judgement part only, so it changed nothing. The
trail kept what the data had decided when it was saved (the event's ``before.computed``);
where that was 符合 or 不符合, the item is now an override, which the next evaluation of the
applicant (重新评价, a review change, an import) applies. The trail itself is not changed.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DECIDED = ("met", "unmet")  # criterion states, as zjtx stores them
CHUNK = 500


def upgrade() -> None:
    bind = op.get_bind()
    events = sa.table(
        "audit_events",
        sa.column("id", sa.Integer()),
        sa.column("action", sa.String()),
        sa.column("applicant_id", sa.Integer()),
        sa.column("before", sa.JSON()),
    )
    # The last confirmation or override of each applicant's criterion says how it was saved.
    last: dict[tuple[int, str], tuple[str, object]] = {}
    for action, owner, before in bind.execute(
        sa.select(events.c.action, events.c.applicant_id, events.c.before)
        .where(events.c.action.in_(("criterion-confirm", "criterion-override")))
        .order_by(events.c.id)
    ):
        if isinstance(before, dict) and isinstance(before.get("criterion"), str):
            last[(owner, before["criterion"])] = (action, before.get("computed"))
    meant = {key for key, (action, computed) in last.items()
             if action == "criterion-confirm" and computed in DECIDED}  # fmt: skip
    if not meant:
        return
    items = sa.table(
        "review_items",
        sa.column("id", sa.Integer()),
        sa.column("review_id", sa.Integer()),
        sa.column("kind", sa.String()),
        sa.column("target", sa.String()),
        sa.column("override", sa.Boolean()),
    )
    reviews = sa.table(
        "reviews", sa.column("id", sa.Integer()), sa.column("applicant_id", sa.Integer())
    )
    ids = [
        item_id
        for item_id, owner, target in bind.execute(
            sa.select(items.c.id, reviews.c.applicant_id, items.c.target)
            .join(reviews, reviews.c.id == items.c.review_id)
            .where(items.c.kind == "criterion", items.c.override.is_(False))
        )
        if (owner, target) in meant
    ]
    for start in range(0, len(ids), CHUNK):
        bind.execute(
            items.update().where(items.c.id.in_(ids[start : start + CHUNK])).values(override=True)
        )


def downgrade() -> None:
    pass  # which items were meant as overrides cannot be told apart afterwards; nothing to undo
