"""Asking for a person records a handoff before promising one, and pauses the assistant."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

import actions.handoff as handoff_actions
import bot.handoff.queue as handoff_queue
from actions.handoff import ActionHandoffWaiting, ActionRequestHuman
from bot.store.database import open_session
from bot.store.handoffs import Handoff, HandoffStatus, request_handoff
from tests.actions.conftest import make_tracker, run


def handoffs() -> list[Handoff]:
    with open_session() as session:
        return list(session.execute(select(Handoff)).scalars())


def test_a_request_is_recorded_then_confirmed_and_the_assistant_pauses() -> None:
    outcome = run(ActionRequestHuman(), make_tracker(intent="contact_human_agent", sender_id="c-1"))

    [handoff] = handoffs()
    assert (handoff.conversation_id, handoff.reason, handoff.status) == ("c-1", "customer_request", HandoffStatus.WAITING)
    assert outcome.responses[0] in ("utter_handoff_requested", "utter_handoff_requested_after_hours")
    assert outcome.messages[0]["position"] == 1
    assert outcome.slot("handoff_status") == "waiting"


def test_outside_opening_hours_the_customer_is_told_when_people_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handoff_actions, "datetime", _FixedClock(datetime(2026, 11, 29, 22, 0, tzinfo=timezone.utc)))

    outcome = run(ActionRequestHuman(), make_tracker(intent="contact_human_agent"))

    assert outcome.responses == ["utter_handoff_requested_after_hours"]
    assert "Monday to Friday" in outcome.messages[0]["hours"]


def test_a_request_inside_a_form_ends_the_form() -> None:
    outcome = run(ActionRequestHuman(), make_tracker(intent="contact_human_agent", active_loop="cancel_order_form"))

    assert {"event": "active_loop", "name": None} in outcome.events


def test_if_the_queue_cannot_be_written_no_person_is_promised(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OperationalError("INSERT", {}, Exception("disk full"))

    monkeypatch.setattr(handoff_queue, "request_handoff", broken)

    outcome = run(ActionRequestHuman(), make_tracker(intent="contact_human_agent"))

    assert outcome.responses == ["utter_handoff_failed"]
    assert not [e for e in outcome.events if e.get("name") == "handoff_status"]


def test_while_waiting_every_message_is_acknowledged_with_the_place_in_the_queue() -> None:
    with open_session() as session:
        request_handoff(session, "waiting-1", "customer_request", datetime.now(timezone.utc))

    outcome = run(ActionHandoffWaiting(), make_tracker(intent="track_order", sender_id="waiting-1"))

    assert outcome.responses == ["utter_handoff_waiting"]
    assert outcome.messages[0]["position"] == 1


def test_while_waiting_the_assistant_still_says_truthfully_that_it_is_not_a_person() -> None:
    with open_session() as session:
        request_handoff(session, "waiting-2", "customer_request", datetime.now(timezone.utc))

    outcome = run(ActionHandoffWaiting(), make_tracker(intent="bot_challenge", sender_id="waiting-2"))

    assert outcome.responses[0] == "utter_iamabot"


def test_never_mind_takes_the_customer_out_of_the_queue() -> None:
    with open_session() as session:
        request_handoff(session, "waiting-3", "customer_request", datetime.now(timezone.utc))

    outcome = run(ActionHandoffWaiting(), make_tracker(intent="stop", sender_id="waiting-3"))

    assert outcome.responses == ["utter_handoff_withdrawn"]
    assert outcome.slot("handoff_status") is None
    assert handoffs()[0].status is HandoffStatus.CANCELLED


class _FixedClock:
    """Stands in for `datetime` in the action module, so 'now' is a chosen moment."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self, tz: timezone | None = None) -> datetime:
        return self.moment
