"""Who the customer is: an email address or customer number, proven with the account's postcode.

Until both match, the assistant knows nothing about the customer and never guesses. A wrong pair
gets the same answer whether or not the account exists. Failures are counted in the database
across conversations (`actions.postcode_check`): past a few, each further try must wait, and the
wait is kept per claim, so it too looks the same for an account that exists and one that doesn't.
After a few wrong pairs in one request the form stops asking (a person can check identity instead).

The same form re-checks the postcode before data leaves or is erased (`actions.step_up`), unless
the customer signed in within this very request.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.consent import identified_customer
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
from actions.step_up import (
    PROOF_SLOT,
    STEP_UP_SLOT,
    check_step_up,
    needs_step_up,
    proven_in_this_request,
    step_up_blocked,
)
from actions.verification import normalise_email
from actions.wording import echo
from bot.conversation.names import (
    CUSTOMER_ID_SLOT,
    DATA_REQUEST_SLOT,
    EMAIL_SLOT,
    ERASE_CONFIRMED_SLOT,
    IDENTITY_POSTCODE_SLOT,
)
from bot.store.customers import customer_by_claim, link_conversation, parse_customer_number
from bot.store.database import open_session
from bot.store.sign_ins import claim_subject, customer_subject

CLAIM_SLOT = "identity_claim"
IDENTITY_SLOTS = (CLAIM_SLOT, IDENTITY_POSTCODE_SLOT)


def claim_must_wait(tracker: Tracker) -> bool:
    """Whether the email or customer number in hand must wait before its postcode is checked."""
    claim = tracker.get_slot(CLAIM_SLOT)
    return bool(claim) and waiting_until(claim_subject(str(claim)), datetime.now(timezone.utc)) is not None


def explain_not_identified(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Say why the customer is not signed in: how long to wait, or that the form stopped asking."""
    claim = tracker.get_slot(CLAIM_SLOT)
    now = datetime.now(timezone.utc)
    until = waiting_until(claim_subject(str(claim)), now) if claim else None
    if until is not None:
        dispatcher.utter_message(response="utter_identity_wait", wait=wait_in_words(until, now))
    else:
        dispatcher.utter_message(response="utter_identity_attempts_exhausted")


class ValidateDataRequestForm(FormValidationAction):
    """Proves identity when needed, re-checks it before export or erasure, then asks erasure for a yes."""

    def name(self) -> Text:
        return "validate_data_request_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        customer_id = identified_customer(tracker)
        if customer_id is None:
            # Stopping here, the action explains why and offers a person.
            return [] if attempts_exhausted(tracker) or claim_must_wait(tracker) else list(IDENTITY_SLOTS)
        request = tracker.get_slot(DATA_REQUEST_SLOT)
        slots = [ERASE_CONFIRMED_SLOT] if request == "erase" else []
        if needs_step_up(request) and not proven_in_this_request(tracker, self.form_name()):
            if step_up_blocked(tracker, customer_id):
                return []
            slots.insert(0, STEP_UP_SLOT)
        return slots

    def validate_identity_claim(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        claim = parse_customer_number(str(value)) or normalise_email(value)
        if claim is None:
            dispatcher.utter_message(response="utter_identity_claim_invalid", value=echo(value))
            return {CLAIM_SLOT: None}
        return {CLAIM_SLOT: claim}

    def validate_identity_postcode(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        claim = tracker.get_slot(CLAIM_SLOT)
        if not claim:
            return {IDENTITY_POSTCODE_SLOT: None}
        now = datetime.now(timezone.utc)
        lock = claim_subject(str(claim))
        with open_session() as session:
            customer = customer_by_claim(session, str(claim))
            counted = [lock] + ([customer_subject(customer.id)] if customer is not None else [])
            check = check_postcode(session, customer, str(value), lock=lock, counted=counted, now=now)
            if check.verdict is Verdict.PROVEN and customer is not None:
                link_conversation(session, customer, tracker.sender_id, now)
                return {
                    CUSTOMER_ID_SLOT: str(customer.id),
                    EMAIL_SLOT: customer.email,
                    CLAIM_SLOT: None,
                    IDENTITY_POSTCODE_SLOT: None,
                    FAILURES_SLOT: 0,
                    # Signing in is proof enough for this request: export or erase need not ask again.
                    PROOF_SLOT: True,
                }
        if check.verdict is Verdict.WAIT:
            return {IDENTITY_POSTCODE_SLOT: None}  # the claim stays: the form sees the wait and stops
        failures = failures_so_far(tracker) + 1
        if check.retry_at is not None:
            return {IDENTITY_POSTCODE_SLOT: None, FAILURES_SLOT: failures}
        if failures < identity_rules().attempts_per_request:
            dispatcher.utter_message(response="utter_identity_not_matched")
        return {CLAIM_SLOT: None, IDENTITY_POSTCODE_SLOT: None, FAILURES_SLOT: failures}

    def validate_step_up_postcode(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        customer_id = identified_customer(tracker)
        if customer_id is None:
            return {STEP_UP_SLOT: None}
        return check_step_up(value, dispatcher, tracker, customer_id)
