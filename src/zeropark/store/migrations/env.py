"""Alembic environment: runs migrations on the engine handed over by zeropark.store.engine."""

from alembic import context

from zeropark.store.schema import metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
