"""The customer's data rights, each one message away: sign in, withdraw, see, download, erase.

`data_request_form` (see `actions.identity`) has made sure who the customer is, and for export and
erasure that it is still them (`actions.step_up`); this action checks that again, does what they
asked for and says plainly what it changed.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from accessibility.modes import MODE_SLOT, Mode, mode_of
from actions.consent import identified_customer
from actions.identity import CLAIM_SLOT, explain_not_identified
from actions.step_up import DATA_REQUEST_FORM, explain_not_rechecked, step_up_passed, used_up
from bot.conversation.names import (
    CUSTOMER_ID_SLOT,
    DATA_REQUEST_SLOT,
    ERASE_CONFIRMED_SLOT,
    ERASE_CONVERSATION_SLOT,
    HISTORY_CONSENT_SLOT,
    ORDER_ID_SLOT,
)
from bot.privacy.consent import Where, withdraw_all
from bot.privacy.erasure import erase_customer, is_erased
from bot.privacy.subject_access import export, summary
from bot.store.database import open_session
from bot.store.shop_records import Customer


class ActionFulfilDataRequest(Action):
    def name(self) -> Text:
        return "action_fulfil_data_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        done: List[EventType] = [SlotSet(DATA_REQUEST_SLOT, None), SlotSet(ERASE_CONFIRMED_SLOT, None), *used_up()]
        customer_id = identified_customer(tracker)
        if customer_id is None:
            explain_not_identified(dispatcher, tracker)
            return done + [SlotSet(CLAIM_SLOT, None)]
        request = tracker.get_slot(DATA_REQUEST_SLOT)
        if not step_up_passed(tracker, request, DATA_REQUEST_FORM):
            with open_session() as session:
                explain_not_rechecked(dispatcher, session, customer_id)
            return done
        now = datetime.now(timezone.utc)
        if request == "erase":
            return done + self._erase(dispatcher, tracker, customer_id, now)
        with open_session() as session:
            customer = session.get(Customer, customer_id)
            if customer is None or is_erased(customer):  # erased since the customer signed in
                dispatcher.utter_message(response="utter_identity_attempts_exhausted")
                return done + [SlotSet(CUSTOMER_ID_SLOT, None)]
            if request == "withdraw":
                where = Where(channel=tracker.get_latest_input_channel(), conversation_id=tracker.sender_id)
                withdrawn = withdraw_all(session, customer_id, now, where)
                dispatcher.utter_message(response="utter_consent_withdrawn" if withdrawn else "utter_consent_not_in_force")
                # The order in hand may have been picked from the history: forget it too.
                return done + [SlotSet(HISTORY_CONSENT_SLOT, None), SlotSet(ORDER_ID_SLOT, None)]
            if request == "show":
                plain = mode_of(tracker.get_slot(MODE_SLOT)) is Mode.PLAIN
                dispatcher.utter_message(response="utter_data_summary", summary=summary(session, customer, now, plain=plain))
                return done
            number = customer.customer_number
        if request == "export":
            data = export(customer_id, now)
            dispatcher.utter_message(
                response="utter_data_export",
                size=f"{len(json.dumps(data)) / 1024:.1f} kB",
                json_message={"type": "data_export", "media_type": "application/json", "filename": f"fernleaf-data-{number}.json", "data": data},
            )
        else:
            dispatcher.utter_message(response="utter_identified", customer_number=number)
        return done

    def _erase(self, dispatcher: CollectingDispatcher, tracker: Tracker, customer_id: int, now: datetime) -> List[EventType]:
        if tracker.get_slot(ERASE_CONFIRMED_SLOT) is not True:
            dispatcher.utter_message(response="utter_erase_cancelled")
            return []
        erasure = erase_customer(customer_id, now)
        dispatcher.utter_message(response="utter_erased", reference=erasure.reference)
        return [AllSlotsReset(), SlotSet(ERASE_CONVERSATION_SLOT, True)]
