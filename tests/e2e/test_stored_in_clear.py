"""End to end: what customers type is nowhere in clear: not in any table, SQLite or PostgreSQL, nor in a log.

Ten customers talk to a running Candor over REST, each typing ten kinds of personal data, each
kind in another of the ten formats people use, and answering the assistant's own questions (an
address change, signing in), one of them to a person from the team. Then every table of the
database the servers wrote is read whole, as are the servers' logs.

What counts as "in clear": a value's characters anywhere in a stored string, compared without
case and, for numbers and codes, without the spaces, dots, hyphens and brackets people put in
them ("07700 900461" stored as "07700900461" is still there). Strings that are keys or hashes
(64 hex characters, an id's hex) cannot hold a typed value and are left out, so a six-digit sort
code is not "found" by chance in a hash.

The shop's own records (customers, orders, products and their lines, refunds, invoices) hold
customers' details by design and are not part of the promise; every other table is, including
any table added later.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import requests
import yaml
from sqlalchemy import create_engine, inspect, text

from bot.policy import current_policy
from bot.settings import SEED_DIR
from tests.e2e.test_production_configuration import production_configuration
from tests.running import AGENT_TOKEN, Candor, Chat, OneCandorAtATime, embedded_configuration

SHOP_RECORDS = {"customers", "orders", "order_lines", "products", "refunds", "invoices"}
# Tables the promise names, which must exist and be read.
PROMISED_TABLES = {
    "events", "audit_records", "handoffs", "review_labels", "agent_actions", "consent_records", "erasure_receipts",
    "conversation_keys", "sign_in_failures", "distress_detections", "customer_conversations",
}

# Ten formats of each kind, one per customer.
NAMES = [
    "Lowenna Trevithick", "priya ramaswamy", "Oluwaseun Adebayo-Okafor", "Siobhán Ní Bhriain", "Zhang Xiuying",
    "Mr. Tomasz Wiśniewski", "JOSÉ GARCÍA LÓPEZ", "Aroha Te Whare", "Kwame Mensah-Boateng", "Dr Ingrid Halvorsen",
]
NAME_INTRODUCTIONS = [
    "hi, I'm {}", "this is {} here", "name's {}", "it's for {}", "thanks, {}",
    "my name is {}", "Hello, {} speaking", "regards, {}", "the parcel is for {}", "{} - order question",
]
ADDRESSES = [
    "27 Wren Gardens, Pollworth", "Flat 6, 19 Mariner's Quay, Dunmere", "221B Old Cannery Road, Kestlebury",
    "Rose Cottage, 3 Bramble Lane, Little Hinton", "4512 Maple Ridge Drive, Springvale", "Apartment 3C, 88 Juniper Court, Fallowmere",
    "12/4 Anchor Wynd, Portsoy Bay", "7 Tamarind Close, Brackenfold", "flat 2 44 gorse hill road wexmoor", "Unit 5, 61 Quarry Street, Ellendale",
]
# The part of each address that says where someone lives.
ADDRESS_PROBES = [
    "Wren Gardens", "Mariner's Quay", "Old Cannery Road", "Bramble Lane", "Maple Ridge Drive",
    "Juniper Court", "Anchor Wynd", "Tamarind Close", "gorse hill road", "Quarry Street",
]
POSTCODES = ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB", "W1A 0AX", "ls6 3hb", "BT48 6DQ", "EH1 2NG"]
PHONES = [
    "07700 900461", "+44 (0)20 7946 0321", "020 7946 0744", "(415) 555-0172", "+1 604 555 0199 x204",
    "098765 43211", "+91 98765 43212", "06 12 34 56 79", "0412 345 679", "+234 803 123 4568",
]
EMAILS = [
    "lowenna.trevithick@example.net", "p.ramaswamy+orders@example.com", "SEUN_ADEBAYO@EXAMPLE.ORG", "siobhan.nibhriain@mail.example.com",
    "zhang.xiuying88@example.com", "tomasz-w@example.net", "jose.garcia.lopez@example.org", "aroha.tewhare@example.com",
    "kwame.mb@example.com", "ingrid.halvorsen@example.org",
]
CARDS = [
    "4111 1111 1111 1111", "4012888888881881", "5555-5555-5555-4444", "5105 1051 0510 5100", "3782 822463 10005",
    "3714 496353 98431", "6011 1111 1111 1117", "3530 1113 3330 0000", "2221 0000 0000 0009", "6759 6498 2643 8453",
]
DATES_OF_BIRTH = [
    "04/07/1985", "4 July 1985", "1985-07-04", "july 4th, 1979", "12.03.1979",
    "23 Nov 1990", "2 February 1962", "30/09/2001", "1 Jan 1970", "15-08-1994",
]
DATE_OF_BIRTH_PHRASES = [
    "my date of birth is {}", "DOB {}", "I was born {}", "my dob is {}", "date of birth: {}",
    "born on {}", "my birthday is {}", "d.o.b {}", "date of birth {}", "I was born on {}",
]
SORT_CODES = ["20-45-67", "40 47 84", "309634", "71-22-39", "60-16-13", "83 91 27", "070116", "56-08-36", "93 41 58", "77-91-04"]
ACCOUNTS = ["31926819", "70872490", "55779913", "48213957", "57319462", "24681357", "13572468", "99001126", "41926830", "60016132"]
NI_NUMBERS = ["QQ 12 34 56 C", "AB123456C", "ab 12 34 56 d", "CE 65 43 21 A", "JG103759A", "PL 11 22 33 B", "SN 99 88 77 C", "WZ123456D", "KM 24 68 13 A", "HT357913C"]

SEPARATORS = re.compile(r"[\s\-./()\[\]+]")
KEY_OR_HASH = re.compile(r"^[\w-]*?[0-9a-f]{24,}$")


def compact(value: str) -> str:
    return SEPARATORS.sub("", value).lower()


def typed_values() -> List[Tuple[str, str, bool]]:
    """(kind, what must not be stored, whether to compare without separators) for everything typed."""
    values: List[Tuple[str, str, bool]] = []
    for name in NAMES:
        values.append(("name", re.sub(r"^(Mr\.|Dr) ", "", name), False))
        values.append(("surname", name.split()[-1], False))
    values += [("address", probe, False) for probe in ADDRESS_PROBES]
    values += [("postcode", postcode, True) for postcode in POSTCODES]
    values += [("phone", re.sub(r"\D", "", phone.split("x")[0])[-9:], True) for phone in PHONES]
    values += [("email", email.split("@")[0], False) for email in EMAILS]
    values += [("card", card, True) for card in CARDS]
    values += [("date of birth", date, False) for date in DATES_OF_BIRTH]
    values += [("sort code", code, True) for code in SORT_CODES]
    values += [("account number", account, True) for account in ACCOUNTS]
    values += [("national insurance number", number, True) for number in NI_NUMBERS]
    return values


def seeded_customers() -> List[Dict[str, Any]]:
    return yaml.safe_load((Path(SEED_DIR) / "customers.yml").read_text(encoding="utf-8"))["customers"]


def console(candor: Candor, method: str, path: str, **kwargs: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {AGENT_TOKEN}", "X-Candor-Agent": "Sam"}
    return requests.request(method, f"{candor.url}/webhooks/agent{path}", headers=headers, timeout=30, **kwargs)


def customer_talks(candor: Candor, index: int) -> Chat:
    """One customer: the assistant's own questions answered first (so no earlier message has
    started another form), then personal data in free text."""
    chat = Chat(candor, f"scan-{index}-{uuid.uuid4().hex[:8]}")
    chat.say("hello")
    if index % 2 == 0:
        change_the_delivery_address(chat, f"{ADDRESSES[index]}, {POSTCODES[index]}")
    else:
        sign_in(chat, seeded_customers()[index])
    chat.say(f"{NAME_INTRODUCTIONS[index].format(NAMES[index])}, you can call me on {PHONES[index]} or email {EMAILS[index]}")
    chat.say(f"I've moved, it's {ADDRESSES[index]}, {POSTCODES[index]} now")
    chat.say(f"I paid with {CARDS[index]} but please refund it to sort code {SORT_CODES[index]}, account {ACCOUNTS[index]}")
    chat.say(DATE_OF_BIRTH_PHRASES[index].format(DATES_OF_BIRTH[index]))
    chat.say(f"my national insurance number is {NI_NUMBERS[index]}")
    return chat


def change_the_delivery_address(chat: Chat, typed_address: str) -> None:
    """The address change asks for the order's email, the new address and the account's postcode."""
    chat.say("I need to change the delivery address for order 104513")
    assert "address" in chat.say_text("eilidh.macrae@example.org").lower()
    assert "postcode" in chat.say_text(typed_address).lower()
    chat.say("hv1 6js")
    chat.say("no")  # the demo order stays as it was for the next customer


def sign_in(chat: Chat, customer: Dict[str, Any]) -> None:
    """Signing in asks for the account's email or customer number, then its postcode."""
    assert "email" in chat.say_text("what do you know about me").lower()
    chat.say(customer["email"].upper())
    chat.say(customer["postcode"].lower())


