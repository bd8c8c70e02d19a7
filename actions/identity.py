"""Who the customer is: an email address or customer number, proven with the account's postcode.

Until both match, the assistant knows nothing about the customer and never guesses. A wrong pair
gets the same answer whether or not the account exists, and after a few wrong pairs the form
stops asking (a person can check identity instead), so the check cannot be used to probe accounts.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.consent import identified_customer
from actions.verification import normalise_email
from actions.wording import echo
from bot.store.customers import link_conversation, parse_customer_number, verify_identity
from bot.store.database import open_session

IDENTITY_SLOTS = ("identity_claim", "identity_postcode")
MAX_IDENTITY_ATTEMPTS = 3


def identity_attempts_exhausted(tracker: Tracker) -> bool:
    return (tracker.get_slot("identity_failures") or 0) >= MAX_IDENTITY_ATTEMPTS


class ValidateDataRequestForm(FormValidationAction):
    """Proves identity when needed, then (for erasure only) asks for a clear yes."""

    def name(self) -> Text:
        return "validate_data_request_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        identified = identified_customer(tracker) is not None
        if not identified:
            return [] if identity_attempts_exhausted(tracker) else list(IDENTITY_SLOTS)
        return ["erase_confirmed"] if tracker.get_slot("data_request") == "erase" else []

    def validate_identity_claim(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        claim = parse_customer_number(str(value)) or normalise_email(value)
        if claim is None:
            dispatcher.utter_message(response="utter_identity_claim_invalid", value=echo(value))
            return {"identity_claim": None}
        return {"identity_claim": claim}

    def validate_identity_postcode(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        claim = tracker.get_slot("identity_claim")
        if not claim:
            return {"identity_postcode": None}
        now = datetime.now(timezone.utc)
        with open_session() as session:
            customer = verify_identity(session, claim, str(value))
            if customer is not None:
                link_conversation(session, customer, tracker.sender_id, now)
                return {
                    "customer_id": str(customer.id),
                    "email": customer.email,
                    "identity_claim": None,
                    "identity_postcode": None,
                    "identity_failures": 0,
                }
        failures = (tracker.get_slot("identity_failures") or 0) + 1
        if failures < MAX_IDENTITY_ATTEMPTS:
            dispatcher.utter_message(response="utter_identity_not_matched")
        return {"identity_claim": None, "identity_postcode": None, "identity_failures": failures}
