"""Existing web chat clients that speak Rasa's socket.io protocol keep working beside the widget."""

from __future__ import annotations

import uuid
from typing import List

from bot.policy import current_policy
from tests.running import Candor, socketio_chat


def test_a_socketio_client_gets_the_disclosure_and_answers(candor: Candor) -> None:
    with socketio_chat(candor, f"socketio-{uuid.uuid4().hex[:12]}") as chat:
        chat.say("are you a real person?")
        texts: List[str] = []
        while not any("not a person" in text for text in texts[1:]):
            texts.append(chat.next_message().get("text", ""))

        assert texts[0] == current_policy().notices.ai_disclosure.text.strip()

        chat.say("how long does delivery take?")
        answer = chat.next_message()
        assert "working days" in answer["text"]
        assert answer["quick_replies"][0]["title"] == "Check my order"
