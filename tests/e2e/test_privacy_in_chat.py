"""Consent and data rights in chat, end to end: sign in, agree or refuse, withdraw, see, download, erase.

Every step is checked in the database too, because "done" is only true if the record changed.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import MetaData, select

from bot.policy import current_policy
from bot.privacy.consent import ConsentState, consent_state
from bot.privacy.history import ORDER_HISTORY
from bot.store.database import cached_engine, open_session
from tests.running import Candor, Chat


def sign_in(chat: Chat, customer_number: str, postcode: str) -> str:
    chat.say(f"I'm customer {customer_number}")
    return chat.say_text(postcode)


def state(candor: Candor, customer_id: int) -> ConsentState:
    with open_session(candor.database_url) as session:
        return consent_state(session, customer_id, ORDER_HISTORY, datetime.now(timezone.utc))


def test_a_customer_signs_in_agrees_picks_an_order_and_withdraws(candor: Candor, chat: Chat) -> None:
    assert "signed in to this chat as customer C10008" in sign_in(chat, "C10008", "fb1 3qt")

    question = chat.say("where is my order")
    assert question[-1]["text"] == current_policy().privacy.consent.request_text(ORDER_HISTORY)

    choice = chat.say("yes")
    assert "I'll use your past orders" in choice[0]["text"]
    payloads = [button["payload"] for button in choice[-1]["buttons"]]
    assert payloads == ['/inform{"order_id": "104520"}', '/inform{"order_id": "104519"}']
    assert state(candor, 8) is ConsentState.GRANTED

    answer = chat.say_text(payloads[0])
    assert "104520" in answer

    withdrawn = chat.say_text("stop using my history")
    assert "won't use your past orders" in withdrawn
    assert state(candor, 8) is ConsentState.WITHDRAWN

    asked_again = chat.say_text("where is my order")
    assert "What's the order number?" in asked_again  # no history, and no nagging for consent


def test_a_customer_who_says_no_is_simply_asked_for_the_order_number(candor: Candor, chat: Chat) -> None:
    sign_in(chat, "C10006", "WX5 2HA")
    chat.say("I want to track my order")
    refused = chat.say_text("no")

    assert "I won't use your history" in refused and "What's the order number?" in refused
    assert state(candor, 6) is ConsentState.REFUSED


def test_what_do_you_know_about_me_then_send_me_my_data(chat: Chat) -> None:
    assert "email address on your account, or your customer number" in chat.say_text("what do you know about me")
    chat.say("dev.raman@example.com")
    summary = chat.say_text("KX3 9PB")
    assert "customer C10004" in summary and "orders" in summary

    # Signed in a request ago: whoever holds the chat now must give the postcode again.
    assert "postcode on your account" in chat.say_text("send me my data")
    assert "match" in chat.say_text("LX2 5YU")  # someone else's postcode sends nothing
    export = chat.say("KX3 9PB")
    attachment = next(reply["custom"] for reply in export if "custom" in reply)
    assert attachment["type"] == "data_export"
    assert attachment["data"]["profile"]["customer_number"] == "C10004"
    assert chat.tracker()["sender_id"] in attachment["data"]["conversations"]


def test_delete_my_data_asks_first_then_leaves_nothing_behind(candor: Candor, chat: Chat) -> None:
    chat.say("delete my data")
    chat.say("C10009")
    confirmation = chat.say("LX2 5YU")  # signed in within this request: not asked for the postcode twice
    assert "can't be undone" in confirmation[-1]["text"]

    done = chat.say_text("yes")
    assert "Your erasure reference is ER-" in done

    identifiers = ["Isla Penrose", "Penrose", "isla.penrose@example.com", "C10009", "LX2 5YU"]
    engine = cached_engine(candor.database_url)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        stored = "\n".join(repr(tuple(row)) for table in metadata.sorted_tables for row in connection.execute(select(table))).lower()
    assert [found for found in identifiers if found.lower() in stored] == []
    assert chat.conversation_id not in stored  # the conversation itself is gone

    fresh = chat.say_text("hello")
    assert "automated assistant" in fresh  # a new conversation, disclosed afresh


def test_the_server_runs_the_retention_purge_on_its_schedule(candor: Candor) -> None:
    import requests

    status = requests.get(f"{candor.url}/webhooks/retention/", timeout=30).json()

    assert status["running"] is True
    assert status["every_hours"] == current_policy().privacy.retention.purge_every_hours
    assert status["last_run"] is not None and status["last_error"] is None
