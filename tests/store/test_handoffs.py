"""The human-agent queue: one place per conversation, served by priority, then by waiting time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from bot.store import (
    Handoff,
    HandoffStatus,
    cancel_handoff,
    handoff_queue,
    open_session,
    queue_position,
    request_handoff,
    waiting_handoff,
)


def minutes(count: int) -> timedelta:
    return timedelta(minutes=count)


def test_handoff_queue_serves_priority_then_time(session, now):
    ordinary_first = request_handoff(session, "conv-a", "Question about delivery", now)
    urgent_later = request_handoff(session, "conv-b", "Customer in distress", now + minutes(5), 1)
    ordinary_later = request_handoff(session, "conv-c", "Wants a person", now + minutes(1))
    low_earliest = request_handoff(session, "conv-d", "Feedback", now - minutes(30), priority=5)

    queue = handoff_queue(session)

    assert queue == [urgent_later, ordinary_first, ordinary_later, low_earliest]
    assert [queue_position(session, handoff) for handoff in queue] == [1, 2, 3, 4]


def test_requesting_a_handoff_twice_keeps_one_place_in_the_queue(session, now):
    first = request_handoff(session, "conv-a", "Wants a person", now, channel="web")
    again = request_handoff(session, "conv-a", "Still waiting!", now + minutes(3), priority=1)

    assert again is first
    assert (again.reason, again.priority, again.requested_at) == ("Wants a person", 3, now)
    assert handoff_queue(session) == [first]


def test_a_new_handoff_waits_with_the_reason_and_channel_given(session, now):
    handoff = request_handoff(session, "conv-a", "Refund dispute", now, channel="voice")

    assert handoff.status is HandoffStatus.WAITING and handoff.channel == "voice"
    assert waiting_handoff(session, "conv-a") is handoff
    assert waiting_handoff(session, "conv-unknown") is None


def test_leaving_the_queue_moves_everyone_behind_up(session, now):
    request_handoff(session, "conv-a", "First", now)
    second = request_handoff(session, "conv-b", "Second", now + minutes(1))
    assert queue_position(session, second) == 2

    assert cancel_handoff(session, "conv-a", now + minutes(2)) is True

    assert queue_position(session, second) == 1
    assert waiting_handoff(session, "conv-a") is None


def test_cancelling_without_a_waiting_handoff_returns_false(session, now):
    assert cancel_handoff(session, "conv-never-asked", now) is False


def test_a_conversation_can_ask_again_after_leaving_the_queue(session, now):
    first = request_handoff(session, "conv-a", "Wants a person", now)
    cancel_handoff(session, "conv-a", now + minutes(1))

    second = request_handoff(session, "conv-a", "Changed my mind", now + minutes(2))

    assert second.id != first.id and first.status is HandoffStatus.CANCELLED
    assert handoff_queue(session) == [second]


def test_a_handoff_that_is_not_waiting_has_no_queue_position(session, now):
    handoff = request_handoff(session, "conv-a", "Wants a person", now)
    cancel_handoff(session, "conv-a", now)

    with pytest.raises(ValueError, match="not waiting"):
        queue_position(session, handoff)


def test_a_priority_below_one_is_refused(session, now):
    with pytest.raises(ValueError, match="priority"):
        request_handoff(session, "conv-a", "Wants a person", now, priority=0)


def test_the_database_itself_refuses_two_waiting_handoffs_for_one_conversation(engine, now):
    def waiting() -> Handoff:
        return Handoff(
            conversation_id="conv-a",
            reason="Wants a person",
            priority=3,
            status=HandoffStatus.WAITING,
            requested_at=now,
            updated_at=now,
        )

    with pytest.raises(IntegrityError), open_session(engine) as session:
        session.add_all([waiting(), waiting()])
