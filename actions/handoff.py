"""A person on request: record the handoff, pause the assistant, say honestly what happens next.

`HumanHandoffPolicy` (bot/components) routes here from any state. The queue and the state of a
handoff are the handoff service's (`bot.handoff`), which writes the request to the shop database
(the agents' queue) before the customer is told anything, so a promise of a person is never made
without a record behind it. These actions choose what the customer is told.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from bot.conversation.names import (
    CONTACT_HUMAN_AGENT_INTENT,
    HANDOFF_WAITING_ACTION,
    REQUESTED_SLOT,
    REQUEST_HUMAN_ACTION,
    STOP_INTENT,
)
from bot.handoff import queue
from bot.handoff.queue import WhileWaiting
from bot.handoff.reasons import reason_for_request


class ActionRequestHuman(Action):
    """Puts the conversation in the queue for a person and pauses the assistant."""

    def name(self) -> Text:
        return REQUEST_HUMAN_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        return queue_for_person(dispatcher, tracker, reason_for_request(tracker.events))


def queue_for_person(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> List[EventType]:
    """Queue the conversation for a person (or move it up for a more urgent reason), then say so."""
    now = datetime.now(timezone.utc)
    try:
        queued = queue.request(tracker.sender_id, reason, now, channel=tracker.get_latest_input_channel())
    except SQLAlchemyError:
        # No record, no promise: tell the customer how to reach a person another way.
        dispatcher.utter_message(response="utter_handoff_failed", **queue.team_contact())
        return _leave_any_form(tracker)
    response = "utter_handoff_requested" if queue.team_is_at_work(now) else "utter_handoff_requested_after_hours"
    # The reason and priority travel with the message, so the audit trail and "why?" can tell.
    dispatcher.utter_message(
        response=response, position=queued.position, handoff={"reason": queued.reason, "priority": queued.priority},
        **queue.team_contact(),
    )
    return _leave_any_form(tracker) + queued.events


class ActionHandoffWaiting(Action):
    """Answers every message while the customer waits for a person, without automating at them."""

    def name(self) -> Text:
        return HANDOFF_WAITING_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        turn = queue.message_while_waiting(tracker.sender_id, withdraw=intent == STOP_INTENT, now=datetime.now(timezone.utc))
        if turn.outcome is WhileWaiting.ENDED:
            dispatcher.utter_message(response="utter_handoff_closed")
        elif turn.outcome is WhileWaiting.WITHDRAWN:
            dispatcher.utter_message(response="utter_handoff_withdrawn")
        elif turn.outcome is WhileWaiting.WAITING:
            if intent == "bot_challenge":
                dispatcher.utter_message(response="utter_iamabot")
            if intent == CONTACT_HUMAN_AGENT_INTENT:
                dispatcher.utter_message(response="utter_handoff_already_waiting", position=turn.position)
            else:
                dispatcher.utter_message(response="utter_handoff_waiting", position=turn.position)
        # With a person: the assistant stays silent; the message is kept for them.
        return turn.events


class ActionShareContactOptions(Action):
    """How to reach the customer-service team, from the policy file."""

    def name(self) -> Text:
        return "action_share_contact_options"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_contact_options", **queue.team_contact())
        return []


def _leave_any_form(tracker: Tracker) -> List[EventType]:
    """A request for a person ends whatever form was running; nothing half-done is kept going."""
    if tracker.active_loop_name:
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
    return []
