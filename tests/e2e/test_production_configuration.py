"""The production configuration, end to end: PostgreSQL for shop and conversations, Redis for locks."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Iterator

import pytest
import redis
from sqlalchemy import create_engine, select, text

from bot.policy import current_policy
from bot.store.database import open_session
from bot.store.models import Handoff
from bot.store.seed import init_database
from tests.conftest import empty_redis_database, new_postgres_database
from tests.e2e.conftest import Candor, Chat, start_candor


@pytest.fixture(scope="module")
def production_candor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Candor]:
    with new_postgres_database() as postgres_url, empty_redis_database() as redis_url:
        init_database(postgres_url)
        folder: Path = tmp_path_factory.mktemp("production")
        servers = start_candor(
            folder,
            {"CANDOR_DATABASE_URL": postgres_url, "CANDOR_TRACKER_STORE_URL": "", "CANDOR_REDIS_URL": redis_url},
        )
        try:
            yield Candor(servers.launch.rasa_url, "e2e-test-token", postgres_url, folder / "logs")
        finally:
            servers.stop()


@pytest.fixture
def production_chat(production_candor: Candor) -> Chat:
    return Chat(production_candor, f"prod-{uuid.uuid4().hex[:12]}")


def test_a_conversation_is_stored_in_postgresql(production_candor: Candor, production_chat: Chat) -> None:
    replies = production_chat.say("hello")

    assert replies[0]["text"] == current_policy().notices.ai_disclosure.text
    with create_engine(production_candor.database_url, future=True).connect() as connection:
        stored = connection.execute(
            text("SELECT count(*) FROM events WHERE sender_id = :sender"), {"sender": production_chat.sender}
        ).scalar_one()
    assert stored >= 4


def test_orders_and_handoffs_use_the_postgresql_shop_database(production_candor: Candor, production_chat: Chat) -> None:
    production_chat.say("where is my order 104502")
    answer = production_chat.say_text("ada.thornbury@example.com")
    production_chat.say("a person please")

    assert "PW4821093761" in answer
    with open_session(production_candor.database_url) as session:
        handoffs = session.execute(select(Handoff).where(Handoff.conversation_id == production_chat.sender)).scalars()
        assert [handoff.reason for handoff in handoffs] == ["customer_request"]


def test_the_rasa_server_takes_its_conversation_locks_in_redis(production_chat: Chat) -> None:
    from tests.conftest import REDIS_URL

    production_chat.say("hello")

    client = redis.Redis.from_url(REDIS_URL)
    database = str(client.connection_pool.connection_kwargs.get("db", 0))
    own_id = client.client_id()
    others = [c for c in client.client_list() if str(c.get("db")) == database and c.get("id") != str(own_id)]
    assert others, "the Rasa server keeps a connection to the Redis lock database"
