"""Context counts: what a customer types in answer to the assistant's question is stored as what was asked.

A customer changing where an order goes answers four questions in a form. Each answer is typed
the way people type (an email spelt out, an address with no house number, a postcode in lower
case), which the recognizers alone would store in clear. The rows are read with SQL.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policy import current_policy
from bot.privacy.live_values import LiveValues
from bot.privacy.redaction import Redactor
from bot.privacy.stored_text import SlotTypes
from bot.tracker_store import CandorTrackerStore
from tests.privacy.test_tracker_store import CollectingBroker, stored_rows

FORM = "address_change_form"
EMAIL_SPELT_OUT = "eilidh dot macrae at example dot org"
EMAIL = "eilidh.macrae@example.org"
ADDRESS = "ty gwyn, chapel row, lowmarsh"
POSTCODE = "lx4 1dw"
IN_CLEAR = ["eilidh", "macrae", "ty gwyn", "chapel row", "lowmarsh", "lx4 1dw", "LX4 1DW"]


def text_slot(*mappings: Dict[str, Any]) -> Dict[str, Any]:
    return {"type": "text", "influence_conversation": False, "mappings": list(mappings)}


FROM_TEXT = {"type": "from_text"}
DOMAIN = Domain.from_dict(
    {
        "version": "3.1",
        "intents": ["change_shipping_address", "inform", "affirm", "thank"],
        "entities": ["email"],
        "slots": {
            "order_id": text_slot({"type": "from_entity", "entity": "order_id"}, FROM_TEXT),
            "email": text_slot({"type": "from_entity", "entity": "email"}, FROM_TEXT),
            "shipping_address": text_slot(FROM_TEXT),
            "step_up_postcode": text_slot(FROM_TEXT),
            "delivery_note": text_slot(FROM_TEXT),
            "address_confirmed": {"type": "bool", "influence_conversation": False, "mappings": [{"type": "from_intent", "intent": "affirm", "value": True}]},
        },
        "forms": {
            FORM: {"required_slots": ["order_id", "email", "shipping_address", "step_up_postcode", "address_confirmed"]},
            "delivery_note_form": {"required_slots": ["delivery_note"]},
        },
    }
)


def asked(slot: str, question: str, form: str = FORM) -> List[Any]:
    return [ActionExecuted(form), ActiveLoop(form), SlotSet("requested_slot", slot), BotUttered(question), ActionExecuted("action_listen")]


def said(text: str, intent: str = "inform") -> UserUttered:
    return UserUttered(text, intent={"name": intent, "confidence": 0.9})


def address_change(sender: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
            said("I need to change the delivery address for order 104513", "change_shipping_address"),
            SlotSet("order_id", "104513"),
            *asked("email", "And the email address you used for that order?"),
            said(EMAIL_SPELT_OUT), SlotSet("email", EMAIL),
            *asked("shipping_address", "What's the new delivery address? Please type it on one line."),
            said(ADDRESS), SlotSet("shipping_address", ADDRESS),
            *asked("step_up_postcode", "One more check that it's really you: what's the postcode on your account?"),
            said(POSTCODE), SlotSet("step_up_postcode", POSTCODE),
            *asked("address_confirmed", f"Send order 104513 to {ADDRESS}?"),
            said("yes, thanks", "affirm"), SlotSet("address_confirmed", True),
            ActiveLoop(None), SlotSet("requested_slot", None),
            BotUttered(f"Done: order 104513 will go to {ADDRESS.title()}."), ActionExecuted("action_listen"),
            said("thanks, and order 104502 is fine as it is", "thank"),
        ],
        slots=DOMAIN.slots,
    )


def store(url: str, redactor: Redactor, live_values: LiveValues) -> CandorTrackerStore:
    return CandorTrackerStore(domain=DOMAIN, host=url, redactor=redactor, live_values=live_values)


def save(store: CandorTrackerStore, tracker: DialogueStateTracker) -> None:
    asyncio.run(store.save(tracker))


def stored(url: str, sender: str, type_name: str) -> List[Dict[str, Any]]:
    return [json.loads(row["data"]) for row in stored_rows(url, sender) if row["type_name"] == type_name]


def test_each_answer_to_the_form_s_questions_is_stored_as_what_was_asked(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    save(store(sqlite_url, redactor, live_values), address_change("eilidh"))

    assert [event["text"] for event in stored(sqlite_url, "eilidh", "user")] == [
        "I need to change the delivery address for order 104513",
        "<EMAIL_ADDRESS>",
        "<STREET_ADDRESS>",
        "<POSTCODE>",
        "yes, thanks",
        "thanks, and order 104502 is fine as it is",
    ]


def test_nothing_a_customer_answered_is_stored_in_clear_anywhere(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    save(store(sqlite_url, redactor, live_values), address_change("eilidh"))

    everything = json.dumps(stored_rows(sqlite_url, "eilidh"), ensure_ascii=False).lower()

    assert [value for value in IN_CLEAR if value.lower() in everything] == []


def test_the_slots_of_personal_answers_are_stored_as_their_type_and_the_rest_as_they_are(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    save(store(sqlite_url, redactor, live_values), address_change("eilidh"))

    slots = [(event["name"], event["value"]) for event in stored(sqlite_url, "eilidh", "slot")]

    assert ("email", "<EMAIL_ADDRESS>") in slots
    assert ("shipping_address", "<STREET_ADDRESS>") in slots
    assert ("step_up_postcode", "<POSTCODE>") in slots
    assert ("order_id", "104513") in slots and ("address_confirmed", True) in slots
    assert [value for name, value in slots if name == "requested_slot"] == [
        "email", "shipping_address", "step_up_postcode", "address_confirmed", None,
    ], "which question was asked stays readable, for the next turn and for explanations"


def test_the_assistant_quoting_an_answer_stores_it_as_its_type(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    save(store(sqlite_url, redactor, live_values), address_change("eilidh"))

    said_by_the_assistant = [event["text"] for event in stored(sqlite_url, "eilidh", "bot")]

    assert "Send order 104513 to <STREET_ADDRESS>?" in said_by_the_assistant
    assert "Done: order 104513 will go to <STREET_ADDRESS>." in said_by_the_assistant


def test_the_next_turn_still_has_the_real_answers(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    candor = store(sqlite_url, redactor, live_values)
    save(candor, address_change("eilidh"))

    next_turn = asyncio.run(candor.retrieve("eilidh"))

    assert next_turn.get_slot("shipping_address") == ADDRESS
    assert next_turn.get_slot("email") == EMAIL
    assert next_turn.get_slot("step_up_postcode") == POSTCODE


def test_an_answer_to_a_personal_question_is_stored_as_its_type_whatever_it_says(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    # The recognizers find nothing in these; the question says what they are.
    tracker = DialogueStateTracker.from_events(
        "bilal",
        [*asked("shipping_address", "What's the new delivery address?"), said("the blue house by the church, quayside")],
        slots=DOMAIN.slots,
    )

    save(store(sqlite_url, redactor, live_values), tracker)

    assert [event["text"] for event in stored(sqlite_url, "bilal", "user")] == ["<STREET_ADDRESS>"]


def test_a_free_text_answer_to_a_question_the_policy_does_not_list_is_never_stored(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    tracker = DialogueStateTracker.from_events(
        "catrin",
        [*asked("delivery_note", "Anything the driver should know?", "delivery_note_form"), said("leave it with Mrs Pryce at number 9")],
        slots=DOMAIN.slots,
    )

    save(store(sqlite_url, redactor, live_values), tracker)

    assert [event["text"] for event in stored(sqlite_url, "catrin", "user")] == ["<FORM_ANSWER>"]


def test_an_answer_to_a_question_listed_as_not_personal_keeps_its_order_number(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    tracker = DialogueStateTracker.from_events(
        "dev", [*asked("order_id", "Which order is it?"), said("it's 104513, the lamp")], slots=DOMAIN.slots
    )

    save(store(sqlite_url, redactor, live_values), tracker)

    assert [event["text"] for event in stored(sqlite_url, "dev", "user")] == ["it's 104513, the lamp"]


def test_a_personal_slot_set_by_an_action_outside_any_form_is_stored_as_its_type(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    tracker = DialogueStateTracker.from_events("femi", [ActionExecuted("action_identify"), SlotSet("email", "femi at example")], slots=DOMAIN.slots)

    save(store(sqlite_url, redactor, live_values), tracker)

    assert [(event["name"], event["value"]) for event in stored(sqlite_url, "femi", "slot")] == [("email", "<EMAIL_ADDRESS>")]


def test_which_slots_are_personal_is_the_policy_s(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    policy = current_policy().privacy.redaction
    notes = SlotTypes({**policy.slot_types, "delivery_note": "DELIVERY_NOTE"}, frozenset(policy.slots_not_personal))
    tracker = DialogueStateTracker.from_events(
        "ada", [*asked("delivery_note", "Anything the driver should know?", "delivery_note_form"), said("side gate")], slots=DOMAIN.slots
    )
    candor = CandorTrackerStore(domain=DOMAIN, host=sqlite_url, redactor=redactor, live_values=live_values, slot_types=notes)

    save(candor, tracker)

    assert [event["text"] for event in stored(sqlite_url, "ada", "user")] == ["<DELIVERY_NOTE>"]


def test_an_event_broker_gets_the_answers_as_their_types_too(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    broker = CollectingBroker()
    candor = CandorTrackerStore(domain=DOMAIN, host=sqlite_url, redactor=redactor, live_values=live_values, event_broker=broker)

    save(candor, address_change("conversation-1"))

    assert [event["text"] for event in broker.published if event["event"] == "user"][1:4] == ["<EMAIL_ADDRESS>", "<STREET_ADDRESS>", "<POSTCODE>"]
    assert [value for value in IN_CLEAR if value.lower() in json.dumps(broker.published).lower()] == []


def test_a_value_found_in_a_message_is_replaced_in_the_entity_and_the_slot_it_filled(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    # The NLU takes a bare six-digit sort code for an order number; the recognizers know it is a
    # sort code from the words before it, so the entity and the slot do not keep it either.
    message = "please refund it to sort code 309634, account 31926819"
    entity = {"entity": "order_id", "start": 30, "end": 36, "value": "309634", "extractor": "RegexEntityExtractor"}
    tracker = DialogueStateTracker.from_events(
        "ifeoma",
        [UserUttered(message, intent={"name": "get_refund", "confidence": 0.9}, entities=[entity]), SlotSet("order_id", "309634")],
        slots=DOMAIN.slots,
    )

    save(store(sqlite_url, redactor, live_values), tracker)

    everything = json.dumps(stored_rows(sqlite_url, "ifeoma"))
    assert "309634" not in everything and "31926819" not in everything
    assert [(event["name"], event["value"]) for event in stored(sqlite_url, "ifeoma", "slot")] == [("order_id", "<UK_SORT_CODE>")]
