"""Pipeline designs are compared fairly: every example held out once, the fallback rule as Rasa applies it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import List

import pytest
import rasa.shared.utils.io
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.training_data.message import Message

from bot.cli import main
from bot.cli.errors import CommandError
from bot.cli.eval_nlu import format_confusions, out_of_scope_caught, read_out_of_scope
from bot.cli.nlu_cv import (
    Labelled,
    OutOfFold,
    Reading,
    by_pass_folds,
    customer_intents,
    labelled_examples,
    report,
    stratified_folds,
)
from bot.cli.nlu_designs import BASELINE, DESIGNS, TYPO_AUGMENTER, design_of, fallback_thresholds, pipeline_for
from bot.model import CONFIG

PIPELINE = rasa.shared.utils.io.read_yaml_file(CONFIG)["pipeline"]


def examples(per_intent: int = 6) -> List[Labelled]:
    made = []
    for intent in ("track_order", "get_refund", "out_of_scope"):
        for number in range(per_intent):
            group = f"passes/pass-{number % 2}.yml" if intent != "out_of_scope" else "out_of_scope.yml"
            made.append(Labelled(f"{intent} {number}", intent, group))
    return made


def test_every_example_is_held_out_exactly_once_in_folds_the_seed_repeats() -> None:
    data = examples()

    folds = stratified_folds(data, 3, seed=7)

    assert sorted(i for fold in folds for i in fold) == list(range(len(data)))
    assert folds == stratified_folds(data, 3, seed=7)
    assert all({data[i].intent for i in fold} == {"track_order", "get_refund", "out_of_scope"} for fold in folds)


def test_an_intent_with_fewer_examples_than_folds_is_refused() -> None:
    with pytest.raises(CommandError, match="only 2 examples"):
        stratified_folds(examples(per_intent=2), 5, seed=7)


def test_holding_out_a_pass_never_holds_out_the_capability_files() -> None:
    data = examples()

    folds = by_pass_folds(data)

    assert len(folds) == 2
    assert {data[i].group for i in folds[0]} == {"passes/pass-0.yml"}
    assert not any(data[i].group == "out_of_scope.yml" for fold in folds for i in fold)


def test_the_customer_intents_are_those_the_writing_passes_cover() -> None:
    assert customer_intents(examples()) == ["get_refund", "track_order"]


def test_an_intent_written_in_one_pass_only_is_not_a_customer_intent() -> None:
    data = examples() + [Labelled(f"hello {n}", "greet", "passes/conversation.yml") for n in range(3)]

    assert customer_intents(data) == ["get_refund", "track_order"]


def test_out_of_scope_written_in_passes_of_its_own_is_not_a_customer_intent() -> None:
    data = examples() + [Labelled(f"weather {n}", "out_of_scope", f"passes/out-of-scope-{n}.yml") for n in range(2)]

    assert customer_intents(data) == ["get_refund", "track_order"]


def test_passes_written_to_the_unclear_lines_only_do_not_narrow_the_customer_intents() -> None:
    data = examples() + [
        Labelled(f"where is it {n}", "track_order", f"passes/lines/line-{n}.yml") for n in range(3)
    ]

    assert customer_intents(data) == ["get_refund", "track_order"]


def test_the_real_customer_intents_are_the_twenty_seven_of_the_design() -> None:
    from tests.unit.test_domain import CUSTOMER_INTENTS

    assert customer_intents(labelled_examples()) == sorted(CUSTOMER_INTENTS)


def test_the_real_training_data_has_every_pass_and_the_capability_files() -> None:
    groups = {example.group for example in labelled_examples()}

    assert "orders.yml" in groups
    assert sum(group.startswith("passes/") for group in groups) >= 5


@pytest.mark.parametrize(
    "ranking",
    [
        [("track_order", 0.9), ("get_refund", 0.05)],
        [("track_order", 0.45), ("get_refund", 0.3)],
        [("track_order", 0.55), ("get_refund", 0.5)],
        [("track_order", 0.7), ("get_refund", 0.65)],
    ],
)
def test_the_fallback_rule_is_rasas_own(ranking: List[tuple]) -> None:
    threshold, ambiguity = 0.5, 0.1
    message = Message(
        data={
            "text": "x",
            "intent": {"name": ranking[0][0], "confidence": ranking[0][1]},
            "intent_ranking": [{"name": name, "confidence": confidence} for name, confidence in ranking],
        }
    )
    [rasa_says] = FallbackClassifier({"threshold": threshold, "ambiguity_threshold": ambiguity}).process([message])

    assert Reading(ranking[0][0], ranking[0][1], ranking[1][1]).decided(threshold, ambiguity) == rasa_says.get("intent")["name"]


def test_an_out_of_scope_message_not_understood_counts_as_caught() -> None:
    data = [Labelled("weather?", "out_of_scope", "out_of_scope.yml"), Labelled("joke", "out_of_scope", "out_of_scope.yml"),
            Labelled("parcel?", "track_order", "orders.yml")]
    readings = {0: Reading("out_of_scope", 0.9, 0.0), 1: Reading("track_order", 0.3, 0.2), 2: Reading("track_order", 0.4, 0.1)}

    scores, caught = report(data, OutOfFold(BASELINE, readings), threshold=0.5, ambiguity=0.0)

    assert caught == 1.0
    assert scores.fallback_rate == pytest.approx(2 / 3)


def test_the_designs_have_different_names_and_levers() -> None:
    assert len({design.name for design in DESIGNS}) == len(DESIGNS)
    assert len({design.levers() for design in DESIGNS}) == len(DESIGNS)


def test_a_design_sets_its_levers_on_the_configured_pipeline_without_fallback_or_distress() -> None:
    design = replace(BASELINE, name="every lever moved", char_ngrams=(2, 5), word_ngrams=(1, 2), typo_copies=2,
                     epochs=7, embedding_dimension=30, hidden_layers=(64,))

    pipeline = pipeline_for(design, PIPELINE)

    names = [component["name"] for component in pipeline]
    assert "FallbackClassifier" not in names and not any("distress" in name for name in names)
    assert design_of(pipeline, design.name) == design
    assert names[0] == TYPO_AUGMENTER


def test_a_design_without_typos_turns_the_configured_augmenter_off() -> None:
    pipeline = pipeline_for(BASELINE, [{"name": TYPO_AUGMENTER, "copies": 3}, *PIPELINE])

    assert design_of(pipeline).typo_copies == 0


def test_the_fallback_thresholds_are_read_from_the_config() -> None:
    configured = next(c for c in PIPELINE if c["name"] == "FallbackClassifier")

    assert fallback_thresholds(PIPELINE) == (configured["threshold"], configured["ambiguity_threshold"])


def test_out_of_scope_queries_are_read_from_every_split_of_a_clinc_file(tmp_path: Path) -> None:
    path = tmp_path / "oos.json"
    path.write_text(json.dumps({"oos_val": [["what is the capital of peru", "oos"]], "oos_train": [["play jazz", "oos"], ["  ", "oos"]]}))

    assert read_out_of_scope(path) == ["what is the capital of peru", "play jazz"]


@pytest.mark.parametrize("content, problem", [(None, "does not exist"), ("{not json", "cannot read"), ("[1, 2]", "splits of"), ('{"oos_val": []}', "no queries")])
def test_a_bad_out_of_scope_file_gets_a_reason(tmp_path: Path, content: str | None, problem: str) -> None:
    path = tmp_path / "oos.json"
    if content is not None:
        path.write_text(content)

    with pytest.raises(CommandError, match=problem):
        read_out_of_scope(path)


def test_an_out_of_scope_query_is_caught_when_not_answered_as_a_request() -> None:
    assert out_of_scope_caught(["out_of_scope", "nlu_fallback", "track_order", "greet"]) == 0.5


def test_eval_nlu_with_nothing_to_evaluate_says_what_to_give(capsys: pytest.CaptureFixture) -> None:
    assert main(["eval-nlu"]) == 2
    assert "give --data (a labelled CSV), --out-of-scope (CLINC150 JSON), or --cross-validate" in capsys.readouterr().err


def test_an_unknown_design_is_refused_with_the_names_of_the_designs(capsys: pytest.CaptureFixture) -> None:
    assert main(["eval-nlu", "--cross-validate", "--design", "bert-large"]) == 2
    assert BASELINE.name in capsys.readouterr().err


def test_cross_validation_needs_two_folds_or_more(capsys: pytest.CaptureFixture) -> None:
    assert main(["eval-nlu", "--cross-validate", "--folds", "1"]) == 2
    assert "--folds must be at least 2" in capsys.readouterr().err


def test_confusions_are_counted_commonest_first_without_any_sentence() -> None:
    table = format_confusions(
        ["track_refund", "track_refund", "place_order", "get_refund"],
        ["get_refund", "get_refund", "nlu_fallback", "get_refund"],
        top=5,
    )

    rows = [line.split() for line in table.splitlines()[2:]]
    assert rows == [["track_refund", "get_refund", "2"], ["place_order", "nlu_fallback", "1"]]
