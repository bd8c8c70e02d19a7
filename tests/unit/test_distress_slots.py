"""A message that showed distress is never taken as the answer a form was waiting for.

A form asking for free text (an order number, an address, an email) fills its slot from whatever
the customer writes next. If what they write is "I can't cope with any of this", that is not an
order number: the words must not land in a slot (and from there in the stored conversation), and
the form, when it carries on, must ask its question again.
"""

from __future__ import annotations

import asyncio
from typing import Iterator, Tuple

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered

from tests.unit.dialogue import DOMAIN, tracker

DETECTOR_INTENTS = ("distress", "self_harm_check")
SAID = "honestly I can't cope with any of this anymore"


def free_text_questions() -> Iterator[Tuple[str, str]]:
    """Every (form, slot) where a form fills the slot it asked for from the customer's own words."""
    for slot in DOMAIN.slots:
        for mapping in slot.mappings:
            if mapping.get("type") != "from_text":
                continue
            for condition in mapping.get("conditions") or []:
                if condition.get("active_loop") and condition.get("requested_slot") == slot.name:
                    yield condition["active_loop"], slot.name


def extracted(form: str, asked: str, intent: str) -> dict:
    conversation = tracker(
        ActionExecuted(form), ActiveLoop(form), SlotSet("requested_slot", asked), ActionExecuted("action_listen"),
        UserUttered(SAID, {"name": intent, "confidence": 0.9}),
    )
    action = ActionExtractSlots(action_endpoint=None)
    events = asyncio.run(
        action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(DOMAIN.responses), conversation, DOMAIN)
    )
    return {event.key: event.value for event in events if isinstance(event, SlotSet)}


def test_some_forms_ask_for_free_text() -> None:
    assert ("cancel_order_form", "order_id") in set(free_text_questions())


@pytest.mark.parametrize("intent", DETECTOR_INTENTS)
@pytest.mark.parametrize("form, asked", sorted(set(free_text_questions())))
def test_a_distressed_message_does_not_answer_the_question_a_form_asked(form: str, asked: str, intent: str) -> None:
    assert asked not in extracted(form, asked, intent)


def test_an_ordinary_answer_still_does() -> None:
    assert extracted("cancel_order_form", "order_id", "inform") == {"order_id": SAID}
