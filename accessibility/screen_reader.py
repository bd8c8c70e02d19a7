"""Answers worded for a screen reader: nothing to trip over, choices to say by number.

A screen reader reads every symbol it meets ("asterisk asterisk"), announces an emoji by its
name, reads "£54.90" as "pound fifty-four point nine zero" and "104502" as a number in the
hundred thousands. `render` rewrites a message so it reads well aloud:

* no emoji, markdown marks, table rules or ASCII art;
* links described by their purpose ("Track your parcel (a link)"), never read out as addresses;
* buttons kept, and also listed in the text: "Say 1 for Yes, 2 for No.", so a number answers;
* a long answer starts with its first sentence as a one-line summary ("In short: ...");
* prices as "54 pounds 90", ISO dates as "20 November 2026", six-digit order numbers in two
  groups of three digits ("104 502").
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Dict, List

# Above this many characters, or sentences, an answer gets a one-line summary first.
LONG_ANSWER_CHARACTERS = 240
LONG_ANSWER_SENTENCES = 3

EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\U00002600-\U000027BF\U0001F1E6-\U0001F1FF\U0000FE0F\U0000200D\U00002B00-\U00002BFF]"
)
MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\((?:https?://|mailto:)[^)]+\)")
BARE_URL = re.compile(r"https?://([^/\s]+)\S*")
MARKDOWN_MARKS = re.compile(r"(\*\*|__|\*|`|~~)")
HEADING_OR_QUOTE = re.compile(r"^\s*(#{1,6}|>)\s*", re.MULTILINE)
BULLET = re.compile(r"^\s*[-*•]\s+", re.MULTILINE)
TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]*-{3,}[\s:|-]*\|?\s*$", re.MULTILINE)
ASCII_ART = re.compile(r"^[^\w\s]{4,}$", re.MULTILINE)
POUNDS = re.compile(r"£(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{2}))?")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
ORDER_NUMBER = re.compile(r"(?<![\d.,£])\b(\d{3})(\d{3})\b(?!\d|[.,]\d)")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


def render(message: Dict[str, Any]) -> Dict[str, Any]:
    """A copy of a bot message (`text`, `buttons`, ...) worded for a screen reader."""
    rendered = dict(message)
    text = readable(message.get("text") or "")
    buttons = message.get("buttons") or []
    if text:
        text = summarised(text)
    if buttons:
        text = f"{text}\n{choices(buttons)}".strip()
    if text:
        rendered["text"] = text
    return rendered


def readable(text: str) -> str:
    """The text without symbols a screen reader would read out, and with figures said well."""
    text = MARKDOWN_LINK.sub(lambda match: f"{match.group(1)} (a link)", text)
    text = BARE_URL.sub(lambda match: f"a link to {match.group(1)}", text)
    text = without_markup(text)
    text = POUNDS.sub(said_pounds, text)
    text = ISO_DATE.sub(_iso_date, text)
    text = ORDER_NUMBER.sub(r"\1 \2", text)
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", text))
    return re.sub(r"\n{2,}", "\n", text).strip()


def without_markup(text: str) -> str:
    """The text without emoji, table rules, ASCII art, heading or quote marks, bullets or markdown
    marks, and with table rows as plain sentences: what no voice, read or synthetic, should say."""
    for pattern in (EMOJI, TABLE_RULE, ASCII_ART, HEADING_OR_QUOTE, BULLET):
        text = pattern.sub("", text)
    text = "\n".join(_table_row(line) if line.count("|") >= 2 else line for line in text.splitlines())
    return MARKDOWN_MARKS.sub("", text)


def summarised(text: str) -> str:
    """A long answer with its first sentence put first as a one-line summary."""
    sentences = SENTENCE_END.split(text.replace("\n", " "))
    if len(text) <= LONG_ANSWER_CHARACTERS and len(sentences) <= LONG_ANSWER_SENTENCES:
        return text
    return f"In short: {sentences[0]}\nDetails: {' '.join(sentences[1:])}".strip()


def choices(buttons: List[Dict[str, Any]]) -> str:
    """The buttons as a list to answer by number: 'Say 1 for "Yes", 2 for "No".'."""
    spoken = [f'{number} for "{readable(button.get("title") or "")}"' for number, button in enumerate(buttons, start=1)]
    return "Say " + ", ".join(spoken) + "."


def _table_row(line: str) -> str:
    cells = [cell.strip() for cell in line.strip().strip("|").split("|") if cell.strip()]
    return ", ".join(cells) + "."


def said_pounds(match: re.Match) -> str:
    """A POUNDS match as said aloud: '£54.90' -> '54 pounds 90'."""
    pounds = int(match.group(1).replace(",", ""))
    pence = int(match.group(2) or 0)
    if pounds == 0:
        return f"{pence} pence"
    said = f"{pounds:,} pound" + ("" if pounds == 1 else "s")
    return f"{said} {pence}" if pence else said


def _iso_date(match: re.Match) -> str:
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return match.group(0)
    return f"{day.day} {day:%B %Y}"


LEFT_FOR_A_SCREEN_READER = {
    "a symbol a screen reader reads out": re.compile(r"[*_`#|~]"),
    "a web address": re.compile(r"https?://"),
    "an emoji": EMOJI,
    "a price with a £ sign": re.compile(r"£"),
    "a date written as numbers": ISO_DATE,
    "an order number in one run of digits": re.compile(r"\b\d{6}\b"),
}


def screen_reader_problems(message: Dict[str, Any]) -> List[str]:
    """What in a rendered message would still trip a screen reader (empty when it reads well)."""
    text = message.get("text") or ""
    problems = [f"has {what}" for what, pattern in LEFT_FOR_A_SCREEN_READER.items() if pattern.search(text)]
    for number, _ in enumerate(message.get("buttons") or [], start=1):
        if f'{number} for "' not in text:
            problems.append(f"choice {number} is not listed by number")
    if len(text) > LONG_ANSWER_CHARACTERS + 60 and not text.startswith("In short: "):
        problems.append("a long answer without a one-line summary first")
    return problems
