"""Proving identity again, just before something that can't be undone (step-up).

Signing in once is not enough for exporting or erasing a customer's data, cancelling an order or
sending it elsewhere (`identity.step_up` in the policy): whoever holds the conversation by then
may not be the customer. So the form for each asks for the postcode on the account (for an
order, the account that placed it) just before the irreversible step, unless the customer proved
who they are in that same request a moment ago, by signing in.

A passed check belongs to one run of one form: it is looked for only after that form's latest
activation, and the action it was for uses it up. The actions check it again themselves, so no
path around the form's question does without it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.postcode_check import (
    FAILURES_SLOT,
    Verdict,
    attempts_exhausted,
    check_postcode,
    failures_so_far,
    identity_rules,
    wait_in_words,
    waiting_until,
)
from bot.conversation.events import latest_form_activation, value_last_set
from bot.conversation.names import ORDER_ID_SLOT
from bot.store.database import open_session
from bot.store.shop_records import Customer
from bot.store.sign_ins import customer_subject, retry_at

STEP_UP_SLOT = "step_up_postcode"
# True once identity is proven in the current form run; cleared by the action it was for.
PROOF_SLOT = "identity_rechecked"
DATA_REQUEST_FORM = "data_request_form"


def needs_step_up(operation: Optional[str]) -> bool:
    """Whether the policy asks for the postcode again before `operation` (`export`, `cancel_order`...)."""
    return operation is not None and identity_rules().needs_step_up(operation)


def proven_in_this_request(tracker: Tracker, form: str) -> bool:
    """Whether identity was proven since `form` was last activated, and not used up since.

    Only the latest activation of any form counts, and only if it was `form`'s: the newest word on
    the proof after it is what counts.
    """
    activation = latest_form_activation(tracker.events)
    if activation is None or tracker.events[activation].get("name") != form:
        return False
    return value_last_set(tracker.events[activation + 1 :], PROOF_SLOT) is True


def step_up_passed(tracker: Tracker, operation: Optional[str], form: str) -> bool:
    """Whether `operation` may go ahead as far as identity goes: no re-check needed, or it passed."""
    return not needs_step_up(operation) or proven_in_this_request(tracker, form)


def step_up_blocked(tracker: Tracker, customer_id: int) -> bool:
    """No more asking in this request: it had its wrong answers, or the account must wait."""
    now = datetime.now(timezone.utc)
    return attempts_exhausted(tracker) or waiting_until(customer_subject(customer_id), now) is not None


def check_step_up(value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, customer_id: int) -> Dict[Text, Any]:
    """Validate the postcode given again for the account `customer_id`: the slots to set."""
    now = datetime.now(timezone.utc)
    subject = customer_subject(customer_id)
    with open_session() as session:
        customer = session.get(Customer, customer_id)
        check = check_postcode(session, customer, str(value), lock=subject, counted=[subject], now=now)
    if check.verdict is Verdict.PROVEN:
        return {STEP_UP_SLOT: None, PROOF_SLOT: True, FAILURES_SLOT: 0}
    if check.verdict is Verdict.WAIT:
        return {STEP_UP_SLOT: None}  # the form sees the wait and stops; the action says how long
    failures = failures_so_far(tracker) + 1
    if check.retry_at is None and failures < identity_rules().attempts_per_request:
        dispatcher.utter_message(response="utter_step_up_not_matched")
    return {STEP_UP_SLOT: None, FAILURES_SLOT: failures}


def explain_not_rechecked(dispatcher: CollectingDispatcher, session: Session, customer_id: int) -> None:
    """Say why nothing was done: the account must wait (and until when), or the answers ran out."""
    now = datetime.now(timezone.utc)
    until = retry_at(session, customer_subject(customer_id), now)
    if until is not None:
        dispatcher.utter_message(response="utter_identity_wait", wait=wait_in_words(until, now))
    else:
        dispatcher.utter_message(response="utter_step_up_exhausted")


def used_up() -> List[EventType]:
    """What every action a check was for returns: the proof is spent, and the next request starts afresh."""
    return [SlotSet(PROOF_SLOT, None), SlotSet(FAILURES_SLOT, 0)]


class ActionAskStepUpPostcode(Action):
    """Asks for the postcode again: on the customer's account, or on the account that placed the order."""

    def name(self) -> Text:
        return "action_ask_step_up_postcode"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if tracker.active_loop_name == DATA_REQUEST_FORM or not tracker.get_slot(ORDER_ID_SLOT):
            dispatcher.utter_message(response="utter_ask_step_up_postcode")
        else:
            dispatcher.utter_message(response="utter_ask_step_up_postcode_for_order", order_id=tracker.get_slot(ORDER_ID_SLOT))
        return []
