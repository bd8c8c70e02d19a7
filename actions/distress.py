"""Answering a customer in distress: care first, a person quickly, and their request kept.

The NLU pipeline's distress detector decides *whether* (its verdict is in the parse result);
this action decides *what to do*, from the category and the policy file:

* `self_harm`, tier one (a clear sign): crisis resources at once, then a person with top
  priority, without asking (`give_crisis_care`). A possible sign (tier two) is asked about
  first: `actions.distress_check`;
* any other category: words that fit it, then the offer of a person (or, if the customer is
  already waiting for one, the reassurance that someone is coming), saying so if nobody is at work.

Whatever was going on stops, but is not dropped: a running form is paused and a request made in
the same message is noted (`actions.distress_resume`), and both carry on if the customer declines
the person. The detection is recorded (category, score, what was done), never the message that
showed it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.distress_resume import set_aside
from actions.handoff import queue_for_person
from bot.conversation.names import RESPOND_TO_DISTRESS_ACTION
from bot.handoff import queue
from bot.handoff.reasons import DISTRESS_REASON, SELF_HARM_REASON
from bot.handoff.state import HandoffState, current_state
from bot.policy import current_policy
from bot.policy_sections import DISTRESS_CATEGORIES
from bot.store.database import open_session
from bot.store.distress import DistressDetection

SELF_HARM = "self_harm"
# When the verdict is missing (a model trained before the detector), care is still the answer.
UNKNOWN_CATEGORY = "emotional_distress"
# What the assistant did, as the detection record and the agent console name it.
CRISIS_CARE = "crisis_resources_and_handoff"

logger = logging.getLogger(__name__)


def verdict(tracker: Tracker) -> Dict[str, Any]:
    """The detector's verdict on the latest message: a known category, its score and its tier."""
    return verdict_of(tracker.latest_message)


def verdict_of(parse_data: Dict[str, Any]) -> Dict[str, Any]:
    """The detector's verdict in one message's parse data (see `verdict`)."""
    found = parse_data.get("distress") or {}
    category, score, tier = found.get("category"), found.get("score"), found.get("tier")
    return {
        "category": category if category in DISTRESS_CATEGORIES else UNKNOWN_CATEGORY,
        "score": float(score) if isinstance(score, (int, float)) else 0.0,
        "tier": tier if isinstance(tier, int) else None,
    }


def record_detection(conversation_id: str, category: str, score: float, response: str) -> None:
    """Keep the fact of the detection for audit and explanation; a failure must not stop the care."""
    try:
        with open_session() as session:
            session.add(
                DistressDetection(
                    conversation_id=conversation_id, category=category, score=score,
                    response=response, detected_at=datetime.now(timezone.utc),
                )
            )
    except SQLAlchemyError as error:
        # The care is already given; the operator must see the gap in the record. By kind only:
        # a database error's text can quote the statement, and so what the customer wrote.
        logger.error(
            "Could not record a %s distress detection (%s) in conversation %s: %s.",
            category, response, conversation_id, type(error).__name__,
        )


def person_is_with_them(conversation_id: str) -> bool:
    """An agent has already taken the conversation: they read every message, no new queueing."""
    return current_state(conversation_id) is HandoffState.WITH_PERSON


def is_waiting_for_person(conversation_id: str) -> bool:
    """The customer is in the queue for a person (the handoffs table says so, not a copy of it)."""
    return current_state(conversation_id) is HandoffState.WAITING


def give_crisis_care(dispatcher: CollectingDispatcher, tracker: Tracker, score: float, response: str) -> List[EventType]:
    """Tier one: crisis resources from the policy at once, then a person at the front of the queue."""
    resources = current_policy().distress.describe_crisis_resources()
    dispatcher.utter_message(response="utter_distress_self_harm", resources=resources)
    record_detection(tracker.sender_id, SELF_HARM, score, response)
    if person_is_with_them(tracker.sender_id):
        return []
    return queue_for_person(dispatcher, tracker, SELF_HARM_REASON)


class ActionRespondToDistress(Action):
    def name(self) -> Text:
        return RESPOND_TO_DISTRESS_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        found = verdict(tracker)
        category = found["category"]
        if category == SELF_HARM:
            return give_crisis_care(dispatcher, tracker, found["score"], CRISIS_CARE)
        dispatcher.utter_message(response=f"utter_distress_{category}")
        if person_is_with_them(tracker.sender_id):
            dispatcher.utter_message(response="utter_distress_person_here")
            record_detection(tracker.sender_id, category, found["score"], "told_person_is_here")
            return []
        if is_waiting_for_person(tracker.sender_id):
            return self._reassure(dispatcher, tracker, category, found["score"])
        if not queue.team_is_at_work(datetime.now(timezone.utc)):
            dispatcher.utter_message(response="utter_distress_after_hours", **queue.team_contact())
        dispatcher.utter_message(response="utter_distress_offer_person")
        record_detection(tracker.sender_id, category, found["score"], "offered_person")
        return set_aside(tracker, domain)

    def _reassure(self, dispatcher: CollectingDispatcher, tracker: Tracker, category: str, score: float) -> List[EventType]:
        queue_for_person(CollectingDispatcher(), tracker, DISTRESS_REASON)  # moves them up; they already know they're queued
        dispatcher.utter_message(response="utter_distress_person_coming", position=place_in_queue(tracker.sender_id))
        record_detection(tracker.sender_id, category, score, "told_person_is_coming")
        return []


def place_in_queue(conversation_id: str) -> Optional[int]:
    """Where a waiting customer is in the queue for a person (first if the record can't say)."""
    return queue.position(conversation_id) or 1
