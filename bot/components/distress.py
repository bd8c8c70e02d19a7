"""Customers in distress are noticed, whatever they were asking for, and the verdict is on record.

The FCA expects firms to recognise customers in vulnerable circumstances (health, life events such
as bereavement or job loss, low resilience, abuse) and to respond with care; someone at risk of
harming themselves needs crisis resources before anything else. This Rasa NLU component scores
every message for those categories by combining an expert lexicon that understands idioms and
negation (`distress_lexicon`) with a model learned from Candor's own examples (`distress_designs`);
a category's score is the higher of the two.

Self-harm has two tiers, because recall must be 1.0 and a threshold that low would alarm people
who are fine. Tier one (a clear signal) sets the intent `distress`: crisis resources at once.
Tier two (a possible signal: a much lower score, or a lexicon phrase marked "ask") sets the intent
`self_harm_check`: the assistant asks the customer directly. Both thresholds are in
`bot/policy.yml`.

Every parse result carries `"distress": {"category", "score", "tier"}` so the decision can be
audited and explained. The intent set here comes ahead of whatever the classifiers predicted (and
of `nlu_fallback`), the way Rasa's FallbackClassifier replaces a low-confidence intent. What to
*do* about it is the dialogue's business (rules and actions), not this component's.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Set, Text, Tuple, Union

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
from bot.components.distress_data import NONE, read_training_examples, training_files
from bot.components.distress_designs import DistressModel, load_model, new_model
from bot.components.distress_lexicon import DistressLexicon
from bot.conversation.names import DISTRESS_INTENT, SELF_HARM_CHECK_INTENT
from bot.policy import current_policy
from bot.policy_sections import DISTRESS_CATEGORIES

DISTRESS = "distress"
SELF_HARM = "self_harm"
CRISIS_TIER = 1
ASK_TIER = 2
_LEXICON_FILE = "lexicon.yml"


@dataclass(frozen=True)
class Reading:
    """What the detector makes of one message before any threshold: scores and "ask" phrases."""

    scores: Dict[str, float]
    asks: bool


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class DistressDetector(GraphComponent, IntentClassifier):
    """Scores each message for distress and sets `distress` or `self_harm_check` when a threshold is reached."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # A folder of training files (every *.yml in it, one per writing pass) or one file.
            # Relative paths are read from where `rasa train` runs: the project root.
            "training_data": "data/distress/train",
            # Phrases, idioms and negation words for the lexicon.
            "lexicon": "data/distress/lexicon.yml",
            # The NLU examples of every intent are ordinary customer messages: they teach the
            # model what distress is not, so everyday requests are not flagged.
            "nlu_examples_as_none": True,
            # The learned model: "ngrams" (character and word n-grams, logistic regression), "bow"
            # (spaCy bag of words) or "ensemble" (spaCy bag of words plus a CNN). Compare them with
            # `candor eval-distress --cross-validate`.
            "design": "ngrams",
            # ngrams: n-gram lengths in characters (inside words) and in words, the inverse of the
            # regularisation strength, how many training messages an n-gram must appear in, and
            # the class weighting.
            "char_ngrams": [2, 5],
            "word_ngrams": [1, 2],
            "regularisation": 10.0,
            "min_count": 2,
            # How far each category's few examples are weighted up to count as much as the many
            # `none` ones: 1 is fully balanced, 0 weighs every message the same. Half-way, chat
            # unlike the training messages no longer leans towards distress (cross-validated).
            "class_balance": 0.5,
            # bow and ensemble: passes over the data and the longest word n-gram.
            "epochs": 12,
            "ngram_size": 2,
            "random_seed": 7,
            # Categories that win whenever they reach their threshold, even if another category
            # scores higher: a risk to life comes first.
            "overriding_categories": [SELF_HARM],
            # The model reads a longer message in pieces of at most this many characters (cut at
            # line, sentence or word ends), each category keeping its highest score, so its time
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
        ask_threshold: Optional[float] = None,
        ask_beside_another: Optional[float] = None,
        model: Optional[DistressModel] = None,
        lexicon: Optional[DistressLexicon] = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self.model_storage = model_storage
        self.resource = resource
        policy = current_policy().distress
        self.thresholds = dict(thresholds if thresholds is not None else policy.thresholds)
        self.ask_threshold = ask_threshold if ask_threshold is not None else policy.self_harm_ask_threshold
        self.ask_beside_another = (
            ask_beside_another if ask_beside_another is not None else policy.self_harm_ask_threshold_beside_another
        )
        self.model = model
        self.lexicon = lexicon
        try:
            self.bounds = TextBounds(self.config["max_piece_chars"], self.config["max_run_chars"])
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
        """Every training file, the lexicon and the code, so editing any retrains it (Rasa's cache)."""
        # Rasa may pass only the settings written in config.yml here, without the defaults.
        config = {**cls.get_default_config(), **config}
        digest = hashlib.sha256()
        data = Path(config["training_data"])
        for path in training_files(data) if data.exists() else []:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        lexicon = Path(config["lexicon"])
        digest.update(lexicon.read_bytes() if lexicon.is_file() else b"missing")
        for module in sorted(Path(__file__).parent.glob("distress*.py")):
            digest.update(module.read_bytes())
        return digest.hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        """Fit on data/distress/train (plus the NLU examples as `none`) and persist it."""
        examples = [(example.text, example.label) for example in read_training_examples(Path(self.config["training_data"]))]
        if self.config["nlu_examples_as_none"]:
            lexicon = DistressLexicon.from_file(Path(self.config["lexicon"]))
            texts = [message.get(TEXT) for message in training_data.intent_examples if message.get(TEXT)]
            examples += [(text, NONE) for text in ordinary_requests(texts, lexicon)]
        self.fit(examples)
        return self.persist()

    def persist(self) -> Resource:
        """Write the fitted model and the lexicon it was fitted with to the model storage."""
        with self.model_storage.write_to(self.resource) as directory:
            self.model.save(directory)
            shutil.copyfile(self.config["lexicon"], directory / _LEXICON_FILE)
        return self.resource

    def fit(self, examples: Sequence[Tuple[str, str]]) -> None:
        """Read the lexicon and fit the model on (text, label) pairs, in memory only."""
        lexicon = DistressLexicon.from_file(Path(self.config["lexicon"]))
        model = new_model(self.config["design"], self.config)
        texts, labels = zip(*examples)
        model.fit([self._masked_doc(lexicon, text) for text in texts], labels)
        self.model, self.lexicon = model, lexicon

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> DistressDetector:
        """The model and the lexicon exactly as they were when the model was trained."""
        config = {**cls.get_default_config(), **config}
        with model_storage.read_from(resource) as directory:
            model = load_model(config["design"], directory, config)
            lexicon = DistressLexicon.from_file(directory / _LEXICON_FILE)
        return cls(config, model_storage, resource, model=model, lexicon=lexicon)

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline whose tokenizer reads every message (the lexicon's, so phrases match)."""
        if self.lexicon is None:
            raise RuntimeError("DistressDetector has not been trained or loaded; run `candor train`")
        return self.lexicon.nlp

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            verdict = self.assess(message.get(TEXT) or "")
            message.set(DISTRESS, verdict, add_to_output=True)
            if verdict["category"] is not None:
                intent = SELF_HARM_CHECK_INTENT if verdict["tier"] == ASK_TIER else DISTRESS_INTENT
                _put_intent_first(message, intent, verdict["score"])
        return messages

    def assess(self, text: str) -> Dict[str, Any]:
        """`{"category": <category or None>, "score": <0..1>, "tier": <1, 2 or None>}` for one text."""
        reading = self.read(text)
        category, tier = self.decide(reading)
        score = reading.scores[category] if category else max(reading.scores.values())
        return {"category": category, "score": round(score, 3), "tier": tier}

    def category_scores(self, texts: Sequence[str]) -> List[Dict[str, float]]:
        """Per text, each category's score: the higher of the lexicon's and the model's."""
        return [self.read(text).scores for text in texts]

    def read(self, text: str) -> Reading:
        """The scores and "ask" phrases of one text.

        The lexicon reads the whole text; the model reads a long text piece by piece (at most
        `max_piece_chars` each), and each category keeps its highest piece score.
        """
        if self.model is None or self.lexicon is None:
            raise RuntimeError("DistressDetector has not been trained or loaded; run `candor train`")
        doc = bounded_doc(self.nlp.tokenizer, text, self.bounds.max_run_chars)
        found = self.lexicon.read(doc)
        learned = self.model.scores([_masked(part, found.ignored) for part in _parts(doc, self.bounds.max_piece_chars)])
        scores = {
            category: max(found.scores.get(category, 0.0), *(model[category] for model in learned))
            for category in DISTRESS_CATEGORIES
        }
        return Reading(scores, asks=bool(found.asks))

    def decide(self, reading: Reading) -> Tuple[Optional[str], Optional[int]]:
        """The category and tier to act on, with this detector's thresholds (see `decide`)."""
        return decide(
            reading, self.thresholds, self.ask_threshold, self.config["overriding_categories"], self.ask_beside_another
        )

    def _masked_doc(self, lexicon: DistressLexicon, text: str) -> Doc:
        doc = bounded_doc(lexicon.nlp.tokenizer, text, self.bounds.max_run_chars)
        return _masked(doc, lexicon.read(doc).ignored)


def decide(
    reading: Reading,
    thresholds: Mapping[str, float],
    ask_threshold: float,
    overriding: Sequence[str] = (SELF_HARM,),
    ask_beside_another: Optional[float] = None,
) -> Tuple[Optional[str], Optional[int]]:
    """The category and tier to act on, risk to life first.

    Self-harm at its threshold is tier one; at the lower ask threshold, or with an "ask" phrase,
    tier two, ahead of any other category. When another category reached its threshold, the
    customer already gets care and the offer of a person for it, so the question needs the score
    `ask_beside_another` (or an "ask" phrase): someone bereaved who may be at risk is asked, and
    someone whose mum died is not asked about suicide on a faint signal. Otherwise an overriding
    category that reached its threshold, then the highest category that did, with tier None:
    tiers are for self-harm only.
    """
    scores = reading.scores
    if scores[SELF_HARM] >= thresholds[SELF_HARM]:
        return SELF_HARM, CRISIS_TIER
    reached = [category for category in DISTRESS_CATEGORIES if scores[category] >= thresholds[category]]
    ask_at = ask_threshold if not reached or ask_beside_another is None else max(ask_threshold, ask_beside_another)
    if scores[SELF_HARM] >= ask_at or reading.asks:
        return SELF_HARM, ASK_TIER
    for category in overriding:
        if category in reached:
            return category, None
    return max(reached, key=lambda category: scores[category], default=None), None


def ordinary_requests(texts: Sequence[str], lexicon: DistressLexicon) -> List[str]:
    """The NLU examples that teach the model what distress is not: all but those told with
    distress the lexicon finds ("my dad died, please cancel his order" teaches the intent
    classifier a request, not the detector that a death is ordinary)."""
    return [text for text in texts if not _lexicon_finds_distress(lexicon, text)]


def _lexicon_finds_distress(lexicon: DistressLexicon, text: str) -> bool:
    found = lexicon.read(lexicon.nlp.tokenizer(text))
    return bool(found.scores or found.asks)


def _put_intent_first(message: Message, intent: str, score: float) -> None:
    """Make `intent` the intent, keeping the classifiers' ranking after it for the record."""
    chosen = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: score}
    ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get(INTENT_NAME_KEY) != intent]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)


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
    """The doc (or part of it) without the ignored tokens (idioms, negated phrases), for the model."""
    kept = [token for token in doc if token.i not in ignored]
    return Doc(doc.vocab, words=[t.text for t in kept], spaces=[bool(t.whitespace_) for t in kept])
