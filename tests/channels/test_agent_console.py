"""The agent console translates HTTP to the handoff service and back, in this process, with no Rasa server."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timezone
from typing import Any, Dict, List, Tuple

import pytest
from rasa.core.channels.channel import register
from sanic import Sanic
from sqlalchemy import select

from bot.channels.agent_console import AgentConsoleChannel
from bot.channels.outbox import OUTBOX
from bot.handoff import queue
from bot.store.agent_console import AgentAction
from bot.store.database import open_session
from tests.channels.conftest import InProcessClient, Reply
from tests.handoff.rasa_stand_in import RasaAgent

TOKEN = "agent-token-for-tests"
SAM = {"Authorization": f"Bearer {TOKEN}", "X-Candor-Agent": "Sam"}


@pytest.fixture(autouse=True)
def agent_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDOR_AGENT_TOKEN", TOKEN)


def console_session(calls: List[Tuple[str, str, Dict[str, Any]]]) -> Tuple[List[Reply], RasaAgent]:
    """Send (method, path under /webhooks/agent, JSON body) in turn as Sam; the replies, and Rasa's stand-in."""
    app = Sanic(f"candor_agent_console_test_{uuid.uuid4().hex}")
    rasa_agent = RasaAgent()
    app.ctx.agent = rasa_agent
    register([AgentConsoleChannel()], app, route="/webhooks/")

    async def main() -> List[Reply]:
        client = InProcessClient(app)
        await client.start()
        try:
            replies = []
            for method, path, body in calls:
                url = f"/webhooks/agent{path}"
                if method == "POST":
                    replies.append(await client.post_json(url, body, SAM))
                else:
                    replies.append(await client.request(method, url, headers=SAM))
            return replies
        finally:
            await client.stop()

    return asyncio.run(main()), rasa_agent


def agent_actions(conversation_id: str) -> List[str]:
    with open_session() as session:
        query = select(AgentAction.action).where(AgentAction.conversation_id == conversation_id).order_by(AgentAction.id)
        return list(session.execute(query).scalars())


def test_an_agent_takes_replies_and_hands_back_over_http() -> None:
    queue.request("chat-1", "complaint", datetime.now(timezone.utc), channel="rest")

    replies, rasa_agent = console_session([
        ("GET", "/queue", {}),
        ("POST", "/conversations/chat-1/reply", {"text": "Hi"}),
        ("POST", "/conversations/chat-1/take", {}),
        ("POST", "/conversations/chat-1/take", {}),
        ("POST", "/conversations/chat-1/reply", {"text": "  Hello, I'm Sam.  "}),
        ("POST", "/conversations/chat-1/hand-back", {}),
        ("POST", "/conversations/chat-1/hand-back", {}),
    ])
    listed, early_reply, take, second_take, reply, hand_back, second_hand_back = replies

    assert listed.status == 200
    assert listed.json() == [{"conversation_id": "chat-1", "reason": "complaint", "priority": 3, "channel": "rest", "waiting_minutes": 0}]
    assert (early_reply.status, early_reply.json()) == (409, {"error": "take the conversation before replying"})
    assert (take.status, take.json()) == (200, {"status": "assigned"})
    assert (second_take.status, second_take.json()) == (409, {"error": "that conversation is not waiting for a person"})
    assert (reply.status, reply.json()) == (200, {"delivery": "collected"})
    assert (hand_back.status, hand_back.json()) == (200, {"status": "closed"})
    assert (second_hand_back.status, second_hand_back.json()) == (409, {"error": "no person was due in that conversation"})

    assert [message["text"] for message in OUTBOX.collect("chat-1")] == [
        "utter_agent_joined for Sam", "Hello, I'm Sam.", "utter_handed_back for nobody",
    ]
    assert rasa_agent.processor.trackers["chat-1"].get_slot("handoff_status") is None
    assert agent_actions("chat-1") == ["take", "reply", "hand_back"]


def test_an_empty_reply_is_refused_before_the_handoff_is_looked_at() -> None:
    [reply], _ = console_session([("POST", "/conversations/chat-unknown/reply", {"text": "   "})])

    assert (reply.status, reply.json()) == (400, {"error": 'send {"text": "..."} with 1 to 4,000 characters'})
