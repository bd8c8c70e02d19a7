"""The production configuration, end to end: PostgreSQL for shop and conversations, Redis for locks."""

from __future__ import annotations

import uuid
from contextlib import ExitStack
from typing import Dict

import pytest
import redis
from sqlalchemy import create_engine, select, text

from bot.policy import current_policy
from bot.store.database import open_session
from bot.store.handoffs import Handoff
from bot.store.seed import init_database
from tests.conftest import empty_redis_database, new_postgres_database
from tests.running import Candor, Chat, OneCandorAtATime, shared_settings


def production_configuration(resources: ExitStack) -> Dict[str, str]:
    """PostgreSQL for the shop and (by default) conversations, Redis for the lock store."""
    postgres_url = resources.enter_context(new_postgres_database())
    redis_url = resources.enter_context(empty_redis_database())
    init_database(postgres_url)
    return {"CANDOR_DATABASE_URL": postgres_url, "CANDOR_TRACKER_STORE_URL": "", "CANDOR_REDIS_URL": redis_url, **shared_settings()}


@pytest.fixture
def production_candor(running: OneCandorAtATime) -> Candor:
    return running.get("production", production_configuration)


@pytest.fixture
def production_chat(production_candor: Candor) -> Chat:
    return Chat(production_candor, f"prod-{uuid.uuid4().hex[:12]}")


def test_a_conversation_is_stored_in_postgresql(production_candor: Candor, production_chat: Chat) -> None:
    replies = production_chat.say("hello")

    assert replies[0]["text"] == current_policy().notices.ai_disclosure.text
    with create_engine(production_candor.database_url, future=True).connect() as connection:
        stored = connection.execute(
            text("SELECT count(*) FROM events WHERE sender_id = :sender"), {"sender": production_chat.conversation_id}
        ).scalar_one()
    assert stored >= 4


def test_orders_and_handoffs_use_the_postgresql_shop_database(production_candor: Candor, production_chat: Chat) -> None:
    production_chat.say("where is my order 104502")
    answer = production_chat.say_text("ada.thornbury@example.com")
    production_chat.say("a person please")

    assert "PW4821093761" in answer
    with open_session(production_candor.database_url) as session:
        handoffs = session.execute(select(Handoff).where(Handoff.conversation_id == production_chat.conversation_id)).scalars()
        assert [handoff.reason for handoff in handoffs] == ["customer_request"]


def test_the_rasa_server_takes_its_conversation_locks_in_redis(production_chat: Chat) -> None:
    from tests.conftest import REDIS_URL

    production_chat.say("hello")

    client = redis.Redis.from_url(REDIS_URL)
    database = str(client.connection_pool.connection_kwargs.get("db", 0))
    own_id = client.client_id()
    others = [c for c in client.client_list() if str(c.get("db")) == database and c.get("id") != str(own_id)]
    assert others, "the Rasa server keeps a connection to the Redis lock database"
