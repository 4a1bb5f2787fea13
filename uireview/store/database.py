"""Where the store's database is and how it is opened: URL, engine, SQLite's pragmas, migrations.

SQLite at ``<data_dir>/uireview.db`` by default (WAL, busy timeout, writers take the lock up
front so several browser sessions can save at once); any SQLAlchemy URL works, e.g.
``postgresql+psycopg://user@host/db``. The schema lives in Alembic migrations under
``uireview/store/migrations`` and is brought up to date every time a store opens.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import StaticPool

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DB_FILENAME = "uireview.db"
# Arbitrary constant naming the migration lock on PostgreSQL (pg_advisory_xact_lock).
_PG_MIGRATION_LOCK = 0x5549_5245_5649_4557 & 0x7FFF_FFFF_FFFF_FFFF


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{Path(data_dir) / DB_FILENAME}"


def url_from_settings(settings: Any = None) -> str:
    """The database URL the app uses: ``database_url`` if set, else SQLite in ``data_dir``."""
    if settings is None:
        from uireview.settings import load_settings

        settings = load_settings()
    return settings.database_url or sqlite_url(settings.data_dir)


def _normalise_url(url: str):
    parsed = make_url(url)
    # psycopg (3) is the driver we ship; a bare postgres:// URL would ask for psycopg2.
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _ensure_wal(cursor) -> None:
    """Switch the database file to WAL (a lasting property of the file) unless it already is.

    Switching needs a moment alone with the file and SQLite answers "database is locked" at
    once instead of waiting on the busy timeout when others are opening it too (several
    sessions opening a fresh database), so retry for a while.
    """
    deadline = time.monotonic() + 30
    delay = 0.01
    while True:
        try:
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            if mode.lower() in ("wal", "memory"):
                return
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def make_engine(url: str) -> Engine:
    parsed = _normalise_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)

    database = parsed.database or ""
    options: dict[str, Any] = {}
    if database in ("", ":memory:"):
        # Every connection to ":memory:" is a new empty database: keep one, for one thread
        # at a time (tests, scripts). The app uses a file.
        options["poolclass"] = StaticPool
    elif not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        parsed, connect_args={"check_same_thread": False, "timeout": 30}, **options
    )

    # pysqlite's own transaction handling defers BEGIN and cannot take the write lock early;
    # take over (SQLAlchemy's documented recipe) so writers BEGIN IMMEDIATE and wait on the
    # busy timeout instead of failing with "database is locked" on a lock upgrade.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA foreign_keys = ON")
        _ensure_wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL, much faster commits
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("uireview_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration; a no-op when it is already there."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.execution_options(uireview_write=True).begin() as conn:
        # Two processes opening a fresh database at once: the second waits here, then finds
        # the schema at head. (SQLite: BEGIN IMMEDIATE already holds the write lock.)
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