def talk_to_a_person(candor: Candor, chat: Chat) -> None:
    chat.say("I want to talk to a person")
    console(candor, "GET", f"/conversations/{chat.conversation_id}")
    assert console(candor, "POST", f"/conversations/{chat.conversation_id}/take").status_code == 200
    said = f"Thanks {NAMES[0].split()[0]}, I'll ring you on {PHONES[0]} about {POSTCODES[0]}."
    assert console(candor, "POST", f"/conversations/{chat.conversation_id}/reply", json={"text": said}).status_code == 200
    chat.say("thanks")
    assert console(candor, "POST", f"/conversations/{chat.conversation_id}/hand-back").status_code == 200
    chat.say("ok")


def stored_strings(database_url: str) -> Iterator[Tuple[str, str]]:
    """(table, string) for every string in every table but the shop's own records, JSON opened up."""
    engine = create_engine(database_url, future=True)
    try:
        tables = set(inspect(engine).get_table_names())
        assert PROMISED_TABLES <= tables, f"missing tables: {sorted(PROMISED_TABLES - tables)}"
        with engine.connect() as connection:
            for table in sorted(tables - SHOP_RECORDS):
                for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                    for value in row:
                        for string in strings_in(value):
                            yield table, string
    finally:
        engine.dispose()


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        if value[:1] in "[{":
            try:
                yield from strings_in(json.loads(value))
                return
            except ValueError:
                pass
        if not KEY_OR_HASH.match(value):
            yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def leaks(strings: List[Tuple[str, str]], values: List[Tuple[str, str, bool]]) -> List[str]:
    plain = [(table, string.lower()) for table, string in strings]
    squeezed = [(table, compact(string)) for table, string in strings]
    found = []
    for kind, value, separators_do_not_count in values:
        haystack = squeezed if separators_do_not_count else plain
        needle = compact(value) if separators_do_not_count else value.lower()
        tables = sorted({table for table, string in haystack if needle in string})
        if tables:
            found.append(f"{kind} {value!r} in {', '.join(tables)}")
    return found


