"""The `handoff_status` slot: the handoffs table, copied where Rasa's policies can read it.

`HumanHandoffPolicy` runs inside Rasa's graph, which may not read the store, so the table's answer
to "is a person due in this conversation?" travels in a slot. The table stays the truth: the slot
is only ever set from `bot.handoff` (`state.slot_events`), never decided anywhere else. This module
imports nothing from the store, so graph components may use it.
"""

from __future__ import annotations

from typing import Any, Final, List

from bot.conversation.names import HANDOFF_STATUS_SLOT
from bot.handoff.events import Event, slot_set

# The slot's one value (bot/domain/handoff.yml): a person has been asked for and has not yet handed
# the conversation back, whether they are still in the queue or already with the customer.
PERSON_DUE: Final = "waiting"


def person_is_due(slot_value: Any) -> bool:
    """Whether the slot says a person has been asked for (and the assistant should step back)."""
    return slot_value == PERSON_DUE


def slot_events(person_due: bool) -> List[Event]:
    """The event that sets the slot to match the table (as the action server sends events)."""
    return [slot_set(HANDOFF_STATUS_SLOT, PERSON_DUE if person_due else None)]
