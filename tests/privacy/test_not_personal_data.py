"""The NER model's findings that name nobody are kept as written; a name typed in lower case is not one of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from presidio_analyzer import RecognizerResult

from bot.privacy.not_personal_data import (
    NER_RECOGNIZER,
    DictionaryMissing,
    everyday_words,
    everyday_words_only,
    not_personal_data,
)


def found(text: str, words: str, entity: str = "PERSON", recognizer: str = NER_RECOGNIZER) -> RecognizerResult:
    start = text.index(words)
    return RecognizerResult(entity, start, start + len(words), 0.85, recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: recognizer})


@pytest.mark.parametrize(
    "text, words",
    [
        ("can you inform me when the refund lands", "inform"),
        ("how much can I earn with the referral scheme", "earn"),
        ("I had several errors at checkout", "several errors"),
        ("upgrade to premium please", "premium"),
    ],
)
def test_everyday_words_the_model_takes_for_a_person_are_kept(text: str, words: str) -> None:
    assert everyday_words_only(text, found(text, words))
    assert not_personal_data(text, found(text, words))


@pytest.mark.parametrize(
    "text, words",
    [
        ("thanks mark, that helps", "mark"),  # a word, and a name
        ("this is grace", "grace"),
        ("my name is priya shah", "priya shah"),
        ("ask lee about it", "lee"),
        ("an nguyen here", "an nguyen"),  # "an" is a word, "nguyen" is not
        ("can you Inform me", "Inform"),  # capitalised mid-sentence: it may be a name
    ],
)
def test_a_name_typed_in_lower_case_or_a_capitalised_word_stays_a_name(text: str, words: str) -> None:
    assert not everyday_words_only(text, found(text, words))


def test_only_the_models_findings_of_people_are_read_as_everyday_words() -> None:
    text = "please inform"

    assert not everyday_words_only(text, found(text, "inform", recognizer="PersonNameRecognizer"))
    assert not everyday_words_only(text, found(text, "inform", entity="STREET_ADDRESS"))


def test_the_everyday_words_hold_no_name_the_recognizers_know() -> None:
    words = everyday_words()

    assert {"inform", "several", "registrations", "bills"} <= words
    assert {"mark", "grace", "john", "priya", "bill", "rose"}.isdisjoint(words)


def test_without_the_dictionaries_redaction_names_the_packages_to_install(tmp_path: Path) -> None:
    with pytest.raises(DictionaryMissing, match="wbritish and wamerican"):
        everyday_words.__wrapped__((tmp_path / "british-english",))
