"""The assistant's own words are stored as they are, without being read; everything else is read.

Most strings in a turn's events are what the assistant is made of: the model's id on every event,
action and response names, a response said word for word, its buttons. Reading them cost most of a
save and could only ever find the shop's own text.
"""

from __future__ import annotations

import asyncio
import json
from typing import ContextManager, Iterable, List

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policy import current_policy
from bot.privacy.live_values import LiveValues
from bot.privacy.redaction import RedactedText, Redactor
from bot.privacy.stored_text import own_words
from bot.tracker_store import CandorTrackerStore
from tests.privacy.conftest import TTL
from tests.privacy.test_tracker_store import EMAIL, NEW_ADDRESS, stored_rows

MODEL_ID = "5f0c1d2e3a4b"
MESSAGE_ID = "a633dc1ba5c04e18a5650ca2fbbd38bb"  # Rasa's, as the channel sets it
GREETING = "Hi! What can I help you with today?"

DOMAIN = Domain.from_dict(
    {
        "version": "3.1",
        "intents": ["greet", "change_shipping_address"],
        "slots": {
            "accessibility_mode": {
                "type": "categorical", "values": ["plain", "screen_reader"], "mappings": [{"type": "custom"}],
            },
        },
        "responses": {
            "utter_greet": [{"text": GREETING, "buttons": [{"title": "Talk to a person", "payload": "/contact_human_agent"}]}],
            "utter_confirm_address": [{"text": "Send it to {shipping_address}?"}],
        },
        "actions": ["action_change_shipping_address"],
    }
)


class ReadingRedactor:
    """The real redactor, noting every text it is asked to read."""

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor
        self.read: List[str] = []
        self.together: List[List[str]] = []  # what each `reading_together` was given

    def redact(self, text: str) -> RedactedText:
        self.read.append(text)
        return self.redactor.redact(text)

    def reading_together(self, texts: Iterable[str]) -> ContextManager[None]:
        self.together.append(list(texts))
        return self.redactor.reading_together(self.together[-1])


def a_turn(customer_says: str, bot_says: str, metadata: dict) -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events("ada", [], slots=DOMAIN.slots)
    tracker.model_id = MODEL_ID
    tracker.assistant_id = "candor"
    for event in [
        ActionExecuted("action_listen"),
        UserUttered(
            customer_says, intent={"name": "change_shipping_address", "confidence": 0.9}, metadata=metadata, message_id=MESSAGE_ID
        ),
        ActionExecuted("utter_greet"),
        BotUttered(bot_says, data={"buttons": [{"title": "Talk to a person", "payload": "/contact_human_agent"}]},
                   metadata={"utter_action": "utter_greet"}),
    ]:
        tracker.update(event)  # as Rasa does: it stamps the model and assistant ids on each event
    return tracker


def saved(url: str, redactor: Redactor, tracker: DialogueStateTracker) -> ReadingRedactor:
    reading = ReadingRedactor(redactor)
    store = CandorTrackerStore(domain=DOMAIN, host=url, redactor=reading, live_values=LiveValues(TTL))  # type: ignore[arg-type]
    reading.read.clear()  # what the store read of the policy when it started
    reading.together.clear()
    asyncio.run(store.save(tracker))
    return reading


def test_own_words_are_the_domains_names_and_the_responses_said_as_written() -> None:
    words = own_words(DOMAIN)

    assert {"greet", "utter_greet", "action_change_shipping_address", "accessibility_mode", "screen_reader"} <= words
    assert {GREETING, "Talk to a person", "/contact_human_agent"} <= words
    assert "Send it to {shipping_address}?" not in words, "a response with a placeholder can carry a customer's value"
    assert own_words(None) == frozenset()


def test_the_policys_texts_are_own_words_too() -> None:
    policy = current_policy()

    assert {policy.notices.ai_disclosure.text, policy.privacy.consent.version} <= own_words(None, policy)


def test_the_assistants_own_words_are_stored_without_being_read(sqlite_url: str, redactor: Redactor) -> None:
    reading = saved(sqlite_url, redactor, a_turn(f"my email is {EMAIL}", GREETING, {}))

    stored = json.dumps(stored_rows(sqlite_url, "ada"))
    assert reading.read == [f"my email is {EMAIL}"], "only the customer's words are read"
    assert GREETING in stored and MODEL_ID in stored and "Talk to a person" in stored
    assert EMAIL not in stored


def test_an_answer_quoting_a_customers_message_id_keeps_it_as_it_is(sqlite_url: str, redactor: Redactor) -> None:
    """The review flag on "that's wrong" names the message it is about; a model may read an id as a name."""
    tracker = a_turn("hello", GREETING, {})
    tracker.update(BotUttered("Thanks, a person will check it.", metadata={"review": {"flagged_message_id": MESSAGE_ID}}))

    reading = saved(sqlite_url, redactor, tracker)

    assert MESSAGE_ID not in reading.read
    assert MESSAGE_ID in json.dumps(stored_rows(sqlite_url, "ada"))


def test_an_assistants_message_with_a_customers_value_is_still_read(sqlite_url: str, redactor: Redactor) -> None:
    reading = saved(sqlite_url, redactor, a_turn("hello", f"Send it to {NEW_ADDRESS}?", {}))

    assert f"Send it to {NEW_ADDRESS}?" in reading.read
    assert "Harbour Row" not in json.dumps(stored_rows(sqlite_url, "ada"))


def test_an_id_a_client_sends_in_place_of_rasas_own_is_read(sqlite_url: str, redactor: Redactor) -> None:
    """Rasa keeps a `model_id` a client put in a message's metadata: it is not the model's."""
    saved(sqlite_url, redactor, a_turn("hello", GREETING, {"model_id": EMAIL}))

    assert EMAIL not in json.dumps(stored_rows(sqlite_url, "ada"))


def test_a_save_gives_the_model_all_the_texts_it_will_read_at_once(sqlite_url: str, redactor: Redactor) -> None:
    """spaCy reads a batch of short texts about three times faster per text than one at a time."""
    reading = saved(sqlite_url, redactor, a_turn(f"my email is {EMAIL}", f"Send it to {NEW_ADDRESS}?", {}))

    assert len(reading.together) == 1, "one batch per save"
    assert set(reading.together[0]) == set(reading.read) == {f"my email is {EMAIL}", f"Send it to {NEW_ADDRESS}?"}
