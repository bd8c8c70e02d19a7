"""Every question asked of a conversation's events is answered once, in bot/conversation (issue 18).

A walk over events written again somewhere else drifts from the original (one stops at a new
session, the other does not), so the guard names each one and where its query belongs.
"""

from __future__ import annotations

import pytest

from bot.settings import PROJECT_ROOT
from tests.conversation.event_scans import hand_written_scans, scans_in


def test_no_module_outside_the_conversation_core_walks_events_by_hand() -> None:
    scans = hand_written_scans(PROJECT_ROOT)
    assert not scans, (
        "events walked by hand; ask bot/conversation/events.py (add the query there if it is new):\n"
        + "\n".join(str(scan) for scan in scans)
    )


@pytest.mark.parametrize(
    "source",
    [
        # The shapes the scans had before they moved to bot/conversation.
        'latest = next((e for e in reversed(tracker.events) if e.get("event") == "user"), {})',
        'messages = [event for event in tracker.events if event["event"] == "user"]',
        "for event in reversed(events):\n    pass",
        "setters = {event.key: event for event in events if isinstance(event, SlotSet)}",
        "for event in events:\n    if isinstance(event, (Restarted, SessionStarted)):\n        loop = None",
    ],
)
def test_each_shape_of_a_hand_written_walk_is_found(source: str) -> None:
    assert list(scans_in(source))


@pytest.mark.parametrize(
    "source",
    [
        "latest = latest_customer_message(tracker.events) or {}",
        "for word in reversed(words_before):\n    pass",
        'slot_set = {"event": "slot", "name": name, "value": value}',
        "copies = [self.redacted(event) for event in unsaved_events]",
        "keep = isinstance(event, BotUttered)",  # one event, not a walk
    ],
)
def test_asking_the_conversation_core_is_not_mistaken_for_a_walk(source: str) -> None:
    assert not list(scans_in(source))

