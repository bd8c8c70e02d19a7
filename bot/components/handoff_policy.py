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

from typing import Any, Dict, List, Optional

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

# Rasa's RulePolicy has priority 6; a person on request must win ties with every rule.
DEFAULT_PRIORITY = 7


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class HumanHandoffPolicy(Policy):
    """Routes requests for a person, distress, and everything said while waiting for a person."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "priority": DEFAULT_PRIORITY,
            "request_intent": "contact_human_agent",
            "request_action": "action_request_human",
            "waiting_action": "action_handoff_waiting",
            "distress_intent": "distress",
            "distress_action": "action_respond_to_distress",
            "status_slot": "handoff_status",
            "waiting_status": "waiting",
        }

    def train(
        self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        """Nothing to learn: the behaviour is a promise, not a pattern in data."""
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[str, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        action = self._next_action(tracker)
        if action is None:
            return self._prediction(self._default_predictions(domain))
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(action)] = 1.0
        # Rasa lets a running form overrule every prediction made from user input; a request
        # for a person must overrule the form too, so it is not marked as based on user input.
        return self._prediction(probabilities, is_no_user_prediction=True)

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
