"""In screen-reader mode every answer reads well aloud: no symbols, choices by number, figures said."""

from __future__ import annotations

import asyncio
import re
from typing import Any, Dict

import pytest
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from accessibility.screen_reader import render, screen_reader_problems
from bot.nlg import AccessibleNaturalLanguageGenerator
from tests.unit.dialogue import DOMAIN

# What actions fill placeholders with: realistic values, money and dates included.
SAMPLE_VALUES: Dict[str, Any] = {
    "order_id": "104502", "total": "£54.90", "new_total": "£42.00", "amount": "£12.50", "refund_amount": "£19.99",
    "vat": "£9.15", "placed_on": "Friday 20 November 2026", "estimated_delivery": "2026-11-30", "expected_by": "2026-12-02",
    "resources": "- Samaritans: call 116 123 (free, any time)\n- Emergency services: call 999", "position": "2",
    "email": "help@fernleaf.example", "phone": "0800 000 0000", "summary": "You have **3 orders** with us.",
    "agent": "Sam",
}


def conversation(mode: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("c", [SlotSet("accessibility_mode", mode)], slots=DOMAIN.slots)


def generate(response: str, mode: str, **values: Any) -> Dict[str, Any]:
    nlg = AccessibleNaturalLanguageGenerator(domain=DOMAIN)
    filled = {name: SAMPLE_VALUES.get(name, "sample") for name in re.findall(r"\{([a-z_]+)\}", str(DOMAIN.responses[response]))}
    return asyncio.run(nlg.generate(response, conversation(mode), "rest", **{**filled, **values}))


@pytest.mark.parametrize("response", sorted(DOMAIN.responses))
def test_every_response_reads_well_in_screen_reader_mode(response: str) -> None:
    message = generate(response, "screen_reader")
    assert screen_reader_problems(message) == [], message["text"]


def test_the_check_would_catch_what_a_screen_reader_trips_over() -> None:
    raw = {"text": "**Order 104502** costs £54.90 🚚 https://x.example", "buttons": [{"title": "Yes", "payload": "/affirm"}]}
    assert len(screen_reader_problems(raw)) == 6
    assert screen_reader_problems(render(raw)) == []


def test_the_plain_mode_picks_the_plain_variant_and_the_standard_mode_does_not() -> None:
    plain, standard = generate("utter_greet", "plain"), generate("utter_greet", "standard")
    assert plain["text"] != standard["text"]
    assert plain["text"] == DOMAIN.responses["utter_greet"][0]["text"]  # the plain variant comes first


def test_buttons_an_action_adds_are_listed_by_number_too() -> None:
    buttons = [{"title": "104520, placed Friday 20 November 2026", "payload": "/inform"}, {"title": "104519", "payload": "/inform"}]
    message = generate("utter_order_choice", "screen_reader", buttons=buttons)
    assert 'Say 1 for "104 520, placed Friday 20 November 2026", 2 for "104 519".' in message["text"]
    assert "buttons" not in message  # Rasa appends the action's own buttons after the NLG


def test_figures_links_and_marks_are_rewritten_to_be_read_aloud() -> None:
    rendered = render({"text": "**Order 104502**: £54.90, due 2026-11-30 🚚 — see [your parcel](https://carrier.example/t/1)."})
    assert rendered["text"] == "Order 104 502: 54 pounds 90, due 30 November 2026 — see your parcel (a link)."


def test_a_long_answer_starts_with_a_one_line_summary() -> None:
    long = "Your order left us today. " + "It travels with our courier and you can follow it online. " * 5
    assert render({"text": long})["text"].startswith("In short: Your order left us today.\nDetails: ")
