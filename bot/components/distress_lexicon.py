"""The expert half of the distress detector: phrases that mean distress, minus idioms and negations.

A list of phrases is precise and explainable ("matched 'can't afford'"), but on its own it flags
"I almost died laughing" and "I'm not suicidal, just cross". So the lexicon also knows figures of
speech and negation, and tells the caller which words to ignore; the trained classifier then
never sees them either. All of it is data (`data/distress/lexicon.yml`), matched with spaCy's
PhraseMatcher on token norms so "can't", "cant" and "cannot" are one phrase.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Set

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.policy_sections import DISTRESS_CATEGORIES
from bot.yaml_files import read_yaml

IDIOM = "idiom"
# Possible signs of a risk to life that people also write without one: they make the assistant ask.
ASK = "ask"
_SLOT = re.compile(r"\{(\w+)\}")
_POSSESSIVE = {"'s", "’s", "'", "’"}


class LexiconError(ValueError):
    """The lexicon file is missing or malformed; the message names the file and the fix."""


@dataclass(frozen=True)
class Match:
    """One lexicon phrase found in a message."""

    category: str
    text: str
    start: int
    end: int


@dataclass
class Reading:
    """What the lexicon makes of one message.

    `scores` holds each category with at least one live match; `asks` the live "ask" phrases
    (possible signs of a risk to life); `ignored` are the token indices of idioms and negated
    phrases, which the classifier must not see.
    """

    matches: List[Match] = field(default_factory=list)
    scores: Dict[str, float] = field(default_factory=dict)
    asks: List[Match] = field(default_factory=list)
    ignored: Set[int] = field(default_factory=set)


def expand(phrase: str, slots: Mapping[str, Sequence[str]]) -> List[str]:
    """Every phrase a template stands for: "lost my {relative}" -> "lost my mum", "lost my dad", ..."""
    names = _SLOT.findall(phrase)
    unknown = [name for name in names if name not in slots]
    if unknown:
        raise LexiconError(f"phrase {phrase!r} uses slot(s) {', '.join(unknown)} that `slots` does not define")
    phrases = []
    for words in itertools.product(*(slots[name] for name in names)):
        filled = phrase
        for name, word in zip(names, words):
            filled = filled.replace("{" + name + "}", str(word), 1)
        phrases.append(filled)
    return phrases


class DistressLexicon:
    """Finds distress phrases in spaCy Docs, ignoring idioms and negated phrases."""

    def __init__(
        self,
        nlp: Language,
        phrases: Mapping[str, Iterable[str]],
        scores: Mapping[str, float],
        idioms: Iterable[str],
        negations: Iterable[str],
        negation_window: int,
        clause_breaks: Iterable[str],
        ask_phrases: Iterable[str] = (),
    ) -> None:
        # The tokenizer the phrases were read with: messages must be read with it too.
        self.nlp = nlp
        self.scores = dict(scores)
        self.negations: FrozenSet[str] = frozenset(word.lower() for word in negations)
        self.clause_breaks: FrozenSet[str] = frozenset(word.lower() for word in clause_breaks)
        self.negation_window = negation_window
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        for category, category_phrases in phrases.items():
            self.matcher.add(category, list(nlp.tokenizer.pipe(category_phrases)))
        self.matcher.add(IDIOM, list(nlp.tokenizer.pipe(idioms)))
        self.matcher.add(ASK, list(nlp.tokenizer.pipe(ask_phrases)))

    @classmethod
    def from_file(cls, path: Path, nlp: Optional[Language] = None) -> DistressLexicon:
        """The lexicon in `path`, read with `nlp`'s tokenizer (a blank English one by default)."""
        nlp = nlp if nlp is not None else spacy.blank("en")
        raw = read_yaml(path, LexiconError, "the distress lexicon")
        try:
            slots = raw.get("slots") or {}
            categories = raw["categories"]
            unknown = set(categories) - set(DISTRESS_CATEGORIES)
            if unknown:
                raise LexiconError(
                    f"{path}: unknown categories {', '.join(sorted(unknown))} "
                    f"(use {', '.join(DISTRESS_CATEGORIES)})"
                )
            return cls(
                nlp,
                phrases={
                    name: [p for phrase in entry["phrases"] for p in expand(str(phrase), slots)]
                    for name, entry in categories.items()
                },
                scores={name: float(entry["score"]) for name, entry in categories.items()},
                idioms=[p for idiom in raw.get("idioms") or [] for p in expand(str(idiom), slots)],
                negations=[str(word) for word in raw["negations"]],
                negation_window=int(raw["negation_window"]),
                clause_breaks=[str(word) for word in raw.get("clause_breaks") or []],
                ask_phrases=[p for phrase in raw.get("ask_phrases") or [] for p in expand(str(phrase), slots)],
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise LexiconError(
                f"{path} needs `categories` (each with `score` and `phrases`), `negations` and "
                f"`negation_window`: {error!r}"
            ) from error

    def read(self, doc: Doc) -> Reading:
        reading = Reading()
        found = [(self.matcher.vocab.strings[key], start, end) for key, start, end in self.matcher(doc)]
        for _, start, end in (f for f in found if f[0] == IDIOM):
            reading.ignored.update(range(start, end))
        for category, start, end in found:
            if category == IDIOM or reading.ignored.intersection(range(start, end)):
                continue
            if self._is_possessive(doc, end):
                continue  # "I lost my son's card" is about a card
            if self._is_negated(doc, start):
                reading.ignored.update(range(start, end))
                continue
            match = Match(category, doc[start:end].text, start, end)
            if category == ASK:
                reading.asks.append(match)
                continue
            reading.matches.append(match)
            reading.scores[category] = max(reading.scores.get(category, 0.0), self.scores[category])
        # A phrase negated in one place and affirmed in another still counts where it is affirmed.
        for match in (*reading.matches, *reading.asks):
            reading.ignored.difference_update(range(match.start, match.end))
        return reading

    def _is_negated(self, doc: Doc, start: int) -> bool:
        for token in reversed(doc[max(0, start - self.negation_window) : start]):
            if token.norm_ in self.clause_breaks:
                return False
            if token.norm_ in self.negations:
                return True
        return False

    @staticmethod
    def _is_possessive(doc: Doc, end: int) -> bool:
        return end < len(doc) and doc[end].text.lower() in _POSSESSIVE

