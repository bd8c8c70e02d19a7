"""A message with no letters or digits the assistant reads is not understood, rather than guessed at."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.components.unreadable_message import UnreadableMessageClassifier


def classify(text: str) -> str:
    classifier = UnreadableMessageClassifier(UnreadableMessageClassifier.get_default_config())
    message = Message({"text": text, "intent": {"name": "greet", "confidence": 0.6}})
    [processed] = classifier.process([message])
    return processed.get("intent")["name"]


@pytest.mark.parametrize("text", ["", "   \n", "😡😡😡", "أين طلبي؟", "אני רוצה החזר", "?!", "!!!"])
def test_messages_without_latin_letters_are_not_understood(text: str) -> None:
    assert classify(text) == "nlu_fallback"


@pytest.mark.parametrize("text", ["hi", "where is order 104512?", "ok 👍", "Café", "104512"])
def test_messages_with_words_keep_their_intent(text: str) -> None:
    assert classify(text) == "greet"
