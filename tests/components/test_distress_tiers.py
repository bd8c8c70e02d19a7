"""Self-harm has two tiers: a clear signal gets help at once, a possible one gets a direct question.

Tier one sets the intent `distress` (crisis resources, a person at priority 1); tier two sets
`self_harm_check` (the assistant asks the customer directly). Both thresholds come from
bot/policy.yml, and the policy refuses a question that would start above the crisis threshold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import pytest
import yaml
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.nlu.training_data.message import Message

from bot.components.distress import (
    ASK_TIER,
    CRISIS_TIER,
    DISTRESS_INTENT,
    SELF_HARM_CHECK_INTENT,
    DistressDetector,
    Reading,
    decide,
)
from bot.policy import load_policy
from bot.policy_sections import DISTRESS_CATEGORIES, PolicyError
from bot.settings import POLICY_FILE, PROJECT_ROOT

THRESHOLDS = {category: 0.5 for category in DISTRESS_CATEGORIES} | {"self_harm": 0.6}
ASK = 0.2
RANKING = [{"name": "get_refund", "confidence": 0.7}, {"name": "complaint", "confidence": 0.2}]


def reading(asks: bool = False, **scores: float) -> Reading:
    return Reading({category: scores.get(category, 0.0) for category in DISTRESS_CATEGORIES}, asks=asks)


@pytest.mark.parametrize(
    "found, expected",
    [
        (reading(self_harm=0.6), ("self_harm", CRISIS_TIER)),
        (reading(self_harm=0.95, bereavement=0.99), ("self_harm", CRISIS_TIER)),
        (reading(self_harm=0.59), ("self_harm", ASK_TIER)),
        (reading(self_harm=0.2), ("self_harm", ASK_TIER)),
        (reading(self_harm=0.19), (None, None)),
        (reading(asks=True), ("self_harm", ASK_TIER)),
        (reading(self_harm=0.3, bereavement=0.9), ("self_harm", ASK_TIER)),
        (reading(self_harm=0.1, bereavement=0.9, health=0.7), ("bereavement", None)),
        (reading(self_harm=0.1, health=0.49), (None, None)),
    ],
    ids=[
        "at the crisis threshold: tier one",
        "tier one wins over a higher other category",
        "just below the crisis threshold: tier two",
        "at the ask threshold: tier two",
        "below both: nothing",
        "an ask phrase alone: tier two",
        "someone bereaved who may be at risk is asked",
        "other categories have no tier; the highest wins",
        "a category below its threshold is not acted on",
    ],
)
def test_the_tier_follows_the_self_harm_score_and_the_ask_phrases(found: Reading, expected: tuple) -> None:
    assert decide(found, THRESHOLDS, ASK) == expected


@pytest.mark.parametrize(
    "found, expected",
    [
        (reading(self_harm=0.3, bereavement=0.9), ("bereavement", None)),
        (reading(self_harm=0.4, bereavement=0.9), ("self_harm", ASK_TIER)),
        (reading(asks=True, bereavement=0.9), ("self_harm", ASK_TIER)),
        (reading(self_harm=0.3), ("self_harm", ASK_TIER)),
    ],
    ids=[
        "beside another category, a faint signal gets that category's care",
        "beside another category, a stronger signal is asked about",
        "beside another category, an ask phrase is always asked about",
        "alone, the ask threshold applies",
    ],
)
def test_beside_another_category_the_question_needs_a_stronger_signal(found: Reading, expected: tuple) -> None:
    assert decide(found, THRESHOLDS, ASK, ask_beside_another=0.4) == expected


class FixedScores:
    """A model that scores every message the same, to drive the detector to a chosen tier."""

    def __init__(self, **scores: float) -> None:
        self.found = {category: scores.get(category, 0.0) for category in DISTRESS_CATEGORIES}

    def scores(self, docs):  # type: ignore[no-untyped-def]
        return [dict(self.found) for _ in docs]


def with_model(detector: DistressDetector, model_storage: LocalModelStorage, **scores: float) -> DistressDetector:
    return DistressDetector(
        detector.config, model_storage, detector.resource,
        thresholds=THRESHOLDS, ask_threshold=ASK, model=FixedScores(**scores), lexicon=detector.lexicon,
    )


def parse(detector: DistressDetector, text: str) -> Dict:
    message = Message({"text": text, "intent": {"name": "get_refund", "confidence": 0.7}, "intent_ranking": list(RANKING)})
    detector.process([message])
    return message.as_dict(only_output_properties=True)


def test_tier_one_sets_the_distress_intent(detector: DistressDetector, model_storage: LocalModelStorage) -> None:
    output = parse(with_model(detector, model_storage, self_harm=0.8), "where is my order")

    assert output["distress"] == {"category": "self_harm", "score": 0.8, "tier": CRISIS_TIER}
    assert output["intent"] == {"name": DISTRESS_INTENT, "confidence": 0.8}
    assert output["intent_ranking"] == [{"name": DISTRESS_INTENT, "confidence": 0.8}, *RANKING]


def test_tier_two_sets_the_self_harm_check_intent_ahead_of_the_request(
    detector: DistressDetector, model_storage: LocalModelStorage
) -> None:
    output = parse(with_model(detector, model_storage, self_harm=0.3, bereavement=0.9), "where is my order")

    assert output["distress"] == {"category": "self_harm", "score": 0.3, "tier": ASK_TIER}
    assert output["intent"] == {"name": SELF_HARM_CHECK_INTENT, "confidence": 0.3}
    assert output["intent_ranking"][1:] == RANKING


def test_an_ask_phrase_asks_even_when_the_model_sees_nothing(detector: DistressDetector, model_storage: LocalModelStorage) -> None:
    assert "want it all to stop" in ask_phrases()

    output = parse(with_model(detector, model_storage), "sorry, I just want it all to stop")

    assert (output["distress"]["category"], output["distress"]["tier"]) == ("self_harm", ASK_TIER)
    assert output["intent"]["name"] == SELF_HARM_CHECK_INTENT


def test_a_denied_ask_phrase_does_not_ask(detector: DistressDetector, model_storage: LocalModelStorage) -> None:
    output = parse(with_model(detector, model_storage), "I don't want it all to stop, just pause my subscription")

    assert output["distress"]["category"] is None


def test_other_categories_keep_the_distress_intent_and_have_no_tier(
    detector: DistressDetector, model_storage: LocalModelStorage
) -> None:
    output = parse(with_model(detector, model_storage, health=0.7), "where is my order")

    assert output["distress"] == {"category": "health", "score": 0.7, "tier": None}
    assert output["intent"]["name"] == DISTRESS_INTENT


def test_below_every_threshold_the_request_keeps_its_intent(detector: DistressDetector, model_storage: LocalModelStorage) -> None:
    message = Message({"text": "where is my order", "intent": {"name": "get_refund", "confidence": 0.7}})

    with_model(detector, model_storage, self_harm=0.1, health=0.4).process([message])

    assert message.get("distress") == {"category": None, "score": 0.4, "tier": None}
    assert message.get("intent") == {"name": "get_refund", "confidence": 0.7}


def test_both_thresholds_are_read_from_the_policy_file(model_storage: LocalModelStorage, detector: DistressDetector) -> None:
    policy = load_policy()

    fresh = DistressDetector(detector.config, model_storage, detector.resource, model=detector.model, lexicon=detector.lexicon)

    assert fresh.thresholds["self_harm"] == policy.distress.thresholds["self_harm"]
    assert fresh.ask_threshold == policy.distress.self_harm_ask_threshold
    assert fresh.ask_beside_another == policy.distress.self_harm_ask_threshold_beside_another
    assert 0 < fresh.ask_threshold <= fresh.ask_beside_another < fresh.thresholds["self_harm"]


def policy_with(tmp_path: Path, **distress: object) -> Path:
    data = yaml.safe_load(Path(POLICY_FILE).read_text(encoding="utf-8"))
    data["distress"].update(distress)
    path = tmp_path / "policy.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "ask, reason",
    [
        (0.95, "is not below thresholds.self_harm"),
        (0, r"0 is not in \(0, 1\]"),
        ("often", "value is not a valid float"),
    ],
    ids=["above the crisis threshold", "zero", "not a number"],
)
def test_a_policy_whose_question_would_not_come_first_is_refused(tmp_path: Path, ask: object, reason: str) -> None:
    with pytest.raises(PolicyError, match=rf"distress.self_harm_ask_threshold: .*{reason}"):
        load_policy(policy_with(tmp_path, self_harm_ask_threshold=ask))


def test_a_policy_without_the_ask_threshold_is_refused_naming_it(tmp_path: Path) -> None:
    data = yaml.safe_load(Path(POLICY_FILE).read_text(encoding="utf-8"))
    del data["distress"]["self_harm_ask_threshold"]
    path = tmp_path / "policy.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    with pytest.raises(PolicyError, match="distress.self_harm_ask_threshold: field required"):
        load_policy(path)


def ask_phrases() -> List[str]:
    lexicon = yaml.safe_load((PROJECT_ROOT / "data" / "distress" / "lexicon.yml").read_text(encoding="utf-8"))
    return [str(phrase) for phrase in lexicon.get("ask_phrases") or []]


def test_every_intent_the_detector_sets_is_in_the_domain_and_needs_no_training_examples() -> None:
    from bot.cli.validate import INTENTS_SET_BY_COMPONENTS

    domain = yaml.safe_load((PROJECT_ROOT / "bot" / "domain" / "distress.yml").read_text(encoding="utf-8"))

    assert {DISTRESS_INTENT, SELF_HARM_CHECK_INTENT} <= set(domain["intents"])
    assert {DISTRESS_INTENT, SELF_HARM_CHECK_INTENT} <= INTENTS_SET_BY_COMPONENTS


@pytest.mark.parametrize("beside", [0.05, 0.4], ids=["below the ask threshold", "at the crisis threshold"])
def test_a_policy_whose_question_beside_another_category_is_outside_the_tiers_is_refused(tmp_path: Path, beside: float) -> None:
    with pytest.raises(PolicyError, match="distress.self_harm_ask_threshold_beside_another: .* is not from self_harm_ask_threshold"):
        load_policy(policy_with(tmp_path, self_harm_ask_threshold=0.1, self_harm_ask_threshold_beside_another=beside, thresholds={
            **yaml.safe_load(Path(POLICY_FILE).read_text(encoding="utf-8"))["distress"]["thresholds"], "self_harm": 0.4}))
