"""The redacting tracker store: what reaches the database, what the next turn gets back, erasure.

The database is read directly (the `events` table Rasa's SQL tracker store writes), because
"not persisted in clear" is a claim about the rows, not about what the store's API returns.
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any, Dict, List

import pytest
from rasa.core.brokers.broker import EventBroker
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from bot.privacy.live_values import LiveValues
from bot.privacy.redaction import Redactor
from bot.tracker_store import ERASE_CONVERSATION_SLOT, WITHHELD_MESSAGE, CandorTrackerStore
from tests.privacy.conftest import TTL, FakeClock

EMAIL = "ada.thornbury@example.com"
NEW_ADDRESS = "14 Harbour Row, Fernbay FB2 7QD"
OLD_ADDRESS = "14 Larkspur Lane, Ashcombe AC1 4RT"
PHONE = "07911 123456"
CARD = "4111 1111 1111 1111"
NAME = "Ada Thornbury"
ORDER = "104513"
# Every piece of personal data in the conversation below, as a customer would recognise it.
IN_CLEAR = [EMAIL, "Harbour Row", "Fernbay", "FB2 7QD", "Larkspur", "AC1 4RT", PHONE, CARD, NAME, "Thornbury"]

DOMAIN = Domain.from_dict(
    {
        "version": "3.1",
        "intents": ["change_shipping_address", "affirm", "delete_my_data"],
        "slots": {
            name: {"type": kind, "influence_conversation": False, "mappings": [{"type": "custom"}]}
            for name, kind in [
                ("order_id", "text"),
                ("email", "text"),
                ("shipping_address", "text"),
                ("contacts", "list"),
                ("profile", "any"),
                (ERASE_CONVERSATION_SLOT, "bool"),
            ]
        },
        "actions": ["action_ask_address_confirmed", "action_change_shipping_address"],
    }
)


def first_turn(sender: str) -> DialogueStateTracker:
    """A customer asks to send an order elsewhere and gives their details, in every kind of field."""
    message = f"I moved, please send order {ORDER} to {NEW_ADDRESS}, my email is {EMAIL}"
    return DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_session_start"),
            SessionStarted(metadata={"customer": {"name": NAME, "phone": PHONE}}),
            ActionExecuted("action_listen"),
            UserUttered(
                message,
                intent={"name": "change_shipping_address", "confidence": 0.93},
                entities=[
                    {"entity": "order_id", "start": 27, "end": 33, "value": ORDER, "extractor": "RegexEntityExtractor"},
                    {"entity": "email", "start": message.index(EMAIL), "end": len(message), "value": EMAIL,
                     "extractor": "RegexEntityExtractor"},
                ],
                metadata={"callback": {"phone": PHONE}},
            ),
            SlotSet("order_id", ORDER),
            SlotSet("email", EMAIL),
            SlotSet("shipping_address", NEW_ADDRESS),
            SlotSet("contacts", [PHONE, EMAIL]),
            SlotSet("profile", {"name": NAME, "card": CARD, "orders": 3}),
            ActionExecuted("action_ask_address_confirmed", policy="RulePolicy", confidence=1.0),
            BotUttered(
                f"Send order {ORDER} to {NEW_ADDRESS} instead of {OLD_ADDRESS}?",
                data={"buttons": [{"title": f"Yes, send it to {NEW_ADDRESS}", "payload": "/affirm"}]},
                metadata={"utter_action": "utter_address_confirmation"},
            ),
            ActionExecuted("action_listen"),
        ],
        slots=DOMAIN.slots,
    )


class CollectingBroker(EventBroker):
    """An event broker that keeps what it was given, as an analytics pipeline would receive it."""

    def __init__(self) -> None:
        self.published: List[Dict[str, Any]] = []

    def publish(self, event: Dict[str, Any]) -> None:
        self.published.append(event)


def new_store(url: str, redactor: Redactor, live_values: LiveValues | None = None, **kwargs: Any) -> CandorTrackerStore:
    return CandorTrackerStore(domain=DOMAIN, host=url, redactor=redactor, live_values=live_values, **kwargs)


def stored_rows(url: str, sender: str) -> List[Dict[str, Any]]:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT type_name, intent_name, action_name, data FROM events WHERE sender_id = :s ORDER BY id"),
                {"s": sender},
            )
            return [dict(row._mapping) for row in rows]
    finally:
        engine.dispose()


def assert_nothing_in_clear(rows: List[Dict[str, Any]]) -> None:
    everything = json.dumps(rows, ensure_ascii=False)
    leaked = [value for value in IN_CLEAR if value in everything]
    assert not leaked, f"stored in clear: {leaked}"


def save(store: CandorTrackerStore, tracker: DialogueStateTracker) -> None:
    asyncio.run(store.save(tracker))


def retrieve(store: CandorTrackerStore, sender: str) -> DialogueStateTracker | None:
    return asyncio.run(store.retrieve(sender))


def test_no_personal_data_reaches_the_events_table(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    save(new_store(sqlite_url, redactor, live_values), first_turn("ada"))

    rows = stored_rows(sqlite_url, "ada")

    assert len(rows) == 12
    assert_nothing_in_clear(rows)
    placeholders = json.dumps(rows)
    for placeholder in ("<EMAIL_ADDRESS>", "<STREET_ADDRESS>", "<PHONE_NUMBER>", "<CREDIT_CARD>", "<PERSON>"):
        assert placeholder in placeholders


def test_no_personal_data_reaches_the_events_table_in_postgresql(
    postgres_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    save(new_store(postgres_url, redactor, live_values), first_turn("ada-pg"))

    rows = stored_rows(postgres_url, "ada-pg")

    assert len(rows) == 12
    assert_nothing_in_clear(rows)


def test_the_conversation_stays_explainable_after_redaction(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    save(new_store(sqlite_url, redactor, live_values), first_turn("ada"))

    rows = stored_rows(sqlite_url, "ada")
    user = json.loads(next(row["data"] for row in rows if row["type_name"] == "user"))
    slots = {json.loads(row["data"])["name"]: json.loads(row["data"])["value"] for row in rows if row["type_name"] == "slot"}

    assert [row["intent_name"] for row in rows if row["intent_name"]] == ["change_shipping_address"]
    assert "action_ask_address_confirmed" in [row["action_name"] for row in rows]
    assert user["text"] == f"I moved, please send order {ORDER} to <STREET_ADDRESS>, my email is <EMAIL_ADDRESS>"
    assert [(e["entity"], e["value"]) for e in user["parse_data"]["entities"]] == [("order_id", ORDER), ("email", "<EMAIL_ADDRESS>")]
    assert slots == {
        "order_id": ORDER,
        "email": "<EMAIL_ADDRESS>",
        "shipping_address": "<STREET_ADDRESS>",
        "contacts": ["<PHONE_NUMBER>", "<EMAIL_ADDRESS>"],
        "profile": {"name": "<PERSON>", "card": "<CREDIT_CARD>", "orders": 3},
    }


def test_saving_never_changes_the_conversation_rasa_holds(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    tracker = first_turn("ada")
    before = json.dumps([event.as_dict() for event in tracker.events])

    save(new_store(sqlite_url, redactor, live_values), tracker)

    assert json.dumps([event.as_dict() for event in tracker.events]) == before
    assert tracker.get_slot("shipping_address") == NEW_ADDRESS


def test_the_next_turn_gets_the_real_values_back(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    store = new_store(sqlite_url, redactor, live_values)
    save(store, first_turn("ada"))

    next_turn = retrieve(store, "ada")

    assert next_turn.get_slot("shipping_address") == NEW_ADDRESS
    assert next_turn.get_slot("email") == EMAIL
    assert next_turn.get_slot("contacts") == [PHONE, EMAIL]
    assert next_turn.get_slot("profile") == {"name": NAME, "card": CARD, "orders": 3}
    assert next_turn.latest_message.text.endswith("my email is <EMAIL_ADDRESS>"), "past messages stay redacted"


def test_rasa_replaying_the_next_turns_events_also_sees_the_real_values(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    # A form's validation rebuilds the tracker from its events rather than reading its slots.
    store = new_store(sqlite_url, redactor, live_values)
    save(store, first_turn("ada"))

    replayed = DialogueStateTracker.from_events("ada", list(retrieve(store, "ada").events), slots=DOMAIN.slots)

    assert replayed.get_slot("shipping_address") == NEW_ADDRESS
    assert replayed.get_slot("email") == EMAIL


def test_only_personal_values_are_held_in_memory(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    save(new_store(sqlite_url, redactor, live_values), first_turn("ada"))

    assert set(live_values.recall("ada")) == {"email", "shipping_address", "contacts", "profile"}


def test_a_value_confirmed_turns_later_is_still_the_real_one(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    store = new_store(sqlite_url, redactor, live_values)
    save(store, first_turn("ada"))
    for answer in ("hmm, let me check", "yes"):
        tracker = retrieve(store, "ada")
        tracker.update(UserUttered(answer, intent={"name": "affirm", "confidence": 0.9}))
        tracker.update(ActionExecuted("action_listen"))
        save(store, tracker)

    assert retrieve(store, "ada").get_slot("shipping_address") == NEW_ADDRESS
    assert_nothing_in_clear(stored_rows(sqlite_url, "ada"))


def test_real_values_are_forgotten_after_their_time(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues, clock: FakeClock
) -> None:
    store = new_store(sqlite_url, redactor, live_values)
    save(store, first_turn("ada"))

    clock.advance(TTL + timedelta(seconds=1))

    assert retrieve(store, "ada").get_slot("shipping_address") == "<STREET_ADDRESS>"


def test_another_server_process_sees_only_placeholders(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    # The documented trade-off: values live in one process's memory; elsewhere the customer is asked again.
    save(new_store(sqlite_url, redactor, live_values), first_turn("ada"))

    elsewhere = new_store(sqlite_url, redactor, LiveValues(TTL))

    assert retrieve(elsewhere, "ada").get_slot("email") == "<EMAIL_ADDRESS>"


def test_an_address_another_server_set_is_not_replaced_by_one_remembered_here(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    here = new_store(sqlite_url, redactor, live_values)
    save(here, first_turn("ada"))
    elsewhere = new_store(sqlite_url, redactor, LiveValues(TTL))
    tracker = retrieve(elsewhere, "ada")
    tracker.update(SlotSet("shipping_address", "9 Quay Street, Fernbay FB1 2AB"))
    save(elsewhere, tracker)

    # Both addresses are stored as "<STREET_ADDRESS>"; the remembered one must not come back.
    assert retrieve(here, "ada").get_slot("shipping_address") == "<STREET_ADDRESS>"
    assert retrieve(here, "ada").get_slot("email") == EMAIL


def test_events_sent_to_an_event_broker_are_redacted_too(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    broker = CollectingBroker()
    save(new_store(sqlite_url, redactor, live_values, event_broker=broker), first_turn("ada"))

    assert len(broker.published) == 12
    assert_nothing_in_clear(broker.published)


def with_second_session(store: CandorTrackerStore, sender: str) -> DialogueStateTracker:
    tracker = retrieve(store, sender)
    for event in (
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered(f"it's {EMAIL} again", intent={"name": "delete_my_data", "confidence": 0.9}),
    ):
        tracker.update(event)
    return tracker


def erasure_requested(tracker: DialogueStateTracker) -> DialogueStateTracker:
    for event in (SlotSet(ERASE_CONVERSATION_SLOT, True), BotUttered("Done: this conversation is deleted.")):
        tracker.update(event)
    return tracker


def test_the_erasure_marker_deletes_every_session_of_the_conversation(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    store = new_store(sqlite_url, redactor, live_values)
    save(store, first_turn("ada"))
    save(store, first_turn("bilal"))
    save(store, with_second_session(store, "ada"))
    assert len(stored_rows(sqlite_url, "ada")) == 16

    save(store, erasure_requested(retrieve(store, "ada")))

    assert stored_rows(sqlite_url, "ada") == []
    assert live_values.recall("ada") == {}
    assert retrieve(store, "ada") is None
    assert len(stored_rows(sqlite_url, "bilal")) == 12, "other conversations are untouched"


def test_an_erased_conversation_publishes_nothing(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    broker = CollectingBroker()
    store = new_store(sqlite_url, redactor, live_values, event_broker=broker)
    save(store, first_turn("ada"))
    published = len(broker.published)

    save(store, erasure_requested(retrieve(store, "ada")))

    assert len(broker.published) == published


def test_erasure_in_postgresql_deletes_the_rows(postgres_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    store = new_store(postgres_url, redactor, live_values)
    save(store, first_turn("ada"))

    save(store, erasure_requested(retrieve(store, "ada")))

    assert stored_rows(postgres_url, "ada") == []


def a_message_the_detector_took_over(sender: str, intent: str) -> DialogueStateTracker:
    message = f"my mum died last week and I just want it all to stop, cancel her order {ORDER}"
    return DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_listen"),
            UserUttered(
                message,
                parse_data={
                    "text": message,
                    "intent": {"name": intent, "confidence": 0.3},
                    "entities": [{"entity": "order_id", "start": message.index(ORDER), "end": len(message), "value": ORDER}],
                    "distress": {"category": "self_harm", "score": 0.3, "tier": 2},
                },
            ),
            UserUttered("where is my parcel", intent={"name": "track_order", "confidence": 0.9}),
        ],
    )


@pytest.mark.parametrize("intent", ["distress", "self_harm_check"])
def test_a_message_the_distress_detector_took_over_is_stored_without_its_words(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues, intent: str
) -> None:
    broker = CollectingBroker()
    save(new_store(sqlite_url, redactor, live_values, event_broker=broker), a_message_the_detector_took_over("bea", intent))

    flagged, ordinary = [json.loads(row["data"]) for row in stored_rows(sqlite_url, "bea") if row["type_name"] == "user"]
    assert flagged["text"] == flagged["parse_data"]["text"] == WITHHELD_MESSAGE
    assert flagged["parse_data"]["intent"]["name"] == intent  # the verdict stays on record...
    assert flagged["parse_data"]["entities"][0]["value"] == ORDER  # ...and so does the order number it gave
    assert ordinary["text"] == "where is my parcel"
    for fragment in ("mum", "died", "all to stop"):
        assert fragment not in json.dumps(broker.published) + json.dumps(stored_rows(sqlite_url, "bea"))
