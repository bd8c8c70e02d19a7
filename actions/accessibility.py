"""The customer's accessibility mode, read from the channel's metadata on every message.

Rasa runs this action (a custom slot mapping of `accessibility_mode`) while it extracts slots from
each message, so a web widget's "plain language" toggle takes effect on the very message that
carries it. Chat commands set the slot through their own mappings in the domain.
"""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from accessibility.modes import MODE_SLOT, mode_from_metadata
from bot.conversation.events import latest_customer_message


class ActionReadAccessibilityMode(Action):
    """Sets the mode the channel asked for, when it differs from the one in force."""

    def name(self) -> Text:
        return "action_read_accessibility_mode"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        latest = latest_customer_message(tracker.events) or {}
        asked = mode_from_metadata(latest.get("metadata"))
        if asked is None or asked.value == tracker.get_slot(MODE_SLOT):
            return []
        return [SlotSet(MODE_SLOT, asked.value)]
