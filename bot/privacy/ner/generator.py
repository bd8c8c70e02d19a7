"""Synthetic chat messages with their names and addresses marked, for training the NER model.

Real customers' messages cannot be used (they are redacted before they are stored, and they are
personal data), and public evaluation sets must not be trained on. So messages are generated: the
templates in `templates.yml`, written for Candor, filled with Faker's names and addresses from
many locales, typed as people type (lower case, typos, accents dropped, an address on one line
or on several). The same seed and settings always give the same messages.
"""

from __future__ import annotations

import random
import re
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Sequence, Tuple

import yaml
from faker import Faker

from bot.privacy.ner.names import UnknownNameShape, written_name

PERSON = "PERSON"
STREET_ADDRESS = "STREET_ADDRESS"
LABELS = (PERSON, STREET_ADDRESS)
SLOT = re.compile(r"\{(\w+)\}")
# Slots whose values are labelled, and with what.
LABELLED_SLOTS = {
    "name": PERSON,
    "full_name": PERSON,
    "first_name": PERSON,
    "surname": PERSON,
    "title_name": PERSON,
    "address": STREET_ADDRESS,
    "address_line": STREET_ADDRESS,
    "address_lines": STREET_ADDRESS,
    "street": STREET_ADDRESS,
    "street_name": STREET_ADDRESS,
}
EVERYDAY_SLOTS = (
    "order", "price", "date", "time", "count", "product", "town", "postcode", "email", "phone", "weekday",
    "carrier", "reference", "customer_number", "words", "place", "plan",
)
# The category whose templates are made on the fly: one of Candor's NLU examples with a name
# or an address put in somewhere, so names are learnt in every position, not only the
# templates' (see `_with_a_slot_inserted`).
INSERTED = "names_inserted"
INSERTED_SLOTS = {"{full_name}": 5, "{first_name}": 2, "{title_name}": 2, "{address_line}": 2, "{street}": 1}
INSERTED_BEFORE = ("", "", "", "for ", "to ", "with ", "and ", "from ", "by ", "at ")
# How the parts of a message made of several are joined.
JOINS = (" ", ". ", "\n", ", ", "! ", " - ", "\n\n")
# A fixed day, so dates do not depend on when the model is trained.
TODAY = date(2026, 6, 1)


@dataclass(frozen=True)
class ChatMessage:
    """A generated message and its labelled spans: (start, end, label), in character offsets."""

    text: str
    entities: Tuple[Tuple[int, int, str], ...]
    category: str


@dataclass(frozen=True)
class Settings:
    """How messages are generated: the reader's arguments in `config.cfg`."""

    seed: int
    categories: Mapping[str, float]
    name_locales: Mapping[str, float]
    address_locales: Mapping[str, float]
    name_shapes: Mapping[str, float]
    lower_case_share: float
    typo_rate: float
    strip_accents_share: float
    # How often a message is two or three messages in one ("hi. where is my order? thanks, sam").
    join_share: float = 0.0


class TemplateError(ValueError):
    """The templates file or the generator's settings do not fit together."""


