"""Customers in distress are noticed, whatever they were asking for, and the verdict is on record.

The FCA expects firms to recognise customers in vulnerable circumstances (health, life events such
as bereavement or job loss, low resilience, abuse) and to respond with care; someone at risk of
harming themselves needs crisis resources before anything else. This Rasa NLU component scores
every message for those categories by combining an expert lexicon that understands idioms and
negation (`distress_lexicon`) with a spaCy text classifier trained from Candor's own examples
(`distress_textcat`); a category's score is the higher of the two.

Every parse result carries `"distress": {"category": ..., "score": ...}` so the decision can be
audited and explained. When a category reaches its threshold in `bot/policy.yml`, the intent
becomes `distress`, ahead of whatever the classifiers predicted (and of `nlu_fallback`), the way
Rasa's FallbackClassifier replaces a low-confidence intent. What to *do* about it is the
dialogue's business (rules and actions), not this component's.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Set, Text, Union

import spacy
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.language import Language
from spacy.tokens import Doc, Span

from bot.bounded_text import TextBounds, bounded_doc, pieces
from bot.components.distress_lexicon import DistressLexicon
from bot.components.distress_textcat import (
    NONE,
    category_scores,
    new_classifier,
    read_training_examples,
    train_classifier,
)
from bot.policy import DISTRESS_CATEGORIES, current_policy

DISTRESS = "distress"
DISTRESS_INTENT = "distress"
_TEXTCAT_DIR = "textcat"
_LEXICON_FILE = "lexicon.yml"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class DistressDetector(GraphComponent, IntentClassifier):
    """Scores each message for distress and sets the `distress` intent when a threshold is reached."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Examples per category (and `none`) for the text classifier. Relative paths are read
            # from where `rasa train` runs: the project root.
            "training_data": "data/distress/train.yml",
            # Phrases, idioms and negation words for the lexicon.
            "lexicon": "data/distress/lexicon.yml",
            # The NLU examples of every intent are ordinary customer messages: they teach the
            # classifier what distress is not, so everyday requests are not flagged.
            "nlu_examples_as_none": True,
            # "bow" (bag of words) or "ensemble" (bag of words plus a small CNN over word pieces).
            "architecture": "bow",
            "epochs": 12,
            "ngram_size": 2,
            "random_seed": 7,
            # Categories that win whenever they reach their threshold, even if another category
            # scores higher: a risk to life comes first.
            "overriding_categories": ["self_harm"],
            # The classifier reads a longer message in pieces of at most this many characters (cut
            # at line, sentence or word ends), each category keeping its highest score, so its time
            # grows with the message's length. The lexicon always reads the whole message.
            "max_piece_chars": 500,
            # spaCy's tokenizer slows with the square of a run without spaces that it splits into
            # many tokens (20,000 emoji took 40 s); longer runs are tokenized in parts this long.
            "max_run_chars": 50,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        thresholds: Optional[Mapping[str, float]] = None,
        classifier: Optional[Language] = None,
        lexicon: Optional[DistressLexicon] = None,
    ) -> None:
        self.config = config
        self.model_storage = model_storage
        self.resource = resource
        self.thresholds = dict(thresholds if thresholds is not None else current_policy().distress.thresholds)
        self.classifier = classifier
        self.lexicon = lexicon
        try:
            self.bounds = TextBounds(config["max_piece_chars"], config["max_run_chars"])
        except ValueError as error:
            raise ValueError(f"DistressDetector in bot/config.yml: {error}") from error

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DistressDetector:
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """The training files and the training code, so editing either retrains it (Rasa's cache)."""
        # Rasa may pass only the settings written in config.yml here, without the defaults.
        config = {**cls.get_default_config(), **config}
        digest = hashlib.sha256()
        for key in ("training_data", "lexicon"):
            path = Path(config[key])
            digest.update(path.read_bytes() if path.is_file() else b"missing")
        for module in ("distress.py", "distress_lexicon.py", "distress_textcat.py"):
            digest.update((Path(__file__).parent / module).read_bytes())
        return digest.hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        """Train the textcat on data/distress (plus the NLU examples as `none`) and persist it."""
        nlp = new_classifier(self.config["ngram_size"], self.config["architecture"])
        lexicon = DistressLexicon.from_file(nlp, Path(self.config["lexicon"]))
        examples = read_training_examples(Path(self.config["training_data"]))
        if self.config["nlu_examples_as_none"]:
            examples += [(message.get(TEXT), NONE) for message in training_data.intent_examples if message.get(TEXT)]
        texts, labels = zip(*examples)
        docs = [_without_ignored(lexicon, nlp.make_doc(text)) for text in texts]
        train_classifier(nlp, docs, labels, self.config["epochs"], self.config["random_seed"])
        self.classifier, self.lexicon = nlp, lexicon
        with self.model_storage.write_to(self.resource) as directory:
            nlp.to_disk(directory / _TEXTCAT_DIR)
            shutil.copyfile(self.config["lexicon"], directory / _LEXICON_FILE)
        return self.resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> DistressDetector:
        """The classifier and the lexicon exactly as they were when the model was trained."""
        with model_storage.read_from(resource) as directory:
            nlp = spacy.load(directory / _TEXTCAT_DIR)
            lexicon = DistressLexicon.from_file(nlp, directory / _LEXICON_FILE)
        return cls(config, model_storage, resource, classifier=nlp, lexicon=lexicon)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            verdict = self.assess(message.get(TEXT) or "")
            message.set(DISTRESS, verdict, add_to_output=True)
            if verdict["category"] is not None:
                _put_intent_first(message, verdict["score"])
        return messages

    def assess(self, text: str) -> Dict[str, Any]:
        """`{"category": <category or None>, "score": <0..1>}` for one text."""
        scores = self.category_scores([text])[0]
        category = self.decide(scores)
        score = scores[category] if category else max(scores.values())
        return {"category": category, "score": round(score, 3)}

    def category_scores(self, texts: Sequence[str]) -> List[Dict[str, float]]:
        """Per text, each category's score: the higher of the lexicon's and the classifier's.

        The lexicon reads the whole text; the classifier reads a long text piece by piece (at
        most `max_piece_chars` each), and each category keeps its highest piece score.
        """
        if self.classifier is None or self.lexicon is None:
            raise RuntimeError("DistressDetector has not been trained or loaded; run `candor train`")
        return [self._text_scores(text) for text in texts]

    def _text_scores(self, text: str) -> Dict[str, float]:
        doc = bounded_doc(self.classifier.tokenizer, text, self.bounds.max_run_chars)
        reading = self.lexicon.read(doc)
        parts = _parts(doc, self.bounds.max_piece_chars)
        learned = category_scores(self.classifier, (_masked(part, reading.ignored) for part in parts))
        return {
            category: max(reading.scores.get(category, 0.0), *(model[category] for model in learned))
            for category in DISTRESS_CATEGORIES
        }

    def decide(self, scores: Mapping[str, float]) -> Optional[str]:
        """The category that reached its threshold; overriding categories first, then the highest."""
        reached = [category for category in DISTRESS_CATEGORIES if scores[category] >= self.thresholds[category]]
        for category in self.config["overriding_categories"]:
            if category in reached:
                return category
        return max(reached, key=lambda category: scores[category], default=None)


