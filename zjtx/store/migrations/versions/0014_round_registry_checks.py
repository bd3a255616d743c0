"""Each round keeps the version of the register's checks that last gave its warnings, so a
round checked by an older zjtx asks to be checked again.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 02:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("rounds", sa.Column("registry_checks", sa.Integer(), nullable=True))
    # A round with no applicant has no warning to check again: its first import gives them
    # by the checks of this version (1).
    op.execute(
        "UPDATE rounds SET registry_checks = 1 WHERE NOT EXISTS "
        "(SELECT 1 FROM applicants WHERE applicants.round_id = rounds.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("registry_checks")
