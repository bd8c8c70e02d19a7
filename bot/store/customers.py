"""Who a customer is (checked, never guessed) and the preferences they may change in chat."""

from __future__ import annotations

import enum
import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.privacy import CustomerConversation
from bot.store.shop_records import Customer, normalise_email


class NewsletterOutcome(str, enum.Enum):
    UNKNOWN_EMAIL = "unknown_email"
    UNCHANGED = "unchanged"
    SUBSCRIBED = "subscribed"
    UNSUBSCRIBED = "unsubscribed"


def customer_by_email(session: Session, email: str) -> Customer | None:
    """The customer with this email, however the customer typed its case and spacing."""
    query = select(Customer).where(Customer.email == normalise_email(email))
    return session.execute(query).scalar_one_or_none()


def set_newsletter(
    session: Session, email: str, subscribed: bool, now: datetime
) -> NewsletterOutcome:
    """Record the customer's newsletter choice and when it was made, as consent law expects."""
    customer = customer_by_email(session, email)
    if customer is None:
        return NewsletterOutcome.UNKNOWN_EMAIL
    if customer.newsletter_opt_in == subscribed:
        return NewsletterOutcome.UNCHANGED
    customer.newsletter_opt_in = subscribed
    customer.newsletter_changed_at = now
    session.flush()
    return NewsletterOutcome.SUBSCRIBED if subscribed else NewsletterOutcome.UNSUBSCRIBED


_CUSTOMER_NUMBER = re.compile(r"[Cc]\d{5}")


def normalise_postcode(postcode: str) -> str:
    """`ac1 4rt`, `AC14RT` and ` AC1 4RT ` are the same postcode."""
    return re.sub(r"\s+", "", postcode).upper()


def parse_customer_number(text: str) -> str | None:
    """`C10001` from `c10001` or ` C10001 `; None if it is not shaped like a customer number."""
    candidate = text.strip()
    return candidate.upper() if _CUSTOMER_NUMBER.fullmatch(candidate) else None


def customer_by_claim(session: Session, claim: str) -> Customer | None:
    """The customer with this customer number or email address; no proof asked (see `verify_identity`)."""
    number = parse_customer_number(claim)
    if number:
        return session.execute(select(Customer).where(Customer.customer_number == number)).scalar_one_or_none()
    return customer_by_email(session, claim)


def verify_identity(session: Session, claim: str, postcode: str) -> Customer | None:
    """The customer whose email or customer number *and* postcode match, else None.

    An unknown claim and a wrong postcode look the same, so the check cannot be used to find
    out who is a customer.
    """
    customer = customer_by_claim(session, claim)
    if customer is None or normalise_postcode(customer.postcode) != normalise_postcode(postcode):
        return None
    return customer


def link_conversation(session: Session, customer: Customer, conversation_id: str, now: datetime) -> None:
    """Remember that `customer` proved who they are in this conversation (for export and erasure)."""
    exists = session.execute(
        select(CustomerConversation.id).where(
            CustomerConversation.customer_id == customer.id,
            CustomerConversation.conversation_id == conversation_id,
        )
    ).first()
    if exists is None:
        session.add(CustomerConversation(customer_id=customer.id, conversation_id=conversation_id, identified_at=now))
        session.flush()
