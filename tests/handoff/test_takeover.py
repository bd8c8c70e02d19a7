"""The agent's side: take, reply and hand back change the table first, then tell the customer."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, List, Optional, Tuple

import pytest

from bot.handoff import queue
from bot.handoff.state import HandoffState, current_state
from bot.handoff.takeover import HandoffConflict, Takeover
from bot.store.handoffs import HandoffStatus
from tests.handoff.conftest import agent_actions, slot_set, stored


@dataclass
class Conversation:
    """Stands in for the Rasa server's conversation: words every response, keeps what is appended."""

    worded: List[Tuple[str, Dict[str, Any]]] = field(default_factory=list)
    appended: List[List[Dict[str, Any]]] = field(default_factory=list)

    async def word(self, response: str, **values: Any) -> str:
        self.worded.append((response, values))
        return f"<{response}>"

    async def append(self, events: List[Dict[str, Any]]) -> None:
        self.appended.append(events)


@dataclass
class Outbox:
    delivered: List[Tuple[str, Dict[str, Any], Optional[str]]] = field(default_factory=list)

    async def deliver(self, conversation_id: str, message: Dict[str, Any], channel: Optional[str]) -> str:
        self.delivered.append((conversation_id, message, channel))
        return "collected"


@dataclass
class Desk:
    conversation: Conversation
    outbox: Outbox
    takeover: Takeover


@pytest.fixture
def desk() -> Desk:
    conversation, outbox = Conversation(), Outbox()
    return Desk(conversation, outbox, Takeover(lambda _id: conversation, outbox.deliver))


def bot_said(text: str, **metadata: Any) -> Dict[str, Any]:
    return {"event": "bot", "timestamp": None, "text": text, "data": None, "metadata": metadata}


def test_taking_a_waiting_conversation_tells_the_customer_a_person_joined(desk: Desk, now: datetime) -> None:
    queue.request("chat-1", "customer_request", now, channel="socketio")

    assert asyncio.run(desk.takeover.take("chat-1", "Sam")) is HandoffStatus.ASSIGNED

    assert stored("chat-1").status is HandoffStatus.ASSIGNED and current_state("chat-1") is HandoffState.WITH_PERSON
    assert desk.conversation.worded == [("utter_agent_joined", {"agent": "Sam"})]
    # No slot event: it already says a person is due, and taking does not change that.
    assert desk.conversation.appended == [[bot_said("<utter_agent_joined>", joined_by="Sam")]]
    assert desk.outbox.delivered == [("chat-1", {"text": "<utter_agent_joined>", "notice": "agent_joined", "agent": "Sam"}, "socketio")]
    assert agent_actions("chat-1") == [("Sam", "take")]


def test_only_a_waiting_conversation_can_be_taken(desk: Desk, now: datetime) -> None:
    queue.request("chat-1", "customer_request", now)
    asyncio.run(desk.takeover.take("chat-1", "Sam"))

    for conversation_id in ("chat-1", "chat-never-asked"):
        with pytest.raises(HandoffConflict, match="^that conversation is not waiting for a person$"):
            asyncio.run(desk.takeover.take(conversation_id, "Alex"))

    assert len(desk.conversation.appended) == len(desk.outbox.delivered) == 1
    assert agent_actions("chat-1") == [("Sam", "take")]


def test_an_agent_replies_only_in_a_conversation_they_have_taken(desk: Desk, now: datetime) -> None:
    queue.request("chat-1", "customer_request", now)

    with pytest.raises(HandoffConflict, match="^take the conversation before replying$"):
        asyncio.run(desk.takeover.reply("chat-1", "Sam", "Hello"))

    assert desk.conversation.appended == [] and desk.outbox.delivered == [] and agent_actions("chat-1") == []


def test_a_reply_is_kept_in_the_conversation_as_the_agents_and_reaches_the_customer(desk: Desk, now: datetime) -> None:
    queue.request("chat-1", "customer_request", now, channel="rest")
    asyncio.run(desk.takeover.take("chat-1", "Sam"))

    delivery = asyncio.run(desk.takeover.reply("chat-1", "Sam", "Hello, I'm Sam from the team."))

    assert delivery == "collected"
    assert desk.conversation.appended[-1] == [bot_said("Hello, I'm Sam from the team.", agent="Sam")]
    assert desk.outbox.delivered[-1] == ("chat-1", {"text": "Hello, I'm Sam from the team.", "agent": "Sam"}, "rest")
    assert agent_actions("chat-1") == [("Sam", "take"), ("Sam", "reply")]


def test_handing_back_closes_the_handoff_empties_the_slot_and_says_so(desk: Desk, now: datetime) -> None:
    queue.request("chat-1", "customer_request", now, channel="web")
    asyncio.run(desk.takeover.take("chat-1", "Sam"))

    assert asyncio.run(desk.takeover.hand_back("chat-1", "Sam")) is HandoffStatus.CLOSED

    assert stored("chat-1").status is HandoffStatus.CLOSED and current_state("chat-1") is HandoffState.NONE
    assert desk.conversation.worded[-1] == ("utter_handed_back", {})
    assert desk.conversation.appended[-1] == [slot_set(None), bot_said("<utter_handed_back>", handed_back_by="Sam")]
    assert desk.outbox.delivered[-1] == ("chat-1", {"text": "<utter_handed_back>", "notice": "agent_left", "agent": "Sam"}, "web")
    assert agent_actions("chat-1") == [("Sam", "take"), ("Sam", "hand_back")]


def test_a_conversation_still_in_the_queue_can_be_handed_back_too(desk: Desk, now: datetime) -> None:
    queue.request("chat-1", "customer_request", now)

    asyncio.run(desk.takeover.hand_back("chat-1", "Sam"))

    assert stored("chat-1").status is HandoffStatus.CLOSED and queue.waiting_list(now) == []


def test_nothing_is_handed_back_where_no_person_was_due(desk: Desk) -> None:
    with pytest.raises(HandoffConflict, match="^no person was due in that conversation$"):
        asyncio.run(desk.takeover.hand_back("chat-never-asked", "Sam"))

    assert desk.conversation.appended == [] and agent_actions("chat-never-asked") == []
