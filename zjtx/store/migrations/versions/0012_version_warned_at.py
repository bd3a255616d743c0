"""Each applicant version keeps when the register last added a warning to it, so a 推荐
decided before that asks for a second look (需复核).

The register's warnings of a round still open are checked again whenever the register
changes (a list imported, a title revoked, a round marked 认定); versions stored before this
revision have had no such change.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "applicant_versions", sa.Column("warned_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("applicant_versions") as batch:
        batch.drop_column("warned_at")
