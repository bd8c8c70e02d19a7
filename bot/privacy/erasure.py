"""The right to erasure: forget a customer, keeping only what the law requires and a receipt.

Conversations, consent records and review labels of the customer's messages are deleted. The
account and its orders stay as anonymous sales records (amounts, products, dates), because a
shop must keep those; everything that says who the customer was is overwritten. The receipt
proves the erasure without saying whose it was.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from sqlalchemy import delete
from sqlalchemy.engine import Engine

from bot.audit.pseudonyms import pseudonyms_of
from bot.privacy.conversations import delete_conversations, tracker_engine
from bot.privacy.subject_access import conversation_ids
from bot.store.consent import ConsentRecord
from bot.store.conversation_keys import forget_keys
from bot.store.database import open_session
from bot.store.distress import DistressDetection
from bot.store.handoffs import Handoff
from bot.store.privacy import CustomerConversation, ErasureReceipt
from bot.store.review import ReviewLabel
from bot.store.shop_records import Customer

ERASED = "(erased)"


@dataclass(frozen=True)
class Erasure:
    reference: str
    conversations: int
    consent_records: int
    orders_anonymised: int


def erase_customer(
    customer_id: int, now: datetime, *, shop: Optional[Engine] = None, tracker: Optional[Engine] = None
) -> Erasure:
    """Erase one customer everywhere Candor keeps data; safe to run again if interrupted."""
    with open_session(shop) as session:
        conversations = conversation_ids(session, customer_id)
    # Conversations first, in their own transaction: on SQLite the tracker store may share the
    # shop's file, and one transaction must not wait on the other.
    erased_conversations = delete_conversations(tracker or tracker_engine(), conversations)
    token = secrets.token_hex(6)
    with open_session(shop) as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise LookupError(f"no customer with id {customer_id}")
        consent_deleted = session.execute(delete(ConsentRecord).where(ConsentRecord.customer_id == customer_id)).rowcount
        session.execute(delete(CustomerConversation).where(CustomerConversation.customer_id == customer_id))
        if conversations:
            # The locks their session secrets opened: nothing of the conversations is left.
            forget_keys(session, conversations)
            session.execute(delete(Handoff).where(Handoff.conversation_id.in_(conversations)))
            # What the distress detector noticed (health, bereavement...) is the most sensitive of all.
            session.execute(delete(DistressDetection).where(DistressDetection.conversation_id.in_(conversations)))
            # Review labels outlive retention as training data, but not a customer's wish to be forgotten.
            labelled = list(pseudonyms_of(conversations))
            session.execute(delete(ReviewLabel).where(ReviewLabel.conversation_id.in_(labelled)))
        for order in customer.orders:
            order.shipping_address = ERASED
        customer.name = ERASED
        customer.email = f"erased-{token}@erased.invalid"
        customer.customer_number = f"X{token.upper()}"[:16]
        customer.postcode = ""
        customer.default_address = ERASED
        customer.newsletter_opt_in = False
        receipt = ErasureReceipt(
            reference=f"ER-{token.upper()}",
            erased_at=now,
            conversations_erased=erased_conversations,
            consent_records_erased=consent_deleted or 0,
            orders_anonymised=len(customer.orders),
        )
        session.add(receipt)
        session.flush()
        return Erasure(receipt.reference, receipt.conversations_erased, receipt.consent_records_erased, receipt.orders_anonymised)


def is_erased(customer: Customer) -> bool:
    return customer.default_address == ERASED
