"""Misspelt copies of the training examples, so the model has seen the typos customers make.

Customers type in a hurry, on phones, with dyslexia: letters swapped, dropped or doubled, spaces
missed. Writers put some of that into the training data by hand; this component adds it to every
example, at training time only, so no one has to write each sentence twice. It runs first in the
pipeline and hands the next component the examples plus their misspelt copies; at prediction time
it does nothing.

Every copy is chosen by a random generator seeded from `random_seed` and the example's own text,
so the same data always gives the same copies, whatever order the examples come in. Entity values
(order numbers, email addresses) are never changed, and their positions move with the text.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Sequence, Set, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_END, ENTITY_ATTRIBUTE_START, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

KINDS = ("swap", "drop", "double", "join")
NOT_IN_AN_ENTITY = -1
# Order numbers, email addresses and links are copied exactly even where no entity marks them.
KEPT_EXACT = re.compile(r"\S*[\d@/]\S*")
KEPT = -2


@dataclass
class Spelling:
    """A text as characters, each knowing the entity it belongs to (or none), so edits keep entities whole.

    Characters of entities and of words with digits, `@` or `/` in them are never edited.
    """

    chars: List[str]
    owners: List[int]
    min_word_length: int

    @classmethod
    def of(cls, text: str, entities: Sequence[Dict[str, Any]], min_word_length: int) -> "Spelling":
        owners = [NOT_IN_AN_ENTITY] * len(text)
        for kept in KEPT_EXACT.finditer(text):
            owners[kept.start() : kept.end()] = [KEPT] * (kept.end() - kept.start())
        for index, entity in enumerate(entities):
            for position in range(entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END]):
                owners[position] = index
        return cls(list(text), owners, min_word_length)

    def text(self) -> str:
        return "".join(self.chars)

    def entity_span(self, index: int) -> Tuple[int, int]:
        positions = [position for position, owner in enumerate(self.owners) if owner == index]
        return positions[0], positions[-1] + 1

    def _free(self, position: int) -> bool:
        return self.owners[position] == NOT_IN_AN_ENTITY

    def _inner_letters(self) -> List[int]:
        """Letters after the first of a word of `min_word_length` letters or more, outside entities.

        The first letter is left alone: people rarely mistype it, and it is how a reader finds the word.
        """
        letters: List[int] = []
        start = 0
        while start < len(self.chars):
            if not self.chars[start].isalpha():
                start += 1
                continue
            end = start
            while end < len(self.chars) and self.chars[end].isalpha():
                end += 1
            if end - start >= self.min_word_length:
                letters.extend(p for p in range(start + 1, end) if self._free(p))
            start = end
        return letters

    def places_for(self, kind: str) -> List[int]:
        """Where an edit of `kind` can go."""
        letters = self._inner_letters()
        if kind == "swap":
            inner = set(letters)
            return [p for p in letters if p + 1 in inner and self.chars[p] != self.chars[p + 1]]
        if kind in ("drop", "double"):
            return letters
        if kind == "join":
            return [
                p for p in range(1, len(self.chars) - 1)
                if self.chars[p] == " " and self.chars[p - 1].isalpha() and self.chars[p + 1].isalpha()
                and self._free(p - 1) and self._free(p + 1)
            ]
        raise ValueError(f"unknown typo kind {kind!r} (use one of {', '.join(KINDS)})")

    def apply(self, kind: str, position: int) -> None:
        if kind == "swap":
            self.chars[position], self.chars[position + 1] = self.chars[position + 1], self.chars[position]
        elif kind in ("drop", "join"):
            del self.chars[position], self.owners[position]
        elif kind == "double":
            self.chars.insert(position, self.chars[position])
            self.owners.insert(position, NOT_IN_AN_ENTITY)


def misspell(
    text: str,
    entities: Sequence[Dict[str, Any]],
    rng: random.Random,
    kinds: Sequence[str] = KINDS,
    words_per_typo: int = 5,
    min_word_length: int = 4,
) -> Tuple[str, List[Dict[str, Any]]]:
    """`text` with one typo per `words_per_typo` words (at least one), and its entities moved to match.

    Returns the text unchanged when no word is long enough to misspell.
    """
    spelling = Spelling.of(text, entities, min_word_length)
    typos = max(1, round(len(text.split()) / words_per_typo))
    for _ in range(typos):
        possible = [(kind, places) for kind in kinds if (places := spelling.places_for(kind))]
        if not possible:
            break
        kind, places = rng.choice(possible)
        spelling.apply(kind, rng.choice(places))
    moved = []
    for index, entity in enumerate(entities):
        start, end = spelling.entity_span(index)
        moved.append({**entity, ENTITY_ATTRIBUTE_START: start, ENTITY_ATTRIBUTE_END: end})
    return spelling.text(), moved


def seeded_rng(seed: int, copy: int, text: str) -> random.Random:
    """A generator that depends on the seed, the copy and the text only (not on Python's hash salt)."""
    digest = hashlib.sha256(f"{seed}\0{copy}\0{text}".encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def words_only(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class TypoAugmenter(GraphComponent):
    """Adds `copies` misspelt copies of every intent example to the training data (and nothing else)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # How many misspelt copies of each example to add; 0 turns augmentation off.
            "copies": 1,
            # One typo per this many words of an example, and at least one.
            "words_per_typo": 5,
            # Shorter words are left alone: "my" or "an" misspelt is another word, not a typo.
            "min_word_length": 4,
            # Swapped letters, a dropped letter, a doubled letter, a missing space between words.
            "kinds": list(KINDS),
            "random_seed": 7,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        unknown = set(config["kinds"]) - set(KINDS)
        if unknown:
            raise ValueError(f"TypoAugmenter: unknown typo kinds {sorted(unknown)} in bot/config.yml (use {list(KINDS)})")
        if config["copies"] < 0 or config["words_per_typo"] < 1:
            raise ValueError("TypoAugmenter: copies must be 0 or more and words_per_typo 1 or more (bot/config.yml)")
        self.config = config

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TypoAugmenter:
        return cls(config)

    def copies_of(self, example: Message, taken: Set[str]) -> List[Message]:
        """The misspelt copies of one example that say something new (not already in `taken`)."""
        text = example.get(TEXT)
        copies = []
        for copy in range(self.config["copies"]):
            misspelt, entities = misspell(
                text,
                example.get(ENTITIES) or [],
                seeded_rng(self.config["random_seed"], copy, text),
                self.config["kinds"],
                self.config["words_per_typo"],
                self.config["min_word_length"],
            )
            if words_only(misspelt) in taken:
                continue
            taken.add(words_only(misspelt))
            data = {TEXT: misspelt, INTENT: example.get(INTENT)}
            if entities:
                data[ENTITIES] = entities
            copies.append(Message(data=data))
        return copies

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        if not self.config["copies"]:
            return training_data
        taken = {words_only(example.get(TEXT)) for example in training_data.training_examples if example.get(TEXT)}
        added = [copy for example in training_data.intent_examples for copy in self.copies_of(example, taken)]
        return training_data.merge(TrainingData(training_examples=added))

    def process(self, messages: List[Message]) -> List[Message]:
        return messages
