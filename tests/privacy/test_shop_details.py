"""The shop's own contact details stay readable in what the assistant says; a customer's do not.

The agent console's transcript is the stored conversation, so "call <PHONE_NUMBER>" there, where
the assistant gave the shop's own number, told the agent nothing and the customer less.
"""

from __future__ import annotations

import asyncio
import json

from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policy import current_policy
from bot.privacy.live_values import LiveValues
from bot.privacy.redaction import Redactor
from bot.privacy.stored_text import StoredText, find_shop_details
from tests.privacy.test_tracker_store import new_store, stored_rows

SHOP_PHONE = current_policy().handoff.contact.phone


def stored_bot_texts(url: str, redactor: Redactor, live_values: LiveValues, *said: str) -> list:
    tracker = DialogueStateTracker.from_events("ada", [ActionExecuted("action_listen"), *(BotUttered(text) for text in said)])
    asyncio.run(new_store(url, redactor, live_values).save(tracker))
    return [json.loads(row["data"])["text"] for row in stored_rows(url, "ada") if row["type_name"] == "bot"]


def test_the_shop_s_phone_number_stays_readable_where_the_assistant_gives_it(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    said = f"You can email our team or call {SHOP_PHONE}. People answer Monday to Friday."

    assert stored_bot_texts(sqlite_url, redactor, live_values, said) == [said]


def test_a_helpline_s_email_from_the_policy_stays_readable(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    resources = current_policy().distress.describe_crisis_resources()

    assert stored_bot_texts(sqlite_url, redactor, live_values, resources) == [resources]


def test_a_customer_s_number_beside_the_shop_s_is_still_replaced(sqlite_url: str, redactor: Redactor, live_values: LiveValues) -> None:
    said = f"We'll ring you on 07911 123456, or you can call us on {SHOP_PHONE}."

    assert stored_bot_texts(sqlite_url, redactor, live_values, said) == [f"We'll ring you on <PHONE_NUMBER>, or you can call us on {SHOP_PHONE}."]


def test_the_shop_s_number_typed_by_a_customer_is_redacted_like_any_number(
    sqlite_url: str, redactor: Redactor, live_values: LiveValues
) -> None:
    # Only the assistant's own messages are known to quote the policy; a customer's are not.
    tracker = DialogueStateTracker.from_events("ada", [ActionExecuted("action_listen"), UserUttered(f"I rang {SHOP_PHONE} twice")])
    asyncio.run(new_store(sqlite_url, redactor, live_values).save(tracker))

    assert SHOP_PHONE not in json.dumps(stored_rows(sqlite_url, "ada"))


def test_the_shop_s_details_are_what_the_recognizers_find_in_the_policy(redactor: Redactor) -> None:
    details = find_shop_details(redactor, current_policy())

    assert SHOP_PHONE in details
    assert "jo@samaritans.org" in details


def test_a_customer_s_number_that_only_contains_a_shop_detail_is_replaced(redactor: Redactor) -> None:
    stored = StoredText(redactor, shop_details=[SHOP_PHONE, "116 123"])

    assert stored.redact(f"call {SHOP_PHONE} any time", keep_shop_details=True) == f"call {SHOP_PHONE} any time"
    assert stored.redact("your number is 0207 116 1234", keep_shop_details=True) == "your number is <PHONE_NUMBER>"
    assert stored.redact(f"your number is {SHOP_PHONE}1", keep_shop_details=True) == "your number is <PHONE_NUMBER>"
