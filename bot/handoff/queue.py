"""The customer's side of a handoff: ask for a person, wait, withdraw; and the queue agents serve.

A request is written to the table before the customer is told anything, so a person is never
promised without a record behind it: if the write fails, the store's `SQLAlchemyError` reaches
the caller, which then gives the team's other contact details instead.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Dict, List, Optional

from bot.handoff.events import Event
from bot.handoff.state import HandoffState, slot_events, state_of, waiting_minutes
from bot.policy import current_policy
from bot.store.database import open_session
from bot.store.handoffs import (
    cancel_handoff,
    handoff_queue,
    open_handoff,
    queue_position,
    raise_priority,
    request_handoff,
    waiting_handoff,
)


@dataclass(frozen=True)
class Queued:
    """A recorded request: where the customer stands, why and how urgently, and the slot to set."""

    position: int
    reason: str
    priority: int
    events: List[Event]


def request(conversation_id: str, reason: str, now: datetime, channel: Optional[str] = None) -> Queued:
    """Queue the conversation for a person, or move its waiting request up for a more urgent reason.

    The priority comes from the policy file's reasons; a second request keeps the first one's
    place (and its reason, unless the new one is more urgent).
    """
    priority = current_policy().handoff.priority_for(reason)
    with open_session() as session:
        handoff = request_handoff(session, conversation_id, reason, now, priority=priority, channel=channel)
        raise_priority(session, handoff, priority, reason, now)
        position = queue_position(session, handoff)
    # Asking states the slot even when it already says so: the request is the customer's turn.
    return Queued(position, reason, priority, slot_events(HandoffState.WAITING))


class WhileWaiting(enum.Enum):
    """What a message from a customer who asked for a person meets."""

    ENDED = "ended"  # the request is over (handed back, or gone): the assistant answers again
    WITH_PERSON = "with_person"  # an agent has it: the message is for them, the assistant stays silent
    WITHDRAWN = "withdrawn"  # the customer said never mind: out of the queue
    WAITING = "waiting"  # still in the queue, at `position`


@dataclass(frozen=True)
class WaitingTurn:
    outcome: WhileWaiting
    position: Optional[int]
    events: List[Event]


def message_while_waiting(conversation_id: str, withdraw: bool, now: datetime) -> WaitingTurn:
    """Read (and, if the customer withdraws, change) the request a waiting customer's message meets."""
    with open_session() as session:
        handoff = open_handoff(session, conversation_id)
        state = state_of(handoff)
        if state is HandoffState.NONE:
            return WaitingTurn(WhileWaiting.ENDED, None, slot_events(state))
        if state is HandoffState.WITH_PERSON:
            # The slot already says a person is due; it does not tell waiting from taken.
            return WaitingTurn(WhileWaiting.WITH_PERSON, None, [])
        if withdraw:
            cancel_handoff(session, conversation_id, now)
            return WaitingTurn(WhileWaiting.WITHDRAWN, None, slot_events(HandoffState.NONE))
        return WaitingTurn(WhileWaiting.WAITING, queue_position(session, handoff), [])


def position(conversation_id: str) -> Optional[int]:
    """The conversation's place in the queue (1 is served next); None if it is not waiting."""
    with open_session() as session:
        handoff = waiting_handoff(session, conversation_id)
        return queue_position(session, handoff) if handoff else None


@dataclass(frozen=True)
class QueueEntry:
    """One waiting conversation as agents and operators see it."""

    position: int
    conversation_id: str
    reason: str
    priority: int
    channel: Optional[str]
    requested_at: datetime
    waiting_minutes: int


def waiting_list(now: datetime) -> List[QueueEntry]:
    """Waiting conversations in the order agents should take them (priority, then waiting time)."""
    with open_session() as session:
        return [
            QueueEntry(
                position, handoff.conversation_id, handoff.reason, handoff.priority, handoff.channel,
                handoff.requested_at, waiting_minutes(handoff, now),
            )
            for position, handoff in enumerate(handoff_queue(session), start=1)
        ]


def team_is_at_work(now: datetime) -> bool:
    """Whether the policy's handoff hours are open, so a person can answer soon."""
    return current_policy().handoff.hours.is_open(now)


def team_contact() -> Dict[str, str]:
    """Other ways to reach the team (the placeholders of the responses that name them)."""
    handoff = current_policy().handoff
    return {"email": handoff.contact.email, "phone": handoff.contact.phone, "hours": handoff.hours.describe()}
