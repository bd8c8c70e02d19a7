"""Running rasa-sdk actions directly, against a real seeded SQLite shop database."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.utils import call_potential_coroutine

from bot.settings import PROJECT_ROOT

DOMAIN: Dict[str, Any] = Domain.load(str(PROJECT_ROOT / "bot" / "domain")).as_dict()


@dataclass
class Outcome:
    """What an action said (response names and their values) and the events it returned."""

    messages: List[Dict[str, Any]]
    events: List[Dict[str, Any]]

    @property
    def responses(self) -> List[Optional[str]]:
        return [message.get("response") for message in self.messages]

    def worded(self, index: int = 0) -> Dict[str, Any]:
        """Message `index` as the customer reads it in the standard mode: its response worded by the NLG."""
        from accessibility.modes import Mode
        from bot.nlg import worded_response

        message = self.messages[index]
        values = {key: value for key, value in message.items() if key not in ("response", "text", "buttons") and value is not None}
        worded = worded_response(message["response"], Mode.STANDARD, **values)
        return {**message, **worded, "buttons": [*(worded.get("buttons") or []), *(message.get("buttons") or [])]}

    def slot(self, name: str) -> Any:
        values = [e["value"] for e in self.events if e.get("event") == "slot" and e.get("name") == name]
        assert values, f"the action did not set {name!r}"
        return values[-1]


def make_tracker(
    slots: Optional[Dict[str, Any]] = None,
    intent: str = "inform",
    events: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
    sender_id: str = "test-conversation",
) -> Tracker:
    latest_message = {"text": "", "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    events = events if events is not None else [{"event": "user", "text": "", "parse_data": latest_message}]
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message=latest_message,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def rechecked_in(form: str) -> List[Dict[str, Any]]:
    """The events of a run of `form` in which the customer gave the account's postcode again."""
    return [
        {"event": "active_loop", "name": form},
        {"event": "slot", "name": "identity_rechecked", "value": True},
        {"event": "active_loop", "name": None},
    ]


def run(action: Action, tracker: Tracker) -> Outcome:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(call_potential_coroutine(action.run(dispatcher, tracker, DOMAIN)))
    # Events carry `timestamp: None` until Rasa stamps them; leave that out of comparisons.
    events = [{k: v for k, v in event.items() if not (k == "timestamp" and v is None)} for event in events or []]
    return Outcome(dispatcher.messages, events)


@pytest.fixture(autouse=True)
def _every_action_test_has_its_own_shop(shop_database: str) -> str:
    return shop_database
