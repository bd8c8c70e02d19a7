"""What the conversation's events say, asked the one way both servers ask it (bot.conversation.events)."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SessionStarted, SlotSet, UserUttered

from bot.conversation.events import (
    actions_before_latest_customer_message,
    answered_slots,
    current_session,
    customer_messages,
    customer_messages_in_a_row,
    intent_of,
    latest_buttons,
    latest_customer_message,
    latest_form_activation,
    latest_slot_events,
    message_id_of,
    message_ids,
    messages,
    slot_value,
    value_last_set,
)
from tests.explain.events import action, bot, listen, loop, session_start, slot, user

BUTTONS = [{"title": "Yes, use my orders", "payload": "/affirm"}, {"title": "No, thanks", "payload": "/deny"}]


def asked(buttons: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {"event": "bot", "text": "(a question)", "data": {"buttons": buttons}}


# The customer's messages.


def test_the_latest_customer_message_is_found_after_the_assistants_replies() -> None:
    events = [*session_start(), user("greet", 0.9, message_id="hi"), user("track_order", 0.9, message_id="where"), action("utter_ask_order"), bot("utter_ask_order"), listen()]

    assert message_id_of(latest_customer_message(events)) == "where"


def test_the_latest_message_understood_as_an_intent_is_found_among_later_ones() -> None:
    events = [user("self_harm_check", 0.9, message_id="worrying"), bot("utter_self_harm_check"), user("deny", 0.9, message_id="no")]

    assert message_id_of(latest_customer_message(events, intent="self_harm_check")) == "worrying"
    assert latest_customer_message(events, intent="greet") is None


def test_a_conversation_the_customer_has_not_written_in_has_no_latest_message() -> None:
    assert latest_customer_message(session_start()) is None


def test_only_what_the_customer_wrote_counts_as_their_messages() -> None:
    events = [*session_start(), user("greet", 0.9, message_id="a"), bot("utter_greet"), listen(), user("thank", 0.9, message_id="b")]

    assert [message_id_of(message) for message in customer_messages(events)] == ["a", "b"]


def test_the_ids_of_the_customers_messages_are_theirs_alone() -> None:
    events = [*session_start(), user("greet", 0.9, message_id="a"), bot("utter_greet"), user("thank", 0.9, message_id="b"), user("deny", 0.9, message_id="")]

    assert message_ids(events) == {"a", "b"}


def test_what_was_said_is_the_customers_and_the_assistants_messages_in_order() -> None:
    events = [*session_start(), user("greet", 0.9), action("utter_greet"), bot("utter_greet"), slot("order_id", "104502"), listen()]

    assert [message["event"] for message in messages(events)] == ["bot", "user", "bot"]  # the disclosure first


def test_a_message_id_kept_only_in_the_parse_data_is_still_found() -> None:
    assert message_id_of({"event": "user", "parse_data": {"message_id": "older"}}) == "older"


def test_a_message_stored_whole_as_a_placeholder_has_no_intent() -> None:
    assert intent_of({"event": "user", "text": "<STREET_ADDRESS>", "parse_data": "<STREET_ADDRESS>"}) is None
    assert intent_of(user("greet", 0.9)) == "greet"


# Sessions and messages in a row.


def test_the_current_session_starts_after_the_latest_session_start() -> None:
    earlier = user("nlu_fallback", 0.3, message_id="yesterday")
    events = [*session_start(), earlier, *session_start(), user("greet", 0.9, message_id="today")]

    assert earlier not in current_session(events)
    assert [message_id_of(message) for message in customer_messages(current_session(events))] == ["today"]


def test_without_a_session_start_the_whole_conversation_is_the_session() -> None:
    events = [user("greet", 0.9), bot("utter_greet")]

    assert list(current_session(events)) == events


def test_messages_in_a_row_stop_at_the_first_one_understood_otherwise() -> None:
    events = [user("nlu_fallback", 0.3, message_id="1"), user("greet", 0.9), user("nlu_fallback", 0.2, message_id="3"), bot("utter_please_rephrase"), user("nlu_fallback", 0.2, message_id="4")]

    assert [message_id_of(message) for message in customer_messages_in_a_row(events, "nlu_fallback")] == ["3", "4"]
    assert customer_messages_in_a_row(events, "greet") == []


# What the assistant did before the customer wrote.


def test_the_actions_before_the_latest_message_are_those_since_the_one_before() -> None:
    events = [
        user("complaint", 0.9), action("utter_acknowledge_complaint"), action("utter_offer_human"), listen(),
        user("affirm", 0.9), action("action_request_human"),
    ]

    assert actions_before_latest_customer_message(events) == ["utter_acknowledge_complaint", "utter_offer_human", "action_listen"]


def test_with_one_message_everything_the_assistant_did_before_it_counts() -> None:
    events = [*session_start(), user("contact_human_agent", 0.9)]

    assert actions_before_latest_customer_message(events) == ["action_session_start", "action_listen"]
    assert actions_before_latest_customer_message(session_start()) == []


# Forms and slots.


def test_the_latest_form_started_is_found_and_a_form_ending_is_not_a_start() -> None:
    events = [loop("cancel_order_form"), slot("order_id", "104502"), loop("data_request_form"), slot("data_request", "export"), loop(None)]

    assert latest_form_activation(events) == 2
    assert latest_form_activation([loop(None), user("greet", 0.9)]) is None


def test_the_latest_setting_of_each_slot_is_found_where_it_is() -> None:
    events = [slot("order_id", "104502"), user("deny", 0.9), slot("order_id", "104513"), slot("email", "a@example.com")]

    assert latest_slot_events(events) == {"order_id": 2, "email": 3}
    assert value_last_set(events, "order_id") == "104513"
    assert value_last_set(events, "shipping_address") is None


def test_a_reset_or_a_restart_clears_what_a_slot_holds_but_not_what_was_last_set() -> None:
    for clearing in ({"event": "reset_slots"}, {"event": "restart"}):
        events = [slot("customer_id", "7"), clearing]

        assert slot_value(events, "customer_id") is None
        assert value_last_set(events, "customer_id") == "7"
    assert slot_value([slot("customer_id", "7"), {"event": "reset_slots"}, slot("customer_id", "8")], "customer_id") == "8"


def test_a_message_answers_the_slot_the_form_was_asking_for() -> None:
    events = [
        user("change_shipping_address", 0.9), loop("address_change_form"), slot("requested_slot", "shipping_address"),
        bot("utter_ask_shipping_address"), listen(), user("inform", 0.5),
    ]

    assert answered_slots(events) == {5: "shipping_address"}


def test_outside_a_form_or_after_a_new_session_a_message_answers_nothing() -> None:
    asked_then_ended = [loop("address_change_form"), slot("requested_slot", "shipping_address"), loop(None), user("greet", 0.9)]
    asked_then_new_session = [loop("address_change_form"), slot("requested_slot", "shipping_address"), *session_start(), user("greet", 0.9)]

    assert answered_slots(asked_then_ended) == {}
    assert answered_slots(asked_then_new_session) == {}


def test_the_rasa_server_asks_the_same_questions_of_its_own_events_serialised() -> None:
    rasa_events = [
        SessionStarted(), ActionExecuted("action_listen"), UserUttered("change my address", {"name": "change_shipping_address"}),
        ActiveLoop("address_change_form"), SlotSet("requested_slot", "shipping_address"), BotUttered("What is the new address?"),
        ActionExecuted("action_listen"), UserUttered("ty gwyn, lowmarsh", {"name": "inform"}),
    ]
    serialised = [event.as_dict() for event in rasa_events]

    assert answered_slots(serialised) == {7: "shipping_address"}
    assert rasa_events[latest_slot_events(serialised)["requested_slot"]] is rasa_events[4]
    assert intent_of(latest_customer_message(serialised)) == "inform"


# Buttons.


def test_the_buttons_are_those_of_the_assistants_last_message() -> None:
    events = [user("track_order", 0.9), asked(BUTTONS)]

    assert latest_buttons(events) == BUTTONS


def test_a_later_question_without_buttons_is_not_answered_from_an_earlier_list() -> None:
    events = [asked(BUTTONS), {"event": "bot", "text": "How many would you like?", "data": {}}]

    assert latest_buttons(events) == []


def test_once_the_customer_has_written_old_buttons_no_longer_count() -> None:
    events = [asked(BUTTONS), {"event": "user", "text": "hello"}]

    assert latest_buttons(events) == []
