"""Alembic environment: migrations run on the connection handed over by zjtx.store.engine."""

from alembic import context

from zjtx.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - zjtx always passes its connection
    raise RuntimeError("zjtx 的数据库迁移只能通过 zjtx.store.open_store 运行")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite needs table copies for most ALTERs
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
