"""The NLU pipeline designs `candor eval-nlu --cross-validate` compares, by the levers they set.

A design names a value for each lever (character n-grams, word n-grams, misspelt copies, DIET's
epochs and size); everything else (tokenizer, regex features, entity extraction) is taken from
bot/config.yml's pipeline as it stands. Every design sets every lever, so the table means the same
whatever bot/config.yml says today; `design_of` reads the levers of bot/config.yml itself, and
the comparison prints it as its own row.

The fallback thresholds need no design of their own: they act on the classifier's confidences,
which cross-validation records, so `--sweep` tries them all on the same out-of-fold readings.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, fields, replace
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

DIET = "DIETClassifier"
COUNT_VECTORS = "CountVectorsFeaturizer"
TYPO_AUGMENTER = "bot.components.typo_augmentation.TypoAugmenter"
FALLBACK = "FallbackClassifier"
# Components that do not decide the intent of a customer request: the fallback rule is applied to
# the recorded confidences instead, and the distress detector (issue 15's) is measured by
# `candor eval-distress --cross-validate`.
NOT_THE_INTENT_MODEL = {FALLBACK, "bot.components.distress.DistressDetector"}


@dataclass(frozen=True)
class Design:
    name: str
    char_ngrams: Tuple[int, int] = (1, 4)
    word_ngrams: Tuple[int, int] = (1, 1)
    typo_copies: int = 0
    epochs: int = 100
    embedding_dimension: int = 20
    hidden_layers: Tuple[int, ...] = ()

    def levers(self) -> Tuple[Any, ...]:
        return tuple(getattr(self, field.name) for field in fields(self) if field.name != "name")


BASELINE = Design("baseline: chars 1-4, 100 epochs")
DESIGNS: Tuple[Design, ...] = (
    BASELINE,
    replace(BASELINE, name="chars 1-5", char_ngrams=(1, 5)),
    replace(BASELINE, name="50 epochs", epochs=50),
    replace(BASELINE, name="typos x1", typo_copies=1),
    replace(BASELINE, name="typos x1, 50 epochs", typo_copies=1, epochs=50),
    replace(BASELINE, name="typos x1, chars 1-5, 50 epochs", typo_copies=1, char_ngrams=(1, 5), epochs=50),
)


def find_design(name: str, designs: Sequence[Design] = DESIGNS) -> Design:
    for design in designs:
        if design.name == name:
            return design
    raise KeyError(f"no design named {name!r}; the designs are: " + "; ".join(d.name for d in designs))


def _find(pipeline: Sequence[Dict[str, Any]], name: str, **settings: Any) -> Optional[Dict[str, Any]]:
    for component in pipeline:
        if component["name"] == name and all(component.get(key) == value for key, value in settings.items()):
            return component
    return None


def _char_featurizer(pipeline: Sequence[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    return _find(pipeline, COUNT_VECTORS, analyzer="char_wb")


def _word_featurizer(pipeline: Sequence[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    for component in pipeline:
        if component["name"] == COUNT_VECTORS and component.get("analyzer", "word") == "word":
            return component
    return None


def design_of(pipeline: Sequence[Mapping[str, Any]], name: str = "bot/config.yml") -> Design:
    """The levers of a pipeline as it is configured (Rasa's defaults where a setting is left out)."""
    parts = [dict(component) for component in pipeline]
    chars, words = _char_featurizer(parts), _word_featurizer(parts)
    typos, diet = _find(parts, TYPO_AUGMENTER), _find(parts, DIET) or {}
    hidden = (diet.get("hidden_layers_sizes") or {}).get("text", [])
    return Design(
        name,
        char_ngrams=(chars.get("min_ngram", 1), chars.get("max_ngram", 1)) if chars else (0, 0),
        word_ngrams=(words.get("min_ngram", 1), words.get("max_ngram", 1)) if words else (0, 0),
        typo_copies=typos.get("copies", 1) if typos else 0,
        epochs=diet.get("epochs", 300),
        embedding_dimension=diet.get("embedding_dimension", 20),
        hidden_layers=tuple(hidden),
    )


def pipeline_for(design: Design, pipeline: Sequence[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """bot/config.yml's intent pipeline with `design`'s levers set (the fallback rule left out)."""
    parts = [copy.deepcopy(dict(c)) for c in pipeline if c["name"] not in NOT_THE_INTENT_MODEL]
    chars, words, diet = _char_featurizer(parts), _word_featurizer(parts), _find(parts, DIET)
    if chars is None or words is None or diet is None:
        raise ValueError(
            "bot/config.yml's pipeline needs a word CountVectorsFeaturizer, a char_wb one and a "
            "DIETClassifier for the designs to set their levers"
        )
    chars["min_ngram"], chars["max_ngram"] = design.char_ngrams
    words["min_ngram"], words["max_ngram"] = design.word_ngrams
    diet.update(epochs=design.epochs, embedding_dimension=design.embedding_dimension)
    diet["hidden_layers_sizes"] = {"text": list(design.hidden_layers), "label": []}
    typos = _find(parts, TYPO_AUGMENTER)
    if design.typo_copies and typos is None:
        parts.insert(0, {"name": TYPO_AUGMENTER, "copies": design.typo_copies})
    elif typos is not None:
        typos["copies"] = design.typo_copies
    return parts


def fallback_thresholds(pipeline: Sequence[Mapping[str, Any]]) -> Tuple[float, float]:
    """The FallbackClassifier's threshold and ambiguity threshold (Rasa's defaults if unset)."""
    fallback = _find([dict(c) for c in pipeline], FALLBACK) or {}
    return float(fallback.get("threshold", 0.3)), float(fallback.get("ambiguity_threshold", 0.1))
