"""Every conversation session opens by saying, truthfully, that the customer is talking to a machine.

Rasa runs `action_session_start` before the first message of every session, on every channel,
so the disclosure cannot be skipped by a flow, a policy or a channel. The text and its version
come from `bot/policy.yml`, in the domain response `utter_ai_disclosure`, worded by the NLG for the
mode the channel asks for (`bot.nlg.worded_response`); the version shown is recorded in the
conversation.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, BotUttered, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from accessibility.modes import Mode, mode_from_metadata
from bot.conversation.names import SESSION_START_ACTION
from bot.nlg import worded_response
from bot.policy import current_policy

NOTICE_SLOT = "ai_notice_version"


class ActionSessionStart(Action):
    """Starts the session with the AI disclosure as its first bot message."""

    def name(self) -> Text:
        return SESSION_START_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        notice = current_policy().notices.ai_disclosure
        # The channel may ask for a mode with the message that starts the session (a widget toggle).
        mode = mode_from_metadata(tracker.get_slot("session_started_metadata")) or Mode.STANDARD
        # The policy holds both wordings of the notice, versioned; the response words it for the mode.
        disclosure = worded_response("utter_ai_disclosure", mode, notice=notice.wording(plain=mode is Mode.PLAIN))["text"]
        # Returned as an event after SessionStarted (not through the dispatcher, whose messages
        # Rasa puts first) so the disclosure belongs to the session it opens.
        return [
            SessionStarted(),
            SlotSet(NOTICE_SLOT, notice.version),
            BotUttered(
                text=disclosure,
                metadata={"notice": "ai_disclosure", "notice_version": notice.version},
            ),
            ActionExecuted("action_listen"),
        ]
