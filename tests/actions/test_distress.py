"""A customer in distress gets care first and a person quickly; nothing is pushed on them."""

from __future__ import annotations

from datetime import datetime, timezone

import logging

import pytest
from sqlalchemy import select, text

from actions.distress import ActionRespondToDistress, verdict
from actions.handoff import ActionRequestHuman
from bot.policy import current_policy
from bot.store.database import open_session
from bot.store.distress import DistressDetection
from bot.store.handoffs import Handoff, request_handoff
from tests.actions.conftest import make_tracker, run


def distressed(category: str, score: float = 0.9, **tracker_options):
    tracker = make_tracker(**tracker_options)
    tracker.latest_message["intent"] = {"name": "distress", "confidence": score}
    tracker.latest_message["distress"] = {"category": category, "score": score}
    return tracker


@pytest.fixture
def always_open(monkeypatch):
    monkeypatch.setattr(type(current_policy().handoff.hours), "is_open", lambda self, moment: True)


@pytest.fixture
def always_closed(monkeypatch):
    monkeypatch.setattr(type(current_policy().handoff.hours), "is_open", lambda self, moment: False)


def detections() -> list:
    with open_session() as session:
        return [(d.category, d.response) for d in session.execute(select(DistressDetection)).scalars()]


def test_self_harm_gets_crisis_resources_at_once_and_a_person_first_in_the_queue(always_open):
    with open_session() as session:
        request_handoff(session, "someone-else", "customer_request", datetime.now(timezone.utc), priority=3)
    outcome = run(ActionRespondToDistress(), distressed("self_harm", sender_id="chat-1"))

    assert outcome.responses == ["utter_distress_self_harm", "utter_handoff_requested"]
    for resource in current_policy().distress.crisis_resources:
        assert resource.how in outcome.messages[0]["resources"]
    assert outcome.messages[1]["position"] == 1  # ahead of an ordinary request made earlier
    assert outcome.slot("handoff_status") == "waiting"
    with open_session() as session:
        handoff = session.execute(select(Handoff).where(Handoff.conversation_id == "chat-1")).scalar_one()
        assert (handoff.reason, handoff.priority) == ("distress_self_harm", 1)
    assert detections() == [("self_harm", "crisis_resources_and_handoff")]


@pytest.mark.parametrize("category", ["bereavement", "financial_hardship", "health", "abuse", "emotional_distress"])
def test_other_distress_gets_words_that_fit_and_the_offer_of_a_person(always_open, category):
    outcome = run(ActionRespondToDistress(), distressed(category))

    assert outcome.responses == [f"utter_distress_{category}", "utter_distress_offer_person"]
    assert detections() == [(category, "offered_person")]


def test_outside_opening_hours_the_customer_is_told_and_given_the_alternatives(always_closed):
    outcome = run(ActionRespondToDistress(), distressed("bereavement"))

    assert outcome.responses == ["utter_distress_bereavement", "utter_distress_after_hours", "utter_distress_offer_person"]
    assert outcome.messages[1]["email"] == current_policy().handoff.contact.email


def test_a_form_in_progress_is_stopped_not_pushed(always_open):
    outcome = run(ActionRespondToDistress(), distressed("financial_hardship", active_loop="refund_form"))

    assert {"event": "active_loop", "name": None} in outcome.events


def test_a_yes_to_the_offer_queues_the_customer_for_the_distress_reason(always_open):
    events = [
        {"event": "user", "text": "...", "parse_data": {"intent": {"name": "distress"}}},
        {"event": "action", "name": "action_respond_to_distress"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "yes", "parse_data": {"intent": {"name": "affirm"}}},
    ]
    run(ActionRequestHuman(), make_tracker(events=events, intent="affirm", sender_id="chat-2"))
    with open_session() as session:
        handoff = session.execute(select(Handoff)).scalar_one()
    assert (handoff.reason, handoff.priority) == ("distress", current_policy().handoff.priority_for("distress"))


def test_someone_already_waiting_is_reassured_and_moved_up(always_open):
    with open_session() as session:
        request_handoff(session, "chat-3", "customer_request", datetime.now(timezone.utc), priority=3)
    outcome = run(ActionRespondToDistress(), distressed("health", sender_id="chat-3", slots={"handoff_status": "waiting"}))

    assert outcome.responses == ["utter_distress_health", "utter_distress_person_coming"]
    with open_session() as session:
        assert session.execute(select(Handoff.priority)).scalar_one() == current_policy().handoff.priority_for("distress")
    assert detections() == [("health", "told_person_is_coming")]


def test_a_detection_that_cannot_be_recorded_is_logged_and_the_customer_still_cared_for(always_open, caplog):
    with open_session() as session:  # the record's table gone: every insert into it fails
        session.execute(text(f"DROP TABLE {DistressDetection.__table__.name}"))
    tracker = distressed("bereavement", sender_id="chat-4")
    tracker.latest_message["text"] = "my mum died on Tuesday"

    with caplog.at_level(logging.ERROR, logger="actions.distress"):
        outcome = run(ActionRespondToDistress(), tracker)

    assert outcome.responses == ["utter_distress_bereavement", "utter_distress_offer_person"]
    [line] = [r.getMessage() for r in caplog.records if r.name == "actions.distress"]
    assert "bereavement" in line and "chat-4" in line and "OperationalError" in line
    assert "mum" not in caplog.text and "INSERT" not in line  # the failure's kind, not its text


def test_the_message_itself_is_never_recorded():
    columns = set(DistressDetection.__table__.columns.keys())
    assert columns == {"id", "conversation_id", "category", "score", "response", "detected_at"}


def test_a_missing_verdict_still_gets_care(always_open):
    tracker = make_tracker()
    tracker.latest_message["intent"] = {"name": "distress", "confidence": 1.0}
    outcome = run(ActionRespondToDistress(), tracker)
    assert outcome.responses[0] == "utter_distress_emotional_distress"


def test_the_verdict_keeps_its_tier_and_a_verdict_without_one_is_still_read():
    tracker = distressed("self_harm")
    tracker.latest_message["distress"]["tier"] = 1
    assert verdict(tracker) == {"category": "self_harm", "score": 0.9, "tier": 1}
    assert verdict(distressed("health"))["tier"] is None  # a model trained before tiers


def test_a_clear_sign_of_self_harm_inside_a_form_ends_the_form_for_the_person(always_open):
    outcome = run(ActionRespondToDistress(), distressed("self_harm", active_loop="cancel_order_form"))

    assert {"event": "active_loop", "name": None} in outcome.events
    assert outcome.slot("handoff_status") == "waiting"
    assert not any(event.get("name") == "set_aside_request" for event in outcome.events)  # a person takes it from here
