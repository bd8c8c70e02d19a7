"""Customers' names as they write them, from Faker's lists for the locale the name comes from.

Kept apart from the message generator because each locale has its own habits: Chinese and
Japanese names are romanised, Vietnamese names put the family name first as often as last and a
middle name before the given name ("Nguyễn Văn An"), and some of Faker's locales need working
around to give their own given names at all.
"""

from __future__ import annotations

import random
from typing import Sequence

from faker import Faker

# Locales whose names Faker writes in their own script; customers type them romanised.
ROMANISED_LOCALES = ("zh_CN", "ja_JP")
# Locales whose given names usually follow a middle name (Nguyễn Văn An).
MIDDLE_NAMES_LOCALES = ("vi_VN",)
# Locales with a third list of given names, for anyone ("An", "Hà", "Bảo").
UNISEX_LOCALES = ("vi_VN",)
# Locales where the family name comes first about half the time, as at home.
FAMILY_NAME_FIRST_LOCALES = ("vi_VN",)
SHAPES = (
    "given_and_surname", "given_only", "title_and_surname", "title_given_and_surname", "given_initial_and_surname",
    "given_middle_and_surname", "surname_only", "surname_comma_given", "initial_and_surname",
)


class UnknownNameShape(ValueError):
    """A name shape in config.cfg that this module does not write."""


def written_name(faker: Faker, rng: random.Random, shape: str, titles: Sequence[str]) -> str:
    """A name from `faker`'s locale in `shape` ("given_and_surname", "title_and_surname", ...)."""
    given, family = given_name(faker, rng), surname(faker)
    title = rng.choice(titles)
    if faker.locales[0] in FAMILY_NAME_FIRST_LOCALES and rng.random() < 0.5:
        given, family = family, given
    initial = f"{given_name(faker, rng)[:1].upper()}{rng.choice(('.', '', '.'))}"
    middle = given_name(faker, rng)
    if shape not in SHAPES:
        raise UnknownNameShape(f"unknown name shape '{shape}' in config.cfg; known: {sorted(SHAPES)}")
    return {
        "given_and_surname": f"{given} {family}",
        "given_only": given,
        "title_and_surname": f"{title} {family}",
        "title_given_and_surname": f"{title} {given} {family}",
        "given_initial_and_surname": f"{given} {initial} {family}",
        "given_middle_and_surname": f"{given} {middle} {family}",
        "surname_only": family,
        "surname_comma_given": f"{family}, {given}",
        "initial_and_surname": f"{initial} {family}",
    }[shape]


def given_name(faker: Faker, rng: random.Random) -> str:
    """A given name from the locale's own lists, sometimes after its middle name ("Văn An", "Thị Lan").

    Drawn from the male and female lists, not `first_name()`: some locales fill only those, and
    vi_VN's `first_name()` falls back to Faker's default list, "John" and "Jane".
    """
    locale = faker.locales[0]
    if locale in ROMANISED_LOCALES:
        return faker.first_romanized_name()
    lists = (faker.first_name_male, faker.first_name_female, *([faker.first_name_unisex] if locale in UNISEX_LOCALES else []))
    given = rng.choice(lists)()
    if locale in MIDDLE_NAMES_LOCALES and rng.random() < 0.6:
        return f"{faker.middle_name()} {given}"
    return given


def surname(faker: Faker) -> str:
    return faker.last_romanized_name() if faker.locales[0] in ROMANISED_LOCALES else faker.last_name()
