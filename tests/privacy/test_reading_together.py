"""Texts read together by the named-entity model are redacted exactly as texts read one at a time."""

from __future__ import annotations

from typing import Any

import pytest

from bot.privacy.redaction import Redactor

TEXTS = [
    "hi where is my order 104502",
    "it's under tomasz kowalski",
    "Your parcel is on its way to Priya Sharma and should arrive on Friday.",
    "deliver to flat 2, 14 mill lane, leeds please",
    "call me on 07700 900123",
    "thanks",
    "!!",
]


def test_each_text_is_redacted_as_it_would_be_alone(redactor: Redactor) -> None:
    alone = [redactor.redact(text) for text in TEXTS]

    with redactor.reading_together(TEXTS):
        together = [redactor.redact(text) for text in TEXTS]

    assert together == alone
    assert "<PERSON>" in together[1].text and "<PERSON>" in together[2].text


def test_a_text_read_ahead_is_not_read_again(redactor: Redactor, monkeypatch: pytest.MonkeyPatch) -> None:
    with redactor.reading_together(TEXTS):
        monkeypatch.setattr(redactor.analyzer.nlp_engine, "process_text", refuse)
        for text in TEXTS:
            redactor.redact(text)


def test_a_text_not_read_ahead_is_still_read(redactor: Redactor) -> None:
    with redactor.reading_together(TEXTS[:1]):
        assert redactor.redact(TEXTS[1]).text == "it's under <PERSON>"


def test_when_reading_together_fails_each_text_is_read_alone(redactor: Redactor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redactor.analyzer.nlp_engine, "process_batch", refuse)

    with redactor.reading_together(TEXTS):
        assert redactor.redact(TEXTS[1]).text == "it's under <PERSON>"


def refuse(*_: Any, **__: Any) -> Any:
    raise AssertionError("the model was asked to read")
