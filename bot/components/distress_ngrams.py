"""A learned design for the distress detector: character and word n-grams, logistic regression.

Distress is written in words nobody here wrote: misspelt ("sucidal", "cant cope"), run together
("kms", "unalive"), inflected ("overdosing", "bailiffs'"). Character n-grams within words share
evidence between such forms where a bag of whole words sees strangers; word n-grams keep short
phrases ("end it", "not wake up"). A regularised logistic regression over both (scikit-learn,
installed with Rasa) trains in seconds. Its classes are weighted half-way to balanced
(`class_balance`): fully balanced, the few examples of each category count as much as the many
ordinary ones, a message unlike the training messages leans towards the distress categories, and
calm chat the model never saw was often asked about self-harm.

Each n-gram's weight grows with the logarithm of its count and each part of a message's vector
(characters, words) has unit length, so repeating a word or an emoji fifty times says no more than
writing it a few times: no category is reached by repetition. A message with no n-gram the model
knows scores 0.

scikit-learn fits the model; scoring one message is done here from the fitted numbers (the
vocabularies, IDF weights and coefficients), because scikit-learn's per-call checks cost more than
the arithmetic. The model is saved as those numbers (JSON and NumPy files), not as a pickle.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, Sequence, Tuple

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc

from bot.policy_sections import DISTRESS_CATEGORIES

_SETTINGS_FILE = "ngrams.json"
_WEIGHTS_FILE = "ngrams.npz"
# Words are runs of letters and digits (with inner apostrophes), and each other symbol on its own:
# "can't", "i", "😭" and "!" are all features.
_WORD = r"(?u)\w+(?:['’]\w+)*|[^\w\s]"


@dataclass(frozen=True)
class Settings:
    char_ngrams: Tuple[int, int] = (2, 5)
    word_ngrams: Tuple[int, int] = (1, 2)
    regularisation: float = 10.0
    min_count: int = 2
    seed: int = 7
    class_balance: float = 0.5

    def class_weights(self, labels: Sequence[str]) -> Dict[str, float]:
        """Each class's weight: scikit-learn's "balanced" weights raised to `class_balance`.

        At 1 every class counts as much as any other however many examples it has; at 0 every
        message counts the same, so the many ordinary messages pull scores of the unusual towards
        `none`. In between trades recall for fewer false alarms; cross-validation chooses.
        """
        counts = Counter(labels)
        balanced = {label: len(labels) / (len(counts) * count) for label, count in counts.items()}
        return {label: weight ** self.class_balance for label, weight in balanced.items()}

    def vectorizers(self) -> List[TfidfVectorizer]:
        """Character n-grams inside word boundaries, and word n-grams; log counts, unit length."""
        common = {"sublinear_tf": True, "min_df": self.min_count, "dtype": np.float32, "preprocessor": prepared}
        return [
            TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.char_ngrams), **common),
            TfidfVectorizer(analyzer="word", ngram_range=tuple(self.word_ngrams), token_pattern=_WORD, **common),
        ]


@dataclass
class _Part:
    """One kind of n-gram: how a text is cut, and each known n-gram's column and IDF weight."""

    analyse: Callable[[str], List[str]]
    columns: Dict[str, int]
    idf: np.ndarray
    offset: int


