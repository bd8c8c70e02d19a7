"""A person on request: record the handoff, pause the assistant, say honestly what happens next.

`HumanHandoffPolicy` (bot/components) routes here from any state. The request is written to the
shop database (the agents' queue) before the customer is told anything, so a promise of a person
is never made without a record behind it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from bot.conversation.names import (
    ANSWER_SELF_HARM_CHECK_ACTION,
    ASK_ABOUT_SELF_HARM_ACTION,
    CONTACT_HUMAN_AGENT_INTENT,
    HANDLE_FALLBACK_ACTION,
    HANDOFF_STATUS_SLOT,
    HANDOFF_WAITING_ACTION,
    REQUESTED_SLOT,
    REQUEST_HUMAN_ACTION,
    RESPOND_TO_DISTRESS_ACTION,
    RESUME_REQUEST_ACTION,
    STOP_INTENT,
)
from bot.policy import current_policy
from bot.store.database import open_session
from bot.store.handoffs import HandoffStatus, cancel_handoff, open_handoff, queue_position, raise_priority, request_handoff

WAITING = "waiting"
OFFER_ACTION = "utter_offer_human"
DEFAULT_REASON = "customer_request"
# When the customer accepts a person the assistant offered, the offer's context is the reason.
REASON_BY_OFFERING_ACTION = {
    HANDLE_FALLBACK_ACTION: "repeated_misunderstanding",
    "utter_acknowledge_complaint": "complaint",
}
# Actions that make the offer themselves, and the reason a yes to it gives. A person asked for
# from the self-harm question comes first in the queue: the possible risk was not ruled out.
REASON_BY_SELF_OFFERING_ACTION = {
    RESPOND_TO_DISTRESS_ACTION: "distress",
    ASK_ABOUT_SELF_HARM_ACTION: "distress_self_harm",
    ANSWER_SELF_HARM_CHECK_ACTION: "distress",
    RESUME_REQUEST_ACTION: "distress",
}


def handoff_reason(tracker: Tracker) -> str:
    """Why this customer is being passed to a person, read from the turn before they asked."""
    bot_actions = _actions_since_previous_user_message(tracker)
    for action in reversed(bot_actions):
        if action in REASON_BY_SELF_OFFERING_ACTION:
            return REASON_BY_SELF_OFFERING_ACTION[action]
    if OFFER_ACTION in bot_actions:
        offered_after = bot_actions[: bot_actions.index(OFFER_ACTION)]
        for action in reversed(offered_after):
            if action in REASON_BY_OFFERING_ACTION:
                return REASON_BY_OFFERING_ACTION[action]
    return DEFAULT_REASON


def _actions_since_previous_user_message(tracker: Tracker) -> List[str]:
    """Names of the actions the assistant ran between the last two customer messages, in order."""
    actions: List[str] = []
    user_messages_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            user_messages_seen += 1
            if user_messages_seen == 2:
                break
        elif event.get("event") == "action" and user_messages_seen == 1:
            actions.append(event.get("name"))
    return list(reversed(actions))


def _contact() -> Dict[str, str]:
    handoff = current_policy().handoff
    return {
        "email": handoff.contact.email,
        "phone": handoff.contact.phone,
        "hours": handoff.hours.describe(),
    }


class ActionRequestHuman(Action):
    """Puts the conversation in the queue for a person and pauses the assistant."""

    def name(self) -> Text:
        return REQUEST_HUMAN_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        return queue_for_person(dispatcher, tracker, handoff_reason(tracker))


def queue_for_person(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> List[EventType]:
    """Queue the conversation for a person (or move it up for a more urgent reason), then say so."""
    policy = current_policy().handoff
    now = datetime.now(timezone.utc)
    priority = policy.priority_for(reason)
    try:
        with open_session() as session:
            handoff = request_handoff(
                session, tracker.sender_id, reason, now, priority=priority, channel=tracker.get_latest_input_channel()
            )
            raise_priority(session, handoff, priority, reason, now)
            position = queue_position(session, handoff)
    except SQLAlchemyError:
        # No record, no promise: tell the customer how to reach a person another way.
        dispatcher.utter_message(response="utter_handoff_failed", **_contact())
        return _leave_any_form(tracker)
    response = "utter_handoff_requested" if policy.hours.is_open(now) else "utter_handoff_requested_after_hours"
    # The reason and priority travel with the message, so the audit trail and "why?" can tell.
    dispatcher.utter_message(
        response=response, position=position, handoff={"reason": reason, "priority": priority}, **_contact()
    )
    return _leave_any_form(tracker) + [SlotSet(HANDOFF_STATUS_SLOT, WAITING)]


class ActionHandoffWaiting(Action):
    """Answers every message while the customer waits for a person, without automating at them."""

    def name(self) -> Text:
        return HANDOFF_WAITING_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        now = datetime.now(timezone.utc)
        with open_session() as session:
            handoff = open_handoff(session, tracker.sender_id)
            if handoff is None:
                dispatcher.utter_message(response="utter_handoff_closed")
                return [SlotSet(HANDOFF_STATUS_SLOT, None)]
            if handoff.status is HandoffStatus.ASSIGNED:
                return []  # a person is answering: the assistant stays silent; the message is kept for them
            if intent == STOP_INTENT:
                cancel_handoff(session, tracker.sender_id, now)
                dispatcher.utter_message(response="utter_handoff_withdrawn")
                return [SlotSet(HANDOFF_STATUS_SLOT, None)]
            position = queue_position(session, handoff)
        if intent == "bot_challenge":
            dispatcher.utter_message(response="utter_iamabot")
        if intent == CONTACT_HUMAN_AGENT_INTENT:
            dispatcher.utter_message(response="utter_handoff_already_waiting", position=position)
        else:
            dispatcher.utter_message(response="utter_handoff_waiting", position=position)
        return []


class ActionShareContactOptions(Action):
    """How to reach the customer-service team, from the policy file."""

    def name(self) -> Text:
        return "action_share_contact_options"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_contact_options", **_contact())
        return []


def _leave_any_form(tracker: Tracker) -> List[EventType]:
    """A request for a person ends whatever form was running; nothing half-done is kept going."""
    if tracker.active_loop_name:
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
    return []
