"""Fixtures for the shop's tests: a fresh SQLite file per test, and PostgreSQL when it is reachable.

Every test gets its own database, so tests never depend on each other or on a developer's demo
data in `var/`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot.settings import SEED_DIR
from bot.store import Order, create_schema, find_verified_order, make_engine, open_session
from bot.store.base import Base
from bot.store.seed import seed_database

# A Wednesday morning, so working-day arithmetic in tests is easy to check by eye.
NOW = datetime(2026, 3, 11, 10, 0, tzinfo=timezone.utc)
# Where to create the test database from; CANDOR_TEST_POSTGRES_ADMIN_URL overrides, e.g. in CI.
POSTGRES_ADMIN_URLS = (
    [os.environ["CANDOR_TEST_POSTGRES_ADMIN_URL"]]
    if os.environ.get("CANDOR_TEST_POSTGRES_ADMIN_URL")
    else [
        f"postgresql://{user}@127.0.0.1:5432/{database}"
        for user in ("root", "postgres")
        for database in ("postgres", "test")
    ]
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "postgres: needs a PostgreSQL server; skipped, saying why, when unreachable"
    )


@pytest.fixture(autouse=True)
def _private_default_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Code that falls back to the configured database gets a throwaway one, never var/."""
    monkeypatch.setenv("CANDOR_DATABASE_URL", f"sqlite:///{tmp_path / 'default' / 'candor.db'}")


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty shop schema in a new SQLite file."""
    engine = make_engine(f"sqlite:///{tmp_path / 'shop' / 'candor.db'}")
    create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A unit of work on a database seeded at NOW, as an action would open one."""
    with open_session(engine) as seeding:
        seed_database(seeding, now=NOW)
    with open_session(engine) as session:
        yield session


@pytest.fixture
def order(session: Session) -> Callable[[int, str], Order]:
    """Look up a seed order the way the assistant does: by number and the customer's email."""

    def verified(number: int, email: str) -> Order:
        found = find_verified_order(session, number, email)
        assert found is not None, f"seed order {number} should belong to {email}"
        return found

    return verified


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A private copy of data/seed/ that a test may break on purpose."""
    return Path(shutil.copytree(SEED_DIR, tmp_path / "seed"))


@pytest.fixture
def edit_yaml() -> Callable[[Path, Callable[[Any], None]], None]:
    """Change a YAML file in place through a function that mutates its parsed content."""

    def edit(path: Path, change: Callable[[Any], None]) -> None:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(content)
        path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")

    return edit


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A freshly created PostgreSQL database for this test run, dropped afterwards."""
    admin = _postgres_admin_engine()
    name = f"candor_store_test_{os.getpid()}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    """An empty shop schema on PostgreSQL, removed after the test."""
    engine = make_engine(postgres_url)
    Base.metadata.drop_all(engine)
    create_schema(engine)
    yield engine
    Base.metadata.drop_all(engine)
    engine.dispose()


def _postgres_admin_engine() -> Engine:
    """Connect to a maintenance database with AUTOCOMMIT, as CREATE DATABASE requires."""
    failures = []
    for url in POSTGRES_ADMIN_URLS:
        engine = create_engine(
            url, future=True, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
        )
        try:
            with engine.connect():
                return engine
        except OperationalError as exc:
            engine.dispose()
            failures.append(f"{url}: {str(exc.orig).strip().splitlines()[0]}")
    pytest.skip("PostgreSQL is unreachable, tried " + "; ".join(failures))
