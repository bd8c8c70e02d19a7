"""Accessibility modes end to end: the wording changes at once and for good, the decisions never do."""

from __future__ import annotations

import uuid
from typing import List

from bot.policy import current_policy
from tests.running import Candor, Chat

ORDER_CHECK = ["hello", "where is my order", "104502", "ada.thornbury@example.com", "thanks"]


def actions(chat: Chat) -> List[str]:
    return [
        event["name"] for event in chat.tracker()["events"]
        if event["event"] == "action" and event["name"] not in ("action_listen", "utter_mode_plain")
    ]


def test_switching_to_plain_language_changes_every_later_answer_and_nothing_else(candor: Candor) -> None:
    standard, plain = Chat(candor, f"standard-{uuid.uuid4().hex[:8]}"), Chat(candor, f"plain-{uuid.uuid4().hex[:8]}")
    standard_replies = [standard.say_text(message) for message in ORDER_CHECK]
    plain_replies = [plain.say_text(ORDER_CHECK[0])]
    assert "simple words" in plain.say_text("use simpler words please")
    plain_replies += [plain.say_text(message) for message in ORDER_CHECK[1:]]

    assert plain_replies[0] == standard_replies[0]  # before the switch, the same words
    for before, after in zip(standard_replies[1:], plain_replies[1:]):
        assert after and after != before  # after it, every answer in plain words
    assert actions(plain) == actions(standard)  # and exactly the same decisions
    back = plain.say_text("normal mode")
    assert "usual" in back


def test_a_channel_can_ask_for_plain_language_from_the_first_message(candor: Candor) -> None:
    response = candor.rest(f"plain-{uuid.uuid4().hex[:8]}", "hello", metadata={"accessibility": {"mode": "plain"}})
    first = response.json()[0]["text"]
    assert first == current_policy().notices.ai_disclosure.plain_text


def test_screen_reader_mode_lists_choices_and_a_number_answers_them(candor: Candor, chat: Chat) -> None:
    chat.say("hello")
    replies = chat.post("why did you say that?", metadata={"accessibility": {"mode": "screen_reader"}}).json()
    text = "\n".join(reply.get("text", "") for reply in replies)
    assert 'Say 1 for "That\'s wrong", 2 for "Talk to a person".' in text

    reply = chat.say_text("2")

    assert "asked for a person" in reply
    assert chat.tracker()["slots"]["accessibility_mode"] == "screen_reader"  # it lasts for the conversation
