"""Misspelt copies teach the model customers' typos: the same copies every time, entities intact."""

from __future__ import annotations

import random
from typing import Any, Dict, List

import pytest
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.typo_augmentation import TypoAugmenter, misspell, seeded_rng

ORDER_QUESTION = "where is my order 104502, I sent it to dana.kowalski@example.com"


def augmenter(**settings: Any) -> TypoAugmenter:
    return TypoAugmenter({**TypoAugmenter.get_default_config(), **settings})


def example(text: str, intent: str, entities: List[Dict[str, Any]] | None = None) -> Message:
    data: Dict[str, Any] = {"text": text, "intent": intent}
    if entities:
        data["entities"] = entities
    return Message(data=data)


def order_example() -> Message:
    start = ORDER_QUESTION.index("104502")
    return example(ORDER_QUESTION, "track_order", [{"start": start, "end": start + 6, "value": "104502", "entity": "order_id"}])


def training_data(*examples: Message) -> TrainingData:
    return TrainingData(training_examples=list(examples))


def texts_by_intent(data: TrainingData) -> List[tuple]:
    return sorted((m.get("intent"), m.get("text")) for m in data.intent_examples)


def test_every_example_keeps_its_place_and_gains_a_misspelt_copy_with_its_intent() -> None:
    data = training_data(example("I would like to cancel my order", "cancel_order"), example("refund please", "get_refund"))

    augmented = augmenter(copies=1).process_training_data(data)

    assert len(augmented.intent_examples) == 4
    assert {("cancel_order", "I would like to cancel my order"), ("get_refund", "refund please")} <= set(texts_by_intent(augmented))
    assert [m.get("intent") for m in augmented.intent_examples].count("cancel_order") == 2


def test_the_same_data_gets_the_same_copies_in_any_order() -> None:
    first = [example("where is my parcel please", "track_order"), example("close my account for good", "delete_account")]

    once = augmenter(copies=2).process_training_data(training_data(*first))
    again = augmenter(copies=2).process_training_data(training_data(*reversed(first)))

    assert texts_by_intent(once) == texts_by_intent(again)
    assert len(once.intent_examples) == 6


def test_another_seed_gives_other_copies() -> None:
    data = training_data(example("could you tell me where my delivery has got to", "track_order"))

    assert texts_by_intent(augmenter(random_seed=1).process_training_data(data)) != texts_by_intent(
        augmenter(random_seed=2).process_training_data(data)
    )


def test_order_numbers_and_email_addresses_are_copied_exactly_and_entities_still_point_at_them() -> None:
    augmented = augmenter(copies=3, words_per_typo=1).process_training_data(training_data(order_example()))

    copies = [m for m in augmented.intent_examples if m.get("text") != ORDER_QUESTION]
    assert len(copies) == 3
    for copy in copies:
        [entity] = copy.get("entities")
        assert copy.get("text")[entity["start"] : entity["end"]] == "104502"
        assert "dana.kowalski@example.com" in copy.get("text")


@pytest.mark.parametrize(
    "kind, looks_like",
    [
        ("swap", lambda original, copy: sorted(copy) == sorted(original) and len(copy) == len(original)),
        ("drop", lambda original, copy: len(copy) == len(original) - 1 and " " in copy),
        ("double", lambda original, copy: len(copy) == len(original) + 1),
        ("join", lambda original, copy: copy == "cancelorder"),
    ],
)
def test_each_kind_of_typo_is_one_small_edit(kind: str, looks_like: Any) -> None:
    original = "cancel order"
    for seed in range(20):
        copy, _ = misspell(original, [], seeded_rng(seed, 0, original), kinds=[kind])

        assert copy != original
        assert looks_like(original, copy), copy


def test_the_first_letter_and_short_words_are_left_alone() -> None:
    for seed in range(50):
        copy, _ = misspell("my tv is off", [], random.Random(seed), kinds=["swap", "drop", "double"], min_word_length=4)

        assert copy == "my tv is off"


def test_a_long_message_gets_one_typo_every_few_words() -> None:
    original = "I placed an order last Tuesday and it still has not arrived so could you please check where it is now"
    copy, _ = misspell(original, [], random.Random(3), kinds=["double"], words_per_typo=5)

    assert len(copy) - len(original) == round(len(original.split()) / 5)


def test_a_copy_that_would_repeat_an_example_is_left_out() -> None:
    # Dropping a letter of "hmmmm" can only give "hmmm", which is already an example (too short to misspell).
    data = training_data(example("hmmmm", "out_of_scope"), example("hmmm", "out_of_scope"))

    augmented = augmenter(copies=1, kinds=["drop"], min_word_length=5).process_training_data(data)

    assert sorted(m.get("text") for m in augmented.intent_examples) == ["hmmm", "hmmmm"]


def test_no_copies_leaves_the_training_data_as_it_was() -> None:
    data = training_data(example("track my parcel", "track_order"))

    assert augmenter(copies=0).process_training_data(data) is data


def test_messages_to_understand_pass_through_untouched() -> None:
    message = Message(data={"text": "wheres my ordr"})

    assert augmenter().process([message]) == [message]
    assert message.get("text") == "wheres my ordr"


@pytest.mark.parametrize(
    "settings, problem",
    [({"kinds": ["swap", "shout"]}, "unknown typo kinds"), ({"copies": -1}, "copies must be 0 or more"), ({"words_per_typo": 0}, "words_per_typo")],
)
def test_a_wrong_setting_is_refused_with_what_to_use(settings: Dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        augmenter(**settings)
