"""Plain language, measured: a reading grade from textstat and the words plain language avoids.

Every response has a plain variant (`bot/domain/`, conditioned on `accessibility_mode: plain`).
This module is how "plain" is checked, by `candor lint-responses` and by the tests that keep the
domain honest: Flesch-Kincaid grade at most `MAX_GRADE` for each variant and `MAX_AVERAGE_GRADE`
on average, and none of the "don't say" words of the plainlanguage.gov word list
(public domain). The caller says where that list is (`bot.settings.plain_words_file`), so this
package depends on nothing in `bot`.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, List, Tuple

import textstat

MAX_GRADE = 6.0
MAX_AVERAGE_GRADE = 5.0
# A placeholder is read as one short word, the way a customer reads the value that fills it.
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
PLACEHOLDER_READS_AS = "this"
# Inflections a "don't say" word keeps its meaning in ("requests", "requested", "requesting").
INFLECTIONS = r"(?:s|es|d|ed|ing)?"


@dataclass(frozen=True)
class Avoided:
    """A "don't say" entry and what the word list says to write instead."""

    phrase: str
    instead: str


@dataclass
class Finding:
    """How one text reads: its grade and the rules it breaks."""

    grade: float
    problems: List[str] = field(default_factory=list)


def readable_text(text: str) -> str:
    """The text as a reader meets it: placeholders as a short word, no markdown marks."""
    text = PLACEHOLDER.sub(PLACEHOLDER_READS_AS, text)
    return re.sub(r"[*_`#>]", "", text)


def grade(text: str) -> float:
    """The Flesch-Kincaid grade of `text` (textstat 0.7.8, offline)."""
    return float(textstat.flesch_kincaid_grade(readable_text(text)))


@functools.lru_cache(maxsize=4)
def avoided_words(path: Path) -> Tuple[Avoided, ...]:
    """The "don't say" phrases of the word list at `path`; entries of several phrases count as each."""
    avoided: List[Avoided] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            for phrase in row["dont_say"].split(","):
                phrase = re.sub(r"\(.*?\)", "", phrase).strip().lower()
                # Examples with dates or blanks ("not later than 10 May") and bare symbols are not words.
                if phrase and re.fullmatch(r"[a-z][a-z' -]*", phrase):
                    avoided.append(Avoided(phrase, row["say"].strip()))
    return tuple(avoided)


def dont_say_found(text: str, avoided: Iterable[Avoided]) -> List[Avoided]:
    """Each "don't say" phrase that appears in `text` as whole words (inflected or not)."""
    lowered = PLACEHOLDER.sub(" ", text.lower())
    return [
        entry
        for entry in avoided
        if re.search(r"(?<![a-z'])" + re.escape(entry.phrase) + INFLECTIONS + r"(?![a-z'])", lowered)
    ]


def check(text: str, avoided: Iterable[Avoided] = ()) -> Finding:
    """How `text` reads as plain language, and what to change."""
    finding = Finding(grade=grade(text))
    if finding.grade > MAX_GRADE:
        finding.problems.append(f"grade {finding.grade:.1f} is above {MAX_GRADE:g}: use shorter sentences and shorter words")
    for entry in dont_say_found(text, avoided):
        finding.problems.append(f'"{entry.phrase}" is on the don\'t-say list: say "{entry.instead}"')
    return finding
