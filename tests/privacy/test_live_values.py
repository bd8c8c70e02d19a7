"""Real values a live conversation needs: held in memory for a while, per conversation, then gone."""

from __future__ import annotations

from datetime import timedelta

from bot.privacy.live_values import LiveValue, LiveValues
from tests.privacy.conftest import TTL, FakeClock

ADDRESS = LiveValue(real="14 Larkspur Lane", redacted="<STREET_ADDRESS>", set_at=1.0)
EMAIL = LiveValue(real="ada.thornbury@example.com", redacted="<EMAIL_ADDRESS>", set_at=2.0)


def test_a_remembered_value_is_recalled_for_its_own_conversation_only(live_values: LiveValues) -> None:
    live_values.remember("ada", {"shipping_address": ADDRESS})

    assert live_values.recall("ada") == {"shipping_address": ADDRESS}
    assert live_values.recall("bilal") == {}


def test_values_are_gone_once_the_time_to_live_has_passed(live_values: LiveValues, clock: FakeClock) -> None:
    live_values.remember("ada", {"shipping_address": ADDRESS})

    clock.advance(TTL - timedelta(seconds=1))
    assert live_values.recall("ada") == {"shipping_address": ADDRESS}
    clock.advance(timedelta(seconds=1))
    assert live_values.recall("ada") == {}
    assert len(live_values) == 0


def test_each_turn_that_remembers_again_restarts_the_clock(live_values: LiveValues, clock: FakeClock) -> None:
    live_values.remember("ada", {"email": EMAIL})
    clock.advance(TTL - timedelta(minutes=1))
    live_values.remember("ada", {"email": EMAIL})
    clock.advance(TTL - timedelta(minutes=1))

    assert live_values.recall("ada") == {"email": EMAIL}


def test_remembering_replaces_what_was_held(live_values: LiveValues) -> None:
    live_values.remember("ada", {"email": EMAIL, "shipping_address": ADDRESS})
    live_values.remember("ada", {"email": EMAIL})

    assert live_values.recall("ada") == {"email": EMAIL}


def test_remembering_nothing_forgets_the_conversation(live_values: LiveValues) -> None:
    live_values.remember("ada", {"email": EMAIL})
    live_values.remember("ada", {})

    assert len(live_values) == 0


def test_forgetting_a_conversation_drops_all_its_values(live_values: LiveValues) -> None:
    live_values.remember("ada", {"email": EMAIL, "shipping_address": ADDRESS})
    live_values.remember("bilal", {"email": EMAIL})

    live_values.forget("ada")

    assert live_values.recall("ada") == {}
    assert live_values.recall("bilal") == {"email": EMAIL}


def test_a_recalled_mapping_cannot_change_what_is_held(live_values: LiveValues) -> None:
    live_values.remember("ada", {"email": EMAIL})

    live_values.recall("ada").clear()

    assert live_values.recall("ada") == {"email": EMAIL}


def test_expiry_uses_the_time_to_live_it_was_given() -> None:
    clock = FakeClock()
    short = LiveValues(timedelta(minutes=1), clock=clock)
    short.remember("ada", {"email": EMAIL})

    clock.advance(timedelta(minutes=2))

    assert short.recall("ada") == {}
