"""Answering a list of choices by its number: "2" picks the second button of the last message.

Screen-reader and voice users hear choices as "Say 1 for ..., 2 for ..."; buttons are hard to
reach for them, so a number (or "two", "the second") stands for the button. Only the buttons of
the assistant's latest message count, and only a number in range: anything else is left as typed.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
}
CHOICE = re.compile(
    r"^\s*(?:(?:number|choice|say|pick|press)\s+|the\s+)?(\d{1,2}|" + "|".join(WORDS) + r")(?:\s+(?:one|please))?\s*[.!]?\s*$",
    re.IGNORECASE,
)


def chosen_number(text: str) -> Optional[int]:
    """The choice a message names by number ("2", "two", "number 2", "the second"), if that is all it says."""
    match = CHOICE.match(text or "")
    if match is None:
        return None
    word = match.group(1).lower()
    return int(word) if word.isdigit() else WORDS[word]


def payload_for(text: str, buttons: List[Dict[str, Any]]) -> Optional[str]:
    """The payload of the button `text` picks by number, or None if it picks none.

    `buttons` are those of the assistant's latest message, as the channel reads them from the
    conversation (`bot.conversation.events.latest_buttons`).
    """
    number = chosen_number(text)
    if number is None or not 1 <= number <= len(buttons):
        return None
    return buttons[number - 1].get("payload")
