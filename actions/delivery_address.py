"""Sending an order that hasn't left the warehouse to another address, after the account's postcode and a yes."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.step_up import explain_not_rechecked, step_up_passed, used_up
from actions.verification import VerifiedOrderFormValidation, order_not_matched, verified_order
from actions.wording import order_facts
from bot.conversation.names import ADDRESS_CHANGE_FORM, ADDRESS_CONFIRMED_SLOT, SHIPPING_ADDRESS_SLOT
from bot.store.database import open_session
from bot.store.orders import AddressChangeOutcome, change_shipping_address
from bot.store.shop_records import Order

# An address needs at least a number and some words around it; anything shorter is a slip.
MIN_ADDRESS_LENGTH = 10
MAX_ADDRESS_LENGTH = 200


class ValidateAddressChangeForm(VerifiedOrderFormValidation):
    step_up_operation = "change_address"

    def name(self) -> Text:
        return "validate_address_change_form"

    def order_qualifies(self, order: Order) -> bool:
        return order.can_be_changed and not order.is_for_collection

    def validate_shipping_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        address = " ".join(str(value).split())
        looks_complete = (
            MIN_ADDRESS_LENGTH <= len(address) <= MAX_ADDRESS_LENGTH
            and re.search(r"\d", address)
            and re.search(r"[A-Za-z]{2}", address)
        )
        if not looks_complete:
            dispatcher.utter_message(response="utter_shipping_address_invalid")
            return {SHIPPING_ADDRESS_SLOT: None}
        return {SHIPPING_ADDRESS_SLOT: address}


class ActionAskAddressConfirmed(Action):
    """Shows old and new address side by side before asking yes or no."""

    def name(self) -> Text:
        return "action_ask_address_confirmed"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        with open_session() as session:
            order = verified_order(session, tracker)
            if order is None:
                return order_not_matched(dispatcher, tracker)
            dispatcher.utter_message(
                response="utter_address_confirmation",
                order_id=str(order.id),
                shipping_address=tracker.get_slot(SHIPPING_ADDRESS_SLOT),
                old_address=order.shipping_address,
            )
        return []


class ActionChangeShippingAddress(Action):
    """Sends an order that hasn't left the warehouse to a new address, after an explicit yes."""

    def name(self) -> Text:
        return "action_change_shipping_address"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        events: List[EventType] = [SlotSet(SHIPPING_ADDRESS_SLOT, None), SlotSet(ADDRESS_CONFIRMED_SLOT, None), *used_up()]
        with open_session() as session:
            order = verified_order(session, tracker)
            if order is None:
                return order_not_matched(dispatcher, tracker) + events
            facts = order_facts(order)
            if order.is_for_collection:
                dispatcher.utter_message(response="utter_address_collection_order", **facts)
            elif not order.can_be_changed:
                dispatcher.utter_message(response="utter_address_cannot_be_changed", **facts)
            elif not step_up_passed(tracker, "change_address", ADDRESS_CHANGE_FORM):
                explain_not_rechecked(dispatcher, session, order.customer_id)
            elif tracker.get_slot(ADDRESS_CONFIRMED_SLOT) is not True:
                dispatcher.utter_message(response="utter_address_not_changed", **facts)
            else:
                result = change_shipping_address(session, order, tracker.get_slot(SHIPPING_ADDRESS_SLOT), datetime.now(timezone.utc))
                if result.outcome in (AddressChangeOutcome.CHANGED, AddressChangeOutcome.UNCHANGED):
                    dispatcher.utter_message(
                        response="utter_address_changed", **{**facts, "shipping_address": result.shipping_address}
                    )
                else:
                    dispatcher.utter_message(response="utter_address_cannot_be_changed", **facts)
        return events
