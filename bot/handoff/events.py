"""Conversation events as the action server sends them to Rasa (the dicts `rasa_sdk.events` builds).

The handoff service hands the same events to the actions (which return them) and to the agent
console (whose Rasa adapter reads them as Rasa reads an action server's reply). They are built
here rather than with `rasa_sdk`, which neither the Rasa server nor the `candor` command otherwise
loads, and whose import pulls in its plugins.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

Event = Dict[str, Any]


def slot_set(name: str, value: Any) -> Event:
    return {"event": "slot", "timestamp": None, "name": name, "value": value}


def bot_uttered(text: str, metadata: Optional[Dict[str, Any]] = None) -> Event:
    return {"event": "bot", "timestamp": None, "text": text, "data": None, "metadata": metadata}
