"""Orders: where one is, and cancelling one.

Each form first verifies the order (see `verification`), then, before cancelling, asks for the
postcode on the account again (see `step_up`) and for an explicit yes. The submit actions re-check
the order in the database, because the warehouse may have moved on while the customer was typing,
and that identity was proven in this very request.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.step_up import explain_not_rechecked, step_up_passed, used_up
from actions.verification import VerifiedOrderFormValidation, order_not_matched, verified_order
from actions.wording import day, money, order_facts
from bot.conversation.names import CANCEL_CONFIRMED_SLOT, CANCEL_ORDER_FORM
from bot.store.database import open_session
from bot.store.orders import CancelOutcome, cancel_order
from bot.store.shop_records import Order


class ValidateTrackOrderForm(VerifiedOrderFormValidation):
    def name(self) -> Text:
        return "validate_track_order_form"


class ActionTrackOrder(Action):
    """Where the order is, in words that fit its status."""

    def name(self) -> Text:
        return "action_track_order"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        with open_session() as session:
            order = verified_order(session, tracker)
            if order is None:
                return order_not_matched(dispatcher, tracker)
            dispatcher.utter_message(response=f"utter_order_status_{order.status.value}", **order_facts(order))
        return []


class ValidateCancelOrderForm(VerifiedOrderFormValidation):
    step_up_operation = "cancel_order"

    def name(self) -> Text:
        return "validate_cancel_order_form"

    def order_qualifies(self, order: Order) -> bool:
        return order.can_be_cancelled


class ActionAskCancelConfirmed(Action):
    """States what cancelling will do, and that it can't be undone, before asking yes or no."""

    def name(self) -> Text:
        return "action_ask_cancel_confirmed"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        with open_session() as session:
            order = verified_order(session, tracker)
            if order is None:
                return order_not_matched(dispatcher, tracker)
            dispatcher.utter_message(response="utter_cancel_confirmation", **order_facts(order))
        return []


class ActionCancelOrder(Action):
    """Cancels the order only after an explicit yes, and only while it can still be cancelled."""

    def name(self) -> Text:
        return "action_cancel_order"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        events: List[EventType] = [SlotSet(CANCEL_CONFIRMED_SLOT, None), *used_up()]
        with open_session() as session:
            order = verified_order(session, tracker)
            if order is None:
                return order_not_matched(dispatcher, tracker) + events
            facts = order_facts(order)
            if order.is_cancelled:
                dispatcher.utter_message(response="utter_order_already_cancelled", **facts)
            elif not order.can_be_cancelled:
                dispatcher.utter_message(response="utter_order_cannot_be_cancelled", **facts)
            elif not step_up_passed(tracker, "cancel_order", CANCEL_ORDER_FORM):
                explain_not_rechecked(dispatcher, session, order.customer_id)
            elif tracker.get_slot(CANCEL_CONFIRMED_SLOT) is not True:
                dispatcher.utter_message(response="utter_order_not_cancelled", **facts)
            else:
                result = cancel_order(session, order, datetime.now(timezone.utc))
                if result.outcome is CancelOutcome.CANCELLED and result.refund is not None:
                    dispatcher.utter_message(
                        response="utter_order_cancelled",
                        **facts,
                        amount=money(result.refund.amount_pence),
                        expected_by=day(result.refund.expected_by),
                        refund_reference=result.refund.reference,
                    )
                else:  # the warehouse moved first
                    dispatcher.utter_message(response="utter_order_cannot_be_cancelled", **facts)
        return events

