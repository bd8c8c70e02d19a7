"""A person is always one message away: a dialogue policy no learned policy can override.

Rasa's rules already route a request for a person, but inside a form Rasa runs the form first
and a learned policy may win elsewhere. This policy makes the promise unconditional:

* when the latest message asks for a person, the handoff action runs next, whatever state the
  conversation is in (forms included);
* when the NLU pipeline's distress detector has fired (intent `distress`), the distress action
  runs next, whatever state the conversation is in, even while waiting for a person: someone in
  distress is answered with care and offered (or, at risk, given) a person, never pushed on
  through a form;
* while a person has been asked for, every message goes to the waiting action, which keeps it for
  the agent and tells the customer what is happening. The assistant does not automate at someone
  who is waiting for a person.

It learns nothing from data; names of intents, actions and slots are configuration.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.components.promise_policy import PROMISE_PRIORITY, PromisePolicy


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class HumanHandoffPolicy(PromisePolicy):
    """Routes requests for a person, distress, and everything said while waiting for a person."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "priority": PROMISE_PRIORITY,
            "request_intent": "contact_human_agent",
            "request_action": "action_request_human",
            "waiting_action": "action_handoff_waiting",
            "distress_intent": "distress",
            "distress_action": "action_respond_to_distress",
            "status_slot": "handoff_status",
            "waiting_status": "waiting",
        }

    def _next_action(self, tracker: DialogueStateTracker) -> Optional[str]:
        request_action = self.config["request_action"]
        waiting_action = self.config["waiting_action"]
        distress_action = self.config["distress_action"]
        if tracker.latest_action_name in (request_action, waiting_action, distress_action):
            return ACTION_LISTEN_NAME
        if tracker.latest_action_name != ACTION_LISTEN_NAME or tracker.latest_message is None:
            return None
        if tracker.latest_message.intent.get(INTENT_NAME_KEY) == self.config["distress_intent"]:
            return distress_action
        if tracker.get_slot(self.config["status_slot"]) == self.config["waiting_status"]:
            return waiting_action
        if tracker.latest_message.intent.get(INTENT_NAME_KEY) == self.config["request_intent"]:
            return request_action
        return None
