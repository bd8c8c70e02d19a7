"""End to end: a running Candor keeps conversations redacted, and still uses the real values live.

The customer talks over the REST channel; the database the server writes is then read directly.
"""

from __future__ import annotations

from typing import List

from sqlalchemy import create_engine, text

from tests.running import Candor, Chat

EMAIL = "eilidh.macrae@example.org"
ADDRESS = "14 Harbour Row, Fernbay FB2 7QD"


def stored_events(candor: Candor, sender: str) -> List[str]:
    engine = create_engine(candor.database_url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})
            return [row[0] for row in rows]
    finally:
        engine.dispose()


def test_an_email_and_a_street_address_are_used_live_but_stored_redacted(candor: Candor, chat: Chat) -> None:
    chat.say("I need to change the delivery address for order 104513")
    chat.say(EMAIL)
    chat.say(ADDRESS)
    confirmation = chat.say_text("HV1 6JS")  # the account's postcode, asked again before the change
    chat.say("no")  # leave the shared demo order as it was

    stored = "\n".join(stored_events(candor, chat.conversation_id))
    assert "14 Harbour Row" in confirmation, "the next turn still used the real address"
    assert EMAIL not in stored and "Harbour Row" not in stored and "FB2 7QD" not in stored and "HV1 6JS" not in stored
    assert "<EMAIL_ADDRESS>" in stored and "<STREET_ADDRESS>" in stored
    assert "104513" in stored, "order numbers are kept for explanations"


def test_the_conversation_history_the_api_returns_is_redacted(chat: Chat) -> None:
    chat.say("where is my order 104502")
    chat.say("ada.thornbury@example.com")

    said = [event["text"] for event in chat.tracker()["events"] if event["event"] == "user"]

    assert said[-1] == "<EMAIL_ADDRESS>"
    assert said[0] == "where is my order 104502"
