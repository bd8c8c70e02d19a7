"""The handoff_status slot is a copy of the handoffs table: only the handoff service words it."""

from __future__ import annotations

from bot.handoff.slot import person_is_due, slot_events
from bot.handoff.state import HandoffState, slot_events as slot_events_for
from tests.handoff.conftest import slot_set


def test_a_person_is_due_only_when_the_slot_says_waiting() -> None:
    assert person_is_due("waiting")
    assert not person_is_due(None)
    assert not person_is_due("assigned")  # not a value of the slot: no guessing at what it meant


def test_the_slot_says_waiting_while_in_the_queue_and_while_a_person_is_with_the_customer() -> None:
    assert slot_events_for(HandoffState.WAITING) == [slot_set("waiting")]
    assert slot_events_for(HandoffState.WITH_PERSON) == [slot_set("waiting")]


def test_the_slot_is_emptied_when_no_person_is_due() -> None:
    assert slot_events_for(HandoffState.NONE) == [slot_set(None)]
    assert slot_events(person_due=False) == [slot_set(None)]


def test_the_services_events_are_exactly_what_the_action_server_sends() -> None:
    from rasa_sdk.events import BotUttered, SlotSet

    from bot.handoff.events import bot_uttered, slot_set as service_slot_set

    assert service_slot_set("handoff_status", "waiting") == SlotSet("handoff_status", "waiting")
    assert bot_uttered("Hello", metadata={"agent": "Sam"}) == BotUttered("Hello", metadata={"agent": "Sam"})
