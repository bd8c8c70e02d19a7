"""A conversation the database cannot read or store costs one request, never the server.

Rasa's SQL tracker store turns any `ValueError` into `sys.exit` (a lone surrogate in a sender id
once stopped the whole server), and Rasa's fail-safe wrapper quietly keeps failed trackers in a
memory store that grows with every failure. Candor's store does neither.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from bot.channels.rest import apology, replies_to
from bot.privacy.live_values import LiveValues
from bot.privacy.redaction import Redactor, default_redactor
from bot.tracker_store import CandorTrackerStore, watching_storage

DOMAIN = Domain.from_dict({"version": "3.1", "intents": ["greet"]})


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return default_redactor()


@pytest.fixture
def store(tmp_path: Path, redactor: Redactor) -> CandorTrackerStore:
    return CandorTrackerStore(DOMAIN, host=f"sqlite:///{tmp_path / 'conversations.db'}", redactor=redactor, live_values=LiveValues(timedelta(minutes=5)))


def said(sender: str, words: str = "hello") -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, [ActionExecuted("action_listen"), UserUttered(words, {"name": "greet", "confidence": 1.0})])


def stored_rows(store: CandorTrackerStore) -> int:
    with create_engine(str(store.engine.url)).connect() as connection:
        return connection.execute(text("SELECT count(*) FROM events")).scalar_one()


def test_a_sender_id_no_database_can_store_does_not_stop_the_server(store: CandorTrackerStore) -> None:
    async def scenario() -> Any:
        with watching_storage() as watch:
            await store.save(said("x-\ud800-y"))  # Rasa's own store calls sys.exit here
        return watch

    watch = asyncio.run(scenario())

    assert watch.failure == "could not store the conversation"
    asyncio.run(store.save(said("next-customer")))
    assert stored_rows(store) == 2, "nothing of the failed save, the next customer's turn whole"


def test_a_failed_save_is_not_kept_in_a_memory_store_that_grows(store: CandorTrackerStore) -> None:
    fail_safe = FailSafeTrackerStore(store)

    async def scenario() -> None:
        for number in range(3):
            with watching_storage():
                await fail_safe.save(said(f"broken-\udc00-{number}"))

    asyncio.run(scenario())

    assert fail_safe._fallback_tracker_store is None, "Rasa's in-memory fallback was never needed"


def test_a_conversation_that_cannot_be_read_is_not_started_over(store: CandorTrackerStore, tmp_path: Path) -> None:
    asyncio.run(store.save(said("customer-1")))
    before = stored_rows(store)
    with create_engine(str(store.engine.url)).begin() as connection:
        connection.execute(text("ALTER TABLE events RENAME TO events_away"))

    async def scenario() -> Any:
        with watching_storage() as watch:
            tracker = await store.retrieve("customer-1")
            await store.save(tracker or said("customer-1", "a fresh start would be stored now"))
        return tracker, watch

    tracker, watch = asyncio.run(scenario())
    with create_engine(str(store.engine.url)).begin() as connection:
        connection.execute(text("ALTER TABLE events_away RENAME TO events"))

    assert tracker is None and watch.failure == "could not read the conversation"
    assert stored_rows(store) == before, "nothing was written over the conversation it could not read"


def test_a_request_whose_turn_was_not_stored_gets_an_apology_and_a_500() -> None:
    async def handled_but_not_stored(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "Your order is on its way.")
        from bot.tracker_store import _failed

        _failed("store", message.sender_id, ValueError("the database refused it"))

    async def scenario() -> Any:
        return await replies_to(UserMessage("where is it", CollectingOutputChannel(), "rest-abc"), handled_but_not_stored)

    reply = asyncio.run(scenario())

    assert reply.status == 500
    assert reply.body == b'[{"text":"' + apology()["text"].replace('"', '\\"').encode() + b'"}]'
