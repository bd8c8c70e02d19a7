"""The three ways Candor words an answer, and how a customer's choice is read.

The mode is a slot (`accessibility_mode`), so it lasts for the conversation and is recorded like
any other decision. A customer sets it by asking in chat; a channel sets it by sending
`{"metadata": {"accessibility": {"mode": "plain" | "screen_reader" | "standard"}}}`.
"""

from __future__ import annotations

import enum
from typing import Any, Mapping, Optional

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

