"""Which order, and proof that it is the customer's: the base of every form about an order.

A customer names an order by its number and proves it is theirs with the email it was placed
with. The two are accepted only together, and a wrong pair gets the same answer whether or not
the order exists, so the assistant cannot be used to find out which orders exist. A form that
does something irreversible also asks for the postcode on the account that placed the order,
just before it does it (`actions.step_up`).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.consent import record_consent_answer, should_ask_consent
from actions.step_up import STEP_UP_SLOT, check_step_up, needs_step_up, proven_in_this_request, step_up_blocked
from actions.wording import echo
from bot.conversation.names import EMAIL_SLOT, HISTORY_CONSENT_SLOT, ORDER_ID_SLOT
from bot.store.database import open_session
from bot.store.orders import find_verified_order, parse_order_number
from bot.store.shop_records import Order

VERIFICATION_SLOTS = (ORDER_ID_SLOT, EMAIL_SLOT)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def normalise_email(value: Any) -> Optional[str]:
    """The address in lower case, or None if `value` is not shaped like an email address."""
    text = str(value).strip().lower()
    return text if _EMAIL.fullmatch(text) else None


def verified_order(session: Session, tracker: Tracker) -> Optional[Order]:
    """The order the conversation's order number and email point to, if they belong together."""
    order_id, email = tracker.get_slot(ORDER_ID_SLOT), tracker.get_slot(EMAIL_SLOT)
    if not order_id or not email:
        return None
    return find_verified_order(session, order_id, email)


def order_not_matched(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """The number and email no longer match (or never did): say so and ask for both again."""
    dispatcher.utter_message(response="utter_order_not_matched", order_id=tracker.get_slot(ORDER_ID_SLOT))
    return [SlotSet(ORDER_ID_SLOT, None), SlotSet(EMAIL_SLOT, None)]


class VerifiedOrderFormValidation(FormValidationAction, ABC):
    """Validates a form that acts on one order: number, email, then whatever the form needs.

    An identified customer who has not yet decided about their history is asked first (see
    `actions.consent`); everyone else goes straight to the order number.

    Subclasses name their form and may narrow `order_qualifies`; when a verified order does
    not qualify (a dispatched order cannot be cancelled), the form ends after verification and
    its submit action explains why, instead of asking questions that lead nowhere. A subclass
    whose form does something irreversible names it in `step_up_operation`, as the policy's
    `identity.step_up` does; the postcode is then asked for where the form lists `step_up_postcode`.
    """

    # The policy's name for what the form does, if it needs identity proven again (`cancel_order`).
    step_up_operation: Optional[str] = None

    @abstractmethod
    def name(self) -> Text:
        """`validate_<form name>`: each form names its own validation action."""

    def order_qualifies(self, order: Order) -> bool:
        return True

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        if not should_ask_consent(tracker, datetime.now(timezone.utc)):
            domain_slots = [slot for slot in domain_slots if slot != HISTORY_CONSENT_SLOT]
        with open_session() as session:
            order = verified_order(session, tracker)
            if order is not None and not self.order_qualifies(order):
                return [slot for slot in domain_slots if slot in VERIFICATION_SLOTS]
            customer_id = order.customer_id if order is not None else None
        if not needs_step_up(self.step_up_operation) or proven_in_this_request(tracker, self.form_name()):
            return [slot for slot in domain_slots if slot != STEP_UP_SLOT]
        if customer_id is not None and step_up_blocked(tracker, customer_id):
            # Nothing more to ask in this request; the submit action says why and offers a person.
            return [slot for slot in domain_slots if slot in VERIFICATION_SLOTS]
        return domain_slots

    def validate_history_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return record_consent_answer(value, dispatcher, tracker)

    def validate_step_up_postcode(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The postcode on the account that placed the order, given again just before the change."""
        with open_session() as session:
            order = verified_order(session, tracker)
            customer_id = order.customer_id if order is not None else None
        if customer_id is None:  # the order no longer matches: start again from its number
            dispatcher.utter_message(response="utter_order_not_matched", order_id=tracker.get_slot(ORDER_ID_SLOT))
            return {STEP_UP_SLOT: None, ORDER_ID_SLOT: None, EMAIL_SLOT: None}
        return check_step_up(value, dispatcher, tracker, customer_id)

    def validate_order_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        number = parse_order_number(value)
        if number is None:
            dispatcher.utter_message(response="utter_order_id_invalid", value=echo(value))
            return {ORDER_ID_SLOT: None}
        if EMAIL_SLOT in tracker.slots_to_validate():
            return {ORDER_ID_SLOT: str(number)}  # validate_email checks the pair in this turn
        return _check_pair(str(number), tracker.get_slot(EMAIL_SLOT), dispatcher)

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        email = normalise_email(value)
        if email is None:
            dispatcher.utter_message(response="utter_email_invalid", value=echo(value))
            return {EMAIL_SLOT: None}
        number = parse_order_number(tracker.get_slot(ORDER_ID_SLOT) or "")
        if number is None:
            return {EMAIL_SLOT: email}  # the order number is asked for (again) first
        return _check_pair(str(number), email, dispatcher)


def _check_pair(order_id: str, email: Optional[str], dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
    """Accept the number and email together, or forget both and start again."""
    if email is None:
        return {ORDER_ID_SLOT: order_id}
    with open_session() as session:
        matched = find_verified_order(session, order_id, email) is not None
    if not matched:
        dispatcher.utter_message(response="utter_order_not_matched", order_id=order_id)
        return {ORDER_ID_SLOT: None, EMAIL_SLOT: None}
    return {ORDER_ID_SLOT: order_id, EMAIL_SLOT: email}
