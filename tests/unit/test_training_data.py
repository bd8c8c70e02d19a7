"""Training data written for Candor: enough varied examples for every intent."""

from __future__ import annotations

from rasa.shared.nlu.training_data.loading import load_data

from bot.settings import PROJECT_ROOT
from tests.unit.test_domain import CONVERSATIONAL_INTENTS, CUSTOMER_INTENTS

NLU = load_data(str(PROJECT_ROOT / "data" / "nlu"))
COUNTS = NLU.number_of_examples_per_intent


def test_every_customer_intent_has_at_least_25_examples() -> None:
    thin = {intent: COUNTS.get(intent, 0) for intent in CUSTOMER_INTENTS if COUNTS.get(intent, 0) < 25}

    assert thin == {}


def test_every_conversational_intent_has_examples() -> None:
    assert {intent: COUNTS.get(intent, 0) for intent in CONVERSATIONAL_INTENTS if COUNTS.get(intent, 0) < 10} == {}


def test_examples_are_not_repeated() -> None:
    texts = [example.get("text").lower().strip() for example in NLU.intent_examples]

    assert len(texts) == len(set(texts))


def test_order_numbers_emails_and_customer_numbers_are_annotated_as_entities() -> None:
    entities = {entity["entity"] for example in NLU.intent_examples for entity in example.get("entities", [])}

    assert {"order_id", "email", "customer_number"} <= entities


def test_the_regex_extractor_knows_every_entity_shape() -> None:
    assert {pattern["name"] for pattern in NLU.regex_features} == {"order_id", "email", "customer_number"}
