"""A conversation held in process, message by message, for actions that span several turns.

Each `say` is a customer message as the NLU pipeline left it (intent, the classifier's ranking,
entities, the distress detector's verdict), with the slots Rasa would extract from it; each `run`
is an action, whose events update the conversation as Rasa would apply them. `form` hands the
same conversation to `FormConversation` to drive a form the way Rasa drives it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.utils import call_potential_coroutine

from tests.actions.conftest import DOMAIN, Outcome
from tests.actions.forms import FormConversation


@dataclass
class Chat:
    sender_id: str = "chat"
    slots: Dict[str, Any] = field(default_factory=dict)
    events: List[Dict[str, Any]] = field(default_factory=list)

    def say(
        self,
        intent: str,
        ranking: Sequence[Tuple[str, float]] = (),
        distress: Optional[Dict[str, Any]] = None,
        entities: Sequence[Tuple[str, str]] = (),
        text: str = "",
        **extracted: Any,
    ) -> None:
        """A customer message, and the slots Rasa's slot extraction sets from it."""
        parse_data = parsed(intent, ranking, distress, entities, text)
        self.events.append({"event": "action", "name": "action_listen"})
        self.events.append({"event": "user", "text": text, "parse_data": parse_data})
        self._apply([{"event": "slot", "name": name, "value": value} for name, value in extracted.items()])

    def run(self, action: Action) -> Outcome:
        """Run `action` on the conversation so far; Rasa logs it, then applies its events."""
        dispatcher = CollectingDispatcher()
        events = asyncio.run(call_potential_coroutine(action.run(dispatcher, self.tracker(), DOMAIN)))
        events = [{k: v for k, v in event.items() if not (k == "timestamp" and v is None)} for event in events or []]
        self.events.append({"event": "action", "name": action.name()})
        self._apply(events)
        return Outcome(dispatcher.messages, events)

    def form(self, form: str, validation: FormValidationAction) -> FormConversation:
        """The same conversation, with `form` driven from here on (events and slots shared)."""
        return FormConversation(form, validation, self.sender_id, self.slots, self.events)

    @property
    def active_loop(self) -> Optional[str]:
        for event in reversed(self.events):
            if event.get("event") == "active_loop":
                return event.get("name")
        return None

    def tracker(self) -> Tracker:
        latest = next((event for event in reversed(self.events) if event.get("event") == "user"), {})
        active = self.active_loop
        return Tracker(
            sender_id=self.sender_id,
            slots=dict(self.slots),
            latest_message=dict(latest.get("parse_data") or {}),
            events=list(self.events),
            paused=False,
            followup_action=None,
            active_loop={"name": active} if active else {},
            latest_action_name=next(
                (event["name"] for event in reversed(self.events) if event.get("event") == "action"), None
            ),
        )

    def _apply(self, events: List[Dict[str, Any]]) -> None:
        for event in events:
            self.events.append(event)
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]


def parsed(
    intent: str,
    ranking: Sequence[Tuple[str, float]] = (),
    distress: Optional[Dict[str, Any]] = None,
    entities: Sequence[Tuple[str, str]] = (),
    text: str = "",
) -> Dict[str, Any]:
    """What the NLU pipeline makes of a message: the intent, its ranking, entities and the distress verdict."""
    ranking = list(ranking) or [(intent, 1.0)]
    return {
        "text": text,
        "intent": {"name": intent, "confidence": ranking[0][1]},
        "intent_ranking": [{"name": name, "confidence": confidence} for name, confidence in ranking],
        "entities": [{"entity": entity, "value": value} for entity, value in entities],
        "distress": distress or {"category": None, "score": 0.01, "tier": None},
    }
