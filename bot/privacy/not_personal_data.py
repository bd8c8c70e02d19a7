"""What the NER model sometimes finds that is nobody's personal data, and is kept as written.

The model is trained to find names and streets however they are typed, lower case included ("my
name is priya shah"), so now and then it takes for one a date ("delivered 5 January"), a name in
code ("order_history") or an everyday word ("can you inform me", "how much can I earn"). Each of
these says when, what or how, never who or where, and explanations and audits need them readable.
Only the model's findings are checked: a pattern or a word list that found something meant it.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import FrozenSet, Iterable

from presidio_analyzer import RecognizerResult
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from bot.privacy.recognizers.word_lists import word_list

NER_RECOGNIZER = SpacyRecognizer.__name__
_WORD = re.compile(r"[^\W_]+")
# A name in code: words joined by underscores ("order_history").
_IDENTIFIER = re.compile(r"(?<![^\W_])[^\W_]+(?:_[^\W_]+)+(?![^\W_])")
_DATE_WORDS = frozenset(word.lower() for word in (*word_list("months"), *word_list("weekdays"), "of", "the"))
_NUMBER_OR_ORDINAL = re.compile(r"\d{1,4}(?:st|nd|rd|th)?")
# The day of a date, just before a month ("5 January", "5th of January") or just after it ("January 5th").
_DAY_BEFORE = re.compile(r"(?:^|\W)\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+$", re.IGNORECASE)
_DAY_AFTER = re.compile(r"\s+\d{1,2}(?:st|nd|rd|th)?\b", re.IGNORECASE)
# Debian's English word lists (packages wbritish and wamerican; `make run` and `make test` install them).
DICTIONARIES = (Path("/usr/share/dict/british-english"), Path("/usr/share/dict/american-english"))
# The lists of names the recognizers know: a word in one of them may be someone's name.
NAME_LISTS = ("given_names", "ambiguous_given_names", "surnames")


class DictionaryMissing(RuntimeError):
    """Redaction needs the English word lists to tell an everyday word from a name."""


def not_personal_data(text: str, result: RecognizerResult) -> bool:
    """Whether `result`, found in `text`, is one of the NER model's findings that name nobody."""
    return a_date(text, result) or an_identifier(text, result) or everyday_words_only(text, result)


def a_date(text: str, result: RecognizerResult) -> bool:
    """Whether the NER model took a date or a number for a place or a person: "01 January 2000",
    "Jan 5th", "13, 2000", or "January" alone in "delivered 5 January".

    Every word is a number, an ordinal, a month or a weekday (`words/months.txt`, `weekdays.txt`),
    with at least one number and one word; or the words are a month or a weekday alone, with a day
    right before or after them.
    """
    if not found_by_the_model(result):
        return False
    words = _WORD.findall(text[result.start : result.end].lower())
    if not any(character.isalpha() for character in text[result.start : result.end]):
        return True  # "13, 2000", "15.99": a name or a street has letters
    if words and all(word in _DATE_WORDS for word in words):
        # "May" or "June" alone may well be someone's name, but not beside a day: "5 June", "June 5th".
        before = text[max(0, result.start - 12) : result.start]
        return bool(_DAY_BEFORE.search(before) or _DAY_AFTER.match(text, result.end))
    # A number and a month or a day.
    return any(word[0].isdigit() for word in words) and any(not word[0].isdigit() for word in words) and all(
        word in _DATE_WORDS or _NUMBER_OR_ORDINAL.fullmatch(word) for word in words
    )


def an_identifier(text: str, result: RecognizerResult) -> bool:
    """Whether the NER model took a name in code for a person: "order_history", "self_harm".

    Audit records and explanations quote the policy's and the domain's own names, and people's
    names and streets are not written with underscores.
    """
    return found_by_the_model(result) and _IDENTIFIER.search(text[result.start : result.end]) is not None


def everyday_words_only(text: str, result: RecognizerResult) -> bool:
    """Whether the NER model took everyday words in lower case for a person: "inform", "several".

    Every word of the finding is in lower case and is an everyday word (`everyday_words`). A name
    typed in lower case ("mark", "grace", "priya") is not one, so it stays redacted.
    """
    if not found_by_the_model(result) or result.entity_type != "PERSON":
        return False
    words = _WORD.findall(text[result.start : result.end])
    return bool(words) and all(word.islower() and word in everyday_words() for word in words)


@functools.lru_cache(maxsize=1)
def everyday_words(dictionaries: Iterable[Path] = DICTIONARIES) -> FrozenSet[str]:
    """The words the English dictionaries list only in lower case, less every name the recognizers know.

    A dictionary lists a word that is also a name twice ("mark" and "Mark", "grace" and "Grace"),
    and names alone capitalised ("Priya"): what is listed only in lower case is nobody's name.
    """
    lower, capitalised = set(), set()
    for path in dictionaries:
        if not path.is_file():
            raise DictionaryMissing(
                f"{path} is missing: install the Debian packages wbritish and wamerican (`make run` and "
                "`make test` do), which tell redaction an everyday word from a name"
            )
        for line in path.read_text(encoding="utf-8").splitlines():
            word = line.strip()
            if word:
                (capitalised if word[0].isupper() else lower).add(word.lower())
    names = {name.lower() for names in NAME_LISTS for name in word_list(names)}
    return frozenset(lower - capitalised - names)


def found_by_the_model(result: RecognizerResult) -> bool:
    """Whether the NER model found `result` (rather than a pattern, a checksum or a word list)."""
    return (result.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY) == NER_RECOGNIZER
