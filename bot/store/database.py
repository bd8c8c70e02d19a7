"""Engines and sessions for the shop database, on SQLite for the demo or PostgreSQL in production.

The Rasa server and the action server are separate processes that write the same database, so
SQLite is opened in WAL mode with a busy timeout, and each unit of work is one transaction that
takes the write lock when it begins.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from bot.settings import database_url
from bot.store.base import Base

SQLITE_BUSY_TIMEOUT_MS = 10_000


def make_engine(url: str | None = None) -> Engine:
    """A new engine for `url` (default: `bot.settings.database_url()`); prefer `cached_engine`."""
    url = url or database_url()
    # SQLAlchemy's errors list the values of the failed statement, which are what customers
    # typed; errors reach logs, so they name the statement only.
    engine = create_engine(url, future=True, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        _prepare_sqlite(engine)
    return engine


@cache
def cached_engine(url: str) -> Engine:
    """One engine per URL per process, so an action does not pay for a new pool on every call."""
    return make_engine(url)


def create_schema(engine: Engine) -> None:
    """Create any missing tables; existing tables and rows are left alone."""
    import bot.store.tables  # noqa: F401  (imported here: table modules may use this module)

    Base.metadata.create_all(engine)


@contextmanager
def open_session(engine_or_url: Engine | str | None = None) -> Iterator[Session]:
    """A unit of work: commits if the block succeeds, rolls back if it raises.

    Objects stay readable after the block (`expire_on_commit=False`) so an action can word its
    reply from them without another round trip.
    """
    if isinstance(engine_or_url, Engine):
        engine = engine_or_url
    else:
        engine = cached_engine(engine_or_url or database_url())
    with Session(engine, future=True, expire_on_commit=False) as session, session.begin():
        yield session


def _prepare_sqlite(engine: Engine) -> None:
    """Make a SQLite file safe to share between the Rasa server and the action server."""
    database = engine.url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy so `_on_begin` can choose the BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Python's sqlite3 runs reads outside any transaction, so a unit of work that reads and
        # then writes (the next refund reference, one waiting handoff per conversation) could
        # interleave with the other process. BEGIN IMMEDIATE makes the other process wait instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
