"""What a caller hears: the text of every answer, worded for the ear."""

from __future__ import annotations

from accessibility.speech.rendering import spoken_choices, spoken_parts, voiced

YES_NO = [{"title": "Yes, cancel it", "payload": "/affirm"}, {"title": "No, keep it", "payload": "/deny"}]


def test_a_yes_or_no_question_asks_the_caller_to_say_yes_or_no() -> None:
    spoken = voiced({"text": "Shall I cancel it?", "buttons": YES_NO})

    assert spoken["text"] == "Shall I cancel it? Say yes or no."
    assert spoken["buttons"] == YES_NO  # kept, so "one" or "yes" still picks a button


def test_a_longer_menu_is_read_as_numbered_choices() -> None:
    buttons = [{"title": t, "payload": f"/{i}"} for i, t in enumerate(["Track it", "Cancel it", "Get a refund"])]

    assert spoken_choices(buttons) == 'Say one for "Track it", two for "Cancel it", three for "Get a refund".'


def test_links_are_never_read_out() -> None:
    text = voiced({"text": "Read [our returns policy](https://fernleaf.example/returns) or https://www.samaritans.org/help."})["text"]

    assert "http" not in text and "/" not in text
    assert text == "Read our returns policy or samaritans.org."


def test_prices_dates_and_order_numbers_are_said_naturally() -> None:
    text = voiced({"text": "Order 104502 cost £54.90 and should arrive on 2026-11-03."})["text"]

    assert text == "Order 1 0 4, 5 0 2 cost 54 pounds 90 and should arrive on 3rd November 2026."


def test_numbers_to_call_are_said_digit_by_digit() -> None:
    text = voiced({"text": "Samaritans: call 116 123. In danger, call 999. Or text SHOUT to 85258."})["text"]

    assert "call 1 1 6, 1 2 3" in text and "call 9 9 9" in text and "to 8 5 2, 5 8" in text


def test_what_a_chatter_types_a_caller_says() -> None:
    text = voiced({"text": 'A person is available at any time: just type "person". Try typing "stop".'})["text"]

    assert text == 'A person is available at any time: just say "person". Try saying "stop".'


def test_markdown_and_emoji_are_not_read_out() -> None:
    assert voiced({"text": "**Done!** 🎉 Your refund is *on its way*."})["text"] == "Done! Your refund is on its way."


def test_voicing_twice_sounds_the_same_as_voicing_once() -> None:
    message = {"text": "Cancel order 104502 for £54.90 on 2026-11-03? [Policy](https://x.example/p)", "buttons": YES_NO}

    assert voiced(voiced(message)) == voiced(message)


def test_a_screen_reader_choice_list_is_not_read_as_well_as_the_spoken_one() -> None:
    from accessibility.screen_reader import render

    assert voiced(render({"text": "Shall I?", "buttons": YES_NO}))["text"] == "Shall I? Say yes or no."


def test_a_long_answer_is_cut_into_short_spoken_parts_of_whole_sentences() -> None:
    sentences = [f"This is sentence number {n} of a long answer about deliveries." for n in range(1, 9)]

    parts = spoken_parts(" ".join(sentences), limit=140)

    assert len(parts) > 2
    assert all(len(part) <= 140 for part in parts)
    assert " ".join(parts) == " ".join(sentences)
