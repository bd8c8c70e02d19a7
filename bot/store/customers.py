"""Customer preferences the assistant may change on request, starting with the newsletter."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Customer, normalise_email


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
