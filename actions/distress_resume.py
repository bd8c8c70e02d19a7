"""A request set aside for distress, and carrying it on when the customer declines a person.

When the assistant stops to answer distress, what the customer was doing or asking for is not
dropped. "My mum died last week and I need to cancel her order 104502" is care and the offer of
a person first, and nothing more; if they decline the person, the cancellation carries on, with
the order number they already gave.

What can be set aside (`set_aside`), and so resumed (`SetAside.resume`):

* a running form, paused where it was. Resumed, it asks its question again; what the customer
  already gave is kept, and so is the postcode check of this run (the pause was the assistant's,
  not a new request). It comes before any new request in the same message;
* a request in the message that showed distress, if the intent classifier was as sure of it as
  the assistant must be to act on any message (the FallbackClassifier's threshold), and our
  rules answer its intent with a form (a task: tracking, cancelling, a refund, a data right...)
  or with one response (a question: delivery times, the refund policy...). A form asks only for
  what is still missing, and confirms before anything that can't be undone, so carrying one on
  is safe. Small talk (hello, thanks, goodbye, yes, no, stop) asks for nothing to be done. An
  intent answered by a custom action ("why?", "what can you do", contact options) is not carried
  on: one action cannot run another, and each of those is a one-line question the customer can
  simply ask again; "why?" would by then be about the wrong moment.

What is remembered is the names of an intent and an action, in a slot (`set_aside_request`),
never anything the customer wrote; the entities of the message (an order number) are already
in their slots, extracted as from any other message.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.step_up import PROOF_SLOT, proven_in_this_request
from bot.conversation.names import (
    AFFIRM_INTENT,
    DENY_INTENT,
    OUT_OF_SCOPE_INTENT,
    REQUESTED_SLOT,
    RESUME_REQUEST_ACTION,
    STOP_INTENT,
)
from bot.conversation.turns import OVERRIDING_INTENTS
from bot.explain.descriptions import CONFIG_FILE, RULES_DIR, read_fallback_threshold, read_rules

SET_ASIDE_SLOT = "set_aside_request"
# Messages that ask for nothing to be done, or nothing the shop does: there is nothing to carry on.
SMALL_TALK = frozenset({"greet", "goodbye", "thank", AFFIRM_INTENT, DENY_INTENT, STOP_INTENT, OUT_OF_SCOPE_INTENT})


@dataclass(frozen=True)
class SetAside:
    """What to carry on: a form (paused, or to start) or a response, and the intent that asked for it."""

    action: str
    intent: Optional[str] = None
    paused: bool = False

    def as_slot(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_slot(cls, value: Any, domain: Dict[Text, Any]) -> Optional[SetAside]:
        """The set-aside request a slot holds, if it names a form or response of this domain."""
        if not isinstance(value, dict) or not isinstance(value.get("action"), str):
            return None
        request = cls(value["action"], value.get("intent") if isinstance(value.get("intent"), str) else None, value.get("paused") is True)
        return request if _is_form(request.action, domain) or _is_response(request.action, domain) else None

    def resume(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        """Carry it on: a form comes back (Rasa's RulePolicy runs it next), a response is given."""
        events: List[EventType] = [SlotSet(SET_ASIDE_SLOT, None)]
        if self.intent:
            events += slots_set_by_intent(self.intent, domain)
        if _is_response(self.action, domain):
            dispatcher.utter_message(response=self.action)
            return events
        events.append(ActiveLoop(self.action))
        if self.paused and proven_in_this_request(tracker, self.action):
            # Re-activating the form starts a new run as far as the postcode check can tell; the
            # customer proved who they are in this very run, before the assistant paused it.
            events.append(SlotSet(PROOF_SLOT, True))
        return events


def set_aside(tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
    """Pause a running form, or note the request in the latest message, so either can carry on."""
    if tracker.active_loop_name:
        paused = SetAside(tracker.active_loop_name, paused=True)
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), SlotSet(SET_ASIDE_SLOT, paused.as_slot())]
    request = request_in_message(tracker.latest_message, domain)
    return [SlotSet(SET_ASIDE_SLOT, request.as_slot() if request else None)]


def set_aside_request(tracker: Tracker, domain: Dict[Text, Any]) -> Optional[SetAside]:
    """What was set aside when distress was last answered, if anything."""
    return SetAside.from_slot(tracker.get_slot(SET_ASIDE_SLOT), domain)


def request_in_message(parse_data: Dict[str, Any], domain: Dict[Text, Any]) -> Optional[SetAside]:
    """The request the intent classifier read in a message a detector took over, if it can carry on.

    The detector keeps the classifier's ranking after its own intent (`intent_ranking`).
    """
    ranking = [entry for entry in parse_data.get("intent_ranking") or [] if entry.get("name") not in OVERRIDING_INTENTS]
    if not ranking:
        return None
    best = ranking[0]
    intent, confidence = best.get("name"), best.get("confidence")
    if intent in SMALL_TALK or not isinstance(confidence, (int, float)) or confidence < _sure_enough():
        return None
    action = first_actions().get(intent)
    if action is None or not (_is_form(action, domain) or _is_response(action, domain)):
        return None
    return SetAside(action, intent=intent)


def slots_set_by_intent(intent: str, domain: Dict[Text, Any]) -> List[EventType]:
    """The slots the intent itself sets (`from_intent`, unconditioned): "delete my data" → `data_request`.

    They were not set when the message came, because the detector's intent replaced the request's.
    """
    events: List[EventType] = []
    for name, slot in (domain.get("slots") or {}).items():
        for mapping in slot.get("mappings") or []:
            if mapping.get("type") == "from_intent" and not mapping.get("conditions") and intent in _intents(mapping):
                events.append(SlotSet(name, mapping.get("value")))
                break
    return events


@functools.lru_cache(maxsize=1)
def first_actions() -> Dict[str, str]:
    """What our rules do first for each intent, outside any form (`data/rules/`)."""
    actions: Dict[str, str] = {}
    for rule in read_rules(RULES_DIR):
        if rule.intent and rule.action and rule.active_loop is None:
            actions.setdefault(rule.intent, rule.action)
    return actions


@functools.lru_cache(maxsize=1)
def _sure_enough() -> float:
    """The confidence below which the assistant does not act on what it understood (config.yml)."""
    threshold = read_fallback_threshold(CONFIG_FILE)
    return threshold if threshold is not None else 0.0


def _intents(mapping: Dict[str, Any]) -> List[str]:
    named = mapping.get("intent")
    return named if isinstance(named, list) else [named]


def _is_form(action: str, domain: Dict[Text, Any]) -> bool:
    return action in (domain.get("forms") or {})


def _is_response(action: str, domain: Dict[Text, Any]) -> bool:
    return action.startswith("utter_") and action in (domain.get("responses") or {})


class ActionResumeRequest(Action):
    """The customer declined the person offered for distress: carry on with what they asked, gently."""

    def name(self) -> Text:
        return RESUME_REQUEST_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        request = set_aside_request(tracker, domain)
        if request is None:
            dispatcher.utter_message(response="utter_distress_no_person")
            return [SlotSet(SET_ASIDE_SLOT, None)]
        dispatcher.utter_message(response="utter_distress_carry_on")
        return request.resume(dispatcher, tracker, domain)
