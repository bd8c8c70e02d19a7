"""The production configuration, for real: conversations in PostgreSQL, locks in Redis."""

from __future__ import annotations

import asyncio

import pytest
import redis
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from bot.lock_store import CandorLockStore, redis_lock_store
from bot.settings import PROJECT_ROOT
from bot.tracker_store import CandorTrackerStore

DOMAIN = Domain.load(str(PROJECT_ROOT / "bot" / "domain"))


def conversation(sender: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_session_start"),
            SlotSet("ai_notice_version", "2026-11-27"),
            BotUttered("Hello, I'm an automated assistant."),
            ActionExecuted("action_listen"),
            UserUttered("where is my order?", {"name": "track_order", "confidence": 0.97}),
        ],
        slots=DOMAIN.slots,
    )


def test_conversations_are_kept_in_postgresql(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDOR_TRACKER_STORE_URL", postgres_url)
    store = CandorTrackerStore(domain=DOMAIN)
    asyncio.run(store.save(conversation("pg-customer")))

    reopened = asyncio.run(CandorTrackerStore(domain=DOMAIN).retrieve("pg-customer"))

    assert reopened.get_slot("ai_notice_version") == "2026-11-27"
    assert reopened.latest_message.intent["name"] == "track_order"
    with create_engine(postgres_url, future=True).connect() as connection:
        rows = connection.execute(text("SELECT count(*) FROM events WHERE sender_id = 'pg-customer'")).scalar_one()
    assert rows == 5


def test_the_tracker_store_follows_the_shop_database_unless_told_otherwise(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CANDOR_TRACKER_STORE_URL", raising=False)
    monkeypatch.setenv("CANDOR_DATABASE_URL", postgres_url)

    assert CandorTrackerStore(domain=DOMAIN).engine.dialect.name == "postgresql"


def test_the_default_tracker_store_is_sqlite_under_var(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CANDOR_TRACKER_STORE_URL", raising=False)
    monkeypatch.setenv("CANDOR_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh' / 'candor.db'}")

    store = CandorTrackerStore(domain=DOMAIN)

    assert store.engine.dialect.name == "sqlite"
    assert (tmp_path / "fresh").is_dir(), "the folder is created on a fresh clone"


def test_locks_are_held_in_redis_while_a_message_is_handled(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDOR_REDIS_URL", redis_url)
    store = CandorLockStore()
    client = redis.Redis.from_url(redis_url)

    async def handle_one_message() -> list:
        async with store.lock("redis-customer"):
            return client.keys("*redis-customer*")

    held = asyncio.run(handle_one_message())

    assert isinstance(store.backend, RedisLockStore)
    assert held, "the lock lives in Redis, shared by every replica"
    assert client.keys("*redis-customer*") == [], "and is released afterwards"


def test_without_redis_the_lock_store_is_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CANDOR_REDIS_URL", raising=False)

    assert isinstance(CandorLockStore().backend, InMemoryLockStore)


@pytest.mark.parametrize("url", ["http://localhost:6379", "redis://localhost:6379/zero"])
def test_a_wrong_redis_url_is_refused_with_a_reason(url: str) -> None:
    with pytest.raises(ValueError, match="CANDOR_REDIS_URL"):
        redis_lock_store(url)
