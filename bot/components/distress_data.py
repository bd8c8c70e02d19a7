"""The distress detector's training examples: every file in `data/distress/train/`, read as one set.

The examples are written in independent passes, one file per writer's brief (a voice, a dialect,
a register; `data/distress/README.md`), so a new pass is a new file and nothing else changes.
A message written twice, in one file or two, is learned once; a message given two different
labels is refused, naming both places, because one of them is a mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Tuple

from bot.policy_sections import DISTRESS_CATEGORIES
from bot.yaml_files import read_yaml

NONE = "none"
LABELS = (*DISTRESS_CATEGORIES, NONE)


class TrainingDataError(ValueError):
    """The distress training data is missing or malformed; the message names the file and the fix."""


@dataclass(frozen=True)
class Example:
    """One training message, its label and the file it was written in (for per-pass figures)."""

    text: str
    label: str
    source: str


def normalised(text: str) -> str:
    """The text as duplicates are compared: lower case, punctuation and spacing ignored."""
    return re.sub(r"\W+", " ", text.lower()).strip()


def training_files(path: Path) -> List[Path]:
    """The YAML files at `path`: the file itself, or every `*.yml` in the folder, in name order."""
    path = Path(path)
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(p for p in path.glob("*.yml") if p.is_file())
        if files:
            return files
        raise TrainingDataError(f"{path} holds no *.yml training files; add one shaped like data/distress/train/candor-original.yml")
    raise TrainingDataError(f"cannot read distress training data {path}: no such file or folder")


def read_training_file(path: Path) -> List[Example]:
    """The examples of one file shaped like data/distress/train/candor-original.yml."""
    raw = read_yaml(path, TrainingDataError, "distress training data")
    examples_by_label = raw.get("examples") if isinstance(raw, dict) else None
    if not isinstance(examples_by_label, dict):
        raise TrainingDataError(f"{path} needs an `examples` mapping from label to a list of messages")
    unknown = set(examples_by_label) - set(LABELS)
    if unknown:
        raise TrainingDataError(f"{path}: unknown labels {', '.join(sorted(unknown))} (use {', '.join(LABELS)})")
    examples = []
    for label, texts in examples_by_label.items():
        if texts is not None and not isinstance(texts, list):
            raise TrainingDataError(f"{path}: `{label}` must be a list of messages")
        examples += [Example(str(text), label, Path(path).name) for text in texts or [] if str(text).strip()]
    return examples


def read_training_examples(path: Path) -> List[Example]:
    """Every example at `path` (a file or a folder of them), each distinct message once.

    Refuses a message given two labels, and a set with no examples for some category.
    """
    seen: Dict[str, Example] = {}
    examples: List[Example] = []
    for file in training_files(path):
        for example in read_training_file(file):
            key = normalised(example.text)
            earlier = seen.get(key)
            if earlier is None:
                seen[key] = example
                examples.append(example)
            elif earlier.label != example.label:
                raise TrainingDataError(
                    f"{example.text!r} is labelled {earlier.label} in {earlier.source} and {example.label} in "
                    f"{example.source}; keep the right one"
                )
    missing = set(DISTRESS_CATEGORIES) - {example.label for example in examples}
    if missing:
        raise TrainingDataError(f"{path}: no examples for {', '.join(sorted(missing))}")
    return examples


def texts_and_labels(examples: List[Example]) -> Tuple[List[str], List[str]]:
    return [example.text for example in examples], [example.label for example in examples]
