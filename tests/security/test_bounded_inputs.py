"""One pathological message costs what any message of its length costs: no NLP step sees it whole.

Issue 14: one message of 20,000 emoji held the Rasa server for 40 s (spaCy's tokenizer, in the
distress detector) and 20,000 characters of postcodes for 11 s (Presidio, in redaction). These
tests check the bounds that make the work linear, not the time (`candor bench-inputs` prints it):
what spaCy's tokenizer and Presidio's analyzer are given, and that nothing is left out.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List

import pytest
import spacy
import yaml
from spacy.language import Language
from spacy.tokens import Doc

from bot.components.distress import DistressDetector
from bot.privacy.redaction import Redactor, default_redactor
from bot.settings import PROJECT_ROOT

LENGTH = 20_000
PATHOLOGICAL = {
    "emoji": "😀" * LENGTH,
    "emoji after a word": "hi " + "😀" * LENGTH,
    "letters without spaces": "a" * LENGTH,
    "possessives without spaces": "x" + "'s" * (LENGTH // 2),
    "quotes without spaces": "a" + '"' * LENGTH,
    "postcodes": "AB1 2CD " * (LENGTH // 8),
    "many short tokens": "a " * (LENGTH // 2),
}


def distress_settings() -> Dict[str, Any]:
    """The distress detector's settings in bot/config.yml, as an operator wrote them."""
    pipeline = yaml.safe_load((PROJECT_ROOT / "bot" / "config.yml").read_text())["pipeline"]
    return next(step for step in pipeline if step["name"] == "bot.components.distress.DistressDetector")


class RecordingTokenizer:
    """spaCy's tokenizer, remembering every text it is given."""

    def __init__(self, tokenizer: Callable[[str], Doc]) -> None:
        self.tokenizer = tokenizer
        self.texts: List[str] = []

    def __call__(self, text: str) -> Doc:
        self.texts.append(text)
        return self.tokenizer(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)

    @property
    def longest_run(self) -> int:
        return max((len(run) for text in self.texts for run in text.split()), default=0)


def record_spacy_tokenizer(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> RecordingTokenizer:
    """Record what spaCy's own tokenizer in `nlp` is given, whatever Candor wraps around it."""
    owner: Any = nlp
    while not isinstance(owner.tokenizer, spacy.tokenizer.Tokenizer):
        owner = owner.tokenizer
    recording = RecordingTokenizer(owner.tokenizer)
    monkeypatch.setattr(owner, "tokenizer", recording)
    return recording


@pytest.fixture(scope="module")
def detector() -> DistressDetector:
    from bot.cli.distress_detector import trained_detector

    return trained_detector()


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return default_redactor()


@pytest.mark.parametrize("shape", list(PATHOLOGICAL))
def test_the_distress_detector_never_gives_spacy_a_run_longer_than_config_allows(
    detector: DistressDetector, monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    recording = record_spacy_tokenizer(detector.nlp, monkeypatch)

    detector.assess(PATHOLOGICAL[shape])

    assert recording.longest_run <= distress_settings()["max_run_chars"]
    assert "".join(recording.texts) == PATHOLOGICAL[shape]  # every character is read


def test_distress_in_the_last_sentence_of_a_long_message_is_still_found(
    detector: DistressDetector, monkeypatch: pytest.MonkeyPatch
) -> None:
    filler = "My parcel has not arrived yet and I would like to know when it will come. "
    text = (filler * (LENGTH // len(filler)))[: LENGTH - 40] + "I want to end my life."
    recording = record_spacy_tokenizer(detector.nlp, monkeypatch)

    verdict = detector.assess(text)

    assert verdict["category"] == "self_harm"
    assert recording.longest_run <= distress_settings()["max_run_chars"]


@pytest.mark.parametrize("shape", list(PATHOLOGICAL))
def test_presidio_never_analyses_more_than_a_piece_and_its_context_at_once(
    redactor: Redactor, monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    analysed: List[str] = []
    analyze = redactor.analyzer.analyze

    def recording_analyze(text: str, **kwargs: Any) -> Any:
        analysed.append(text)
        return analyze(text=text, **kwargs)

    monkeypatch.setattr(redactor.analyzer, "analyze", recording_analyze)

    redactor.redact(PATHOLOGICAL[shape])

    assert max(map(len, analysed), default=0) <= redactor.bounds.max_analysed_chars


@pytest.mark.parametrize("shape", list(PATHOLOGICAL))
def test_redaction_never_gives_spacy_a_run_longer_than_its_limit(
    redactor: Redactor, monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    recording = record_spacy_tokenizer(redactor.analyzer.nlp_engine.get_nlp("en"), monkeypatch)

    redactor.redact(PATHOLOGICAL[shape])

    assert recording.longest_run <= redactor.bounds.max_run_chars


def test_postcodes_across_a_long_message_are_all_redacted(redactor: Redactor) -> None:
    text = "AB1 2CD " * (LENGTH // 8)

    redacted = redactor.redact(text).text

    assert "AB1" not in redacted and "2CD" not in redacted


def test_the_limits_are_configured_not_buried() -> None:
    settings = distress_settings()
    defaults = DistressDetector.get_default_config()

    assert {"max_piece_chars", "max_run_chars"} <= set(settings) & set(defaults)
