"""Saying a thing many times is not more distress than saying it once: repetition saturates nothing."""

from __future__ import annotations

import pytest

from bot.components.distress import DistressDetector


@pytest.mark.parametrize("symbol", ["😀", "😭", "🙏", "💸", "!", "?", "ok"])
def test_fifty_identical_symbols_are_not_distress(detector: DistressDetector, symbol: str) -> None:
    verdict = detector.assess(" ".join([symbol] * 50))
    run = detector.assess(symbol * 50)

    assert verdict["category"] is None and run["category"] is None
    assert verdict["score"] < 0.5 and run["score"] < 0.5


@pytest.mark.parametrize(
    "message",
    ["where is my parcel", "thanks so much", "refund please", "is the blue lamp in stock"],
)
def test_an_ordinary_message_repeated_fifty_times_is_still_ordinary(detector: DistressDetector, message: str) -> None:
    once = detector.category_scores([message])[0]
    repeated = detector.category_scores([" ".join([message] * 50)])[0]

    assert detector.assess(" ".join([message] * 50))["category"] is None
    assert max(repeated.values()) <= max(once.values()) + 0.1


def test_repeating_a_word_does_not_raise_its_category_towards_certainty(detector: DistressDetector) -> None:
    once = detector.category_scores(["money"])[0]
    repeated = detector.category_scores([" ".join(["money"] * 50)])[0]

    assert repeated["financial_hardship"] <= once["financial_hardship"] + 0.1
    assert repeated["financial_hardship"] < 0.9
