"""Answers worded to be heard on a phone call, not read.

A caller cannot see a button, scroll back, or follow a link, and a synthetic voice reads
"£54.90" or "104502" badly. `voiced` rewrites a message so it sounds right:

* no emoji, markdown or table marks (the screen-reader cleaning, `accessibility.screen_reader`);
* links are never read out: a link's label is said, a bare address becomes its site's name;
* "type", "write" and "click" become "say": on the phone, saying is how a caller answers;
* buttons become spoken choices: "Say yes or no.", or "Say one for ..., two for ...";
* prices as "54 pounds 90", ISO dates as "20th November 2026", order numbers and numbers to
  call digit by digit in small groups ("1 0 4, 5 0 2"), which is how people say them on the phone.

`spoken_parts` then cuts a long answer into short parts, each synthesized on its own, so the
first part plays sooner and a caller can follow one idea at a time.

The voice channel voices every message once, whoever wrote it (a response, an action, a person).
`voiced` is idempotent all the same, so a text that arrives already worded for the ear (or for a
screen reader, whose numbered choices it replaces) is not worded twice.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Dict, List

from accessibility.screen_reader import (
    ISO_DATE,
    MARKDOWN_LINK,
    POUNDS,
    SENTENCE_END,
    choices as screen_reader_choices,
    said_pounds,
    without_markup,
)

# A spoken part longer than this is split at sentence ends (about ten seconds of speech).
PART_CHARACTERS = 180

BARE_URL = re.compile(r"https?://(?:www\.)?([^/\s]+?)(?:/\S*?)?(?=[.,;:!?)]*(?:\s|$))")
# Six digits alone are an order number in Candor's shop; five or more in a row are read as digits.
LONG_NUMBER = re.compile(r"(?<![\d£.,])\b\d{5,}\b(?![.,]\d)")
# "call 116 123", "call 999": a number to dial is said digit by digit.
NUMBER_TO_DIAL = re.compile(r"\b((?:call|ring|phone|dial|text \w+ to)\s+)(\d{2,}(?: \d{2,})*)\b", re.IGNORECASE)
SAY_FOR = {
    "type": "say", "types": "says", "typing": "saying", "write": "say", "writes": "says", "writing": "saying",
    "click": "say", "clicking": "saying", "tap": "say", "tapping": "saying", "press": "say", "pressing": "saying",
}
WRITE_TO_SAY = re.compile(r"\b(" + "|".join(SAY_FOR) + r")(?=\s+[\"“'])", re.IGNORECASE)
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def voiced(message: Dict[str, Any]) -> Dict[str, Any]:
    """A copy of a bot message worded for the ear; its buttons are kept so a spoken number picks one."""
    spoken = dict(message)
    buttons = message.get("buttons") or []
    text = message.get("text") or ""
    if buttons:
        # Choices already worded for the ear (or for a screen reader) are worded once, here.
        for said in (spoken_choices(buttons), screen_reader_choices(buttons)):
            text = text.replace(said, "")
    text = speakable(text)
    if buttons:
        text = f"{text} {spoken_choices(buttons)}".strip()
    if text:
        spoken["text"] = text
    return spoken


def speakable(text: str) -> str:
    """The text without anything a voice should not read out, and with figures said naturally."""
    text = MARKDOWN_LINK.sub(lambda match: match.group(1), text)
    text = BARE_URL.sub(lambda match: match.group(1), text)
    text = without_markup(text)
    text = WRITE_TO_SAY.sub(_say, text)
    text = POUNDS.sub(said_pounds, text)
    text = ISO_DATE.sub(_spoken_date, text)
    text = NUMBER_TO_DIAL.sub(lambda match: match.group(1) + _digits(match.group(2)), text)
    text = LONG_NUMBER.sub(lambda match: _digits(match.group(0)), text)
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", re.sub(r"\s+", " ", text))
    return text.strip()


def spoken_choices(buttons: List[Dict[str, Any]]) -> str:
    """The buttons as something to say back: 'Say yes or no.' or 'Say one for ..., two for ....'."""
    titles = [speakable(button.get("title") or "").rstrip(".") for button in buttons]
    if len(titles) == 2 and all(len(title.split()) <= 3 for title in titles):
        first, second = (_first_word(title) for title in titles)
        if {first.lower(), second.lower()} == {"yes", "no"}:
            return f"Say {first.lower()} or {second.lower()}."
        return f'Say "{titles[0]}" or "{titles[1]}".'
    listed = [f'{NUMBER_WORDS[number]} for "{title}"' for number, title in enumerate(titles[:9], start=1)]
    return "Say " + ", ".join(listed) + "."


def spoken_parts(text: str, limit: int = PART_CHARACTERS) -> List[str]:
    """The text in short parts, each whole sentences, none (unless one sentence is) above `limit`."""
    parts: List[str] = []
    for sentence in SENTENCE_END.split(text.strip()):
        if parts and len(parts[-1]) + 1 + len(sentence) <= limit:
            parts[-1] = f"{parts[-1]} {sentence}"
        elif sentence:
            parts.append(sentence)
    return parts


def _say(match: re.Match) -> str:
    said = SAY_FOR[match.group(1).lower()]
    return said.capitalize() if match.group(1)[0].isupper() else said


def _first_word(title: str) -> str:
    return re.split(r"[\s,]+", title.strip(), maxsplit=1)[0]


def _digits(number: str) -> str:
    """'104502' -> '1 0 4, 5 0 2'; '116 123' -> '1 1 6, 1 2 3': groups of at most three digits."""
    groups = number.split() if " " in number else [number[i : i + 3] for i in range(0, len(number), 3)]
    if len(groups) > 1 and len(groups[-1]) == 1:  # "1234" as "1 2, 3 4", never a lone last digit
        groups[-2:] = [groups[-2][:-1], groups[-2][-1] + groups[-1]]
    return ", ".join(" ".join(group) for group in groups)


def _spoken_date(match: re.Match) -> str:
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return match.group(0)
    suffix = "th" if 10 <= day.day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
    return f"{day.day}{suffix} {day:%B %Y}"