def read_templates(path: Path) -> Dict[str, Any]:
    """The templates file, checked: every category has templates, every slot is known."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("templates"), dict) or not isinstance(data.get("fillers"), dict):
        raise TemplateError(f"{path} needs a 'templates' mapping (category: [messages]) and a 'fillers' mapping")
    for category, templates in data["templates"].items():
        check_templates(f"{path}: category '{category}'", templates)
    return data


def check_templates(where: str, templates: Any) -> None:
    """A clear error for a category that is not a list of strings, or that uses an unknown slot."""
    if not templates or not isinstance(templates, list) or not all(isinstance(t, str) for t in templates):
        raise TemplateError(f"{where} needs a non-empty list of template strings")
    for template in templates:
        unknown = set(SLOT.findall(template)) - set(LABELLED_SLOTS) - set(EVERYDAY_SLOTS)
        if unknown:
            raise TemplateError(f"{where}: '{template}' uses unknown slots {sorted(unknown)}; known: "
                                f"{sorted(LABELLED_SLOTS) + sorted(EVERYDAY_SLOTS)}")


class ChatMessageGenerator:
    """Fills templates with names, addresses and everyday values; one seeded random source."""

    def __init__(
        self, templates: Dict[str, Any], settings: Settings, own_templates: Mapping[str, Sequence[str]] = {}
    ) -> None:
        for category, own in own_templates.items():
            check_templates(f"Candor's own messages '{category}'", list(own))
        self.templates: Dict[str, List[str]] = {**templates["templates"], **{k: list(v) for k, v in own_templates.items()}}
        self.fillers: Dict[str, Any] = templates["fillers"]
        unknown = sorted(set(settings.categories) ^ set(self.templates))
        if unknown:
            raise TemplateError(f"categories {unknown} are in templates.yml or config.cfg but not both: "
                                "give every template category a weight in config.cfg")
        self.settings = settings
        self.random = random.Random(settings.seed)
        self._fakers: Dict[str, Faker] = {}
        self._slots: Dict[str, Callable[[], str]] = {
            "name": lambda: self._name(self._pick(settings.name_shapes)),
            "full_name": lambda: self._name(self._pick({"given_and_surname": 6, "given_initial_and_surname": 1,
                                                        "given_middle_and_surname": 1})),
            "first_name": lambda: self._name("given_only"),
            "surname": lambda: self._name("surname_only"),
            "title_name": lambda: self._name("title_and_surname"),
            "address": lambda: self._address(lines=self.random.random() < 0.35),
            "address_line": lambda: self._address(lines=False),
            "address_lines": lambda: self._address(lines=True),
            "street": self._street,
            "street_name": lambda: self._address_faker().street_name(),
            "order": lambda: str(self.random.randint(100000, 999999)),
            "price": self._price,
            "date": self._date,
            "time": lambda: datetime.combine(TODAY, time(self.random.randint(7, 20), self.random.choice((0, 15, 30, 45))))
            .strftime(self._choice("time")).lower(),
            "count": lambda: self._choice("count"),
            "weekday": lambda: self._choice("weekday"),
            "product": self._product,
            "town": lambda: self._address_faker().city(),
            # A country, or a real town from a locale whose Faker towns are real: a place named
            # alone is nobody's personal data, however much it looks like a name.
            "place": lambda: self._faker(self._choice("place_locales")).city() if self.random.random() < 0.6
            else self._faker("en_US").country(),
            "plan": lambda: self._choice("plans"),
            "postcode": lambda: self._address_faker().postcode(),
            "email": lambda: self._name_faker().free_email(),
            "phone": lambda: self._address_faker().phone_number(),
            "carrier": lambda: self._choice("carrier"),
            "reference": lambda: self._name_faker().bothify(self._choice("reference")).upper(),
            "customer_number": lambda: f"C{self.random.randint(10000, 99999)}",
            # Everyday English words (Faker's list of about a thousand), so that a word the
            # model has not met in a template is not taken for a name because it is short.
            "words": lambda: " ".join(self._faker("en_US").words(self.random.randint(1, 5))),
        }

    def messages(self, count: int) -> List[ChatMessage]:
        return [self.message() for _ in range(count)]

    def message(self) -> ChatMessage:
        """One message; sometimes two or three run together, as people send them."""
        parts = 1 if self.random.random() >= self.settings.join_share else self.random.choice((2, 2, 3))
        text, entities, categories = "", [], []
        for index in range(parts):
            part = self._one_message()
            join = self.random.choice(JOINS) if index else ""
            entities += [(start + len(text) + len(join), end + len(text) + len(join), label) for start, end, label in part.entities]
            text += join + part.text
            categories.append(part.category)
        return ChatMessage(text, tuple(entities), "+".join(categories))

    def _one_message(self) -> ChatMessage:
        category = self._pick(self.settings.categories)
        if category == INSERTED:
            # Capitalised, since a name dropped anywhere in lower case would teach that any
            # lower-case word can be a name.
            template, lower = self._with_a_slot_inserted(), False
        else:
            template = self.random.choice(self.templates[category])
            lower = self.random.random() < self.settings.lower_case_share
        drop_apostrophes = self.random.random() < 0.3
        text: List[str] = []
        entities: List[Tuple[int, int, str]] = []
        position = 0
        for index, piece in enumerate(SLOT.split(template)):
            if index % 2 == 0:  # the template's own words, between slots
                # "priya's" stays "priya's": "priyas" would hide where the name ends.
                possessive = index > 0 and piece.startswith("'")
                value, label = self._typed(piece, drop_apostrophes and not possessive), None
            else:
                value, label = self._slots[piece]().strip(), LABELLED_SLOTS.get(piece)
                if label:
                    value = self._as_typed_value(value, lower)
            if lower:
                value = value.lower()
            if label:
                entities.append((position, position + len(value), label))
            text.append(value)
            position += len(value)
        message = "".join(text)
        if not lower and message[:1].islower() and self.random.random() < 0.3:
            message = message[0].upper() + message[1:]
        return ChatMessage(message, tuple(entities), category)

    def _with_a_slot_inserted(self) -> str:
        words = self.random.choice(self.templates[INSERTED]).split(" ")
        at = self.random.randint(0, len(words))
        slot = self.random.choice(INSERTED_BEFORE) + self._pick(INSERTED_SLOTS)
        return " ".join(words[:at] + [slot] + words[at:])

    # Names

    def _name(self, shape: str) -> str:
        try:
            return written_name(self._name_faker(), self.random, shape, self.fillers["titles"])
        except UnknownNameShape as error:
            raise TemplateError(str(error)) from None

    # Addresses

    def _address(self, lines: bool) -> str:
        faker = self._address_faker()
        formats = (self.fillers.get("address_formats") or {}).get(faker.locales[0])
        if formats and self.random.random() < 0.5:
            return self._formatted_address(faker, self.random.choice(formats), lines)
        parts = [part.strip(" ,") for part in faker.address().splitlines() if part.strip(" ,")]
        countries = self.fillers["countries"].get(faker.locales[0])
        if countries and self.random.random() < 0.12:
            parts.append(self.random.choice(countries))
        if lines:
            return "\n".join(parts)
        return self.random.choice((", ", ", ", " ", ",")).join(parts)

    def _formatted_address(self, faker: Faker, template: str, lines: bool) -> str:
        """An address in one of `address_formats`, each field filled afresh."""
        number = lambda: str(self.random.choice((self.random.randint(1, 40), self.random.randint(1, 400))))  # noqa: E731
        pin = f"{self.random.randint(110, 855)}{self.random.randint(0, 999):03d}"
        fields: Dict[str, Callable[[], str]] = {
            "n": number,
            "letter": lambda: self.random.choice("ABCDEFGH"),
            "street": faker.street_name,
            "town": faker.city,
            "county": getattr(faker, "county", faker.city),
            "state": getattr(faker, "state", faker.city),
            "state_abbr": getattr(faker, "state_abbr", faker.city),
            "postcode": faker.postcode,
            "zip": getattr(faker, "zipcode", faker.postcode),
            "pin": lambda: self.random.choice((pin, pin, f"{pin[:3]} {pin[3:]}")),
            "surname": faker.last_name,
            "area": lambda: f"{faker.last_name()} {self._choice('area_suffix')}",
            "building": lambda: f"{faker.last_name()} {self._choice('building_suffix')}",
            "house_name": lambda: self._choice("house_name"),
            "village": lambda: self._choice("village"),
            "landmark": lambda: self._choice("landmark"),
        }
        unknown = sorted(set(SLOT.findall(template)) - set(fields))
        if unknown:
            raise TemplateError(f"address format '{template}' uses unknown fields {unknown}; known: {sorted(fields)}")
        address = SLOT.sub(lambda match: fields[match.group(1)](), template)
        if lines and "\n" not in address:
            address = address.replace(", ", "\n")
        elif not lines and "\n" in address and self.random.random() < 0.5:
            address = address.replace("\n", ", ")
        return address

    def _street(self) -> str:
        faker = self._address_faker()
        parts = [part.strip(" ,") for part in faker.street_address().splitlines() if part.strip(" ,")]
        street = self.random.choice((", ", " ")).join(parts)
        if faker.locales[0] in ("en_GB", "en_IE") and self.random.random() < 0.15:
            street = f"{self.random.choice(('flat', 'Flat', 'apartment', 'unit'))} {self.random.randint(1, 40)}, {street}"
        return street

    # Everyday values

    def _date(self) -> str:
        day = TODAY + timedelta(days=self.random.randint(-90, 30))
        return day.strftime(self._choice("date")).replace("{ordinal}", _ordinal(day.day))

    def _product(self) -> str:
        """A product as "<colour or material> <thing>", or one from the shop's own catalogue."""
        catalogue = self.fillers.get("catalogue")
        if catalogue and self.random.random() < 0.3:
            return self.random.choice(catalogue)
        first, second = self.fillers["product_words"]
        return f"{self.random.choice(first)} {self.random.choice(second)}"

    def _price(self) -> str:
        pounds = str(self.random.choice((self.random.randint(3, 60), self.random.randint(60, 400))))
        return self._choice("price").format(pounds=pounds, pence=f"{self.random.choice((0, 49, 50, 95, 99, 19)):02d}")

    # Typing

    def _as_typed_value(self, value: str, lower: bool) -> str:
        """A name or an address as a customer might type it: without accents, or all in capitals."""
        if not value.isascii() and self.random.random() < self.settings.strip_accents_share:
            value = _without_accents(value)
        if not lower and self.random.random() < 0.04:
            value = value.upper()
        elif not lower and self.random.random() < 0.15:
            value = value.lower()
        return value

    def _typed(self, words: str, drop_apostrophes: bool) -> str:
        """The template's own words, with the occasional slip of the finger."""
        if drop_apostrophes:
            words = words.replace("'", "")
        return re.sub(r"[a-z]{4,}", lambda m: self._typo(m.group()) if self.random.random() < self.settings.typo_rate else m.group(), words)

    def _typo(self, word: str) -> str:
        i = self.random.randrange(1, len(word) - 1)
        kind = self.random.randrange(3)
        if kind == 0:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped
        if kind == 1:
            return word[:i] + word[i + 1 :]  # dropped
        return word[:i] + word[i] + word[i:]  # doubled

    # Random choices

    def _pick(self, weights: Mapping[str, float]) -> str:
        keys = sorted(weights)
        return self.random.choices(keys, weights=[weights[k] for k in keys])[0]

    def _choice(self, filler: str) -> str:
        return self.random.choice(self.fillers[filler])

    def _name_faker(self) -> Faker:
        return self._faker(self._pick(self.settings.name_locales))

    def _address_faker(self) -> Faker:
        return self._faker(self._pick(self.settings.address_locales))

    def _faker(self, locale: str) -> Faker:
        """One Faker per locale, seeded from the generator's seed and the locale's name."""
        if locale not in self._fakers:
            try:
                faker = Faker(locale)
            except AttributeError as error:
                raise TemplateError(f"Faker has no locale '{locale}' (in config.cfg): {error}") from None
            faker.seed_instance(self.settings.seed * 1_000_003 + zlib.crc32(locale.encode()))
            in_a_stable_order(faker)
            self._fakers[locale] = faker
        return self._fakers[locale]


def in_a_stable_order(faker: Faker) -> None:
    """Sort the word lists Faker builds from a set, so one seed always gives the same messages.

    it_IT lists its towns from a set, in an order that changes with Python's string hashing
    (PYTHONHASHSEED differs from process to process): unsorted, two trainings of the same inputs
    learnt from different messages and made different models.
    """
    for provider in faker.get_providers():
        cities = getattr(provider, "cities", None)
        if isinstance(cities, list):
            provider.cities = sorted(cities)


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _without_accents(text: str) -> str:
    """"José Łukasz Nguyễn" as typed on an English keyboard: "Jose Łukasz Nguyen"."""
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)))


def generate(
    templates_path: Path, settings: Settings, count: int, own_templates: Mapping[str, Sequence[str]] = {}
) -> List[ChatMessage]:
    """`count` messages from the templates at `templates_path` and `own_templates` (more
    categories, from Candor's own messages), the same for the same arguments."""
    return ChatMessageGenerator(read_templates(templates_path), settings, own_templates).messages(count)

