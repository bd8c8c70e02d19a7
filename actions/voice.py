"""How fast the assistant speaks on a call: "speak slower" and "speak faster".

The pace is a number of steps from the configured rate, kept in the `speech_pace` slot for the
rest of the conversation. The action only counts steps; the voice channel turns them into words
a minute (bot/channels/voice.py), so the same data works whatever voice a team configures.
"""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.conversation.names import CHANGE_SPEECH_PACE_ACTION, SPEECH_PACE_SLOT

SLOWEST, FASTEST = -3, 3


class ActionChangeSpeechPace(Action):
    """Moves the pace one step slower or faster, and says so, or says it is already at the limit."""

    def name(self) -> Text:
        return CHANGE_SPEECH_PACE_ACTION

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        slower = (tracker.latest_message.get("intent") or {}).get("name") == "speak_slower"
        pace = int(tracker.get_slot(SPEECH_PACE_SLOT) or 0)
        limit = SLOWEST if slower else FASTEST
        if pace == limit:
            dispatcher.utter_message(response="utter_speaking_slowest" if slower else "utter_speaking_fastest")
            return []
        dispatcher.utter_message(response="utter_speaking_slower" if slower else "utter_speaking_faster")
        return [SlotSet(SPEECH_PACE_SLOT, float(pace - 1 if slower else pace + 1))]
