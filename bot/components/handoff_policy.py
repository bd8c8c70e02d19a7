"""A person is always one message away: a dialogue policy no learned policy can override.

Rasa's rules already route a request for a person, but inside a form Rasa runs the form first
and a learned policy may win elsewhere. This policy makes the promise unconditional:

* when the latest message asks for a person, the handoff action runs next, whatever state the
  conversation is in (forms included);
* when the NLU pipeline's distress detector has fired (intent `distress`), the distress action
  runs next, whatever state the conversation is in, even while waiting for a person: someone in
  distress is answered with care and offered (or, at risk, given) a person, never pushed on
  through a form;
* when it saw a possible sign of self-harm (intent `self_harm_check`), the assistant asks
  directly, from any state too; the customer's yes or no to that question is answered next,
  whatever else is going on (a yes gets crisis resources even from someone already waiting).
  After a no, a task that was resumed (a form) asks its question again;
* while a person has been asked for, every message goes to the waiting action, which keeps it for
  the agent and tells the customer what is happening. The assistant does not automate at someone
  who is waiting for a person. Whether one has been asked for is the handoff service's answer
  (`bot.handoff`), copied into a slot because a graph component cannot read the store.

It learns nothing from data; names of intents, actions and slots are configuration.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.components.promise_policy import PROMISE_PRIORITY, PromisePolicy
from bot.conversation.names import (
    AFFIRM_INTENT,
    ANSWER_SELF_HARM_CHECK_ACTION,
    ASK_ABOUT_SELF_HARM_ACTION,
    CHANGE_SPEECH_PACE_ACTION,
    CONTACT_HUMAN_AGENT_INTENT,
    DENY_INTENT,
    DISTRESS_INTENT,
    EXPLAIN_DECISION_ACTION,
    HANDOFF_STATUS_SLOT,
    HANDOFF_WAITING_ACTION,
    REQUEST_HUMAN_ACTION,
    RESPOND_TO_DISTRESS_ACTION,
    SELF_HARM_CHECK_INTENT,
    TAKE_FEEDBACK_ACTION,
)
from bot.handoff.slot import person_is_due


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class HumanHandoffPolicy(PromisePolicy):
    """Routes requests for a person, distress, and everything said while waiting for a person."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "priority": PROMISE_PRIORITY,
            "request_intent": CONTACT_HUMAN_AGENT_INTENT,
            "request_action": REQUEST_HUMAN_ACTION,
            "waiting_action": HANDOFF_WAITING_ACTION,
            "distress_intent": DISTRESS_INTENT,
            "distress_action": RESPOND_TO_DISTRESS_ACTION,
            "self_harm_check_intent": SELF_HARM_CHECK_INTENT,
            "self_harm_check_action": ASK_ABOUT_SELF_HARM_ACTION,
            # The customer's answer to that question, read only right after it was asked...
            "self_harm_answer_intents": [AFFIRM_INTENT, DENY_INTENT],
            "self_harm_answer_action": ANSWER_SELF_HARM_CHECK_ACTION,
            # ...or after an aside that leaves it open ("why are you asking?", simpler words).
            "asides": [
                EXPLAIN_DECISION_ACTION, TAKE_FEEDBACK_ACTION, "utter_mode_plain",
                "utter_mode_screen_reader", "utter_mode_standard", CHANGE_SPEECH_PACE_ACTION,
            ],
            "status_slot": HANDOFF_STATUS_SLOT,
        }

    def _next_action(self, tracker: DialogueStateTracker) -> Optional[str]:
        config = self.config
        check_action = config["self_harm_check_action"]
        own_actions = (config["request_action"], config["waiting_action"], config["distress_action"], check_action)
        if tracker.latest_action_name in own_actions:
            return ACTION_LISTEN_NAME
        if tracker.latest_action_name == config["self_harm_answer_action"]:
            # After a no, the customer's form was resumed: Rasa's RulePolicy asks its question again.
            return None if tracker.active_loop_name else ACTION_LISTEN_NAME
        if tracker.latest_action_name != ACTION_LISTEN_NAME or tracker.latest_message is None:
            return None
        intent = tracker.latest_message.intent.get(INTENT_NAME_KEY)
        if intent == config["distress_intent"]:
            return config["distress_action"]
        if intent == config["self_harm_check_intent"]:
            return check_action
        if intent in config["self_harm_answer_intents"] and _last_question(tracker, config["asides"]) == check_action:
            return config["self_harm_answer_action"]
        if person_is_due(tracker.get_slot(config["status_slot"])):
            return config["waiting_action"]
        if intent == config["request_intent"]:
            return config["request_action"]
        return None


def _last_question(tracker: DialogueStateTracker, asides: List[str]) -> Optional[str]:
    """The last thing the assistant did before the customer's latest message, not counting
    listening or asides, which answer a question of the customer's and leave the assistant's open."""
    event = tracker.get_last_event_for(ActionExecuted, action_names_to_exclude=[ACTION_LISTEN_NAME, *asides])
    return event.action_name if event is not None else None
