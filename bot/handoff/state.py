"""A conversation's handoff state, read from the handoffs table, and the slot that copies it.

The table keeps a row per request (waiting, cancelled, assigned, closed); a conversation only ever
has one open at a time, and that row alone says where the conversation stands.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import List, Optional

from sqlalchemy.orm import Session

from bot.handoff import slot
from bot.handoff.events import Event
from bot.store.database import open_session
from bot.store.handoffs import Handoff, HandoffStatus, open_handoff


class HandoffState(enum.Enum):
    """Where a conversation stands with the team."""

    NONE = "none"  # no person asked for, or the request has ended (withdrawn, handed back)
    WAITING = "waiting"  # in the queue
    WITH_PERSON = "with_person"  # an agent has taken it and answers the customer


def state_of(handoff: Optional[Handoff]) -> HandoffState:
    """The state a conversation is in when this is its open handoff (None: it has none)."""
    if handoff is None or handoff.status in (HandoffStatus.CANCELLED, HandoffStatus.CLOSED):
        return HandoffState.NONE
    return HandoffState.WITH_PERSON if handoff.status is HandoffStatus.ASSIGNED else HandoffState.WAITING


def state_in(session: Session, conversation_id: str) -> HandoffState:
    """The conversation's state, inside a unit of work the caller holds."""
    return state_of(open_handoff(session, conversation_id))


def current_state(conversation_id: str) -> HandoffState:
    """The conversation's state as the table says now."""
    with open_session() as session:
        return state_in(session, conversation_id)


def slot_events(state: HandoffState) -> List[Event]:
    """The slot's value for this state: a person is due while waiting and while with the customer."""
    return slot.slot_events(person_due=state is not HandoffState.NONE)


def waiting_minutes(handoff: Handoff, now: datetime) -> int:
    """Whole minutes since the customer asked for a person."""
    return int((now - handoff.requested_at).total_seconds() // 60)
