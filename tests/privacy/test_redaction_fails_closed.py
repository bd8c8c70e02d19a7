"""Redaction fails closed: a text it cannot redact is never stored, logged or published, and the
customer's turn goes on."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, ContextManager, Iterable

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.rest import replies_to
from bot.privacy.live_values import LiveValues
from bot.privacy.redaction import Redactor, RedactedText
from bot.tracker_store import CandorTrackerStore, watching_storage
from tests.privacy.test_tracker_store import DOMAIN, IN_CLEAR, NAME, NEW_ADDRESS, CollectingBroker, first_turn, stored_rows

FAILED = "<REDACTION_FAILED>"


class BrokenRedactor:
    """A redactor that raises on texts holding `breaks_on`, quoting them, as a real bug might."""

    def __init__(self, redactor: Redactor, breaks_on: str = "") -> None:
        self.redactor = redactor
        self.breaks_on = breaks_on

    def redact(self, text: str) -> RedactedText:
        if self.breaks_on in text:
            raise RuntimeError(f"the model choked on {text!r}")
        return self.redactor.redact(text)

    def reading_together(self, texts: Iterable[str]) -> ContextManager[None]:
        return self.redactor.reading_together(texts)


def broken_store(url: str, redactor: Redactor, live_values: LiveValues, breaks_on: str = "", **kwargs: Any) -> CandorTrackerStore:
    return CandorTrackerStore(
        domain=DOMAIN, host=url, redactor=BrokenRedactor(redactor, breaks_on), live_values=live_values, **kwargs  # type: ignore[arg-type]
    )


def test_every_text_that_cannot_be_redacted_is_stored_as_redaction_failed(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    asyncio.run(broken_store(sqlite_url, redactor, live_values).save(first_turn("ada")))

    rows = stored_rows(sqlite_url, "ada")
    user = json.loads(next(row["data"] for row in rows if row["type_name"] == "user"))

    assert len(rows) == 12, "every event is stored"
    assert [value for value in IN_CLEAR if value in json.dumps(rows)] == []
    assert user["text"] == FAILED
    assert user["parse_data"]["intent"]["name"] == "change_shipping_address", "the structure stays"


def test_only_the_texts_it_failed_on_are_replaced(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    asyncio.run(broken_store(sqlite_url, redactor, live_values, breaks_on="Harbour Row").save(first_turn("ada")))

    rows = stored_rows(sqlite_url, "ada")
    slots = {json.loads(row["data"])["name"]: json.loads(row["data"])["value"] for row in rows if row["type_name"] == "slot"}

    assert slots["shipping_address"] == "<STREET_ADDRESS>", "the policy's slot type needs no recognizer"
    assert slots["contacts"] == ["<PHONE_NUMBER>", "<EMAIL_ADDRESS>"]
    assert [json.loads(row["data"])["text"] for row in rows if row["type_name"] == "user"] == [FAILED]


def test_the_failure_is_logged_without_any_text(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        asyncio.run(broken_store(sqlite_url, redactor, live_values).save(first_turn("ada")))

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Could not redact" in logged and "RuntimeError" in logged
    assert [value for value in [*IN_CLEAR, "choked"] if value in logged] == []


def test_an_event_broker_gets_the_same_failed_placeholders(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    broker = CollectingBroker()

    asyncio.run(broken_store(sqlite_url, redactor, live_values, event_broker=broker).save(first_turn("ada")))

    assert len(broker.published) == 12
    assert [value for value in IN_CLEAR if value in json.dumps(broker.published)] == []


def test_the_store_does_not_count_a_redaction_failure_as_a_storage_failure(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    async def scenario() -> Any:
        with watching_storage() as watch:
            await broken_store(sqlite_url, redactor, live_values).save(first_turn("ada"))
        return watch

    assert asyncio.run(scenario()).failure is None


def test_the_customer_s_message_is_answered_when_redaction_fails(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    store = broken_store(sqlite_url, redactor, live_values)

    async def handle(message: UserMessage) -> None:
        tracker = DialogueStateTracker.from_events(
            message.sender_id, [ActionExecuted("action_listen"), UserUttered(message.text, {"name": "track_order", "confidence": 0.9})]
        )
        await message.output_channel.send_text_message(message.sender_id, "Order 104502 is on its way.")
        await store.save(tracker)

    reply = asyncio.run(replies_to(UserMessage(f"I'm {NAME}, where is 104502?", CollectingOutputChannel(), "rest-ada"), handle))

    assert reply.status == 200
    assert json.loads(reply.body) == [{"recipient_id": "rest-ada", "text": "Order 104502 is on its way."}]


def test_the_next_turn_gets_the_real_value_of_a_slot_that_could_not_be_redacted(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    store = broken_store(sqlite_url, redactor, live_values)
    tracker = DialogueStateTracker.from_events("ada", [ActionExecuted("action_listen"), SlotSet("profile", {"name": NAME})], slots=DOMAIN.slots)
    asyncio.run(store.save(tracker))

    assert asyncio.run(store.retrieve("ada")).get_slot("profile") == {"name": NAME}
    assert NAME not in json.dumps(stored_rows(sqlite_url, "ada"))


def test_an_address_the_policy_names_is_stored_by_its_type_even_when_the_redactor_is_broken(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    tracker = DialogueStateTracker.from_events("ada", [SlotSet("shipping_address", NEW_ADDRESS)], slots=DOMAIN.slots)

    asyncio.run(broken_store(sqlite_url, redactor, live_values).save(tracker))

    assert [json.loads(row["data"])["value"] for row in stored_rows(sqlite_url, "ada")] == ["<STREET_ADDRESS>"]
