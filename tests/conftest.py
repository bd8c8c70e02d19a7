"""Fixtures shared by every test: a fresh shop database, and the Rasa domain."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

# Quieter TensorFlow and SQLAlchemy while tests import Rasa.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Lone surrogates in a report (tests send them on purpose) escaped, so pytest-xdist can send it."""
    outcome = yield
    report = outcome.get_result()
    report.sections = [(title, printable(content)) for title, content in report.sections]
    if report.longrepr is not None:
        shown = str(report.longrepr)
        if printable(shown) != shown:
            report.longrepr = printable(shown)


def printable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


@pytest.fixture
def shop_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A seeded SQLite shop database of this test's own, used by every `open_session()`."""
    from bot.store.seed import init_database

    url = f"sqlite:///{tmp_path / 'shop.db'}"
    monkeypatch.setenv("CANDOR_DATABASE_URL", url)
    init_database(url)
    yield url


@pytest.fixture
def conversation_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Conversations locked (`bot.ownership`) in a database of the test's own, under a key of its own."""
    import uuid

    from bot.store.database import cached_engine, create_schema

    url = f"sqlite:///{tmp_path / 'keys.db'}"
    monkeypatch.setenv("CANDOR_DATABASE_URL", url)
    monkeypatch.setenv("CANDOR_SECRET_KEY", f"test-key-{uuid.uuid4().hex}")
    create_schema(cached_engine(url))
    return url


POSTGRES_URL = os.environ.get("CANDOR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# Tests may run in several processes (pytest-xdist's workers gw0, gw1, ...): each empties a Redis
# database of its own, counting down from 15.
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = os.environ.get("CANDOR_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{15 - WORKER % 8}")


@contextmanager
def new_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards; its URL.

    The production configuration is tested for real: if PostgreSQL is not reachable the test
    fails (it is not skipped), naming the URL it tried.
    """
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    admin = create_engine(POSTGRES_URL, future=True, isolation_level="AUTOCOMMIT")
    name = f"candor_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL} (set CANDOR_TEST_POSTGRES_URL): {error}")
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test."""
    with new_postgres_database() as url:
        yield url


@contextmanager
def empty_redis_database() -> Iterator[str]:
    """The test Redis database, emptied before and after; its URL. Fails if Redis is not there."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} (set CANDOR_TEST_REDIS_URL): {error}")
    try:
        yield REDIS_URL
    finally:
        client.flushdb()
        client.close()


@pytest.fixture
def redis_url() -> Iterator[str]:
    with empty_redis_database() as url:
        yield url
