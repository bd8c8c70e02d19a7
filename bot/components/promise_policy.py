"""The shape of Candor's promise policies: a fixed answer to some messages, from any state.

A promise ("a person is one message away", "you can always ask why") is not a pattern to learn
from data; it is a rule that must hold inside forms too. Subclasses say which action comes next
(`_next_action`); this base makes that prediction certain and lets it overrule a running form.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

# Rasa's RulePolicy has priority 6; a promise must win ties with every rule.
PROMISE_PRIORITY = 7


class PromisePolicy(Policy):
    """Predicts `_next_action` with certainty, overruling forms; otherwise leaves the choice to others."""

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
        probabilities = self._default_predictions(domain)
        action = self._next_action(tracker)
        if action is None:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        # Rasa lets a running form overrule every prediction made from user input; a promise must
        # overrule the form too, so it is not marked as based on user input.
        return self._prediction(probabilities, is_no_user_prediction=True)

    def _next_action(self, tracker: DialogueStateTracker) -> Optional[str]:
        """The action the promise requires now, or None."""
        raise NotImplementedError
