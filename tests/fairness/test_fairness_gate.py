"""The gate: the shipped model serves every group of customers within the gaps bot/policy.yml allows.

`candor eval-fairness` runs once for the whole session (the model takes a while to load), on the
model `make test` has just trained for the current data, with the tracker store's own redactor and
`data/fairness/`, which nothing trains or tunes on. Each test fails with the per-group figures, so
the failing build says who is served worse and by how much.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, List, Sequence

import pytest

from bot import model
from bot.audit.report_fairness import FairnessFigures
from bot.cli import eval_fairness
from bot.cli.errors import CommandError
from bot.cli.fairness_data import NAME_MESSAGES, NAMES, REQUESTS, read_fairness_data


# A sentence this many words long or longer is not written twice by chance.
DISTINCTIVE_WORDS = 10


@pytest.fixture(scope="session")
def shipped_model_audit() -> FairnessFigures:
    path = model.model_path()
    if not path.is_file():
        pytest.fail(f"no trained model at {path}; run `make train` first")
    try:
        data = read_fairness_data(REQUESTS, NAMES, NAME_MESSAGES)
        redactor = eval_fairness.shipped_redactor()
        audit = eval_fairness.measure(data, eval_fairness.model_reader(path), redactor, eval_fairness.policy_limits(), path.name)
    except CommandError as error:
        pytest.fail(str(error))
    return audit.figures


def failures_of(audit: FairnessFigures, measure: str) -> List[str]:
    return [failure for failure in audit.gate_failures() if failure.startswith(f"{measure}:")]


def figures(groups: Sequence, share: Callable) -> str:
    return ", ".join(f"{group.group} {share(group):.3f}" for group in groups if share(group) is not None)


def test_every_way_of_writing_is_understood_within_the_gap_the_policy_allows(shipped_model_audit: FairnessFigures):
    audit = shipped_model_audit
    assert len(audit.writing) >= 2, "the audit compares ways of writing"
    failures = failures_of(audit, "intent accuracy")

    assert not failures, (
        f"{failures[0]} on {audit.model}; every group: "
        f"{figures(audit.writing, lambda group: group.accuracy)}"
    )


def test_names_of_every_origin_are_redacted_as_well_as_the_best_redacted(shipped_model_audit: FairnessFigures):
    audit = shipped_model_audit
    assert len(audit.names) >= 2, "the audit compares origins of names"
    failures = failures_of(audit, "redaction recall")

    assert not failures, (
        f"{failures[0]}; every origin: "
        f"{figures(audit.names, lambda group: group.redaction_recall)}"
    )


def test_distress_is_noticed_alike_whatever_the_customers_name(shipped_model_audit: FairnessFigures):
    audit = shipped_model_audit
    assert all(group.distress_messages for group in audit.names), "every origin's names are in distress messages"
    failures = failures_of(audit, "distress flag rate")

    assert not failures, (
        f"{failures[0]} on {audit.model}; every origin: "
        f"{figures(audit.names, lambda group: group.flag_rate)}"
    )


def test_no_sentence_of_the_fairness_data_is_in_the_training_data():
    """The audit measures only while nothing learns from it: no request or message of it is trained on.

    Short requests ("Can I pay with PayPal?") are written the same way by anyone, so only sentences
    long enough not to be found by chance are looked for.
    """
    data = read_fairness_data(REQUESTS, NAMES, NAME_MESSAGES)
    training = normalised(" ".join(path.read_text(encoding="utf-8") for path in training_files()))
    texts = [request.text for request in data.requests]
    texts += [part for message in data.messages for part in message.template.split("{name}")]

    leaked = [text for text in texts if len(text.split()) >= DISTINCTIVE_WORDS and normalised(text) in training]

    assert not leaked, f"data/fairness/ sentences found in training data: {leaked[:5]}"


def training_files() -> List[Path]:
    from bot.model import COMPONENT_DATA, TRAINING_DATA, training_inputs

    roots = [*TRAINING_DATA, COMPONENT_DATA]
    return [path for path in training_inputs() if any(root in path.parents for root in roots)]


def normalised(text: str) -> str:
    """Lower case, one space between words, no quotes: YAML may quote or fold a sentence."""
    return " ".join(text.lower().replace('"', " ").split())
