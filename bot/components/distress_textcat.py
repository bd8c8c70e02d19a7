"""The learned half of the distress detector: a small spaCy text classifier trained from examples.

A lexicon misses wording nobody listed ("I wrote a note for my family last night"). A bag-of-words
textcat trained on a few hundred examples written for Candor catches much of it, trains in seconds
inside `rasa train`, and needs no pretrained vectors (none can be downloaded where Candor is built).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple

import spacy
import yaml
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import minibatch

from bot.policy import DISTRESS_CATEGORIES

NONE = "none"
LABELS = (*DISTRESS_CATEGORIES, NONE)
TEXTCAT = "textcat"


class TrainingDataError(ValueError):
    """The distress training file is missing or malformed; the message names the file and the fix."""


def read_training_examples(path: Path) -> List[Tuple[str, str]]:
    """(text, label) pairs from a file shaped like data/distress/train.yml."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise TrainingDataError(f"cannot read distress training data {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise TrainingDataError(f"{path} is not valid YAML: {error}") from error
    examples_by_label = (raw or {}).get("examples") if isinstance(raw, dict) else None
    if not isinstance(examples_by_label, dict):
        raise TrainingDataError(f"{path} needs an `examples` mapping from label to a list of messages")
    unknown = set(examples_by_label) - set(LABELS)
    if unknown:
        raise TrainingDataError(f"{path}: unknown labels {', '.join(sorted(unknown))} (use {', '.join(LABELS)})")
    missing = set(DISTRESS_CATEGORIES) - set(examples_by_label)
    if missing:
        raise TrainingDataError(f"{path}: no examples for {', '.join(sorted(missing))}")
    return [(str(text), label) for label, texts in examples_by_label.items() for text in texts or []]


def new_classifier(ngram_size: int, architecture: str = "bow", width: int = 64) -> Language:
    """A blank English pipeline with an untrained exclusive-class textcat over LABELS.

    "bow" is a bag of words and word pairs: fast, but blind to words it never saw. "ensemble"
    adds a small CNN over word pieces (prefixes, suffixes, shapes), so "tablets" can borrow from
    "pills"-like contexts and unseen inflections still count; it trains a few times slower.
    """
    bow = {
        "@architectures": "spacy.TextCatBOW.v2",
        "exclusive_classes": True,
        "ngram_size": ngram_size,
        "no_output_layer": False,
    }
    if architecture == "bow":
        model = bow
    elif architecture == "ensemble":
        model = {
            "@architectures": "spacy.TextCatEnsemble.v2",
            "linear_model": bow,
            "tok2vec": {
                "@architectures": "spacy.Tok2Vec.v2",
                "embed": {
                    "@architectures": "spacy.MultiHashEmbed.v2",
                    "width": width,
                    "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                    "rows": [5000, 1000, 2500, 500],
                    "include_static_vectors": False,
                },
                "encode": {
                    "@architectures": "spacy.MaxoutWindowEncoder.v2",
                    "width": width,
                    "window_size": 1,
                    "maxout_pieces": 3,
                    "depth": 2,
                },
            },
        }
    else:
        raise ValueError(f"unknown textcat architecture {architecture!r} (use bow or ensemble)")
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe(TEXTCAT, config={"model": model})
    for label in LABELS:
        textcat.add_label(label)
    return nlp


def train_classifier(nlp: Language, docs: Sequence[Doc], labels: Sequence[str], epochs: int, seed: int) -> None:
    """Fit the textcat on (doc, label) pairs; deterministic for a given seed."""
    random.seed(seed)
    spacy.util.fix_random_seed(seed)
    examples = [Example.from_dict(doc, {"cats": _one_hot(label)}) for doc, label in zip(docs, labels)]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(epochs):
        random.shuffle(examples)
        for batch in minibatch(examples, size=32):
            nlp.update(batch, sgd=optimizer, drop=0.2)


def category_scores(nlp: Language, docs: Iterable[Doc]) -> List[Dict[str, float]]:
    """Each doc's probability per distress category (0 for a doc with no words left)."""
    textcat = nlp.get_pipe(TEXTCAT)
    scores = []
    for doc in docs:
        if len(doc) == 0:
            scores.append({category: 0.0 for category in DISTRESS_CATEGORIES})
            continue
        cats = textcat(doc).cats
        scores.append({category: float(cats[category]) for category in DISTRESS_CATEGORIES})
    return scores


def _one_hot(label: str) -> Dict[str, float]:
    return {candidate: float(candidate == label) for candidate in LABELS}
