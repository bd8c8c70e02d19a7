"""Things a customer can say at any moment and always be answered: "why?" and "that's wrong".

A customer may ask why the assistant did something, or say it got something wrong, in the middle
of a form as easily as after a greeting. Rasa's rules would need one rule per form for each; this
policy keeps the promise everywhere from one line of configuration:

* when the latest message has one of the configured intents, its action runs next, whatever state
  the conversation is in;
* afterwards a running form carries on where it was (Rasa's RulePolicy asks its question again),
  and otherwise the assistant listens.

While a person has been asked for, the HumanHandoffPolicy (listed first, same priority) wins, so
the assistant does not automate at someone who is waiting for a person. It learns nothing from
data; which intent leads to which action is configuration (`config.yml`).
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.components.promise_policy import PROMISE_PRIORITY, PromisePolicy
from bot.conversation.names import (
    ASK_WHY_INTENT,
    EXPLAIN_DECISION_ACTION,
    REPORT_WRONG_ANSWER_INTENT,
    TAKE_FEEDBACK_ACTION,
)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class AnytimePolicy(PromisePolicy):
    """Runs the configured action for an intent that may come at any moment, forms included."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "priority": PROMISE_PRIORITY,
            "actions_for_intents": {
                ASK_WHY_INTENT: EXPLAIN_DECISION_ACTION,
                REPORT_WRONG_ANSWER_INTENT: TAKE_FEEDBACK_ACTION,
            },
        }

    def _next_action(self, tracker: DialogueStateTracker) -> Optional[str]:
        actions: Dict[str, str] = self.config["actions_for_intents"]
        if tracker.latest_action_name in actions.values():
            # A form picks up where it was; otherwise the customer has the next word.
            return None if tracker.active_loop_name else ACTION_LISTEN_NAME
        if tracker.latest_action_name != ACTION_LISTEN_NAME or tracker.latest_message is None:
            return None
        return actions.get(tracker.latest_message.intent.get(INTENT_NAME_KEY))
