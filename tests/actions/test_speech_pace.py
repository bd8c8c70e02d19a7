"""A caller can slow the voice down, or speed it up, a step at a time and within limits."""

from __future__ import annotations

import pytest

from actions.voice import ActionChangeSpeechPace
from tests.actions.conftest import make_tracker, run


def said(intent: str, **slots: float):
    """A tracker whose latest message was understood as `intent`."""
    return make_tracker(slots=slots, intent=intent)


@pytest.mark.parametrize("intent, pace, now", [("speak_slower", 0, -1.0), ("speak_slower", -2, -3.0), ("speak_faster", 1, 2.0)])
def test_a_caller_can_slow_the_voice_down_or_speed_it_up_one_step(intent: str, pace: float, now: float) -> None:
    outcome = run(ActionChangeSpeechPace(), said(intent, speech_pace=pace))

    assert outcome.slot("speech_pace") == now
    assert outcome.responses == ["utter_speaking_slower" if intent == "speak_slower" else "utter_speaking_faster"]


@pytest.mark.parametrize("intent, pace, response", [("speak_slower", -3, "utter_speaking_slowest"), ("speak_faster", 3, "utter_speaking_fastest")])
def test_at_the_limit_the_caller_is_told_so_and_the_pace_stays(intent: str, pace: float, response: str) -> None:
    outcome = run(ActionChangeSpeechPace(), said(intent, speech_pace=pace))

    assert outcome.responses == [response] and outcome.events == []


def test_a_new_call_starts_at_the_configured_pace() -> None:
    outcome = run(ActionChangeSpeechPace(), said("speak_slower"))

    assert outcome.slot("speech_pace") == -1.0
