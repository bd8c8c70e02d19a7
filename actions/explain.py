"""Accountability in conversation: "why?", "what are you?", and "that's wrong".

* "Why?" is answered from the conversation's own events (`bot.explain`): what the assistant
  understood and how sure it was, what chose its reply, what it used and under which consent.
  The same explanation travels as data in the message's custom payload for the web widget.
* "What can you do / how do you work / what can't you do" are answered from `bot/policy.yml`.

Both are composed of domain responses (`bot/domain/explain.yml`): the action chooses the sentences
and fills them; the NLG words them for the customer's mode and joins them (`bot.nlg`).
* "That's wrong" gets an apology and a person on offer; the turn it refers to is named in the
  message's metadata, so the audit trail files it for review (`candor review`).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.conversation.events import latest_customer_message
from bot.conversation.names import EXPLAIN_DECISION_ACTION, REQUESTED_SLOT, TAKE_FEEDBACK_ACTION
from bot.conversation.turns import META_INTENTS, turns_of
from bot.explain.descriptions import vocabulary
from bot.explain.explanation import explain_previous_turn
from bot.explain.wording import EXPLANATION_RESPONSE, Sentence, explanation_sentences
from bot.nlg import SENTENCES
from bot.policy import Policy, current_policy

# The response that ends every description of the assistant: a person is always available.
DESCRIBED_RESPONSE = "utter_assistant_described"


class ActionExplainDecision(Action):
    """Explains the previous turn from what was recorded, or says that nothing was."""

    def name(self) -> Text:
        return EXPLAIN_DECISION_ACTION

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        explanation = explain_previous_turn(
            tracker.events, vocabulary(), tracker.get_slot(REQUESTED_SLOT), about_message_id(tracker.events)
        )
        if not explanation.recorded:
            dispatcher.utter_message(response="utter_nothing_to_explain")
            return []
        # Explanations are written plainly for everyone; a screen reader gets them rendered for it (the NLG).
        dispatcher.utter_message(
            response=EXPLANATION_RESPONSE,
            json_message={"explanation": explanation.as_dict()},
            **{SENTENCES: explanation_sentences(explanation)},
        )
        return []


def describe_assistant(topic: Optional[str], policy: Policy) -> List[Sentence]:
    """What the assistant is, can, can't and how it works, in the policy's own words: the sentences
    before `DESCRIBED_RESPONSE` (which says when the team works)."""
    about = policy.assistant

    def words(text: str) -> Sentence:
        return {"response": "utter_part_about_policy_words", "words": text}

    if topic == "ask_limits":
        return [words(text) for text in about.cannot]
    if topic == "ask_how_it_works":
        kept = {"response": "utter_part_about_keeps_chats", "conversations_days": policy.privacy.retention.conversations_days}
        return [words(about.purpose), *(words(text) for text in about.how_it_works), kept]
    return [words(about.purpose), *({"response": "utter_part_about_can", "ability": ability} for ability in about.can)]


class ActionDescribeAssistant(Action):
    """Answers "what can you do", "how do you work" and "what can't you do" from the policy file."""

    def name(self) -> Text:
        return "action_describe_assistant"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        topic = (tracker.latest_message.get("intent") or {}).get("name")
        policy = current_policy()
        hours = policy.handoff.hours.describe()
        dispatcher.utter_message(response=DESCRIBED_RESPONSE, hours=hours, **{SENTENCES: describe_assistant(topic, policy)})
        return []


def about_message_id(events: List[Dict[str, Any]]) -> Optional[str]:
    """The earlier message a "why?" or "that's wrong" is about, when the channel names one.

    The web widget puts `{"about": {"message_id": ...}}` in the metadata of a "Why?" pressed on an
    older answer, naming the customer message that answer replied to.
    """
    latest = latest_customer_message(events) or {}
    about = (latest.get("metadata") or {}).get("about")
    named = about.get("message_id") if isinstance(about, dict) else None
    return named if isinstance(named, str) and named else None


def flagged_message_id(events: List[Dict[str, Any]]) -> Optional[str]:
    """The message the customer says was answered wrongly: the one they named, or else the latest
    before theirs that asked for something."""
    turns = [turn for turn in turns_of(events) if turn.user is not None]
    named = about_message_id(events)
    if named and any(turn.user.message_id == named for turn in turns[:-1]):
        return named
    for turn in reversed(turns[:-1]):
        if turn.user.intent not in META_INTENTS:
            return turn.user.message_id
    return None


class ActionTakeFeedback(Action):
    """Apologises, offers a person, and names the turn to review in the message's metadata."""

    def name(self) -> Text:
        return TAKE_FEEDBACK_ACTION

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        response = "utter_wrong_answer_noted_in_form" if tracker.active_loop_name else "utter_wrong_answer_noted"
        dispatcher.utter_message(response=response, review={"flagged_message_id": flagged_message_id(tracker.events)})
        return []
