"""Training data written for Candor: enough varied examples for every intent, none borrowed."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Dict, List, Set

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.settings import PROJECT_ROOT
from tests.unit.test_domain import CONVERSATIONAL_INTENTS, CUSTOMER_INTENTS

NLU_DIR = PROJECT_ROOT / "data" / "nlu"
# Rasa reads every YAML file under data/nlu (the passes included); the README beside them is prose.
NLU_FILES = sorted(NLU_DIR.rglob("*.yml"))
PASSES = sorted((NLU_DIR / "passes").glob("*.yml"))
# Passes written to the unclear lines between customer intents only (data/nlu/README.md).
LINE_PASSES = sorted((NLU_DIR / "passes" / "lines").glob("*.yml"))
PUBLIC_DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"

NLU = TrainingData().merge(*(load_data(str(path)) for path in NLU_FILES))
COUNTS = NLU.number_of_examples_per_intent


def normalised(text: str) -> str:
    """What the tokenizer keeps of a sentence: its words, lower-cased (case and punctuation go)."""
    return re.sub(r"\W+", " ", text.lower()).strip()


def public_sentences() -> Set[str]:
    """Every sentence of the datasets that evaluate the intent model (Bitext, CLINC150)."""
    with (PUBLIC_DATASETS / "bitext" / "dev.csv").open(newline="", encoding="utf-8") as handle:
        sentences = {normalised(row["text"]) for row in csv.DictReader(handle)}
    clinc = json.loads((PUBLIC_DATASETS / "clinc150" / "oos_dev.json").read_text(encoding="utf-8"))
    return sentences | {normalised(text) for split in clinc.values() for text, _ in split}


def test_every_yaml_file_under_data_nlu_is_read_including_the_passes() -> None:
    assert {path.name for path in PASSES} <= {path.name for path in NLU_FILES}
    assert len(PASSES) >= 5


def test_every_customer_intent_has_at_least_150_different_examples() -> None:
    distinct: Dict[str, Set[str]] = {}
    for example in NLU.intent_examples:
        distinct.setdefault(example.get("intent"), set()).add(normalised(example.get("text")))
    thin = {intent: len(distinct.get(intent, ())) for intent in CUSTOMER_INTENTS if len(distinct.get(intent, ())) < 150}

    assert thin == {}


# Every intent that is not a customer request (out_of_scope aside, which has hundreds of its own).
OTHER_INTENTS = sorted(set(COUNTS) - set(CUSTOMER_INTENTS) - {"out_of_scope"})


@pytest.mark.parametrize("path", PASSES, ids=lambda path: path.stem)
def test_every_writing_pass_covers_all_the_customer_intents_or_all_the_others_or_out_of_scope(path: Path) -> None:
    covered = set(load_data(str(path)).number_of_examples_per_intent)

    if covered & set(CUSTOMER_INTENTS):
        assert sorted(set(CUSTOMER_INTENTS) - covered) == []
    elif covered != {"out_of_scope"}:
        assert sorted(set(OTHER_INTENTS) - covered) == []


def neighbours() -> Dict[str, Set[str]]:
    """The intents each customer intent is not to be confused with (data/nlu/README.md's table), both ways."""
    table: Dict[str, Set[str]] = {}
    for line in (NLU_DIR / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.split("|")[1:-1]]
        if len(cells) == 3 and re.fullmatch(r"`\w+`", cells[0]):
            intent = cells[0].strip("`")
            for other in re.findall(r"`(\w+)`", cells[2]):  # a line has two sides
                table.setdefault(intent, set()).add(other)
                table.setdefault(other, set()).add(intent)
    return table


@pytest.mark.parametrize("path", LINE_PASSES, ids=lambda path: path.stem)
def test_a_pass_written_to_the_unclear_lines_writes_both_sides_of_each(path: Path) -> None:
    covered = set(load_data(str(path)).number_of_examples_per_intent)
    lines = neighbours()

    assert covered <= set(CUSTOMER_INTENTS)
    assert [intent for intent in sorted(covered) if not lines.get(intent, set()) & covered] == []


def test_the_other_intents_are_written_in_a_pass_of_their_own() -> None:
    others_only = [
        path.name
        for path in PASSES
        if not set(load_data(str(path)).number_of_examples_per_intent) & (set(CUSTOMER_INTENTS) | {"out_of_scope"})
    ]

    assert len(others_only) >= 1
    assert set(CONVERSATIONAL_INTENTS) - {"out_of_scope"} <= set(OTHER_INTENTS)


def test_no_intent_is_drowned_out_by_the_customer_intents() -> None:
    # At 30 examples against 150-260 for each customer intent, "are you a real person?" (an example
    # itself) was read as a request for a person, and "no" as not understood.
    thin = {intent: COUNTS[intent] for intent in OTHER_INTENTS if COUNTS[intent] < 75}

    assert thin == {}


def test_no_example_is_repeated_even_in_another_case_or_punctuation() -> None:
    # Rasa drops exact repeats silently; a repeat that differs only in case or punctuation reaches
    # the model as the same words twice, and makes a pass look bigger than it is.
    places: Dict[str, List[str]] = {}
    for path in NLU_FILES:
        for example in load_data(str(path)).intent_examples:
            places.setdefault(normalised(example.get("text")), []).append(f"{path.relative_to(NLU_DIR)}")
    repeated = {text: where for text, where in places.items() if len(where) > 1}

    assert repeated == {}, f"{len(repeated)} examples written more than once, e.g. {sorted(repeated.items())[:5]}"


def test_no_sentence_means_two_intents() -> None:
    intents_of: Dict[str, Set[str]] = {}
    for example in NLU.intent_examples:
        intents_of.setdefault(normalised(example.get("text")), set()).add(example.get("intent"))

    assert {text: intents for text, intents in intents_of.items() if len(intents) > 1} == {}


def test_no_training_sentence_is_copied_from_a_public_dataset() -> None:
    if not PUBLIC_DATASETS.is_dir():
        pytest.skip(f"public evaluation datasets not present at {PUBLIC_DATASETS}")
    copied = sorted({normalised(example.get("text")) for example in NLU.intent_examples} & public_sentences())

    assert copied == []


def test_order_numbers_emails_and_customer_numbers_are_annotated_as_entities() -> None:
    entities = {entity["entity"] for example in NLU.intent_examples for entity in example.get("entities", [])}

    assert {"order_id", "email", "customer_number"} <= entities


def test_the_regex_extractor_knows_every_entity_shape() -> None:
    assert {pattern["name"] for pattern in NLU.regex_features} == {"order_id", "email", "customer_number"}

