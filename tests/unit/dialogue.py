"""Conversations and predictions for testing Candor's dialogue policies outside a trained model."""

from __future__ import annotations

from typing import List, Optional, Type

from rasa.core.policies.policy import Policy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.settings import PROJECT_ROOT

DOMAIN = Domain.load(str(PROJECT_ROOT / "bot" / "domain"))


def create_policy(policy_class: Type[Policy], folder) -> Policy:
    """A policy with its default configuration, as `rasa train` would create it."""
    return policy_class.create(
        policy_class.get_default_config(), LocalModelStorage(folder), Resource(policy_class.__name__), ExecutionContext(GraphSchema({}))
    )


def tracker(*events: Event, slots: Optional[dict] = None) -> DialogueStateTracker:
    """A started session, the given slots, then `events`."""
    history: List[Event] = [ActionExecuted("action_session_start"), ActionExecuted("action_listen")]
    history += [SlotSet(name, value) for name, value in (slots or {}).items()]
    return DialogueStateTracker.from_events("c", history + list(events), slots=DOMAIN.slots)


def user(intent: str) -> UserUttered:
    return UserUttered("...", {"name": intent, "confidence": 1.0})


def predicted(policy: Policy, conversation: DialogueStateTracker) -> Optional[str]:
    """The action `policy` predicts next, or None when it leaves the choice to others."""
    prediction = policy.predict_action_probabilities(conversation, DOMAIN)
    if prediction.max_confidence == 0:
        return None
    return DOMAIN.action_names_or_texts[prediction.max_confidence_index]
