"""Bad input never crashes the server: the customer gets a polite answer, a client a 4xx with a reason."""

from __future__ import annotations

import uuid

import pytest
import requests

from bot.policy import current_policy
from tests.running import Candor, Chat

DISCLOSURE = current_policy().notices.ai_disclosure.text

AWKWARD_MESSAGES = {
    "empty": "",
    "whitespace only": " \t\n  ",
    "20,000 characters": ("my parcel is late and " * 1000)[:20_000],
    "emoji only": "😡😡😡🙏",
    "right-to-left": "أين طلبي؟ אני רוצה החזר",
    "control characters": "hello\x00\x07\x1b[31m",
}


@pytest.mark.parametrize("message", AWKWARD_MESSAGES.values(), ids=AWKWARD_MESSAGES.keys())
def test_awkward_messages_get_a_polite_reply(chat: Chat, message: str) -> None:
    chat.say("hello")
    replies = chat.say(message)

    assert replies, "the customer is never left without an answer"
    assert all(reply.get("text") for reply in replies)


@pytest.mark.parametrize("message", ["", " \t\n  ", "😡😡😡🙏", "أين طلبي؟ אני רוצה החזר"])
def test_a_message_without_words_is_not_guessed_at(chat: Chat, message: str) -> None:
    chat.say("hello")

    assert "didn't understand" in chat.say_text(message)


@pytest.mark.parametrize("message", AWKWARD_MESSAGES.values(), ids=AWKWARD_MESSAGES.keys())
def test_an_awkward_first_message_still_gets_the_disclosure_first(chat: Chat, message: str) -> None:
    replies = chat.say(message)

    assert replies[0]["text"] == DISCLOSURE


BAD_BODIES = {
    "malformed JSON": (b'{"sender": "a", "message": ', "not valid JSON"),
    "a JSON list": (b'["hello"]', "JSON object"),
    "no sender": (b'{"message": "hello"}', '"sender" is required'),
    "empty sender": (b'{"sender": "  ", "message": "hello"}', '"sender" is required'),
    "no message": (b'{"sender": "a"}', '"message" is required'),
    "message not a string": (b'{"sender": "a", "message": 42}', '"message" is required'),
    "metadata not an object": (b'{"sender": "a", "message": "hi", "metadata": "plain"}', '"metadata"'),
    "too long": (('{"sender": "a", "message": "' + "x" * 20_001 + '"}').encode(), "longer than 20,000"),
}


@pytest.mark.parametrize("body, reason", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_malformed_requests_get_a_400_that_says_what_is_wrong(candor: Candor, body: bytes, reason: str) -> None:
    response = requests.post(
        f"{candor.url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )

    assert response.status_code == (413 if "longer than" in reason else 400)  # too large is its own status
    assert reason in response.json()["error"]


def test_the_server_keeps_answering_after_bad_input(candor: Candor) -> None:
    for body, _ in BAD_BODIES.values():
        requests.post(f"{candor.url}/webhooks/rest/webhook", data=body, timeout=30)

    response = candor.rest(f"after-bad-input-{uuid.uuid4().hex[:8]}", "hello")
    assert response.status_code == 200
    assert response.json()[0]["text"] == DISCLOSURE


def test_a_malformed_socketio_event_does_not_stop_the_server(candor: Candor) -> None:
    import asyncio

    import socketio

    async def send_garbage() -> None:
        client = socketio.AsyncClient()
        await client.connect(candor.url, socketio_path="/socket.io", transports=["websocket"])
        await client.emit("user_uttered", "not an object")
        await client.emit("user_uttered", {"no_message": True})
        await asyncio.sleep(1)
        await client.disconnect()

    asyncio.run(send_garbage())

    response = candor.rest(f"after-socketio-garbage-{uuid.uuid4().hex[:8]}", "hello")
    assert response.status_code == 200
