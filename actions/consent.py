"""Consent before history, inside the order forms.

When an identified customer asks about an order without giving its number, their past orders
would help; that is the moment to ask, once, in the policy's own words. The answer goes into
the consent ledger with a hash of those words. A yes shows their recent orders to pick from; a
no (or no identity) simply asks for the order number, so saying no costs nothing else.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from accessibility.modes import MODE_SLOT, Mode, mode_of
from actions.wording import day
from bot.conversation.names import (
    ADDRESS_CHANGE_FORM,
    CANCEL_ORDER_FORM,
    CUSTOMER_ID_SLOT,
    HISTORY_CONSENT_SLOT,
    ORDER_ID_SLOT,
)
from bot.policy import current_policy
from bot.privacy.consent import Where, consent_expires_at, consent_state, record_decision
from bot.privacy.history import ORDER_HISTORY, history_if_allowed
from bot.store.database import open_session
from bot.store.shop_records import OrderStatus

# Which past orders are worth offering, by the form that asks.
ORDERS_WORTH_OFFERING: Dict[str, tuple] = {
    "track_order_form": (OrderStatus.PLACED, OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.DELIVERED),
    CANCEL_ORDER_FORM: (OrderStatus.PLACED, OrderStatus.PROCESSING),
    "change_order_form": (OrderStatus.PLACED, OrderStatus.PROCESSING),
    ADDRESS_CHANGE_FORM: (OrderStatus.PLACED, OrderStatus.PROCESSING),
    "refund_form": (OrderStatus.DELIVERED, OrderStatus.CANCELLED),
    "refund_status_form": (OrderStatus.DELIVERED, OrderStatus.CANCELLED),
    "invoice_form": (OrderStatus.SHIPPED, OrderStatus.DELIVERED),
}


def identified_customer(tracker: Tracker) -> Optional[int]:
    """The customer proven by this conversation's identity check, if any (never a guess)."""
    value = tracker.get_slot(CUSTOMER_ID_SLOT)
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def should_ask_consent(tracker: Tracker, now: datetime) -> bool:
    """Ask when history would help right now (identified, no order number yet) and no answer holds."""
    customer_id = identified_customer(tracker)
    if customer_id is None or tracker.get_slot(ORDER_ID_SLOT):
        return False
    with open_session() as session:
        return consent_state(session, customer_id, ORDER_HISTORY, now).should_ask


def record_consent_answer(value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
    """Put the customer's yes or no in the ledger and tell them what it means."""
    customer_id = identified_customer(tracker)
    if not isinstance(value, bool) or customer_id is None:
        return {HISTORY_CONSENT_SLOT: None}
    now = datetime.now(timezone.utc)
    where = Where(channel=tracker.get_latest_input_channel(), conversation_id=tracker.sender_id)
    plain = mode_of(tracker.get_slot(MODE_SLOT)) is Mode.PLAIN
    with open_session() as session:
        record = record_decision(session, customer_id, ORDER_HISTORY, value, now, where, plain=plain)
        until = consent_expires_at(record)
    if value:
        dispatcher.utter_message(response="utter_consent_granted", until=day(until.date()))
    else:
        dispatcher.utter_message(response="utter_consent_refused")
    return {HISTORY_CONSENT_SLOT: value}


class ActionAskHistoryConsent(Action):
    """Asks for consent in the policy's exact words, as a message of its own (`utter_history_consent_request`,
    whose buttons answer it)."""

    def name(self) -> Text:
        return "action_ask_history_consent"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        # The ledger records a hash of the exact words shown, so the action picks the policy's wording
        # for the mode (both are versioned in bot/policy.yml); the NLG words the response around it.
        plain = mode_of(tracker.get_slot(MODE_SLOT)) is Mode.PLAIN
        request = current_policy().privacy.consent.request_text(ORDER_HISTORY, plain=plain)
        dispatcher.utter_message(response="utter_history_consent_request", notice=request)
        return []


class ActionAskOrderId(Action):
    """Asks which order: the customer's recent orders to pick from when they allowed it, else the number."""

    def name(self) -> Text:
        return "action_ask_order_id"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        now = datetime.now(timezone.utc)
        statuses = ORDERS_WORTH_OFFERING.get(tracker.active_loop_name or "")
        with open_session() as session:
            history = history_if_allowed(session, identified_customer(tracker), ORDER_HISTORY, now)
            orders = history.recent_orders(limit=3, statuses=statuses) if history else []
            buttons = [
                {"title": f"{order.id}, placed {day(order.placed_at.date())} ({order.status.value})", "payload": "/inform" + json.dumps({"order_id": str(order.id)})}
                for order in orders
            ]
            grounds = history.grounds() if history and buttons else None
        if buttons:
            # What was used, and under which consent, travels with the message for "why?" and the audit.
            dispatcher.utter_message(response="utter_order_choice", buttons=buttons, history_used=grounds)
        else:
            dispatcher.utter_message(response="utter_ask_order_id")
        return []
