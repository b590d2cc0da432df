"""Alembic environment: runs migrations on the URL set by :func:`armadito_server.db.alembic_config`."""

from alembic import context

from armadito_server.db import make_engine
from armadito_server.models import Base

config = context.config
MIGRATION_LOCK_ID = 0x41524D41  # "ARMA"


def run_migrations() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # Several instances may start at once against one database: one migrates, the
            # others wait and then find nothing left to do.
            connection.exec_driver_sql("SELECT pg_advisory_lock(%d)" % MIGRATION_LOCK_ID)
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported: run 'armadito-server db upgrade'")
run_migrations()
