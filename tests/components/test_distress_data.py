"""The detector is judged on messages it never trained on, and trained only on what Candor wrote."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import List, Set

import pytest

from bot.components.distress_textcat import read_training_examples
from bot.settings import PROJECT_ROOT

DATA = PROJECT_ROOT / "data" / "distress"
EVALUATION_SETS = [DATA / "eval.csv", DATA / "unseen.csv"]
PUBLIC_DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"


def normalised(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def training_sentences() -> Set[str]:
    return {normalised(text) for text, _ in read_training_examples(DATA / "train.yml")}


def labelled(path: Path) -> List[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("path", EVALUATION_SETS, ids=lambda path: path.name)
def test_evaluation_messages_are_never_training_examples(path: Path) -> None:
    shared = training_sentences() & {normalised(row["text"]) for row in labelled(path)}

    assert not shared, f"in both train.yml and {path.name}: {sorted(shared)}"


def test_the_two_evaluation_sets_do_not_overlap() -> None:
    first, second = ({normalised(row["text"]) for row in labelled(path)} for path in EVALUATION_SETS)

    assert not first & second


def test_the_evaluation_set_is_large_and_at_least_half_hard_negatives() -> None:
    rows = labelled(DATA / "eval.csv")

    assert len(rows) >= 150
    assert sum(row["label"] == "none" for row in rows) >= len(rows) / 2


def test_no_message_is_copied_from_a_public_dataset() -> None:
    if not PUBLIC_DATASETS.is_dir():
        pytest.skip(f"public evaluation datasets not present at {PUBLIC_DATASETS}")
    public = {normalised(row["text"]) for row in labelled(PUBLIC_DATASETS / "bitext" / "dev.csv")}
    goemotions = (PUBLIC_DATASETS / "goemotions" / "dev.tsv").read_text(encoding="utf-8").splitlines()
    public |= {normalised(line.split("\t")[0]) for line in goemotions}
    ours = training_sentences().union(*({normalised(row["text"]) for row in labelled(path)} for path in EVALUATION_SETS))

    assert not ours & public
