"""A long or strange message is read whole, in bounded parts, and short messages exactly as before."""

from __future__ import annotations

from typing import Dict, List

import pytest
import yaml
from rasa.engine.storage.local_model_storage import LocalModelStorage
from spacy.tokens import Doc

from bot.bounded_text import pieces
from bot.components.distress import DistressDetector
from bot.settings import PROJECT_ROOT

FILLER = "My parcel has not arrived yet and I would like to know when it will come. "


def with_limits(detector: DistressDetector, model_storage: LocalModelStorage, **limits: int) -> DistressDetector:
    """The trained detector with other limits, as if bot/config.yml said so."""
    return DistressDetector(
        {**detector.config, **limits}, model_storage, detector.resource, model=detector.model, lexicon=detector.lexicon
    )


class Recording:
    """A tokenizer that remembers what it was given."""

    def __init__(self, tokenizer) -> None:  # type: ignore[no-untyped-def]
        self.tokenizer = tokenizer
        self.texts: List[str] = []

    def __call__(self, text: str) -> Doc:
        self.texts.append(text)
        return self.tokenizer(text)


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "my mum passed away last week and her order is still coming",
        "I'm not suicidal, just annoyed with your website",
        "where is my order 104512?",
        "😀😀😀 thanks!!",
        "I almost died laughing at your advert",
    ],
)
def test_a_short_message_is_scored_exactly_as_without_limits(
    detector: DistressDetector, model_storage: LocalModelStorage, text: str
) -> None:
    unlimited = with_limits(detector, model_storage, max_piece_chars=10**6, max_run_chars=10**6)

    assert detector.category_scores([text]) == unlimited.category_scores([text])


@pytest.mark.parametrize(
    "phrase, category",
    [("I want to end my life.", "self_harm"), ("My dad passed away on Sunday.", "bereavement"), ("I can't cope anymore.", "emotional_distress")],
)
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_distress_anywhere_in_a_long_message_is_found(detector: DistressDetector, phrase: str, category: str, where: str) -> None:
    filler = FILLER * 130  # about 9,600 characters
    text = {"first": phrase + " " + filler * 2, "middle": filler + phrase + " " + filler, "last": filler * 2 + phrase}[where]

    # Found: the category reaches its threshold wherever the phrase is. (What the assistant then
    # does, the self-harm question beside another category included, is `decide`'s business.)
    assert detector.read(text).scores[category] >= detector.thresholds[category]
    assert detector.assess(text)["category"] in (category, "self_harm")


def test_a_denial_just_before_a_cut_still_applies(detector: DistressDetector, model_storage: LocalModelStorage) -> None:
    small = with_limits(detector, model_storage, max_piece_chars=60)
    text = "please check my order because honestly I'm really not suicidal just really annoyed with your website"
    assert [end for _, end in pieces(text, 60)][0] == text.index("suicidal")

    assert small.assess(text)["category"] is None


def test_the_tokenizer_never_sees_a_run_longer_than_the_configured_limit(
    detector: DistressDetector, model_storage: LocalModelStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    strict = with_limits(detector, model_storage, max_run_chars=7)
    recording = Recording(detector.nlp.tokenizer)
    monkeypatch.setattr(detector.nlp, "tokenizer", recording)
    text = "help " + "😭" * 100 + " I can't cope anymore"

    [scores] = strict.category_scores([text])

    assert max(len(run) for seen in recording.texts for run in seen.split()) <= 7
    assert "".join(recording.texts) == text
    assert scores["emotional_distress"] >= detector.lexicon.scores["emotional_distress"]  # read after the run


def test_the_model_reads_a_long_message_in_pieces_of_at_most_the_configured_size(
    detector: DistressDetector, model_storage: LocalModelStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = with_limits(detector, model_storage, max_piece_chars=100)
    read: List[int] = []
    scores = detector.model.scores
    monkeypatch.setattr(detector.model, "scores", lambda docs: scores([read.append(len(doc.text)) or doc for doc in docs]))

    small.assess(FILLER * 20)

    assert len(read) >= 15 and max(read) <= 100


def test_the_limits_are_set_in_config_yml() -> None:
    pipeline = yaml.safe_load((PROJECT_ROOT / "bot" / "config.yml").read_text())["pipeline"]
    settings: Dict = next(step for step in pipeline if step["name"] == "bot.components.distress.DistressDetector")

    assert settings["max_piece_chars"] >= 100 and settings["max_run_chars"] >= 20


@pytest.mark.parametrize("limits", [{"max_piece_chars": 0}, {"max_run_chars": "fifty"}])
def test_a_limit_that_is_not_a_positive_whole_number_is_refused_naming_config_yml(
    detector: DistressDetector, model_storage: LocalModelStorage, limits: Dict
) -> None:
    with pytest.raises(ValueError, match="DistressDetector in bot/config.yml: max_"):
        with_limits(detector, model_storage, **limits)
