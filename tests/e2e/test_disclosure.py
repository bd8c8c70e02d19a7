"""The assistant says it is an AI before anything else, in every channel, and never claims otherwise."""

from __future__ import annotations

import asyncio
import uuid

import socketio

from bot.policy import current_policy
from tests.running import Candor, Chat

DISCLOSURE = current_policy().notices.ai_disclosure


def test_the_first_rest_reply_of_a_conversation_is_the_ai_disclosure(chat: Chat) -> None:
    replies = chat.say("hello")

    assert replies[0]["text"] == DISCLOSURE.text
    assert "automated assistant" in replies[0]["text"]
    assert "not a person" in replies[0]["text"]


def test_the_disclosure_says_a_person_is_available_and_that_answers_can_be_explained(chat: Chat) -> None:
    text = chat.say("hi there")[0]["text"].lower()

    assert "person" in text and "any time" in text
    assert "why" in text and "explain" in text


def test_the_disclosure_version_shown_is_recorded_in_the_conversation(chat: Chat) -> None:
    chat.say("hello")

    tracker = chat.tracker()
    assert tracker["slots"]["ai_notice_version"] == DISCLOSURE.version
    disclosures = [e for e in tracker["events"] if e["event"] == "bot" and e["text"] == DISCLOSURE.text]
    assert len(disclosures) == 1
    assert disclosures[0]["metadata"]["notice_version"] == DISCLOSURE.version


def test_the_disclosure_comes_first_whatever_the_first_message_asks(chat: Chat) -> None:
    replies = chat.say("where is my order 104502")

    assert replies[0]["text"] == DISCLOSURE.text
    assert len(replies) > 1, "the question itself is still answered after the disclosure"


def test_the_disclosure_is_shown_once_per_session(chat: Chat) -> None:
    chat.say("hello")
    later = chat.say("what payment methods do you take?")

    assert all(reply.get("text") != DISCLOSURE.text for reply in later)


def test_a_restarted_conversation_starts_a_new_session_with_the_disclosure(chat: Chat) -> None:
    chat.say("hello")
    replies = chat.say("/restart")

    assert replies[0]["text"] == DISCLOSURE.text
    assert chat.tracker()["slots"]["ai_notice_version"] == DISCLOSURE.version


def test_socketio_customers_get_the_disclosure_first(candor: Candor) -> None:
    received = asyncio.run(_socketio_exchange(candor.url, "hello"))

    assert received[0]["text"] == DISCLOSURE.text


async def _socketio_exchange(url: str, message: str) -> list:
    client = socketio.AsyncClient()
    received: list = []
    done = asyncio.Event()

    @client.on("bot_uttered")
    async def on_bot_uttered(data: dict) -> None:
        received.append(data)
        if len(received) >= 2:
            done.set()

    session_id = uuid.uuid4().hex
    await client.connect(url, socketio_path="/socket.io", transports=["websocket", "polling"])
    await client.emit("session_request", {"session_id": session_id})
    await client.emit("user_uttered", {"message": message, "session_id": session_id})
    try:
        await asyncio.wait_for(done.wait(), timeout=60)
    finally:
        await client.disconnect()
    return received


def test_asked_if_it_is_a_person_it_says_truthfully_that_it_is_not(chat: Chat) -> None:
    chat.say("hello")
    answer = chat.say_text("am I talking to a real person?").lower()

    assert "not a person" in answer
    assert "automated assistant" in answer


def test_the_http_api_refuses_requests_without_the_token(candor: Candor) -> None:
    import requests

    assert requests.get(f"{candor.url}/status", timeout=10).status_code == 401
    assert requests.get(f"{candor.url}/status", params={"token": candor.token}, timeout=10).status_code == 200
