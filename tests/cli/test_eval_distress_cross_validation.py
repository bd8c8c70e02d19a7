"""`candor eval-distress --cross-validate` compares designs on held-out folds of the training data.

Designs and thresholds are chosen here, never on the evaluation sets: every training message is
read once by a detector trained without it, and the figures of each design are printed side by side.
"""

from __future__ import annotations

from collections import Counter
from typing import List

import pytest

from bot.cli import distress_cv, main
from bot.cli.distress_cv import REQUESTS, Labelled, by_pass_folds, stratified_folds
from bot.cli.eval_distress import DESIGNS

WRITTEN = {
    "self_harm": ["I want to end my life", "I have pills saved to take them all", "I won't be here next week, goodbye",
                  "thinking about killing myself every night", "I cut myself again"],
    "bereavement": ["my dad died on Sunday", "my wife passed away", "arranging my mum's funeral",
                    "the account holder has died, I'm the executor", "we lost our son in May"],
    "financial_hardship": ["I lost my job and can't pay", "the bailiffs are coming", "I'm behind on rent",
                           "can't afford food this week", "my benefits were stopped"],
    "health": ["I'm in hospital for surgery", "I have cancer", "I'm having chemo", "I'm disabled and housebound",
               "I had a stroke last month"],
    "abuse": ["my partner controls my money", "he hits me", "my ex threatens me", "he takes my bank card",
              "she won't let me see my post"],
    "emotional_distress": ["I can't cope anymore", "I'm having a panic attack", "I'm at breaking point",
                           "I keep crying", "I'm so overwhelmed"],
    "none": ["the kettle was dead on arrival", "this sale is killing it", "my battery died", "I'm dying to know",
             "where is my parcel", "I'd like a refund", "can I change my address", "thanks so much",
             "is the sofa in stock", "what are your delivery times"],
}


def tiny_training_set() -> List[Labelled]:
    """Two writing passes and some ordinary requests, small enough to fit in a second."""
    examples = []
    for label, texts in WRITTEN.items():
        for number, text in enumerate(texts):
            examples.append(Labelled(text, label, "pass-a.yml" if number % 2 else "pass-b.yml"))
    requests = ["track order 104512", "cancel my order", "I forgot my password", "send me an invoice", "how do I pay",
                "change my delivery date", "talk to a person", "good morning", "what can you do", "where is my refund"]
    return examples + [Labelled(text, "none", REQUESTS) for text in requests]


def test_stratified_folds_hold_out_every_message_exactly_once_spreading_each_label() -> None:
    examples = tiny_training_set()

    folds = stratified_folds(examples, 5, seed=7)

    assert sorted(index for fold in folds for index in fold) == list(range(len(examples)))
    for fold in folds:
        assert Counter(examples[i].label for i in fold)["self_harm"] == 1
    assert folds == stratified_folds(examples, 5, seed=7), "the same seed gives the same folds"


def test_by_pass_folds_hold_out_one_writing_pass_at_a_time_and_share_the_requests() -> None:
    examples = tiny_training_set()

    folds = by_pass_folds(examples, seed=7)

    assert [{examples[i].group for i in fold} - {REQUESTS} for fold in folds] == [{"pass-a.yml"}, {"pass-b.yml"}]
    assert [sum(examples[i].group == REQUESTS for i in fold) for fold in folds] == [5, 5]


def test_too_few_messages_for_the_folds_is_refused_by_name(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(distress_cv, "labelled_examples", tiny_training_set)

    assert main(["eval-distress", "--cross-validate", "--folds", "20", "--design", "ngrams"]) == 2
    assert "too few for 20 folds" in capsys.readouterr().err


def test_the_comparison_table_and_the_sweep_are_printed_for_each_design(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(distress_cv, "labelled_examples", tiny_training_set)

    status = main(["eval-distress", "--cross-validate", "--design", "ngrams", "--folds", "2", "--sweep"])

    out = capsys.readouterr().out
    assert status == 0
    assert "2 stratified folds (seed 7), 50 messages (40 from data/distress/train, 10 NLU requests as none)" in out
    header = next(line for line in out.splitlines() if line.strip() == "ngrams")
    assert header
    for row in ("self_harm recall, tier one", "self_harm recall, both tiers", "self_harm precision, tier one",
                "abuse recall", "false alarms, tier one, hard negatives", "false alarms, question, requests",
                "latency p95, ms", "training, s per fold"):
        assert row in out
    assert "ngrams: self-harm tier two (the question) at other thresholds" in out
    assert "ngrams: each other category at other thresholds" in out


@pytest.mark.parametrize(
    "arguments, reason",
    [
        (["--cross-validate", "--data", "data/distress/eval.csv"], "leave out --data"),
        (["--cross-validate", "--folds", "1"], "--folds must be at least 2"),
        ([], "give --data"),
    ],
    ids=["data and cross-validation", "one fold", "nothing to measure"],
)
def test_contradictory_or_missing_arguments_end_with_a_one_line_reason(capsys, arguments: List[str], reason: str) -> None:
    assert main(["eval-distress", *arguments]) == 2
    error = capsys.readouterr().err
    assert reason in error and error.count("\n") == 1


def test_the_command_knows_every_design_the_detector_does() -> None:
    from bot.components.distress_designs import DESIGNS as DETECTOR_DESIGNS

    assert DESIGNS == DETECTOR_DESIGNS
