"""Each imported file keeps the rows the import gate refused (the values read from them, with
their cells and reasons), so a later 补正 of the figure that refused an enterprise is combined
with the rest of its submission instead of standing alone.

Files stored before this revision have no such record (NULL): their refused rows are still
listed in the 补正清单 from the file's issues, but a 补正 is not combined with them.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("import_files", sa.Column("refused", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_files") as batch:
        batch.drop_column("refused")
