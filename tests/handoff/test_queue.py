"""The customer's side: a request is recorded, keeps its place, can be withdrawn, and is served in order."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.handoff import queue
from bot.handoff.queue import WhileWaiting
from bot.handoff.state import HandoffState, current_state
from bot.policy import current_policy
from bot.store.database import open_session
from bot.store.handoffs import HandoffStatus, assign_handoff, close_handoff
from tests.handoff.conftest import slot_set, stored


def test_a_request_is_recorded_at_its_reasons_priority_and_the_slot_follows(now: datetime) -> None:
    queued = queue.request("chat-1", "complaint", now, channel="web")

    assert (queued.position, queued.reason, queued.priority) == (1, "complaint", current_policy().handoff.priority_for("complaint"))
    assert queued.events == [slot_set("waiting")]
    handoff = stored("chat-1")
    assert (handoff.status, handoff.reason, handoff.channel) == (HandoffStatus.WAITING, "complaint", "web")
    assert current_state("chat-1") is HandoffState.WAITING


def test_asking_again_keeps_the_place_and_a_more_urgent_reason_moves_it_up(now: datetime) -> None:
    queue.request("chat-first", "customer_request", now)
    queue.request("chat-1", "customer_request", now + timedelta(minutes=1))

    again = queue.request("chat-1", "customer_request", now + timedelta(minutes=2))
    assert again.position == 2 and len(queue.waiting_list(now)) == 2

    urgent = queue.request("chat-1", "distress", now + timedelta(minutes=3))
    assert urgent.position == 1
    assert (stored("chat-1").reason, stored("chat-1").priority) == ("distress", current_policy().handoff.priority_for("distress"))


def test_a_message_while_waiting_meets_the_place_in_the_queue_and_leaves_the_slot(now: datetime) -> None:
    queue.request("chat-ahead", "customer_request", now)
    queue.request("chat-1", "customer_request", now + timedelta(minutes=1))

    turn = queue.message_while_waiting("chat-1", withdraw=False, now=now)

    assert (turn.outcome, turn.position, turn.events) == (WhileWaiting.WAITING, 2, [])


def test_never_mind_withdraws_the_request_and_empties_the_slot(now: datetime) -> None:
    queue.request("chat-1", "customer_request", now)

    turn = queue.message_while_waiting("chat-1", withdraw=True, now=now)

    assert (turn.outcome, turn.events) == (WhileWaiting.WITHDRAWN, [slot_set(None)])
    assert stored("chat-1").status is HandoffStatus.CANCELLED
    assert queue.position("chat-1") is None and current_state("chat-1") is HandoffState.NONE


def test_with_a_person_the_message_is_left_for_them_and_cannot_withdraw_the_request(now: datetime) -> None:
    queue.request("chat-1", "customer_request", now)
    with open_session() as session:
        assign_handoff(session, "chat-1", now)

    turn = queue.message_while_waiting("chat-1", withdraw=True, now=now)

    assert (turn.outcome, turn.events) == (WhileWaiting.WITH_PERSON, [])
    assert stored("chat-1").status is HandoffStatus.ASSIGNED


def test_after_the_hand_back_a_message_finds_the_request_ended_and_the_slot_is_emptied(now: datetime) -> None:
    queue.request("chat-1", "customer_request", now)
    with open_session() as session:
        close_handoff(session, "chat-1", now)

    turn = queue.message_while_waiting("chat-1", withdraw=False, now=now)

    assert (turn.outcome, turn.events) == (WhileWaiting.ENDED, [slot_set(None)])


def test_the_waiting_list_is_in_service_order_with_places_and_minutes_waited(now: datetime) -> None:
    queue.request("chat-early", "customer_request", now - timedelta(minutes=30), channel="web")
    queue.request("chat-distress", "distress", now - timedelta(minutes=5), channel="voice")
    queue.request("chat-taken", "customer_request", now - timedelta(minutes=40))
    with open_session() as session:
        assign_handoff(session, "chat-taken", now)

    listed = [(e.position, e.conversation_id, e.channel, e.waiting_minutes) for e in queue.waiting_list(now)]

    assert listed == [(1, "chat-distress", "voice", 5), (2, "chat-early", "web", 30)]
