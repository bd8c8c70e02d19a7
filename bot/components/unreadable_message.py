"""Messages the assistant cannot read are said to be not understood, never guessed at.

An empty message, whitespace, a row of emoji, or text in a script the assistant does not read
(Arabic or Hebrew for an English assistant) has no words the intent classifier knows, yet the
classifier still names its nearest intent, sometimes confidently. This classifier runs after the
others and sets Rasa's `nlu_fallback` intent for such messages, the way Rasa's own
FallbackClassifier does for low confidence, so the customer hears "sorry, I didn't understand"
instead of an answer to a question they did not ask.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UnreadableMessageClassifier(GraphComponent, IntentClassifier):
    """Sets `nlu_fallback` when a message has no letters (or digits) of the assistant's language."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # A message is readable if it contains at least one character matching this:
            # a Latin letter, or a digit (an order number on its own is an answer).
            "readable_characters": "[A-Za-z0-9]",
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.readable = re.compile(config["readable_characters"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UnreadableMessageClassifier:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if self.readable.search(message.get(TEXT) or ""):
                continue
            # Button payloads (`/intent{...}`) are read afterwards by Rasa's RegexMessageHandler,
            # which overrides this, so buttons keep working.
            fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.data[INTENT] = fallback
            message.data[INTENT_RANKING_KEY] = [fallback] + list(message.data.get(INTENT_RANKING_KEY) or [])
        return messages