def _put_intent_first(message: Message, score: float) -> None:
    """Make `distress` the intent, keeping the classifiers' ranking after it for the record."""
    distress = {INTENT_NAME_KEY: DISTRESS_INTENT, PREDICTED_CONFIDENCE_KEY: score}
    ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get(INTENT_NAME_KEY) != DISTRESS_INTENT]
    message.set(INTENT, distress, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [distress, *ranking], add_to_output=True)


def _parts(doc: Doc, max_chars: int) -> Iterator[Span]:
    """The doc in consecutive spans, cut where `pieces` cuts its text (never inside a token)."""
    first = 0
    for _, end in pieces(doc.text, max_chars):
        last = first
        while last < len(doc) and doc[last].idx < end:
            last += 1
        yield doc[first:last]
        first = last


def _masked(doc: Union[Doc, Span], ignored: Set[int]) -> Doc:
    """The doc (or part of it) without the ignored tokens (idioms, negated phrases), for the classifier."""
    kept = [token for token in doc if token.i not in ignored]
    return Doc(doc.vocab, words=[t.text for t in kept], spaces=[bool(t.whitespace_) for t in kept])


def _without_ignored(lexicon: DistressLexicon, doc: Doc) -> Doc:
    return _masked(doc, lexicon.read(doc).ignored)
