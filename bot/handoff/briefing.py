"""What an agent reads before taking over: why the customer is here, and what was said.

Both come from what is stored, so personal data is already redacted; past orders appear only
where the customer agreed to their history being used.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List

from sqlalchemy import select

from bot.conversation.events import is_customer_message, messages, slot_value
from bot.conversation.names import CUSTOMER_ID_SLOT
from bot.handoff.state import waiting_minutes
from bot.privacy.conversations import conversation_events, tracker_engine
from bot.privacy.history import ORDER_HISTORY, history_if_allowed
from bot.store.database import open_session
from bot.store.distress import DistressDetection
from bot.store.handoffs import open_handoff
from bot.store.shop_records import Customer


def stored_events(conversation_id: str) -> List[Dict[str, Any]]:
    """The conversation's events as the tracker store keeps them (empty if there is no such conversation)."""
    return conversation_events(tracker_engine(), [conversation_id])[conversation_id]


def transcript(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Who said what, when, from the events as stored (personal data already redacted)."""
    lines = []
    for message in messages(events):
        if is_customer_message(message):
            lines.append({"from": "customer", "text": message.get("text") or "", "at": message.get("timestamp")})
        else:
            agent = (message.get("metadata") or {}).get("agent")
            lines.append({"from": f"agent {agent}" if agent else "assistant", "text": message.get("text") or "", "at": message.get("timestamp")})
    return lines


def summary(conversation_id: str, events: List[Dict[str, Any]], now: datetime) -> Dict[str, Any]:
    """What an agent needs first: why the customer is here, how long they waited, who they are."""
    with open_session() as session:
        handoff = open_handoff(session, conversation_id)
        detections = session.execute(
            select(DistressDetection).where(DistressDetection.conversation_id == conversation_id)
        ).scalars().all()
        customer_id = slot_value(events, CUSTOMER_ID_SLOT)
        customer = session.get(Customer, int(customer_id)) if str(customer_id or "").isdigit() else None
        history = history_if_allowed(session, customer.id if customer else None, ORDER_HISTORY, now)
        return {
            "conversation_id": conversation_id,
            "handoff": None if handoff is None else {
                "reason": handoff.reason, "priority": handoff.priority, "status": handoff.status.value,
                "channel": handoff.channel, "waiting_minutes": waiting_minutes(handoff, now),
            },
            "distress": [{"category": d.category, "score": d.score, "response": d.response} for d in detections],
            "customer": None if customer is None else customer.customer_number,
            # Past orders only where the customer agreed to their history being used.
            "recent_orders": None if history is None else [
                {"order": order.id, "status": order.status.value, "placed": order.placed_at.date().isoformat()}
                for order in history.recent_orders(limit=5)
            ],
            "messages": len(messages(events)),
        }
