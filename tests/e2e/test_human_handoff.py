"""A person on request, at the first ask, from anywhere: recorded, and the assistant steps back."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlalchemy import select

from bot.store.database import open_session
from bot.store.handoffs import Handoff, HandoffStatus
from tests.running import Candor, Chat


def handoffs_for(candor: Candor, conversation_id: str) -> list[Handoff]:
    with open_session(candor.database_url) as session:
        return list(session.execute(select(Handoff).where(Handoff.conversation_id == conversation_id)).scalars())


def test_asking_for_a_person_records_a_handoff_and_says_what_happens_next(candor: Candor, chat: Chat) -> None:
    chat.say("hello")
    answer = chat.say_text("I want to talk to a human").lower()

    assert "queue" in answer and "person" in answer
    [handoff] = handoffs_for(candor, chat.conversation_id)
    assert handoff.reason == "customer_request"
    assert handoff.status is HandoffStatus.WAITING
    assert handoff.channel == "rest"


def test_the_handoff_queue_shows_the_request(candor: Candor, chat: Chat) -> None:
    chat.say("agent please")

    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "handoffs", "list", "--json"],
        env={**os.environ, "CANDOR_DATABASE_URL": candor.database_url},
        capture_output=True,
        text=True,
        check=True,
    )
    queue = json.loads(result.stdout)
    assert chat.conversation_id in [row["conversation_id"] for row in queue]


def test_a_person_is_honoured_inside_a_form(candor: Candor, chat: Chat) -> None:
    chat.say("I want to cancel my order")
    answer = chat.say_text("actually just get me a real person").lower()

    assert "queue" in answer
    assert len(handoffs_for(candor, chat.conversation_id)) == 1
    assert chat.tracker()["active_loop"] in ({}, None) or not chat.tracker()["active_loop"].get("name")


def test_while_waiting_for_a_person_the_assistant_does_not_automate(chat: Chat) -> None:
    chat.say("can I speak to someone")
    answer = chat.say_text("where is my order 104502?").lower()

    assert "kept your message" in answer
    assert "email address" not in answer, "no form is started while the customer waits for a person"


def test_asking_again_while_waiting_gives_the_place_in_the_queue(candor: Candor, chat: Chat) -> None:
    chat.say("human please")
    answer = chat.say_text("hello? I asked for a human").lower()

    assert "queue" in answer
    assert len(handoffs_for(candor, chat.conversation_id)) == 1, "asking twice does not queue twice"


def test_the_customer_can_withdraw_the_request_and_carry_on(candor: Candor, chat: Chat) -> None:
    chat.say("let me talk to an operator")
    withdrawn = chat.say_text("never mind").lower()
    answer = chat.say_text("which payment methods do you accept?").lower()

    assert "out of the queue" in withdrawn
    assert handoffs_for(candor, chat.conversation_id)[0].status is HandoffStatus.CANCELLED
    assert "paypal" in answer


def test_two_misunderstandings_in_a_row_offer_a_person(candor: Candor, chat: Chat) -> None:
    chat.say("hello")
    first = chat.say_text("🤷")
    second = chat.say("???")
    accepted = chat.say_text("yes").lower()

    assert "didn't understand" in first
    assert any(button["payload"] == "/contact_human_agent" for reply in second for button in reply.get("buttons", []))
    assert "queue" in accepted
    assert handoffs_for(candor, chat.conversation_id)[0].reason == "repeated_misunderstanding"
