"""The agent's side of a handoff: take a waiting conversation, reply in it, hand it back.

Each step changes the table first (the truth), then the conversation: what the customer is told
goes into its tracker, in the words their accessibility mode calls for, and out to their channel.
The conversation and the delivery are passed in (`Conversation`, `Deliver`), so this runs, and is
tested, without a Rasa server; `bot.handoff.rasa_conversation` is the Rasa server's side of them.
Every step is recorded in `agent_actions`: who did what, and when.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, Dict, List, Optional, Protocol

from sqlalchemy.orm import Session

from bot.handoff.events import Event, bot_uttered
from bot.handoff.state import HandoffState, slot_events
from bot.store.agent_console import AgentAction
from bot.store.database import open_session
from bot.store.handoffs import Handoff, HandoffStatus, assign_handoff, close_handoff, open_handoff

AGENT_JOINED = "utter_agent_joined"
HANDED_BACK = "utter_handed_back"


class Conversation(Protocol):
    """One conversation as the takeover changes it."""

    async def word(self, response: str, **values: Any) -> str:
        """The domain response's text, in the words the customer's accessibility mode calls for."""

    async def append(self, events: List[Event]) -> None:
        """Add events (as the action server sends them) to the conversation, as one bot turn."""


# Sends a message to the customer's channel: (conversation id, message, channel) -> how it went.
Deliver = Callable[[str, Dict[str, Any], Optional[str]], Awaitable[str]]


class HandoffConflict(Exception):
    """The step does not fit the conversation's handoff state; the message says what would."""


def record_agent_action(agent: str, action: str, conversation_id: Optional[str], now: Optional[datetime] = None) -> None:
    """Keep who did what from the agent console, for accountability (view, take, reply, hand_back)."""
    with open_session() as session:
        session.add(AgentAction(agent=agent, action=action, conversation_id=conversation_id, at=now or _now()))


class Takeover:
    """Takes, replies in and hands back conversations, for the agents of one Rasa server."""

    def __init__(self, conversation: Callable[[str], Conversation], deliver: Deliver) -> None:
        self._conversation = conversation
        self._deliver = deliver

    async def take(self, conversation_id: str, agent: str) -> HandoffStatus:
        """Take the conversation out of the queue and tell the customer a person has joined."""
        channel = _moved(assign_handoff, conversation_id, "that conversation is not waiting for a person")
        # No slot event: the slot says a person is due, waiting or taken alike.
        await self._announce(conversation_id, channel, agent, AGENT_JOINED, "agent_joined", [], "joined_by", {"agent": agent})
        record_agent_action(agent, "take", conversation_id)
        return HandoffStatus.ASSIGNED

    async def reply(self, conversation_id: str, agent: str, text: str) -> str:
        """Say `text` to the customer as the agent; only once the agent has taken the conversation."""
        with open_session() as session:
            handoff = open_handoff(session, conversation_id)
            if handoff is None or handoff.status is not HandoffStatus.ASSIGNED:
                raise HandoffConflict("take the conversation before replying")
            channel = handoff.channel
        await self._conversation(conversation_id).append([bot_uttered(text, metadata={"agent": agent})])
        delivery = await self._deliver(conversation_id, {"text": text, "agent": agent}, channel)
        record_agent_action(agent, "reply", conversation_id)
        return delivery

    async def hand_back(self, conversation_id: str, agent: str) -> HandoffStatus:
        """Give the conversation back to the assistant, which tells the customer so."""
        channel = _moved(close_handoff, conversation_id, "no person was due in that conversation")
        await self._announce(conversation_id, channel, agent, HANDED_BACK, "agent_left", slot_events(HandoffState.NONE), "handed_back_by")
        record_agent_action(agent, "hand_back", conversation_id)
        return HandoffStatus.CLOSED

    async def _announce(
        self, conversation_id: str, channel: Optional[str], agent: str, response: str, notice: str,
        events: List[Event], done_by: str, values: Optional[Dict[str, Any]] = None,
    ) -> None:
        """Tell the customer, in their own wording, what the agent just did: in the transcript and live."""
        conversation = self._conversation(conversation_id)
        words = await conversation.word(response, **(values or {}))
        await conversation.append([*events, bot_uttered(words, metadata={done_by: agent})])
        await self._deliver(conversation_id, {"text": words, "notice": notice, "agent": agent}, channel)


def _moved(move: Callable[[Session, str, datetime], Optional[Handoff]], conversation_id: str, conflict: str) -> Optional[str]:
    """Move the conversation's handoff on (assign, close) and return its channel; a conflict if it cannot."""
    with open_session() as session:
        handoff = move(session, conversation_id, _now())
        channel = handoff.channel if handoff else None
    if handoff is None:
        raise HandoffConflict(conflict)
    return channel


def _now() -> datetime:
    return datetime.now(timezone.utc)
