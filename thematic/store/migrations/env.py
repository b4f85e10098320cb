"""Alembic environment: runs on the engine thematic hands over in ``config.attributes``."""

from alembic import context

from thematic.store.orm import Base

config = context.config
engine = config.attributes.get("engine")


def run() -> None:
    if engine is None:  # `alembic` command line (developers generating a revision)
        from sqlalchemy import create_engine

        connectable = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    else:
        connectable = engine
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        if connection.in_transaction():
            connection.commit()


run()
