"""Identifiers customers type are never stored in clear, whatever format they type them in.

Each case is a message a customer could send. It is saved through `CandorTrackerStore` into a
SQLite database of the test's own, and then the raw `events` rows are read with SQL: the claim is
about what is stored, not about what the store's API returns. An identifier counts as leaked if
its characters appear in any stored string once spaces, hyphens, dots, slashes and brackets are
taken out, so "12-34-56" stored as "12 34 56" (or inside "123456") is still a leak.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any, Iterator, List

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from bot.privacy.redaction import Redactor, default_redactor
from bot.tracker_store import CandorTrackerStore

DOMAIN = Domain.from_dict({"version": "3.1", "intents": ["inform"]})
SEPARATORS = re.compile(r"[\s\-./()\[\]+]")

# (what the customer typed, the identifier's characters that must not be stored)
DRAMA_RANGE_PHONE_NUMBERS = [
    ("call me on 07700 900123", "7700900123"),
    ("my mobile is 07700900123", "7700900123"),
    ("ring +44 7700 900123 after six", "7700900123"),
    ("you can reach me at (07700) 900 123", "7700900123"),
    ("my landline is 01632 960123", "1632960123"),
]
PHONE_NUMBERS_AS_TYPED = [
    ("call me on 087 123 4567", "0871234567"),
    ("my mobile is 06 12 34 56 78", "0612345678"),
    ("ring 0412 345 678 after six", "0412345678"),
    ("it's 098765 43210", "09876543210"),
    ("reach me at (415) 555-0123 x204", "4155550123"),
    ("whatsapp +234 803 123 4567", "8031234567"),
    ("my number is 98765 43210", "9876543210"),
    ("call 030/12345678", "03012345678"),
    ("tel 0044 7911 123456", "7911123456"),
    ("text me: +44 7911 1234567", "79111234567"),
]
SORT_CODES = [
    ("my sort code is 12-34-56", "123456"),
    ("sort code 12 34 56", "123456"),
    ("the sort code is 123456", "123456"),
    ("sortcode: 20-45-67", "204567"),
]
BANK_ACCOUNT_NUMBERS = [
    ("account number 12345678", "12345678"),
    ("acc no 87654321", "87654321"),
    ("please refund to 20-45-67 31926819", "31926819"),
    ("my bank details are sort code 40 47 84, account 70872490", "70872490"),
]
DATES_OF_BIRTH = [
    ("my date of birth is 04/07/1985", "1985"),
    ("DOB 4 July 1985", "1985"),
    ("I was born 1985-07-04", "1985"),
    ("my dob is july 4th, 1985", "1985"),
]
NATIONAL_INSURANCE_NUMBERS = [
    ("my NI number is QQ 12 34 56 C", "QQ123456C"),
    ("QQ123456C", "QQ123456C"),
    ("national insurance AB123456C", "AB123456C"),
    ("it's DQ 65 43 21 A", "DQ654321A"),
]


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return default_redactor()


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'conversations.db'}"


def store_message(url: str, redactor: Redactor, message: str) -> List[str]:
    """Save a conversation in which the customer typed `message`; every string in its stored rows."""
    tracker = DialogueStateTracker.from_events(
        "customer",
        [
            ActionExecuted("action_listen"),
            UserUttered(message, intent={"name": "inform", "confidence": 0.9}, entities=[]),
        ],
    )
    store = CandorTrackerStore(domain=DOMAIN, host=url, redactor=redactor)
    asyncio.run(store.save(tracker))
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT data FROM events WHERE sender_id = 'customer'")).scalars().all()
    finally:
        engine.dispose()
    assert rows, "the conversation was not stored at all"
    return [string for row in rows for string in strings_in(json.loads(row))]


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def assert_not_stored(stored: List[str], identifier: str) -> None:
    compact = [SEPARATORS.sub("", string).lower() for string in stored]
    leaked = [string for string, squeezed in zip(stored, compact) if identifier.lower() in squeezed]
    assert not leaked, f"{identifier} stored in clear: {leaked}"


@pytest.mark.parametrize("message, identifier", DRAMA_RANGE_PHONE_NUMBERS)
def test_a_drama_range_phone_number_is_never_stored(database: str, redactor: Redactor, message: str, identifier: str) -> None:
    assert_not_stored(store_message(database, redactor, message), identifier)


@pytest.mark.parametrize("message, identifier", PHONE_NUMBERS_AS_TYPED)
def test_a_phone_number_in_the_format_of_any_country_is_never_stored(
    database: str, redactor: Redactor, message: str, identifier: str
) -> None:
    assert_not_stored(store_message(database, redactor, message), identifier)


@pytest.mark.parametrize("message, identifier", SORT_CODES)
def test_a_sort_code_is_never_stored(database: str, redactor: Redactor, message: str, identifier: str) -> None:
    assert_not_stored(store_message(database, redactor, message), identifier)


@pytest.mark.parametrize("message, identifier", BANK_ACCOUNT_NUMBERS)
def test_a_bank_account_number_is_never_stored(database: str, redactor: Redactor, message: str, identifier: str) -> None:
    assert_not_stored(store_message(database, redactor, message), identifier)


@pytest.mark.parametrize("message, identifier", DATES_OF_BIRTH)
def test_a_date_of_birth_is_never_stored(database: str, redactor: Redactor, message: str, identifier: str) -> None:
    assert_not_stored(store_message(database, redactor, message), identifier)


@pytest.mark.parametrize("message, identifier", NATIONAL_INSURANCE_NUMBERS)
def test_a_national_insurance_number_with_any_prefix_is_never_stored(
    database: str, redactor: Redactor, message: str, identifier: str
) -> None:
    assert_not_stored(store_message(database, redactor, message), identifier)


@pytest.mark.parametrize(
    "message",
    ["cancel order 113542617735902", "order 3707955617 never came", "where is purchase 00123456789", "call me about order 104502"],
)
def test_other_shops_long_order_numbers_are_stored_as_typed(database: str, redactor: Redactor, message: str) -> None:
    assert message in store_message(database, redactor, message)


def test_order_numbers_prices_and_delivery_dates_are_stored_as_typed(database: str, redactor: Redactor) -> None:
    message = "order 104502 cost £54.90 for 3 lamps, it should arrive on 12/12/2026 or was it delivered 3 March?"

    stored = store_message(database, redactor, message)

    assert message in stored
