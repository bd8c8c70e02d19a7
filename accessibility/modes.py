"""The three ways Candor words an answer, and how a customer's choice is read.

The mode is a slot (`accessibility_mode`), so it lasts for the conversation and is recorded like
any other decision. A customer sets it by asking in chat; a channel sets it by sending
`{"metadata": {"accessibility": {"mode": "plain" | "screen_reader" | "standard"}}}`.
"""

from __future__ import annotations

import enum
from typing import Any, Dict, Mapping, Optional

MODE_SLOT = "accessibility_mode"


class Mode(str, enum.Enum):
    STANDARD = "standard"
    PLAIN = "plain"
    SCREEN_READER = "screen_reader"


def mode_of(value: Any) -> Mode:
    """The mode a slot value names; anything else (unset, unknown) is the standard wording."""
    try:
        return Mode(value)
    except ValueError:
        return Mode.STANDARD


def mode_from_metadata(metadata: Optional[Mapping[str, Any]]) -> Optional[Mode]:
    """The mode a channel asked for in a message's metadata, if it asked for a known one."""
    accessibility = (metadata or {}).get("accessibility")
    if not isinstance(accessibility, Mapping):
        return None
    try:
        return Mode(accessibility.get("mode"))
    except ValueError:
        return None


def worded(message: Dict[str, Any], mode: Mode) -> Dict[str, Any]:
    """A message an action composed itself (not from a domain response), worded for `mode`.

    Responses are worded by the NLG (`bot.nlg`); text an action builds (the disclosure, the
    consent question, an explanation) comes here. Plain wording is the action's to choose, since
    only it knows the plain text; the screen-reader rendering is the same for everything.
    """
    if mode is Mode.SCREEN_READER:
        from accessibility.screen_reader import render

        return render(message)
    return message
