"""Two learned designs for the distress detector: spaCy text classifiers trained from examples.

"bow" is spaCy's bag of words and word pairs: fast, but blind to words it never saw. "ensemble"
adds a small CNN over word pieces (norms, prefixes, suffixes, shapes), so unseen inflections and
misspellings can borrow from words it knows; it trains several times slower. Neither needs
pretrained vectors (none may be downloaded where Candor is built).

`candor eval-distress --cross-validate` compares them with the character n-gram design
(`distress_ngrams`); the detector uses whichever `design` names in bot/config.yml.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import minibatch

from bot.components.distress_data import LABELS
from bot.policy_sections import DISTRESS_CATEGORIES

TEXTCAT = "textcat"
_DIRECTORY = "textcat"


def textcat_model(architecture: str, ngram_size: int, width: int = 64) -> Dict[str, Any]:
    """The thinc model config of an exclusive-class textcat of this architecture."""
    bow = {
        "@architectures": "spacy.TextCatBOW.v2",
        "exclusive_classes": True,
        "ngram_size": ngram_size,
        "no_output_layer": False,
    }
    if architecture == "bow":
        return bow
    if architecture == "ensemble":
        return {
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
    raise ValueError(f"unknown textcat architecture {architecture!r} (use bow or ensemble)")


class SpacyTextcat:
    """A spaCy textcat over the labels, fitted on Docs; each word counts once per message.

    A bag of words adds up a weight per token, so a message that repeats one token fifty times
    (emoji, "help help help") would push that token's category to certainty. The classifier
    therefore sees each distinct word once, in the order it first appears.
    """

    def __init__(self, architecture: str, ngram_size: int, epochs: int, seed: int, nlp: Language | None = None) -> None:
        self.architecture = architecture
        self.epochs = epochs
        self.seed = seed
        if nlp is None:
            nlp = spacy.blank("en")
            textcat = nlp.add_pipe(TEXTCAT, config={"model": textcat_model(architecture, ngram_size)})
            for label in LABELS:
                textcat.add_label(label)
        self.nlp = nlp

    @classmethod
    def from_config(cls, architecture: str, config: Mapping[str, Any]) -> SpacyTextcat:
        return cls(architecture, config["ngram_size"], config["epochs"], config["random_seed"])

    def fit(self, docs: Sequence[Doc], labels: Sequence[str]) -> None:
        """Fit on (doc, label) pairs; deterministic for a given seed."""
        random.seed(self.seed)
        spacy.util.fix_random_seed(self.seed)
        examples = [Example.from_dict(self._own(doc), {"cats": _one_hot(label)}) for doc, label in zip(docs, labels)]
        optimizer = self.nlp.initialize(lambda: examples)
        for _ in range(self.epochs):
            random.shuffle(examples)
            for batch in minibatch(examples, size=32):
                self.nlp.update(batch, sgd=optimizer, drop=0.2)

    def scores(self, docs: Iterable[Doc]) -> List[Dict[str, float]]:
        """Each doc's probability per distress category (0 for a doc with no words left)."""
        textcat = self.nlp.get_pipe(TEXTCAT)
        found = []
        for doc in docs:
            if len(doc) == 0:
                found.append({category: 0.0 for category in DISTRESS_CATEGORIES})
                continue
            cats = textcat(self._own(doc)).cats
            found.append({category: float(cats[category]) for category in DISTRESS_CATEGORIES})
        return found

    def save(self, directory: Path) -> None:
        self.nlp.to_disk(Path(directory) / _DIRECTORY)

    @classmethod
    def load(cls, directory: Path, architecture: str, config: Mapping[str, Any]) -> SpacyTextcat:
        nlp = spacy.load(Path(directory) / _DIRECTORY)
        return cls(architecture, config["ngram_size"], config["epochs"], config["random_seed"], nlp=nlp)

    def _own(self, doc: Doc) -> Doc:
        """The doc in this pipeline's vocabulary, each distinct word once (see the class docstring)."""
        seen, words, spaces = set(), [], []
        for token in doc:
            if token.norm_ in seen:
                continue
            seen.add(token.norm_)
            words.append(token.text)
            spaces.append(True)
        return Doc(self.nlp.vocab, words=words, spaces=spaces)


def _one_hot(label: str) -> Dict[str, float]:
    return {candidate: float(candidate == label) for candidate in LABELS}
