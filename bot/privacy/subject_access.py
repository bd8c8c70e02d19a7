"""A customer's right to see what is held about them: a summary in words and a JSON export.

This is the customer reading their *own* record, which needs no consent; using their history
to serve them is something else and goes through `bot.privacy.history`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.policy import Policy, current_policy
from bot.privacy.consent import ConsentState, consent_expires_at, consent_state, latest_decision
from bot.privacy.conversations import conversation_events, tracker_engine
from bot.store.consent import ConsentRecord
from bot.store.database import open_session
from bot.store.distress import DistressDetection
from bot.store.privacy import CustomerConversation
from bot.store.shop import format_money
from bot.store.shop_records import Customer, Order

EXPORT_FORMAT = "candor.subject-access/1"


def conversation_ids(session: Session, customer_id: int) -> List[str]:
    query = select(CustomerConversation.conversation_id).where(CustomerConversation.customer_id == customer_id)
    return sorted(session.execute(query).scalars())


def _distress_detections(session: Session, conversations: List[str]) -> List[DistressDetection]:
    if not conversations:
        return []
    query = select(DistressDetection).where(DistressDetection.conversation_id.in_(conversations)).order_by(DistressDetection.detected_at)
    return list(session.execute(query).scalars())


def consent_records(session: Session, customer_id: int) -> List[ConsentRecord]:
    query = select(ConsentRecord).where(ConsentRecord.customer_id == customer_id).order_by(ConsentRecord.decided_at, ConsentRecord.id)
    return list(session.execute(query).scalars())


def summary(
    session: Session, customer: Customer, now: datetime, policy: Optional[Policy] = None, plain: bool = False
) -> str:
    """What is held about the customer and why, in a few plain sentences (plainer still if asked)."""
    policy = policy or current_policy()
    consent = policy.privacy.consent
    words = PLAIN_SUMMARY if plain else SUMMARY
    orders = len(customer.orders)
    held = conversation_ids(session, customer.id)
    conversations = len(held)
    lines = [
        words["heading"].format(number=customer.customer_number),
        words["account"],
        words["orders"].format(orders=orders, s="s" if orders != 1 else ""),
        words["newsletter_on" if customer.newsletter_opt_in else "newsletter_off"],
    ]
    for purpose_name, purpose in consent.purposes.items():
        uses = purpose.plain_uses if plain else purpose.uses
        state = consent_state(session, customer.id, purpose_name, now, consent)
        record = latest_decision(session, customer.id, purpose_name)
        if state is ConsentState.GRANTED and record is not None:
            until = consent_expires_at(record, consent)
            lines.append(words["agreed"].format(on=f"{record.decided_at:%d %B %Y}", uses=uses, until=f"{until:%d %B %Y}"))
        elif state in (ConsentState.REFUSED, ConsentState.WITHDRAWN) and record is not None:
            lines.append(words["refused"].format(uses=uses, on=f"{record.decided_at:%d %B %Y}"))
        else:
            lines.append(words["not_asked"].format(uses=uses))
    noticed = len(_distress_detections(session, held))
    if noticed:
        lines.append(words["distress"].format(count=noticed, s="s" if noticed != 1 else ""))
    lines.append(
        words["conversations"].format(
            count=conversations, s="s" if conversations != 1 else "", days=policy.privacy.retention.conversations_days
        )
    )
    lines.append(words["next"])
    return "\n".join(lines)


# The summary's sentences, and the same in plain language (grade 6 or below, no don't-say words).
SUMMARY = {
    "heading": "Here's what we hold about you, customer {number}:",
    "account": "- Your account: name, email address, postcode and address, to deliver your orders and contact you.",
    "orders": "- {orders} order{s}, which the law requires us to keep as sales records.",
    "newsletter_on": "- Newsletter: subscribed.",
    "newsletter_off": "- Newsletter: not subscribed.",
    "agreed": "- You agreed on {on} that I may use {uses}, until {until}.",
    "refused": "- You said no to me using {uses} (on {on}), so I don't.",
    "not_asked": "- I don't use {uses}: you haven't been asked under the current wording.",
    "distress": "- {count} note{s} that you seemed to be going through a hard time, so a person could help you quickly "
    "(the category only, never your words).",
    "conversations": "- {count} conversation{s} with me, stored with personal details removed and deleted {days} days "
    "after the last message.",
    "next": 'To get a copy, type "send me my data". To delete it, type "delete my data".',
}
PLAIN_SUMMARY = {
    "heading": "Here is what we keep about you, customer {number}.",
    "account": "Your account: your name, email, postcode and home. We use them to send your orders and to reach you.",
    "orders": "{orders} order{s}. The law says we must keep them as sales records.",
    "newsletter_on": "Newsletter: you get it.",
    "newsletter_off": "Newsletter: you don't get it.",
    "agreed": "On {on} you agreed that I may use {uses}. That lasts until {until}.",
    "refused": "You told me not to use {uses}. So I don't.",
    "not_asked": "I don't use {uses}. I have not asked you yet.",
    "distress": "{count} note{s} that you seemed to have a hard time, so a person could help you fast. "
    "We keep only the kind of problem, never your words.",
    "conversations": "{count} chat{s} with me. We take out personal details before we store them. "
    "We erase them {days} days after the last message.",
    "next": 'To get a copy, write "send me my data". To erase it, write "erase my data".',
}


def export(customer_id: int, now: datetime, *, shop: Optional[Engine] = None, tracker: Optional[Engine] = None) -> Dict[str, Any]:
    """Everything held about the customer, machine-readable: profile, orders, consent, conversations.

    Conversations are read after the shop's transaction ends: on SQLite the tracker store may
    share the shop's file, and one transaction must not wait on the other.
    """
    with open_session(shop) as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise LookupError(f"no customer with id {customer_id}")
        record = _record(session, customer, now)
        conversations = conversation_ids(session, customer_id)
        record["distress_detections"] = [
            {"conversation_id": d.conversation_id, "category": d.category, "score": d.score, "response": d.response, "detected_at": d.detected_at.isoformat()}
            for d in _distress_detections(session, conversations)
        ]
    record["conversations"] = conversation_events(tracker or tracker_engine(), conversations)
    return record


def _record(session: Session, customer: Customer, now: datetime) -> Dict[str, Any]:
    return {
        "format": EXPORT_FORMAT,
        "exported_at": now.isoformat(),
        "profile": {
            "customer_number": customer.customer_number,
            "name": customer.name,
            "email": customer.email,
            "postcode": customer.postcode,
            "address": customer.default_address,
            "newsletter_opt_in": customer.newsletter_opt_in,
            "newsletter_changed_at": _iso(customer.newsletter_changed_at),
            "customer_since": _iso(customer.created_at),
        },
        "orders": [_order(order) for order in customer.orders],
        "consent_records": [
            {
                "purpose": record.purpose,
                "consent_version": record.consent_version,
                "decision": record.decision.value,
                "decided_at": record.decided_at.isoformat(),
                "channel": record.channel,
                "conversation_id": record.conversation_id,
                "wording_sha256": record.wording_sha256,
            }
            for record in consent_records(session, customer.id)
        ],
    }


def _order(order: Order) -> Dict[str, Any]:
    return {
        "order_number": order.id,
        "status": order.status.value,
        "placed_at": order.placed_at.isoformat(),
        "shipping_address": order.shipping_address,
        "delivery_method": order.delivery_method.value,
        "lines": [
            {"sku": line.sku, "product": line.product.name, "quantity": line.quantity, "unit_price": format_money(line.unit_price_pence)}
            for line in order.lines
        ],
        "total": format_money(order.total_pence),
        "refunds": [
            {"reference": refund.reference, "status": refund.status.value, "amount": format_money(refund.amount_pence), "requested_at": refund.requested_at.isoformat()}
            for refund in order.refunds
        ],
        "invoice": order.invoice.number if order.invoice else None,
    }


def _iso(moment: Optional[datetime]) -> Optional[str]:
    return moment.isoformat() if moment else None
