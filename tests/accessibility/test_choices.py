"""A choice can be answered by its number, as a screen reader or a caller hears it."""

from __future__ import annotations

import pytest

from accessibility.choices import chosen_number, payload_for

BUTTONS = [{"title": "Yes, use my orders", "payload": "/affirm"}, {"title": "No, thanks", "payload": "/deny"}]


@pytest.mark.parametrize("text, number", [("1", 1), ("2.", 2), ("two", 2), ("number 2", 2), ("the second", 2), ("second one", 2), ("Three please", 3)])
def test_a_number_on_its_own_names_a_choice(text: str, number: int) -> None:
    assert chosen_number(text) == number


@pytest.mark.parametrize("text", ["I want 2", "12 Main Street", "104502", "2 of the blue mugs", "", "yes"])
def test_anything_more_than_a_number_is_left_as_typed(text: str) -> None:
    assert chosen_number(text) is None


def test_the_number_picks_the_button_it_names() -> None:
    # Which buttons the customer was last shown is read from the conversation:
    # tests/conversation/test_events.py.
    assert payload_for("2", BUTTONS) == "/deny"
    assert payload_for("3", BUTTONS) is None  # out of range: taken as typed
    assert payload_for("2", []) is None  # no buttons shown: taken as typed
