"""Changing the items of an order before it leaves the warehouse: which item, how many, then a yes.

A smaller order is refunded the difference at once; a larger one is charged when it is dispatched.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.verification import VerifiedOrderFormValidation, order_not_matched, verified_order
from actions.wording import day, money, order_facts
from bot.conversation.names import CHANGE_CONFIRMED_SLOT, NEW_QUANTITY_SLOT, ORDER_ID_SLOT, ORDER_ITEM_SLOT
from bot.store.database import open_session
from bot.store.orders import LineChangeOutcome, change_line_quantity
from bot.store.shop import shop_rules
from bot.store.shop_records import Order, OrderLine

NUMBER_WORDS = {
    "zero": 0, "none": 0, "no": 0, "remove": 0, "delete": 0, "one": 1, "two": 2, "three": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}


def _line_matching(order: Order, text: str) -> Optional[OrderLine]:
    """The order line the customer means: by SKU (a button) or by words of the product name."""
    wanted = text.strip().lower()
    for line in order.lines:
        if wanted == line.sku.lower():
            return line
    words = set(re.findall(r"[a-z]+", wanted))
    scored = [(len(words & set(re.findall(r"[a-z]+", line.product.name.lower()))), line) for line in order.lines]
    scored.sort(key=lambda pair: pair[0], reverse=True)
    if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    return None


def parse_quantity(value: Any) -> Optional[int]:
    """A whole number from `3`, `three`, `x3`, or `remove it` (0); None if there isn't one."""
    text = str(value).strip().lower()
    digits = re.search(r"\d+", text)
    if digits:
        return int(digits.group())
    for word in re.findall(r"[a-z]+", text):
        if word in NUMBER_WORDS:
            return NUMBER_WORDS[word]
    return None


class ValidateChangeOrderForm(VerifiedOrderFormValidation):
    def name(self) -> Text:
        return "validate_change_order_form"

    def order_qualifies(self, order: Order) -> bool:
        return order.can_be_changed

    def validate_order_item(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        with open_session() as session:
            order = verified_order(session, tracker)
            line = _line_matching(order, str(value)) if order is not None else None
            if line is None:
                dispatcher.utter_message(response="utter_order_item_unknown", order_id=tracker.get_slot(ORDER_ID_SLOT))
                return {ORDER_ITEM_SLOT: None}
            return {ORDER_ITEM_SLOT: line.sku}

    def validate_new_quantity(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        quantity = parse_quantity(value)
        maximum = shop_rules().max_quantity_per_line
        if quantity is None or quantity > maximum:
            dispatcher.utter_message(response="utter_quantity_invalid", max_quantity=maximum)
            return {NEW_QUANTITY_SLOT: None}
        return {NEW_QUANTITY_SLOT: str(quantity)}


class ActionAskOrderItem(Action):
    """Lists the order's items as buttons, so the customer picks rather than types."""

    def name(self) -> Text:
        return "action_ask_order_item"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        with open_session() as session:
            order = verified_order(session, tracker)
            if order is None:
                return order_not_matched(dispatcher, tracker)
            buttons = [
                {
                    "title": f"{line.product.name} × {line.quantity}",
                    "payload": f'/inform{{"order_item": "{line.sku}"}}',
                }
                for line in order.lines
            ]
            dispatcher.utter_message(response="utter_ask_order_item", order_id=str(order.id), buttons=buttons)
        return []


def _proposed_change(order: Order, sku: str, quantity: int) -> Dict[str, str]:
    line = order.line_for(sku)
    old_quantity = line.quantity if line else 0
    unit_price = line.unit_price_pence if line else 0
    new_total = order.total_pence + (quantity - old_quantity) * unit_price
    return {
        "item": line.product.name if line else sku,
        "old_quantity": str(old_quantity),
        "new_quantity": str(quantity),
        "new_total": money(new_total),
    }


class ActionAskChangeConfirmed(Action):
    """Shows the change and the new total before asking yes or no."""

    def name(self) -> Text:
        return "action_ask_change_confirmed"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        with open_session() as session:
            order = verified_order(session, tracker)
            if order is None:
                return order_not_matched(dispatcher, tracker)
            sku, quantity = tracker.get_slot(ORDER_ITEM_SLOT), parse_quantity(tracker.get_slot(NEW_QUANTITY_SLOT))
            if sku is None or order.line_for(sku) is None or quantity is None:
                # Nothing complete to confirm (the slots were reset meanwhile): ask again from the item.
                dispatcher.utter_message(response="utter_change_incomplete")
                return [SlotSet(ORDER_ITEM_SLOT, None), SlotSet(NEW_QUANTITY_SLOT, None)]
            change = _proposed_change(order, sku, quantity)
            dispatcher.utter_message(response="utter_change_confirmation", order_id=str(order.id), **change)
        return []


def _change_wording(outcome: LineChangeOutcome, refunded: bool) -> str:
    """The response for the outcome of a quantity change."""
    if outcome is LineChangeOutcome.CHANGED:
        return "utter_order_reduced" if refunded else "utter_order_changed"
    return {
        LineChangeOutcome.REMOVED: "utter_order_item_removed",
        LineChangeOutcome.UNCHANGED: "utter_order_quantity_unchanged",
        LineChangeOutcome.WOULD_EMPTY_ORDER: "utter_order_change_would_empty",
        LineChangeOutcome.UNKNOWN_SKU: "utter_order_item_unknown",
        LineChangeOutcome.QUANTITY_TOO_HIGH: "utter_quantity_invalid",
    }.get(outcome, "utter_order_cannot_be_changed")


class ActionChangeOrder(Action):
    """Changes an item's quantity (0 removes it) after an explicit yes."""

    def name(self) -> Text:
        return "action_change_order"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        events: List[EventType] = [
            SlotSet(ORDER_ITEM_SLOT, None),
            SlotSet(NEW_QUANTITY_SLOT, None),
            SlotSet(CHANGE_CONFIRMED_SLOT, None),
        ]
        with open_session() as session:
            order = verified_order(session, tracker)
            if order is None:
                return order_not_matched(dispatcher, tracker) + events
            facts = order_facts(order)
            if not order.can_be_changed:
                dispatcher.utter_message(response="utter_order_cannot_be_changed", **facts)
                return events
            if tracker.get_slot(CHANGE_CONFIRMED_SLOT) is not True:
                dispatcher.utter_message(response="utter_order_not_changed", **facts)
                return events
            sku, quantity = tracker.get_slot(ORDER_ITEM_SLOT), int(tracker.get_slot(NEW_QUANTITY_SLOT))
            item = _proposed_change(order, sku, quantity)["item"]
            result = change_line_quantity(session, order, sku, quantity, datetime.now(timezone.utc))
            refund = result.refund
            dispatcher.utter_message(
                response=_change_wording(result.outcome, refund is not None),
                **facts,
                item=item,
                new_quantity=str(quantity),
                new_total=money(result.total_after_pence),
                max_quantity=shop_rules().max_quantity_per_line,
                refund_amount=money(refund.amount_pence) if refund else "",
                refund_reference=refund.reference if refund else "",
                expected_by=day(refund.expected_by) if refund else "",
            )
        return events
