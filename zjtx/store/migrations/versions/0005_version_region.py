"""Each applicant version keeps its province, city and county beside the values, for the table.

The round table lists 10,000 applicants at a time; reading three short columns costs nothing,
while extracting them from every version's JSON document would. Existing versions are filled
from their stored values.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REGION_KEYS = ("province", "city", "county")  # field keys of zjtx's catalogue (never change)


def upgrade() -> None:
    for key in REGION_KEYS:
        op.add_column("applicant_versions", sa.Column(key, sa.Text(), nullable=True))
    versions = sa.table(
        "applicant_versions",
        sa.column("values", sa.JSON()),
        *(sa.column(key, sa.Text()) for key in REGION_KEYS),
    )
    # JSON_EXTRACT on SQLite, ->> on PostgreSQL; text values only (the region fields are text).
    op.execute(
        versions.update().values(
            {key: versions.c["values"][key].as_string() for key in REGION_KEYS}
        )
    )


def downgrade() -> None:
    for key in reversed(REGION_KEYS):
        op.drop_column("applicant_versions", key)