class NgramModel:
    """TF-IDF over character and word n-grams, then multinomial logistic regression."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.parts: List[_Part] = []
        self.classes: List[str] = []
        self.coefficients = np.zeros((0, 0), dtype=np.float32)  # one row per feature, one column per class
        self.intercept = np.zeros(0, dtype=np.float32)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> NgramModel:
        return cls(
            Settings(
                char_ngrams=tuple(config["char_ngrams"]),
                word_ngrams=tuple(config["word_ngrams"]),
                regularisation=float(config["regularisation"]),
                min_count=int(config["min_count"]),
                seed=int(config["random_seed"]),
                class_balance=float(config["class_balance"]),
            )
        )

    def fit(self, docs: Sequence[Doc], labels: Sequence[str]) -> None:
        from scipy.sparse import hstack

        texts = [doc.text for doc in docs]
        vectorizers = self.settings.vectorizers()
        vectors = hstack([vectorizer.fit_transform(texts) for vectorizer in vectorizers]).tocsr()
        classifier = LogisticRegression(
            C=self.settings.regularisation, class_weight=self.settings.class_weights(list(labels)), multi_class="multinomial",
            max_iter=3000, random_state=self.settings.seed,
        )
        classifier.fit(vectors, list(labels))
        self._set(
            vectorizers,
            [{term: int(column) for term, column in v.vocabulary_.items()} for v in vectorizers],
            [v.idf_ for v in vectorizers],
            [str(label) for label in classifier.classes_],
            classifier.coef_.T,
            classifier.intercept_,
        )

    def scores(self, docs: Iterable[Doc]) -> List[Dict[str, float]]:
        """Each doc's probability per distress category; 0 for a doc with no known n-gram."""
        return [self.score_text(doc.text) for doc in docs]

    def score_text(self, text: str) -> Dict[str, float]:
        columns, values = self._features(text)
        if not len(columns):
            return {category: 0.0 for category in DISTRESS_CATEGORIES}
        logits = self.intercept + values @ self.coefficients[columns]
        probabilities = np.exp(logits - logits.max())
        probabilities /= probabilities.sum()
        by_class = dict(zip(self.classes, probabilities.tolist()))
        return {category: by_class[category] for category in DISTRESS_CATEGORIES}

    def _features(self, text: str) -> Tuple[np.ndarray, np.ndarray]:
        """The message's non-zero features: log count times IDF, each part scaled to unit length."""
        columns, values = [], []
        for part in self.parts:
            known = part.columns
            counts = Counter(known[term] for term in part.analyse(text) if term in known)
            if not counts:
                continue
            found = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            weights = (1 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))) * part.idf[found]
            columns.append(found + part.offset)
            values.append(weights / np.linalg.norm(weights))
        if not columns:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return np.concatenate(columns), np.concatenate(values)

    def save(self, directory: Path) -> None:
        directory = Path(directory)
        settings = {
            "char_ngrams": list(self.settings.char_ngrams),
            "word_ngrams": list(self.settings.word_ngrams),
            "regularisation": self.settings.regularisation,
            "min_count": self.settings.min_count,
            "seed": self.settings.seed,
            "class_balance": self.settings.class_balance,
        }
        document = {"settings": settings, "classes": self.classes, "vocabularies": [part.columns for part in self.parts]}
        (directory / _SETTINGS_FILE).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        np.savez(
            directory / _WEIGHTS_FILE,
            coefficients=self.coefficients, intercept=self.intercept, **{f"idf_{i}": part.idf for i, part in enumerate(self.parts)},
        )

    @classmethod
    def load(cls, directory: Path) -> NgramModel:
        directory = Path(directory)
        document = json.loads((directory / _SETTINGS_FILE).read_text(encoding="utf-8"))
        settings = document["settings"]
        model = cls(Settings(
            char_ngrams=tuple(settings["char_ngrams"]), word_ngrams=tuple(settings["word_ngrams"]),
            regularisation=settings["regularisation"], min_count=settings["min_count"], seed=settings["seed"],
            class_balance=settings.get("class_balance", 1.0),
        ))
        with np.load(directory / _WEIGHTS_FILE) as weights:
            idf = [weights[f"idf_{i}"] for i in range(len(document["vocabularies"]))]
            model._set(
                model.settings.vectorizers(), document["vocabularies"], idf, document["classes"],
                weights["coefficients"], weights["intercept"],
            )
        return model

    def _set(
        self,
        vectorizers: Sequence[TfidfVectorizer],
        vocabularies: Sequence[Dict[str, int]],
        idf: Sequence[np.ndarray],
        classes: Sequence[str],
        coefficients: np.ndarray,
        intercept: np.ndarray,
    ) -> None:
        self.parts, offset = [], 0
        for vectorizer, vocabulary, weights in zip(vectorizers, vocabularies, idf):
            self.parts.append(_Part(vectorizer.build_analyzer(), dict(vocabulary), np.asarray(weights, dtype=np.float32), offset))
            offset += len(vocabulary)
        self.classes = list(classes)
        self.coefficients = np.ascontiguousarray(coefficients, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)


def prepared(text: str) -> str:
    """Lower case, one kind of apostrophe: "Can’t" and "can't" are the same n-grams."""
    return text.lower().replace("’", "'")