def log_leaks(log_dir: Path, values: List[Tuple[str, str, bool]]) -> List[str]:
    """Typed values in the servers' logs, as typed or with the separators taken out of each word."""
    logs = {path.name: path.read_text(encoding="utf-8", errors="replace").lower() for path in log_dir.glob("*.log")}
    assert {"rasa.log", "actions.log"} <= set(logs)
    found = []
    for name, log in logs.items():
        words = {compact(word) for word in log.split()}
        for kind, value, separators_do_not_count in values:
            if value.lower() in log or (separators_do_not_count and compact(value) in words):
                found.append(f"{kind} {value!r} in {name}")
    return found


@pytest.fixture(scope="module", params=["embedded", "production"])
def any_candor(request: pytest.FixtureRequest, running: OneCandorAtATime) -> Candor:
    """SQLite (what `make run` uses), then PostgreSQL with Redis (the production configuration)."""
    if request.param == "embedded":
        return running.get("embedded", embedded_configuration(running.folder))
    return running.get("production", production_configuration)


@pytest.fixture(scope="module")
def conversations(any_candor: Candor) -> List[Chat]:
    chats = [customer_talks(any_candor, index) for index in range(10)]
    talk_to_a_person(any_candor, chats[0])
    return chats


def test_nothing_a_customer_typed_is_stored_in_clear_in_any_table(any_candor: Candor, conversations: List[Chat]) -> None:
    stored = list(stored_strings(any_candor.database_url))
    typed = typed_values() + [
        ("seeded email typed", "eilidh.macrae", False),
        ("seeded postcode typed", "HV1 6JS", True),
        *[("seeded email typed", c["email"].split("@")[0], False) for c in seeded_customers()[1:10:2]],
        *[("seeded postcode typed", c["postcode"], True) for c in seeded_customers()[1:10:2]],
    ]

    assert leaks(stored, typed) == []
    assert any("104513" in string for _, string in stored), "order numbers stay readable"


def test_nothing_a_customer_typed_reaches_the_logs(any_candor: Candor, conversations: List[Chat]) -> None:
    assert log_leaks(any_candor.log_dir, typed_values()) == []


def test_what_the_assistant_read_back_from_the_shop_s_records_is_not_stored_in_clear(
    any_candor: Candor, conversations: List[Chat]
) -> None:
    # Signed-in customers are shown their details; the address change shows the order's old address.
    shown = seeded_customers()[1:10:2] + [c for c in seeded_customers() if c["email"] == "eilidh.macrae@example.org"]
    values = [("name", c["name"], False) for c in shown] + [("address", c["default_address"].split(",")[-2].strip(), False) for c in shown]

    assert leaks(list(stored_strings(any_candor.database_url)), values) == []


def test_the_shop_s_own_number_is_readable_in_the_agent_console(any_candor: Candor) -> None:
    chat = Chat(any_candor, f"contact-{uuid.uuid4().hex[:8]}")
    phone = current_policy().handoff.contact.phone
    assert phone in chat.say_text("how do I contact you?")
    chat.say("I want to talk to a person")

    transcript = console(any_candor, "GET", f"/conversations/{chat.conversation_id}").json()["transcript"]

    assert phone in json.dumps(transcript) and "<PHONE_NUMBER>" not in json.dumps(transcript)
