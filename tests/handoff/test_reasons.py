"""The reason a customer is passed to a person is read from the turn before they asked."""

from __future__ import annotations

from typing import Any, Dict

from bot.handoff.reasons import reason_for_request


def user(intent: str) -> Dict[str, Any]:
    return {"event": "user", "text": "", "parse_data": {"intent": {"name": intent}}}


def action(name: str) -> Dict[str, Any]:
    return {"event": "action", "name": name}


def test_accepting_an_offer_after_misunderstandings_is_recorded_as_such() -> None:
    events = [
        user("nlu_fallback"), action("action_handle_fallback"), action("utter_offer_human"),
        action("action_listen"), user("affirm"),
    ]
    assert reason_for_request(events) == "repeated_misunderstanding"


def test_accepting_an_offer_after_a_complaint_is_recorded_as_a_complaint() -> None:
    events = [
        user("complaint"), action("utter_acknowledge_complaint"), action("utter_offer_human"),
        action("action_listen"), user("contact_human_agent"),
    ]
    assert reason_for_request(events) == "complaint"


def test_a_plain_request_is_a_customer_request_even_after_an_old_offer() -> None:
    events = [
        user("complaint"), action("utter_acknowledge_complaint"), action("utter_offer_human"),
        action("action_listen"), user("deny"), action("utter_no_person_needed"), action("action_listen"),
        user("contact_human_agent"),
    ]
    assert reason_for_request(events) == "customer_request"


def test_a_person_asked_for_from_the_self_harm_question_is_a_possible_risk() -> None:
    events = [user("self_harm_check"), action("action_ask_about_self_harm"), action("action_listen"), user("contact_human_agent")]
    assert reason_for_request(events) == "distress_self_harm"
