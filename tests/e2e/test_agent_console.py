"""The human handoff end to end: request, queue, an agent's reply reaches the customer, hand back."""

from __future__ import annotations

from typing import Any, Dict, Optional

import pytest
import requests
from sqlalchemy import select

from bot.store.agent_console import AgentAction
from bot.store.database import open_session
from tests.running import AGENT_TOKEN, Candor, Chat


def console(
    candor: Candor, method: str, path: str, token: Optional[str] = AGENT_TOKEN, agent: str = "Sam",
    headers_extra: Optional[Dict[str, str]] = None, **kwargs: Any,
):
    headers = {"X-Candor-Agent": agent, **(headers_extra or {})}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return requests.request(method, f"{candor.url}/webhooks/agent{path}", headers=headers, timeout=30, **kwargs)


@pytest.mark.parametrize("token, status", [(None, 401), ("wrong", 403)])
def test_the_console_rejects_a_missing_or_wrong_token(candor: Candor, token, status) -> None:
    for method, path in (("GET", "/queue"), ("GET", "/conversations/x"), ("POST", "/conversations/x/take")):
        answer = console(candor, method, path, token=token)
        assert answer.status_code == status and answer.json()["error"]


def test_the_console_page_is_served(candor: Candor) -> None:
    page = requests.get(f"{candor.url}/webhooks/agent/", timeout=30)
    assert page.status_code == 200 and "<h1>Agent console</h1>" in page.text


def test_a_person_takes_over_replies_and_hands_back(candor: Candor, chat: Chat) -> None:
    chat.say("hello, my email is grace.whitlock@example.com")
    chat.say("I want to talk to a person")
    queue = console(candor, "GET", "/queue").json()
    mine = next(item for item in queue if item["conversation_id"] == chat.conversation_id)
    assert mine["reason"] == "customer_request"

    opened = console(candor, "GET", f"/conversations/{chat.conversation_id}").json()
    assert opened["summary"]["handoff"]["status"] == "waiting"
    assert any(line["from"] == "customer" for line in opened["transcript"])
    assert "grace.whitlock@example.com" not in str(opened["transcript"])  # stored redacted, shown redacted

    assert console(candor, "POST", f"/conversations/{chat.conversation_id}/reply", json={"text": "Hi"}).status_code == 409
    assert console(candor, "POST", f"/conversations/{chat.conversation_id}/take").status_code == 200
    assert chat.conversation_id not in [item["conversation_id"] for item in console(candor, "GET", "/queue").json()]

    sent = console(candor, "POST", f"/conversations/{chat.conversation_id}/reply", json={"text": "Hello, I'm Sam from the team."})
    assert sent.json() == {"delivery": "collected"}
    # A paused assistant never answers in place of the agent; the agent's reply arrives with the next response.
    replies = chat.say("thanks, it's about my order")
    joined, hello = [reply.get("text") for reply in replies]
    assert joined.startswith("Sam, a person from our team, has joined the chat.")
    assert hello == "Hello, I'm Sam from the team."

    assert console(candor, "POST", f"/conversations/{chat.conversation_id}/hand-back").status_code == 200
    back = chat.say_text("ok")
    assert "handed you back to me, the automated assistant" in back
    assert "where is my order" not in back.lower()
    resumed = chat.say_text("are you a real person?")
    assert "not a person" in resumed  # the assistant is answering again

    with open_session(candor.database_url) as session:
        actions = session.execute(
            select(AgentAction.agent, AgentAction.action).where(AgentAction.conversation_id == chat.conversation_id).order_by(AgentAction.id)
        ).all()
    assert [tuple(row) for row in actions] == [("Sam", "view"), ("Sam", "take"), ("Sam", "reply"), ("Sam", "hand_back")]


def test_replies_are_checked(candor: Candor) -> None:
    assert console(candor, "POST", "/conversations/x/reply", json={"text": ""}).status_code == 400
    assert console(candor, "POST", "/conversations/x/reply", data="not json").status_code == 415  # not declared JSON
    assert console(candor, "POST", "/conversations/x/reply", data="not json", headers_extra={"Content-Type": "application/json"}).status_code == 400
    assert console(candor, "GET", "/queue", agent="").status_code == 400
    assert console(candor, "GET", "/conversations/no-such-conversation").status_code == 404
