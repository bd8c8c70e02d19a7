"""Customers in distress are noticed whatever they asked for; figures of speech and denials are not distress."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest
import yaml
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from bot.components.distress import ASK_TIER, DistressDetector
from bot.policy import current_policy
from bot.policy_sections import DISTRESS_CATEGORIES
from bot.settings import PROJECT_ROOT
from tests.components.conftest import detector_config

RANKING = [{"name": "get_refund", "confidence": 0.7}, {"name": "complaint", "confidence": 0.2}]


def parse(detector: DistressDetector, text: str, intent: str = "get_refund") -> Message:
    message = Message({"text": text, "intent": {"name": intent, "confidence": 0.7}, "intent_ranking": list(RANKING)})
    [processed] = detector.process([message])
    return processed


def category(detector: DistressDetector, text: str) -> Optional[str]:
    return parse(detector, text).get("distress")["category"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I want to kill myself", "self_harm"),
        ("honestly I don't want to live anymore", "self_harm"),
        ("my mum passed away last week and her order is still coming", "bereavement"),
        ("I lost my job and I can't afford the instalments", "financial_hardship"),
        ("I'm in hospital having chemo so I missed the delivery", "health"),
        ("my partner is abusive and he changes my passwords", "abuse"),
        ("I can't cope anymore, I've been crying all day", "emotional_distress"),
    ],
)
def test_each_kind_of_distress_is_recognised(detector: DistressDetector, text: str, expected: str) -> None:
    assert category(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I almost died laughing at your advert",
        "I'm dead serious about this refund",
        "these boots are to die for",
        "my phone died halfway through checkout",
        "I'm sick and tired of waiting for my parcel",
        "I can't afford to wait another week for the replacement",
        "the kettle was dead on arrival",
        "the price gave me a heart attack",
        "I'm in debt to you for sorting this out so fast",
    ],
)
def test_figures_of_speech_are_not_distress(detector: DistressDetector, text: str) -> None:
    """The figure itself never counts: the lexicon finds nothing, and no care or crisis follows.

    What is left of the message can still score faintly for self-harm and be asked about (tier
    two, far below tier one); how often that happens to ordinary messages is measured by
    `candor eval-distress` (false alarms of the question), not promised sentence by sentence.
    """
    verdict = parse(detector, text).get("distress")

    assert not detector.lexicon.read(detector.nlp(text)).scores
    assert verdict["category"] is None or (verdict["category"], verdict["tier"]) == ("self_harm", ASK_TIER)


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal, just annoyed with your website",
        "nobody has died, I just want a different size",
        "I'm not in any debt, I just want to change my payment date",
        "I'm not in hospital anymore, deliver as normal",
    ],
)
def test_denied_distress_is_not_distress(detector: DistressDetector, text: str) -> None:
    """A denied phrase never counts; as above, only a faint self-harm question may remain."""
    verdict = parse(detector, text).get("distress")

    assert not detector.lexicon.read(detector.nlp(text)).scores
    assert verdict["category"] is None or (verdict["category"], verdict["tier"]) == ("self_harm", ASK_TIER)


@pytest.mark.parametrize(
    "text",
    ["I almost died laughing at your advert", "the kettle was dead on arrival", "I'm not suicidal, just annoyed with your website"],
)
def test_most_figures_of_speech_and_denials_keep_their_request(detector: DistressDetector, text: str) -> None:
    message = parse(detector, text)

    assert message.get("distress")["category"] is None
    assert message.get("intent")["name"] == "get_refund"


def test_a_denial_does_not_reach_past_the_end_of_its_clause(detector: DistressDetector) -> None:
    assert category(detector, "I'm not angry, but I can't cope anymore") == "emotional_distress"


@pytest.mark.parametrize(
    "text",
    ["where is my order 104512?", "my card was declined", "I lost my son's school shoes in the post", "cancel my subscription"],
)
def test_ordinary_requests_keep_their_intent(detector: DistressDetector, text: str) -> None:
    message = parse(detector, text)

    assert message.get("distress")["category"] is None
    assert message.get("intent") == {"name": "get_refund", "confidence": 0.7}
    assert message.get("intent_ranking") == RANKING


def test_every_parse_result_carries_the_verdict(detector: DistressDetector) -> None:
    output = parse(detector, "where is my parcel").as_dict(only_output_properties=True)

    verdict = output["distress"]
    assert set(verdict) == {"category", "score", "tier"}
    assert verdict["tier"] is None
    assert 0 <= verdict["score"] <= 1
    assert verdict["score"] == round(verdict["score"], 3)


def test_distress_takes_precedence_over_the_predicted_intent(detector: DistressDetector) -> None:
    output = parse(detector, "I want to end my life").as_dict(only_output_properties=True)

    score = output["distress"]["score"]
    assert output["intent"] == {"name": "distress", "confidence": score}
    assert output["intent_ranking"] == [{"name": "distress", "confidence": score}, *RANKING]


def test_distress_takes_precedence_over_not_understanding(detector: DistressDetector) -> None:
    message = parse(detector, "I've been self harming again", intent="nlu_fallback")

    assert message.get("intent")["name"] == "distress"


def test_risk_to_life_comes_first_when_several_categories_apply(detector: DistressDetector) -> None:
    assert category(detector, "my husband died last month and I want to end it all") == "self_harm"


def test_thresholds_come_from_the_policy_file(detector: DistressDetector) -> None:
    assert detector.thresholds == current_policy().distress.thresholds
    assert detector.ask_threshold == current_policy().distress.self_harm_ask_threshold


def test_below_its_threshold_a_score_is_reported_but_not_acted_on(
    detector: DistressDetector, model_storage: LocalModelStorage
) -> None:
    strict = DistressDetector(
        detector.config,
        model_storage,
        detector.resource,
        thresholds={name: 1.0 for name in DISTRESS_CATEGORIES},
        ask_threshold=1.0,
        model=detector.model,
        lexicon=detector.lexicon,
    )

    message = parse(strict, "I want to kill myself")

    assert message.get("distress") == {"category": None, "score": pytest.approx(0.95, abs=0.05), "tier": None}
    assert message.get("intent")["name"] == "get_refund"


def test_the_trained_model_is_persisted_and_loads_with_the_same_verdicts(
    detector: DistressDetector, model_storage: LocalModelStorage
) -> None:
    loaded = DistressDetector.load(detector.config, model_storage, detector.resource, execution_context=None)
    texts = ["I want to kill myself", "my dad passed away", "where is my order", "I'm dead serious about this refund"]

    assert [parse(loaded, text).get("distress") for text in texts] == [parse(detector, text).get("distress") for text in texts]


def test_editing_adding_or_removing_a_training_file_changes_the_fingerprint(tmp_path: Path) -> None:
    config = detector_config()
    folder = tmp_path / "train"
    folder.mkdir()
    for original in sorted(Path(config["training_data"]).glob("*.yml"))[:2]:
        (folder / original.name).write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    first, second = sorted(folder.glob("*.yml"))
    fingerprint = lambda: DistressDetector.fingerprint_addon({**config, "training_data": str(folder)})  # noqa: E731
    seen = [fingerprint()]

    first.write_text(first.read_text() + "    - one more ordinary message\n")
    seen.append(fingerprint())
    (folder / "another-pass.yml").write_text("examples:\n  none:\n    - a new pass\n")
    seen.append(fingerprint())
    second.unlink()
    seen.append(fingerprint())

    assert len(set(seen)) == 4


def test_an_untrained_detector_refuses_to_guess(tmp_path: Path) -> None:
    untrained = DistressDetector(detector_config(), LocalModelStorage(tmp_path), Resource("distress_detector"))

    with pytest.raises(RuntimeError, match="not been trained"):
        untrained.process([Message({"text": "hello"})])


def test_the_detector_runs_last_so_it_overrides_every_other_classifier() -> None:
    pipeline = yaml.safe_load((PROJECT_ROOT / "bot" / "config.yml").read_text())["pipeline"]
    names = [component["name"] for component in pipeline]

    assert names[-1] == "bot.components.distress.DistressDetector"
    assert "FallbackClassifier" in names[:-1]
