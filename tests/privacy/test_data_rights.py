"""A customer's data rights: a summary, a full export, and an erasure that leaves nothing behind.

Erasure is checked the hard way: every column of every table in the database, the shop's and
the tracker store's, is searched for anything that identified the customer.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import MetaData, select

from bot.privacy.consent import Where, record_decision
from bot.privacy.conversations import conversation_events
from bot.privacy.erasure import erase_customer
from bot.privacy.history import ORDER_HISTORY
from bot.privacy.subject_access import export, summary
from bot.store.customers import link_conversation
from bot.store.database import cached_engine, open_session
from bot.audit.pseudonyms import conversation_pseudonym
from bot.store.distress import DistressDetection
from bot.store.privacy import ErasureReceipt
from bot.store.review import ReviewLabel
from bot.store.seed import init_database
from bot.store.shop_records import Customer

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
ADA = 1
# Everything that says who Ada is, as it appears in the seed data and her conversation.
ADA_IDENTIFIERS = ["Ada Thornbury", "Thornbury", "ada.thornbury@example.com", "C10001", "AC1 4RT", "Larkspur Lane"]


def store_conversation(url: str, conversation_id: str, text: str, claim: str) -> None:
    """A conversation as Rasa's SQL tracker store writes it (unredacted: the worst case)."""
    store = SQLTrackerStore(domain=Domain.empty(), host=url)
    tracker = DialogueStateTracker.from_events(
        conversation_id,
        [
            ActionExecuted("action_listen"),
            UserUttered(text, {"name": "identify", "confidence": 1.0}),
            SlotSet("identity_claim", claim),
            BotUttered(f"Thanks, you're signed in as {text}"),
        ],
    )
    asyncio.run(store.save(tracker))
    store.engine.dispose()


def ada_in_conversation(url: str) -> None:
    store_conversation(url, "chat-ada", "I'm Ada Thornbury, ada.thornbury@example.com, AC1 4RT", "C10001")
    store_conversation(url, "chat-someone-else", "where is order 104510", "C10002")
    with open_session(url) as session:
        link_conversation(session, session.get(Customer, ADA), "chat-ada", NOW)
        session.add(DistressDetection(conversation_id="chat-ada", category="bereavement", score=0.9, response="offered_person", detected_at=NOW))
        record_decision(session, ADA, ORDER_HISTORY, True, NOW, Where("rest", "chat-ada"))


def everything_stored(url: str) -> str:
    engine = cached_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return "\n".join(
            repr(tuple(row)) for table in metadata.sorted_tables for row in connection.execute(select(table))
        )


def test_the_summary_says_what_is_held_and_why(shop_database):
    ada_in_conversation(shop_database)
    with open_session() as session:
        text = summary(session, session.get(Customer, ADA), NOW + timedelta(minutes=1))

    assert "customer C10001" in text
    assert "5 orders" in text and "sales records" in text
    assert "You agreed on 27 November 2026" in text
    assert "1 conversation with me" in text and "30 days" in text
    assert "1 note that you seemed to be going through a hard time" in text
    assert "delete my data" in text


def test_the_export_holds_profile_orders_consent_and_conversations(shop_database):
    ada_in_conversation(shop_database)
    data = export(ADA, NOW)

    assert data["format"] == "candor.subject-access/1"
    assert data["profile"]["email"] == "ada.thornbury@example.com"
    assert {order["order_number"] for order in data["orders"]} >= {104501, 104502}
    assert all("lines" in order and "total" in order for order in data["orders"])
    assert [record["decision"] for record in data["consent_records"]] == ["granted"]
    assert len(data["consent_records"][0]["wording_sha256"]) == 64
    assert [d["category"] for d in data["distress_detections"]] == ["bereavement"]
    assert list(data["conversations"]) == ["chat-ada"]  # only the conversations she signed in to
    assert any(event["event"] == "user" for event in data["conversations"]["chat-ada"])


def erase_and_search(url: str) -> str:
    ada_in_conversation(url)
    assert "ada.thornbury@example.com" in everything_stored(url)
    erasure = erase_customer(ADA, NOW, shop=cached_engine(url), tracker=cached_engine(url))
    assert erasure.conversations == 1 and erasure.consent_records == 1 and erasure.orders_anonymised == 5
    return everything_stored(url)


def test_erasure_leaves_nothing_that_identifies_the_customer_on_sqlite(shop_database):
    stored = erase_and_search(shop_database)

    assert [found for found in ADA_IDENTIFIERS if found.lower() in stored.lower()] == []
    assert "where is order 104510" in stored  # other customers' conversations are untouched


def test_erasure_leaves_nothing_that_identifies_the_customer_on_postgresql(postgres_url):
    init_database(postgres_url)
    stored = erase_and_search(postgres_url)
    cached_engine(postgres_url).dispose()

    assert [found for found in ADA_IDENTIFIERS if found.lower() in stored.lower()] == []


def test_erasure_leaves_a_receipt_that_says_what_but_not_whose(shop_database):
    ada_in_conversation(shop_database)
    erasure = erase_customer(ADA, NOW)
    with open_session() as session:
        receipt = session.execute(select(ErasureReceipt)).scalar_one()
        orders = session.get(Customer, ADA).orders
        assert len(orders) == 5 and all(order.total_pence > 0 for order in orders)  # sales records stay

    assert receipt.reference == erasure.reference and receipt.reference.startswith("ER-")
    assert (receipt.conversations_erased, receipt.consent_records_erased, receipt.orders_anonymised) == (1, 1, 5)
    assert conversation_events(cached_engine(shop_database), ["chat-ada"]) == {"chat-ada": []}
    with open_session() as session:
        assert session.execute(select(DistressDetection)).first() is None  # sensitive, so erased too


def test_erasure_deletes_review_labels_of_the_customers_conversations_but_no_others(shop_database):
    ada_in_conversation(shop_database)
    with open_session() as session:
        for conversation_id, text in [("chat-ada", "I'm <PERSON>, <EMAIL_ADDRESS>"), ("chat-someone-else", "where is order 104510")]:
            session.add(ReviewLabel(
                conversation_id=conversation_pseudonym(conversation_id), message_id=f"m-{conversation_id}", intent="identify",
                text=text, labelled_by="sam", labelled_at=NOW,
            ))

    erase_customer(ADA, NOW)

    with open_session() as session:
        kept = session.execute(select(ReviewLabel.conversation_id)).scalars().all()
    assert kept == [conversation_pseudonym("chat-someone-else")]  # labels outlive retention, not a request to be forgotten


def test_an_erased_customer_cannot_sign_in_again(shop_database):
    from bot.store.customers import verify_identity

    erase_customer(ADA, NOW)
    with open_session() as session:
        assert verify_identity(session, "C10001", "AC1 4RT") is None
        assert verify_identity(session, "ada.thornbury@example.com", "AC1 4RT") is None


def test_exporting_an_unknown_customer_is_an_error_not_an_empty_file(shop_database):
    with pytest.raises(LookupError):
        export(9999, NOW)
