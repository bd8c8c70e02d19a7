"""A possible sign of self-harm is asked about directly and kindly; the answer decides what follows."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from actions.distress import ActionRespondToDistress
from actions.distress_check import ActionAnswerSelfHarmCheck, ActionAskAboutSelfHarm
from actions.distress_resume import SET_ASIDE_SLOT
from actions.handoff import ActionRequestHuman
from actions.orders import ValidateCancelOrderForm, ValidateTrackOrderForm
from bot.policy import current_policy
from bot.store.database import open_session
from bot.store.distress import DistressDetection
from bot.store.handoffs import Handoff, assign_handoff, request_handoff
from tests.actions.chat import Chat
from tests.actions.conftest import DOMAIN

POSSIBLE = {"category": "self_harm", "score": 0.27, "tier": 2}
CLEAR = {"category": "self_harm", "score": 0.93, "tier": 1}


@pytest.fixture(autouse=True)
def always_open(monkeypatch):
    monkeypatch.setattr(type(current_policy().handoff.hours), "is_open", lambda self, moment: True)


def asked(chat: Chat) -> Chat:
    chat.say("self_harm_check", [("self_harm_check", 0.27), ("track_order", 0.2)], POSSIBLE)
    chat.run(ActionAskAboutSelfHarm())
    return chat


def detections() -> list:
    with open_session() as session:
        return [(d.category, d.score, d.response) for d in session.execute(select(DistressDetection)).scalars()]


def handoff(conversation_id: str) -> Handoff:
    with open_session() as session:
        return session.execute(select(Handoff).where(Handoff.conversation_id == conversation_id)).scalar_one()


def test_a_possible_sign_is_asked_about_directly_with_yes_no_and_a_person() -> None:
    chat = Chat()
    chat.say("self_harm_check", [("self_harm_check", 0.27)], POSSIBLE)
    outcome = chat.run(ActionAskAboutSelfHarm())

    assert outcome.responses == ["utter_self_harm_check"]
    for variant in DOMAIN["responses"]["utter_self_harm_check"]:
        assert [button["payload"] for button in variant["buttons"]] == ["/affirm", "/deny", "/contact_human_agent"]
    assert detections() == [("self_harm", 0.27, "asked_whether_at_risk")]
    with open_session() as session:
        assert session.execute(select(Handoff)).first() is None  # asked, not alarmed


def test_yes_gets_exactly_the_tier_one_answer() -> None:
    tier_one = Chat("chat-clear")
    tier_one.say("distress", [("distress", 0.93)], CLEAR)
    clear = tier_one.run(ActionRespondToDistress())

    chat = asked(Chat("chat-asked"))
    chat.say("affirm")
    confirmed = chat.run(ActionAnswerSelfHarmCheck())

    assert confirmed.responses == clear.responses == ["utter_distress_self_harm", "utter_handoff_requested"]
    assert confirmed.messages[0]["resources"] == clear.messages[0]["resources"]
    assert (handoff("chat-asked").reason, handoff("chat-asked").priority) == ("distress_self_harm", 1)
    assert chat.slots["handoff_status"] == "waiting"
    assert detections()[-1] == ("self_harm", 0.27, "said_yes_crisis_resources_and_handoff")


def test_no_gets_an_apology_the_offer_of_a_person_and_the_task_where_it_was() -> None:
    chat = Chat("chat-in-form")
    cancelling = chat.form("cancel_order_form", ValidateCancelOrderForm())
    assert cancelling.start("cancel_order").requested == "order_id"

    asked(chat)
    assert chat.active_loop is None and chat.slots["requested_slot"] is None  # "no" can't answer the form
    chat.say("deny")
    outcome = chat.run(ActionAnswerSelfHarmCheck())

    assert outcome.responses == ["utter_self_harm_check_sorry", "utter_self_harm_check_offer_person"]
    assert chat.active_loop == "cancel_order_form"
    assert cancelling.carry_on().requested == "order_id"  # the form asks its question again
    assert chat.slots[SET_ASIDE_SLOT] is None
    assert detections()[-1] == ("self_harm", 0.27, "said_no_offered_person")
    with open_session() as session:
        assert session.execute(select(Handoff)).first() is None


def test_no_with_a_request_in_the_same_message_carries_the_request_on() -> None:
    chat = Chat()
    chat.say("self_harm_check", [("self_harm_check", 0.3), ("track_order", 0.9)], POSSIBLE, entities=[("order_id", "104502")], order_id="104502")
    chat.run(ActionAskAboutSelfHarm())
    chat.say("deny")
    chat.run(ActionAnswerSelfHarmCheck())

    assert chat.active_loop == "track_order_form"
    assert chat.form("track_order_form", ValidateTrackOrderForm()).carry_on().requested == "email"


def test_no_with_nothing_set_aside_is_just_the_apology_and_the_offer() -> None:
    chat = asked(Chat())
    chat.say("deny")

    outcome = chat.run(ActionAnswerSelfHarmCheck())
    assert outcome.responses == ["utter_self_harm_check_sorry", "utter_self_harm_check_offer_person"]
    assert chat.active_loop is None


def test_talk_to_a_person_after_the_question_puts_them_first_in_the_queue() -> None:
    with open_session() as session:
        request_handoff(session, "someone-else", "customer_request", datetime.now(timezone.utc), priority=3)
    chat = asked(Chat("chat-person"))
    chat.say("contact_human_agent")

    outcome = chat.run(ActionRequestHuman())
    assert outcome.messages[0]["position"] == 1
    assert (handoff("chat-person").reason, handoff("chat-person").priority) == ("distress_self_harm", 1)


def test_someone_already_waiting_is_still_asked_and_a_no_is_told_the_person_is_coming() -> None:
    with open_session() as session:
        request_handoff(session, "chat-waiting", "customer_request", datetime.now(timezone.utc), priority=3)
    chat = asked(Chat("chat-waiting", slots={"handoff_status": "waiting"}))
    assert chat.slots.get(SET_ASIDE_SLOT) is None

    chat.say("deny")
    outcome = chat.run(ActionAnswerSelfHarmCheck())
    assert outcome.responses == ["utter_self_harm_check_sorry", "utter_distress_person_coming"]
    assert outcome.messages[1]["position"] == 1


def test_when_a_person_is_already_with_them_the_assistant_leaves_it_to_them() -> None:
    with open_session() as session:
        request_handoff(session, "chat-taken", "customer_request", datetime.now(timezone.utc), priority=3)
        assign_handoff(session, "chat-taken", datetime.now(timezone.utc))
    chat = Chat("chat-taken", slots={"handoff_status": "waiting"})
    chat.say("self_harm_check", [("self_harm_check", 0.27)], POSSIBLE)

    assert chat.run(ActionAskAboutSelfHarm()).responses == ["utter_distress_person_here"]
    chat.say("affirm")
    assert chat.run(ActionAnswerSelfHarmCheck()).responses == []
