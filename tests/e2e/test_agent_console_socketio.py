"""A person's reply reaches a web chat (socket.io) at once, without the customer writing again."""

from __future__ import annotations

import uuid

from tests.running import Candor, socketio_chat
from tests.e2e.test_agent_console import console


def test_an_agents_reply_is_pushed_to_a_web_chat(candor: Candor) -> None:
    session_id = f"web-{uuid.uuid4().hex[:12]}"
    with socketio_chat(candor, session_id) as chat:
        chat.say("I want to talk to a person")
        texts = []
        while not any("queue" in text for text in texts):
            texts.append(chat.next_message().get("text", ""))

        conversation = candor.conversation_id("socketio", session_id)
        assert console(candor, "POST", f"/conversations/{conversation}/take").status_code == 200
        joined = chat.next_message(timeout=30)
        assert (joined["notice"], joined["agent"]) == ("agent_joined", "Sam")
        assert joined["text"].startswith("Sam, a person from our team, has joined the chat.")
        sent = console(candor, "POST", f"/conversations/{conversation}/reply", json={"text": "Hi, Sam here."})
        assert sent.json() == {"delivery": "pushed"}
        assert chat.next_message(timeout=30)["text"] == "Hi, Sam here."
