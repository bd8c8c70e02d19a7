"""The n-gram design scores exactly as scikit-learn would, saves as plain numbers, and reads misspellings."""

from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import numpy as np
import pytest
import spacy
from scipy.sparse import hstack
from sklearn.linear_model import LogisticRegression

from bot.components.distress_ngrams import NgramModel, Settings
from bot.policy_sections import DISTRESS_CATEGORIES

NLP = spacy.blank("en")
EXAMPLES: List[Tuple[str, str]] = [
    ("I want to kill myself tonight", "self_harm"),
    ("thinking about suicide again", "self_harm"),
    ("I don't want to be alive any more", "self_harm"),
    ("my dad died last week", "bereavement"),
    ("my mother passed away on Sunday", "bereavement"),
    ("arranging my husband's funeral", "bereavement"),
    ("I lost my job and can't afford the rent", "financial_hardship"),
    ("the bailiffs came for my car", "financial_hardship"),
    ("behind on every bill this month", "financial_hardship"),
    ("I'm in hospital having surgery", "health"),
    ("just diagnosed with cancer", "health"),
    ("I'm having chemotherapy", "health"),
    ("my partner controls all my money", "abuse"),
    ("he hits me when he's angry", "abuse"),
    ("my ex keeps threatening me", "abuse"),
    ("I can't cope with anything", "emotional_distress"),
    ("having panic attacks every day", "emotional_distress"),
    ("I'm completely overwhelmed", "emotional_distress"),
    ("where is my parcel", "none"),
    ("the kettle was dead on arrival", "none"),
    ("can I change my delivery address", "none"),
    ("I'd like a refund for the lamp", "none"),
    ("your team is killing it", "none"),
    ("thanks for the quick reply", "none"),
]
PROBES = ["I want to kil myself", "my dad passed", "can't afford food", "where's my refund", "I cant cope", "😭"]


@pytest.fixture(scope="module")
def model() -> NgramModel:
    fitted = NgramModel(Settings(min_count=1))
    texts, labels = zip(*EXAMPLES)
    fitted.fit([NLP.make_doc(text) for text in texts], labels)
    return fitted


def test_scores_are_scikit_learns_probabilities(model: NgramModel) -> None:
    settings = Settings(min_count=1)
    texts, labels = zip(*EXAMPLES)
    vectorizers = settings.vectorizers()
    vectors = hstack([vectorizer.fit_transform(texts) for vectorizer in vectorizers]).tocsr()
    reference = LogisticRegression(
        C=settings.regularisation, class_weight=settings.class_weights(list(labels)), multi_class="multinomial",
        max_iter=3000, random_state=settings.seed,
    ).fit(vectors, labels)
    probes = [probe for probe in PROBES if probe != "😭"]  # no known n-gram: scikit-learn gives the prior, we give 0

    expected = reference.predict_proba(hstack([v.transform(probes) for v in vectorizers]).tocsr())

    for probe, row in zip(probes, expected):
        found = model.scores([NLP.make_doc(probe)])[0]
        by_class = dict(zip(reference.classes_, row))
        assert found == pytest.approx({category: by_class[category] for category in DISTRESS_CATEGORIES}, abs=1e-5)


def test_class_balance_weighs_classes_from_equal_per_class_to_equal_per_message() -> None:
    labels = ["none"] * 6 + ["self_harm"] * 2

    balanced = Settings(class_balance=1.0).class_weights(labels)
    plain = Settings(class_balance=0.0).class_weights(labels)
    between = Settings(class_balance=0.5).class_weights(labels)

    assert balanced["none"] * 6 == pytest.approx(balanced["self_harm"] * 2), "each class weighs the same in all"
    assert plain == {"none": 1.0, "self_harm": 1.0}, "each message weighs the same"
    assert plain["self_harm"] < between["self_harm"] < balanced["self_harm"]


def test_a_message_with_no_known_ngram_scores_zero(model: NgramModel) -> None:
    assert model.scores([NLP.make_doc("😭")]) == [{category: 0.0 for category in DISTRESS_CATEGORIES}]
    assert model.scores([NLP.make_doc("")]) == [{category: 0.0 for category in DISTRESS_CATEGORIES}]


def test_character_ngrams_read_a_misspelling_as_the_word_it_misspells(model: NgramModel) -> None:
    [misspelt] = model.scores([NLP.make_doc("I want to kil myslef")])

    assert max(misspelt, key=misspelt.get) == "self_harm"


def test_the_saved_model_is_plain_numbers_and_loads_with_the_same_scores(model: NgramModel, tmp_path: Path) -> None:
    model.save(tmp_path)

    loaded = NgramModel.load(tmp_path)

    assert sorted(path.name for path in tmp_path.iterdir()) == ["ngrams.json", "ngrams.npz"]
    with np.load(tmp_path / "ngrams.npz", allow_pickle=False) as weights:  # nothing in it needs unpickling
        assert set(weights.files) >= {"coefficients", "intercept"}
    docs = [NLP.make_doc(probe) for probe in PROBES]
    assert loaded.scores(docs) == model.scores(docs)
