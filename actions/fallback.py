"""Not understanding, said plainly; a person offered once it keeps happening.

The count is read from the conversation itself (consecutive messages the NLU could not
classify), and the limit from `bot/policy.yml`, so nothing is remembered beside the tracker.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from bot.conversation.events import current_session, customer_messages_in_a_row
from bot.conversation.names import HANDLE_FALLBACK_ACTION, NLU_FALLBACK_INTENT
from bot.policy import current_policy


def misunderstandings_in_a_row(tracker: Tracker) -> int:
    """How many of the customer's latest messages in this session were not understood."""
    return len(customer_messages_in_a_row(current_session(tracker.events), NLU_FALLBACK_INTENT))


class ActionHandleFallback(Action):
    """Asks the customer to rephrase, and offers a person after repeated misunderstandings."""

    def name(self) -> Text:
        return HANDLE_FALLBACK_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if misunderstandings_in_a_row(tracker) >= current_policy().handoff.offer_after_misunderstandings:
            dispatcher.utter_message(response="utter_still_not_understood")
            return [FollowupAction("utter_offer_human")]
        dispatcher.utter_message(response="utter_please_rephrase")
        return []
