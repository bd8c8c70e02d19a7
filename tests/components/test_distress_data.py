"""The detector is judged on messages it never trained on, and trained only on what Candor wrote."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Set

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bot.components.distress import ordinary_requests
from bot.components.distress_data import (
    TrainingDataError,
    normalised,
    read_training_examples,
    read_training_file,
    training_files,
)
from bot.settings import PROJECT_ROOT

DATA = PROJECT_ROOT / "data" / "distress"
TRAINING = DATA / "train"
EVALUATION_SETS = sorted(DATA.glob("*.csv"))
PUBLIC_DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"
TRAINING_FILES = training_files(TRAINING)


def training_sentences() -> Set[str]:
    return {normalised(example.text) for example in read_training_examples(TRAINING)}


def labelled(path: Path) -> List[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_writing_pass_is_read() -> None:
    sources = {example.source for example in read_training_examples(TRAINING)}

    assert "candor-original.yml" in sources
    assert sources == {path.name for path in TRAINING_FILES}


@pytest.mark.parametrize("path", EVALUATION_SETS, ids=lambda path: path.name)
def test_evaluation_messages_are_never_training_examples(path: Path) -> None:
    shared = training_sentences() & {normalised(row["text"]) for row in labelled(path)}

    assert not shared, f"in both data/distress/train and {path.name}: {sorted(shared)}"


def test_the_evaluation_sets_do_not_overlap() -> None:
    seen: Dict[str, str] = {}
    for path in EVALUATION_SETS:
        for row in labelled(path):
            text = normalised(row["text"])
            assert seen.setdefault(text, path.name) == path.name, f"{row['text']!r} is in {seen[text]} and {path.name}"


def test_the_evaluation_set_is_large_and_at_least_half_hard_negatives() -> None:
    rows = labelled(DATA / "eval.csv")

    assert len(rows) >= 150
    assert sum(row["label"] == "none" for row in rows) >= len(rows) / 2


def test_no_message_is_in_two_training_files() -> None:
    where: Dict[str, Set[str]] = defaultdict(set)
    for path in TRAINING_FILES:
        for example in read_training_file(path):
            where[normalised(example.text)].add(path.name)

    repeated = {text: sorted(files) for text, files in where.items() if len(files) > 1}
    assert not repeated, f"written in more than one pass: {repeated}"


@pytest.mark.parametrize("path", TRAINING_FILES, ids=lambda path: path.name)
def test_no_message_is_given_two_labels(path: Path) -> None:
    labels: Dict[str, Set[str]] = defaultdict(set)
    for example in read_training_file(path):
        labels[normalised(example.text)].add(example.label)

    assert not {text: found for text, found in labels.items() if len(found) > 1}


def test_no_message_is_copied_from_a_public_dataset() -> None:
    if not PUBLIC_DATASETS.is_dir():
        pytest.skip(f"public evaluation datasets not present at {PUBLIC_DATASETS}")
    public = {normalised(row["text"]) for row in labelled(PUBLIC_DATASETS / "bitext" / "dev.csv")}
    goemotions = (PUBLIC_DATASETS / "goemotions" / "dev.tsv").read_text(encoding="utf-8").splitlines()
    public |= {normalised(line.split("\t")[0]) for line in goemotions}
    clinc = json.loads((PUBLIC_DATASETS / "clinc150" / "oos_dev.json").read_text(encoding="utf-8"))
    public |= {normalised(text) for split in clinc.values() for text, _ in split}
    ours = training_sentences().union(*({normalised(row["text"]) for row in labelled(path)} for path in EVALUATION_SETS))

    assert not ours & public


def test_a_message_given_two_labels_in_two_passes_is_refused_naming_both(tmp_path: Path) -> None:
    categories = "\n".join(f"  {c}:\n    - {c} example" for c in ("self_harm", "bereavement", "financial_hardship", "health", "abuse", "emotional_distress"))
    (tmp_path / "a.yml").write_text(f"examples:\n{categories}\n  none:\n    - my battery died\n")
    (tmp_path / "b.yml").write_text("examples:\n  health:\n    - My battery died!\n")

    with pytest.raises(TrainingDataError, match=r"none in a.yml and health in b.yml"):
        read_training_examples(tmp_path)


def test_a_message_written_twice_with_one_label_is_learned_once(tmp_path: Path) -> None:
    categories = "\n".join(f"  {c}:\n    - {c} example" for c in ("self_harm", "bereavement", "financial_hardship", "health", "abuse", "emotional_distress"))
    (tmp_path / "a.yml").write_text(f"examples:\n{categories}\n  none:\n    - my battery died\n")
    (tmp_path / "b.yml").write_text("examples:\n  none:\n    - My battery died!\n")

    assert [example.text for example in read_training_examples(tmp_path)].count("my battery died") == 1
    assert len(read_training_examples(tmp_path)) == 7


@pytest.mark.parametrize(
    "content, reason",
    [
        ("examples:\n  sadness:\n    - I am sad\n", "unknown labels sadness"),
        ("examples: [a, b]\n", "needs an `examples` mapping"),
        ("examples:\n  none: just one string\n", "`none` must be a list of messages"),
        ("examples: {none: [: bad\n", "is not valid YAML"),
    ],
    ids=["unknown label", "not a mapping", "not a list", "not YAML"],
)
def test_a_malformed_training_file_is_refused_naming_it(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "pass.yml"
    path.write_text(content)

    with pytest.raises(TrainingDataError, match=reason) as error:
        read_training_examples(tmp_path)
    assert "pass.yml" in str(error.value)


def test_a_folder_without_training_files_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TrainingDataError, match=r"holds no \*.yml training files"):
        training_files(tmp_path)


def test_requests_told_with_distress_are_not_taught_to_the_detector_as_ordinary(detector) -> None:
    told_with_distress = [
        example.get("text") for example in load_data(str(PROJECT_ROOT / "data" / "nlu" / "requests_in_hard_times.yml")).intent_examples
    ]

    assert ordinary_requests(told_with_distress, detector.lexicon) == []
    assert ordinary_requests(["where is my order", "cancel order 104502"], detector.lexicon) == ["where is my order", "cancel order 104502"]
