"""A person's reply reaches a web chat (socket.io) at once, without the customer writing again."""

from __future__ import annotations

import queue
import uuid

import socketio

from tests.e2e.conftest import Candor
from tests.e2e.test_agent_console import console


def test_an_agents_reply_is_pushed_to_a_web_chat(candor: Candor) -> None:
    session_id = f"web-{uuid.uuid4().hex[:12]}"
    heard: "queue.Queue[dict]" = queue.Queue()
    client = socketio.Client()
    client.on("bot_uttered", lambda message: heard.put(message))
    client.connect(candor.url, transports=["polling"], socketio_path="socket.io")
    try:
        client.emit("session_request", {"session_id": session_id})
        client.emit("user_uttered", {"message": "I want to talk to a person", "session_id": session_id})
        texts = []
        while not any("queue" in text for text in texts):
            texts.append(heard.get(timeout=60).get("text", ""))

        assert console(candor, "POST", f"/conversations/{session_id}/take").status_code == 200
        sent = console(candor, "POST", f"/conversations/{session_id}/reply", json={"text": "Hi, Sam here."})
        assert sent.json() == {"delivery": "pushed"}
        assert heard.get(timeout=30)["text"] == "Hi, Sam here."
    finally:
        client.disconnect()
