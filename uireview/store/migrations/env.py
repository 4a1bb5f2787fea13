"""Alembic environment for the store's schema.

``Store.open`` runs the migrations programmatically and hands its own connection in through
``config.attributes["connection"]``, already inside the transaction that holds the migration
lock. The alembic command line (``alembic -c uireview/store/migrations/alembic.ini ...``) works too:
then the URL comes from ``-x url=...``, else the app's settings.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from uireview.store import metadata, url_from_settings

config = context.config


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    return context.get_x_argument(as_dictionary=True).get("url") or url_from_settings()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(_url())
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
