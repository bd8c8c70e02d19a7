"""A choice can be answered by its number, as a screen reader or a caller hears it."""

from __future__ import annotations

import pytest

from accessibility.choices import chosen_number, latest_buttons, payload_for

BUTTONS = [{"title": "Yes, use my orders", "payload": "/affirm"}, {"title": "No, thanks", "payload": "/deny"}]


@pytest.mark.parametrize("text, number", [("1", 1), ("2.", 2), ("two", 2), ("number 2", 2), ("the second", 2), ("second one", 2), ("Three please", 3)])
def test_a_number_on_its_own_names_a_choice(text: str, number: int) -> None:
    assert chosen_number(text) == number


@pytest.mark.parametrize("text", ["I want 2", "12 Main Street", "104502", "2 of the blue mugs", "", "yes"])
def test_anything_more_than_a_number_is_left_as_typed(text: str) -> None:
    assert chosen_number(text) is None


def test_the_number_picks_the_button_of_the_last_message() -> None:
    events = [
        {"event": "user", "text": "where is my order"},
        {"event": "bot", "text": "May I use your orders?", "data": {"buttons": BUTTONS}},
    ]
    assert payload_for("2", latest_buttons(events)) == "/deny"
    assert payload_for("3", latest_buttons(events)) is None  # out of range: taken as typed


def test_a_later_question_without_buttons_is_not_answered_from_an_earlier_list() -> None:
    events = [
        {"event": "bot", "text": "Which item?", "data": {"buttons": BUTTONS}},
        {"event": "bot", "text": "How many would you like?", "data": {}},
    ]
    assert latest_buttons(events) == []


def test_once_the_customer_has_written_old_buttons_no_longer_count() -> None:
    events = [{"event": "bot", "data": {"buttons": BUTTONS}}, {"event": "user", "text": "hello"}]
    assert latest_buttons(events) == []
