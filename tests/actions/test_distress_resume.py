"""Distress stops what was going on but never drops it: declining a person carries the request on."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from actions.distress import ActionRespondToDistress
from actions.distress_resume import SET_ASIDE_SLOT, ActionResumeRequest, first_actions
from actions.orders import ActionCancelOrder, ValidateCancelOrderForm
from bot.policy import current_policy
from bot.store.database import open_session
from bot.store.handoffs import Handoff
from bot.store.shop_records import Order, OrderStatus
from tests.actions.chat import Chat

ADA_EMAIL, ADA_POSTCODE = "ada.thornbury@example.com", "AC1 4RT"
BEREAVED = {"category": "bereavement", "score": 0.82, "tier": 1}


@pytest.fixture(autouse=True)
def always_open(monkeypatch):
    monkeypatch.setattr(type(current_policy().handoff.hours), "is_open", lambda self, moment: True)


def mum_died(order: str, sure: float = 0.91) -> Chat:
    """ "My mum died last week and I need to cancel her order <order>", answered with care."""
    chat = Chat("chat-bereaved")
    chat.say(
        "distress", [("distress", 0.82), ("cancel_order", sure), ("track_order", 0.04)], BEREAVED,
        entities=[("order_id", order)], order_id=order,
    )
    return chat


def stored(number: int) -> Order:
    with open_session() as session:
        return session.get(Order, number)


def test_care_and_the_offer_of_a_person_come_first_and_nothing_more() -> None:
    chat = mum_died("104501")
    outcome = chat.run(ActionRespondToDistress())

    assert outcome.responses == ["utter_distress_bereavement", "utter_distress_offer_person"]
    assert chat.active_loop is None  # no form pushed on them this turn
    assert chat.slots[SET_ASIDE_SLOT] == {"action": "cancel_order_form", "intent": "cancel_order", "paused": False}


def test_declining_the_person_carries_on_with_the_cancellation_without_asking_again_for_the_order() -> None:
    chat = mum_died("104501")
    chat.run(ActionRespondToDistress())
    chat.say("deny")

    outcome = chat.run(ActionResumeRequest())
    assert outcome.responses == ["utter_distress_carry_on"]
    assert chat.active_loop == "cancel_order_form"
    assert chat.slots[SET_ASIDE_SLOT] is None

    cancelling = chat.form("cancel_order_form", ValidateCancelOrderForm())
    assert cancelling.carry_on().requested == "email"  # not the order number: they gave it
    assert cancelling.answer(ADA_EMAIL).requested == "step_up_postcode"
    assert cancelling.answer(ADA_POSTCODE).requested == "cancel_confirmed"
    assert cancelling.answer(True, intent="affirm").requested is None
    assert cancelling.submit(ActionCancelOrder()).responses == ["utter_order_cancelled"]
    assert stored(104501).status is OrderStatus.CANCELLED


def test_the_order_in_the_issue_has_shipped_so_the_customer_is_told_it_cannot_be_cancelled() -> None:
    chat = mum_died("104502")
    chat.run(ActionRespondToDistress())
    chat.say("deny")
    chat.run(ActionResumeRequest())

    cancelling = chat.form("cancel_order_form", ValidateCancelOrderForm())
    assert cancelling.carry_on().requested == "email"
    assert cancelling.answer(ADA_EMAIL).requested is None  # a shipped order: nothing more to ask
    assert cancelling.submit(ActionCancelOrder()).responses == ["utter_order_cannot_be_cancelled"]


def test_a_yes_to_the_person_leaves_the_request_for_the_person() -> None:
    chat = mum_died("104501")
    chat.run(ActionRespondToDistress())

    assert chat.active_loop is None
    with open_session() as session:
        assert session.execute(select(Handoff)).first() is None  # offered, not imposed


def cancelling_after_the_postcode() -> Chat:
    chat = Chat("chat-cancelling")
    cancelling = chat.form("cancel_order_form", ValidateCancelOrderForm())
    cancelling.start("cancel_order", order_id="104501")
    cancelling.answer(ADA_EMAIL)
    assert cancelling.answer(ADA_POSTCODE).requested == "cancel_confirmed"
    return chat


def test_a_form_in_progress_is_paused_and_resumed_where_it_was() -> None:
    chat = cancelling_after_the_postcode()
    chat.say("distress", [("distress", 0.7), ("deny", 0.2)], {"category": "emotional_distress", "score": 0.7, "tier": 1})
    paused = chat.run(ActionRespondToDistress())

    assert {"event": "active_loop", "name": None} in paused.events
    assert chat.slots["requested_slot"] is None  # a yes or no now answers the offer, not the form
    assert chat.slots[SET_ASIDE_SLOT] == {"action": "cancel_order_form", "intent": None, "paused": True}

    chat.say("deny")
    chat.run(ActionResumeRequest())
    cancelling = chat.form("cancel_order_form", ValidateCancelOrderForm())
    assert cancelling.carry_on().requested == "cancel_confirmed"  # the postcode is not asked again
    cancelling.answer(True, intent="affirm")
    assert cancelling.submit(ActionCancelOrder()).responses == ["utter_order_cancelled"]


def test_a_postcode_check_from_an_earlier_request_does_not_carry_into_a_new_one() -> None:
    chat = cancelling_after_the_postcode()
    chat.say("stop")
    chat.events.append({"event": "active_loop", "name": None})  # "forget it": the form stops
    chat.say("distress", [("distress", 0.8), ("cancel_order", 0.9)], BEREAVED, entities=[("order_id", "104501")])
    chat.run(ActionRespondToDistress())
    chat.say("deny")

    resumed = chat.run(ActionResumeRequest())
    assert {"event": "slot", "name": "identity_rechecked", "value": True} not in resumed.events
    assert chat.form("cancel_order_form", ValidateCancelOrderForm()).carry_on().requested == "step_up_postcode"


def test_a_request_the_classifier_was_unsure_of_is_not_guessed_at() -> None:
    chat = mum_died("104501", sure=0.3)
    chat.run(ActionRespondToDistress())
    chat.say("deny")

    outcome = chat.run(ActionResumeRequest())
    assert outcome.responses == ["utter_distress_no_person"]
    assert chat.active_loop is None


@pytest.mark.parametrize("small_talk", ["greet", "thank", "goodbye", "out_of_scope"])
def test_small_talk_and_what_the_shop_does_not_do_are_not_requests_to_carry_on(small_talk: str) -> None:
    chat = Chat()
    chat.say("distress", [("distress", 0.8), (small_talk, 0.95)], BEREAVED)
    chat.run(ActionRespondToDistress())

    assert chat.slots[SET_ASIDE_SLOT] is None


def test_a_question_is_answered_once_the_customer_declines_a_person() -> None:
    chat = Chat()
    chat.say("distress", [("distress", 0.8), ("delivery_period", 0.88)], BEREAVED)
    chat.run(ActionRespondToDistress())
    chat.say("deny")

    assert chat.run(ActionResumeRequest()).responses == ["utter_distress_carry_on", "utter_delivery_period"]
    assert chat.active_loop is None


def test_a_data_request_keeps_the_right_the_customer_asked_for() -> None:
    chat = Chat()
    chat.say("distress", [("distress", 0.8), ("delete_my_data", 0.9)], BEREAVED)
    chat.run(ActionRespondToDistress())
    chat.say("deny")
    chat.run(ActionResumeRequest())

    assert chat.slots["data_request"] == "erase"  # "delete my data", not just any data request
    assert chat.active_loop == "data_request_form"


@pytest.mark.parametrize("value", [{"action": "action_cancel_order"}, {"action": 7}, "cancel_order_form", ["x"]])
def test_a_set_aside_value_that_names_no_form_or_response_is_ignored(value) -> None:
    chat = Chat(slots={SET_ASIDE_SLOT: value})
    chat.say("deny")

    outcome = chat.run(ActionResumeRequest())
    assert outcome.responses == ["utter_distress_no_person"]
    assert chat.active_loop is None


def test_every_task_and_question_our_rules_answer_can_be_carried_on() -> None:
    resumable = first_actions()
    assert resumable["cancel_order"] == "cancel_order_form"
    assert resumable["track_order"] == "track_order_form"
    assert resumable["check_refund_policy"] == "utter_refund_policy"
    assert "ask_why" not in resumable or not resumable["ask_why"].startswith("utter_")
