"""A form driven turn by turn the way Rasa drives it, in process: activation, answers, submit.

Rasa calls a form's validation action with the conversation's events, the slot candidates of
this turn at the end of them, and the form's activation (`active_loop`) somewhere before. This
driver keeps those events and slots between turns, so a test can hold a whole conversation
(or start a new one with the same customer) without a server.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.utils import call_potential_coroutine

from tests.actions.conftest import DOMAIN, Outcome


@dataclass
class Turn:
    """What the form said in one turn, and which slot it asks for next (None: the form is done)."""

    responses: List[Optional[str]]
    messages: List[Dict[str, Any]]
    requested: Optional[str]


@dataclass
class FormConversation:
    """One conversation with one form in it; `sender_id` is the conversation id."""

    form: str
    validation: FormValidationAction
    sender_id: str = "conversation-1"
    slots: Dict[str, Any] = field(default_factory=dict)
    events: List[Dict[str, Any]] = field(default_factory=list)
    intent: str = "inform"

    @property
    def requested(self) -> Optional[str]:
        return self.slots.get("requested_slot")

    @property
    def active(self) -> bool:
        return self._active_loop() == self.form

    def start(self, intent: str, **prefilled: Any) -> Turn:
        """The customer asks for what the form does; slots mapped from that message come with it."""
        self.intent = intent
        self.events.append(self._user_event(intent))
        self.events.append({"event": "active_loop", "name": self.form})
        self.slots["requested_slot"] = None
        return self._validate(prefilled)

    def answer(self, value: Any, intent: str = "inform") -> Turn:
        """The customer answers the slot the form asked for."""
        slot = self.requested
        assert slot is not None and self.active, f"{self.form} is not asking for anything"
        self.intent = intent
        self.events.append(self._user_event(intent))
        self.events.append({"event": "action", "name": self.form})
        return self._validate({slot: value})

    def carry_on(self) -> Turn:
        """The form runs again after another action ran in its place (a form set aside, then
        resumed): as in Rasa's unhappy path, nothing new is validated and it asks for what is missing."""
        assert self.active, f"{self.form} is not active"
        self.events.append({"event": "action", "name": self.form})
        return self._validate({})

    def submit(self, action: Action) -> Outcome:
        """The action the form's rule runs once the form is done."""
        return self.run(action)

    def run(self, action: Action) -> Outcome:
        dispatcher = CollectingDispatcher()
        events = asyncio.run(call_potential_coroutine(action.run(dispatcher, self._tracker(), DOMAIN)))
        events = [{k: v for k, v in event.items() if not (k == "timestamp" and v is None)} for event in events or []]
        self._apply(events)
        return Outcome(dispatcher.messages, events)

    def _validate(self, candidates: Dict[str, Any]) -> Turn:
        for name, value in candidates.items():
            self.events.append({"event": "slot", "name": name, "value": value})
            self.slots[name] = value
        dispatcher = CollectingDispatcher()
        events = asyncio.run(self.validation.run(dispatcher, self._tracker(), DOMAIN))
        self._apply(events)
        if not any(event.get("name") == "requested_slot" for event in events):
            # The validation left the choice to Rasa: the first required slot still empty.
            missing = [slot for slot in DOMAIN["forms"][self.form]["required_slots"] if self.slots.get(slot) is None]
            self._apply([{"event": "slot", "name": "requested_slot", "value": missing[0] if missing else None}])
        if self.requested is None:
            self.events.append({"event": "active_loop", "name": None})
        return Turn([m.get("response") for m in dispatcher.messages], dispatcher.messages, self.requested)

    def _apply(self, events: List[Dict[str, Any]]) -> None:
        for event in events:
            self.events.append(event)
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
            elif event.get("event") == "reset_slots":
                self.slots = {}

    def _active_loop(self) -> Optional[str]:
        for event in reversed(self.events):
            if event.get("event") == "active_loop":
                return event.get("name")
        return None

    def _user_event(self, intent: str) -> Dict[str, Any]:
        return {"event": "user", "text": "", "parse_data": {"intent": {"name": intent, "confidence": 1.0}, "entities": []}}

    def _tracker(self) -> Tracker:
        active = self._active_loop()
        return Tracker(
            sender_id=self.sender_id,
            slots=dict(self.slots),
            latest_message={"text": "", "intent": {"name": self.intent, "confidence": 1.0}, "entities": []},
            events=list(self.events),
            paused=False,
            followup_action=None,
            active_loop={"name": active} if active else {},
            latest_action_name="action_listen",
        )


def sign_in(claim: str, postcode: str, conversation_id: str = "chat") -> FormConversation:
    """One whole sign-in in its own conversation: the claim, then the postcode if asked for it."""
    from actions.identity import ValidateDataRequestForm

    conversation = FormConversation("data_request_form", ValidateDataRequestForm(), sender_id=conversation_id)
    conversation.start("identify", data_request="identify")
    conversation.answer(claim)
    if conversation.requested == "identity_postcode":
        conversation.answer(postcode)
    return conversation
