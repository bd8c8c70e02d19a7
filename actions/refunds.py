"""Refunds: ask for one (after an explicit yes), and see where one is."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.verification import VerifiedOrderFormValidation, order_not_matched, verified_order
from actions.wording import day, money, order_facts
from bot.conversation.names import REFUND_CONFIRMED_SLOT
from bot.store.database import open_session
from bot.store.refunds import RefundOutcome, refunds_for_order, request_refund
from bot.store.shop import shop_rules
from bot.store.shop_records import Order, Refund

# The assistant does not ask why: the reason is not needed to refund, and free text invites
# personal details the shop would then have to keep safe.
CHAT_REFUND_REASON = "Requested in chat with the automated assistant"


def refund_facts(refund: Refund) -> dict[str, str]:
    return {
        "refund_reference": refund.reference,
        "refund_status": refund.status.value,
        "amount": money(refund.amount_pence),
        "requested_on": day(refund.requested_at),
        "updated_on": day(refund.updated_at),
        "expected_by": day(refund.expected_by),
        "reason": refund.reason,
    }


def refund_needs_a_yes(order: Order) -> bool:
    """Delivered, inside the returns window, no refund under way: the only case to ask about.

    Every other case (not delivered, too late, cancelled, already refunding) is explained at the
    end of the form without asking a question whose answer could not change anything.
    """
    closes_at = order.refund_window_closes_at(shop_rules().refund_window_days)
    return (
        closes_at is not None
        and datetime.now(timezone.utc) <= closes_at
        and not order.is_cancelled
        and not any(refund.is_active for refund in order.refunds)
    )


class ValidateRefundForm(VerifiedOrderFormValidation):
    def name(self) -> Text:
        return "validate_refund_form"

    def order_qualifies(self, order: Order) -> bool:
        return refund_needs_a_yes(order)


class ValidateRefundStatusForm(VerifiedOrderFormValidation):
    def name(self) -> Text:
        return "validate_refund_status_form"


class ActionAskRefundConfirmed(Action):
    """States the amount and how returns work before asking yes or no."""

    def name(self) -> Text:
        return "action_ask_refund_confirmed"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        with open_session() as session:
            order = verified_order(session, tracker)
            if order is not None:
                dispatcher.utter_message(response="utter_refund_confirmation", **order_facts(order))
        return []


class ActionRequestRefund(Action):
    """Asks for a refund after an explicit yes, or says plainly why it can't be done."""

    def name(self) -> Text:
        return "action_request_refund"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        events: List[EventType] = [SlotSet(REFUND_CONFIRMED_SLOT, None)]
        with open_session() as session:
            order = verified_order(session, tracker)
            if order is None:
                return events + order_not_matched(dispatcher, tracker)
            facts = order_facts(order)
            if refund_needs_a_yes(order) and tracker.get_slot(REFUND_CONFIRMED_SLOT) is not True:
                dispatcher.utter_message(response="utter_refund_not_requested")
                return events
            result = request_refund(session, order, CHAT_REFUND_REASON, datetime.now(timezone.utc))
            refund = refund_facts(result.refund) if result.refund is not None else {}
            if result.outcome is RefundOutcome.NOT_YET_DELIVERED:
                response = (
                    "utter_refund_not_delivered_cancellable"
                    if order.can_be_cancelled
                    else "utter_refund_not_delivered_in_transit"
                )
            else:
                response = {
                    RefundOutcome.REQUESTED: "utter_refund_requested",
                    RefundOutcome.OUTSIDE_WINDOW: "utter_refund_outside_window",
                    RefundOutcome.ALREADY_REQUESTED: "utter_refund_already_requested",
                    RefundOutcome.ORDER_CANCELLED: "utter_refund_order_cancelled",
                }[result.outcome]
            dispatcher.utter_message(response=response, **facts, **refund)
        return events


class ActionTrackRefund(Action):
    """Where each refund on the order is, newest last."""

    def name(self) -> Text:
        return "action_track_refund"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        with open_session() as session:
            order = verified_order(session, tracker)
            if order is None:
                return order_not_matched(dispatcher, tracker)
            refunds = refunds_for_order(session, order)
            if not refunds:
                dispatcher.utter_message(response="utter_no_refund_for_order", order_id=str(order.id))
            for refund in refunds:
                dispatcher.utter_message(
                    response=f"utter_refund_status_{refund.status.value}",
                    order_id=str(order.id),
                    **refund_facts(refund),
                )
        return []
